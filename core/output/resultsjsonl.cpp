// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/resultsjsonl.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace loadbench {

namespace resultsjsonl {

QByteArray rfc3339(qint64 epochNs)
{
    const qint64 seconds = epochNs / 1'000'000'000;
    const qint64 nanos = epochNs % 1'000'000'000;
    const QDateTime t = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1() + '.'
           + QByteArray::number(nanos).rightJustified(9, '0') + 'Z';
}

namespace {

QByteArray jsonString(const QString &s)
{
    // QJsonDocument escapes exactly as JSON needs; strip the array brackets.
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 15);
}

void appendPoint(QByteArray &out, const char *metric, const QByteArray &time, const QByteArray &value,
                 const QByteArray &tags)
{
    out += "{\"metric\":\"";
    out += metric;
    out += "\",\"type\":\"Point\",\"data\":{\"time\":\"";
    out += time;
    out += "\",\"value\":";
    out += value;
    out += ",\"tags\":{";
    out += tags;
    out += "}}}\n";
}

} // namespace

QByteArray requestTags(const Context &context, const RequestSample &s)
{
    // k6's tags: error and error_code only on failures (an HTTP error has a code, no text),
    // proto only when a response came, everything a string, keys sorted as Go writes a map.
    const QString &scenario = !s.scenario.isEmpty()  ? s.scenario
                              : !context.scenario.isEmpty() ? context.scenario
                                                            : QStringLiteral("default");
    const QString &method = s.method.isEmpty() ? context.method : s.method;
    const QString &url = s.url.isEmpty() ? context.url : s.url;
    const QString &name = s.name.isEmpty() ? url : s.name;
    const int errorCode = s.errorCode ? s.errorCode : (s.status >= 400 ? 1000 + s.status : 0);
    QByteArray tags;
    if (s.tags.isEmpty()) {
        if (!s.error.isEmpty())
            tags += "\"error\":" + jsonString(s.error) + ',';
        if (errorCode)
            tags += "\"error_code\":\"" + QByteArray::number(errorCode) + "\",";
        tags += "\"expected_response\":\"";
        tags += s.expected ? "true" : "false";
        tags += "\",\"group\":\"\",\"method\":" + jsonString(method) + ",\"name\":" + jsonString(name);
        if (!s.proto.isEmpty())
            tags += ",\"proto\":" + jsonString(s.proto);
        tags += ",\"scenario\":" + jsonString(scenario) + ",\"status\":\"" + QByteArray::number(s.status)
                + "\",\"url\":" + jsonString(url);
        return tags;
    }
    // With the request's own tags, merge and sort (the rare, slower path).
    QMap<QString, QString> all = s.tags;
    if (!s.error.isEmpty())
        all.insert(QStringLiteral("error"), s.error);
    if (errorCode)
        all.insert(QStringLiteral("error_code"), QString::number(errorCode));
    all.insert(QStringLiteral("expected_response"), s.expected ? QStringLiteral("true") : QStringLiteral("false"));
    all.insert(QStringLiteral("group"), QString());
    all.insert(QStringLiteral("method"), method);
    all.insert(QStringLiteral("name"), name);
    if (!s.proto.isEmpty())
        all.insert(QStringLiteral("proto"), s.proto);
    all.insert(QStringLiteral("scenario"), scenario);
    all.insert(QStringLiteral("status"), QString::number(s.status));
    all.insert(QStringLiteral("url"), url);
    for (auto it = all.begin(); it != all.end(); ++it) {
        if (!tags.isEmpty())
            tags += ',';
        tags += jsonString(it.key()) + ':' + jsonString(it.value());
    }
    return tags;
}

void appendRequest(QByteArray &out, const Context &context, const RequestSample &s)
{
    const QByteArray time = rfc3339(context.wallAtRunStartNs + s.startNs);
    const QByteArray tags = requestTags(context, s);

    auto ms = [](qint64 ns) { return number(double(ns) / 1e6); };
    appendPoint(out, "http_reqs", time, "1", tags);
    appendPoint(out, "http_req_duration", time, ms(s.durationNs), tags);
    appendPoint(out, "http_req_blocked", time, ms(s.blockedNs), tags);
    appendPoint(out, "http_req_connecting", time, ms(s.connectingNs), tags);
    appendPoint(out, "http_req_tls_handshaking", time, ms(s.tlsHandshakingNs), tags);
    appendPoint(out, "http_req_sending", time, ms(s.sendingNs), tags);
    appendPoint(out, "http_req_waiting", time, ms(s.waitingNs), tags);
    appendPoint(out, "http_req_receiving", time, ms(s.receivingNs), tags);
    appendPoint(out, "http_req_failed", time, s.expected ? "0" : "1", tags);
}

void appendCheck(QByteArray &out, const Context &context, qint64 atNs, const QString &check, bool passed)
{
    const QByteArray tags = "\"check\":" + jsonString(check) + ",\"group\":\"\",\"scenario\":" + jsonString(context.scenario);
    appendPoint(out, "checks", rfc3339(context.wallAtRunStartNs + atNs), passed ? "1" : "0", tags);
}

void appendData(QByteArray &out, const Context &context, qint64 atNs, quint64 bytesSent,
                quint64 bytesReceived)
{
    const QByteArray time = rfc3339(context.wallAtRunStartNs + atNs);
    const QByteArray tags = "\"group\":\"\",\"scenario\":" + jsonString(context.scenario);
    appendPoint(out, "data_sent", time, QByteArray::number(bytesSent), tags);
    appendPoint(out, "data_received", time, QByteArray::number(bytesReceived), tags);
}

void appendIteration(QByteArray &out, const Context &context, qint64 endNs, qint64 durationNs,
                     quint64 bytesSent, quint64 bytesReceived)
{
    appendData(out, context, endNs, bytesSent, bytesReceived);
    const QByteArray time = rfc3339(context.wallAtRunStartNs + endNs);
    const QByteArray tags = "\"group\":\"\",\"scenario\":" + jsonString(context.scenario);
    appendPoint(out, "iteration_duration", time, number(double(durationNs) / 1e6), tags);
    appendPoint(out, "iterations", time, "1", tags);
}

void appendGauge(QByteArray &out, const QString &metric, qint64 epochNs, double value)
{
    appendPoint(out, metric.toLatin1().constData(), rfc3339(epochNs), number(value), QByteArray());
}

} // namespace resultsjsonl

ResultsJsonlWriter::ResultsJsonlWriter(QList<Threshold> thresholds)
    : m_thresholds(std::move(thresholds))
{
}

bool ResultsJsonlWriter::open(const QString &path, QString *why)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (why)
            *why = path + QStringLiteral(": cannot write: ") + m_file.errorString();
        return false;
    }
    return true;
}

QByteArray ResultsJsonlWriter::metricLine(const QString &name, const QList<Threshold> &thresholds)
{
    const auto type = builtinMetricType(name).value_or(MetricType::Counter);
    QString contains = QStringLiteral("default");
    if (type == MetricType::Trend)
        contains = QStringLiteral("time");
    else if (name == QLatin1String("data_sent") || name == QLatin1String("data_received"))
        contains = QStringLiteral("data");
    QJsonArray own;
    for (const Threshold &t : thresholds) {
        if (t.metric == name)
            own.append(t.expression);
    }
    // As k6 (MetricsEngine.initSubMetricsAndThresholds): one sub-metric per threshold that names
    // one of this metric, in the thresholds' order, the first spelling of each filter winning;
    // then http_req_duration{expected_response:true}, unless a threshold named it already. A
    // sub-metric's thresholds are its own, not listed here.
    QList<MetricName> subs;
    auto addSub = [&](const MetricName &sub) {
        if (std::none_of(subs.cbegin(), subs.cend(), [&](const MetricName &known) { return known.sameMetric(sub); }))
            subs.append(sub);
    };
    for (const Threshold &t : thresholds) {
        const std::optional<MetricName> metric = MetricName::parse(t.metric);
        if (metric && metric->isSubmetric() && metric->parent == name)
            addSub(*metric);
    }
    if (name == QLatin1String("http_req_duration"))
        addSub(*MetricName::parse(QStringLiteral("http_req_duration{expected_response:true}")));
    QJsonArray submetrics;
    for (const MetricName &sub : std::as_const(subs)) {
        QJsonObject tags;
        for (auto it = sub.tags.cbegin(); it != sub.tags.cend(); ++it)
            tags.insert(it.key(), it.value());
        // Key order as k6 writes it: name, suffix, tags.
        submetrics.append(QJsonObject{{QStringLiteral("name"), sub.name()},
                                      {QStringLiteral("suffix"), sub.suffix},
                                      {QStringLiteral("tags"), tags}});
    }
    // Key order as k6 writes it: type, data{name, type, contains, thresholds, submetrics}, metric.
    QByteArray line = "{\"type\":\"Metric\",\"data\":{\"name\":\"" + name.toLatin1() + "\",\"type\":\""
                      + metricTypeName(type).toLatin1() + "\",\"contains\":\"" + contains.toLatin1()
                      + "\",\"thresholds\":" + QJsonDocument(own).toJson(QJsonDocument::Compact)
                      + ",\"submetrics\":";
    line += submetrics.isEmpty() ? QByteArray("null") : QJsonDocument(submetrics).toJson(QJsonDocument::Compact);
    line += "},\"metric\":\"" + name.toLatin1() + "\"}\n";
    return line;
}

void ResultsJsonlWriter::write(const QByteArray &lines)
{
    if (!m_file.isOpen() || lines.isEmpty())
        return;
    static const QByteArray prefix = QByteArrayLiteral("{\"metric\":\"");
    QByteArray out;
    out.reserve(lines.size() + 1024);
    qsizetype pos = 0;
    while (pos < lines.size()) {
        qsizetype end = lines.indexOf('\n', pos);
        if (end < 0)
            end = lines.size() - 1;
        if (lines.mid(pos, prefix.size()) == prefix) {
            const qsizetype nameStart = pos + prefix.size();
            const QByteArray name = lines.mid(nameStart, lines.indexOf('"', nameStart) - nameStart);
            if (!m_declared.contains(name)) {
                m_declared.insert(name);
                out += metricLine(QString::fromLatin1(name), m_thresholds);
            }
        }
        out.append(lines.constData() + pos, end - pos + 1);
        pos = end + 1;
    }
    if (m_file.write(out) != out.size())
        m_failed = true;
}

bool ResultsJsonlWriter::close(QString *why)
{
    if (!m_file.isOpen())
        return true;
    m_file.flush();
    const bool ok = !m_failed && m_file.error() == QFileDevice::NoError;
    if (!ok && why)
        *why = m_file.fileName() + QStringLiteral(": write failed: ") + m_file.errorString();
    m_file.close();
    return ok;
}

} // namespace loadbench
