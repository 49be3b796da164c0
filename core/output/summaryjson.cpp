// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/summaryjson.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace loadbench {

namespace {

QString md5Hex(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex());
}

void addThresholds(QJsonObject &metric, const QString &name, const Summary &summary)
{
    QJsonObject thresholds;
    for (const ThresholdState &state : summary.thresholds) {
        if (state.metric == name)
            thresholds[state.expression] = state.crossed;
    }
    if (!thresholds.isEmpty())
        metric[QLatin1String("thresholds")] = thresholds;
}

} // namespace

QJsonObject summaryToJson(const Summary &summary)
{
    const MetricSet &m = *summary.metrics;
    QJsonObject metrics;
    auto stat = [&](const QString &metric, const QString &key) {
        return summary.value(metric, key).value_or(0);
    };

    for (int i = 0; i < trendMetricCount; ++i) {
        const auto trend = TrendMetric(i);
        const QString name = trendMetricName(trend);
        bool hasThreshold = false;
        for (const ThresholdState &t : summary.thresholds)
            hasThreshold = hasThreshold || t.metric == name;
        // k6 lists the expected_response sub-metric only once it has samples; the scheduled-time
        // trend exists only in the open model.
        if (isOptionalTrend(trend) && m.trend(trend).count() == 0 && !hasThreshold)
            continue;
        QJsonObject o;
        for (const QString &key : summary.scenario.summaryTrendStats)
            o[key] = Summary::trendStat(m.trend(trend), key);
        addThresholds(o, name, summary);
        metrics[name] = o;
    }
    for (const char *counter : {"http_reqs", "iterations", "data_sent", "data_received"}) {
        const QString name = QString::fromLatin1(counter);
        QJsonObject o{{QStringLiteral("count"), stat(name, QStringLiteral("count"))},
                      {QStringLiteral("rate"), stat(name, QStringLiteral("rate"))}};
        addThresholds(o, name, summary);
        metrics[name] = o;
    }
    {
        QJsonObject o{{QStringLiteral("passes"), double(m.httpReqFailed)},
                      {QStringLiteral("fails"), double(m.httpReqs - m.httpReqFailed)},
                      {QStringLiteral("value"), stat(QStringLiteral("http_req_failed"), QStringLiteral("rate"))}};
        addThresholds(o, QStringLiteral("http_req_failed"), summary);
        metrics[QStringLiteral("http_req_failed")] = o;
    }
    if (!m.checks.isEmpty()) {
        QJsonObject o{{QStringLiteral("passes"), stat(QStringLiteral("checks"), QStringLiteral("passes"))},
                      {QStringLiteral("fails"), stat(QStringLiteral("checks"), QStringLiteral("fails"))},
                      {QStringLiteral("value"), stat(QStringLiteral("checks"), QStringLiteral("rate"))}};
        addThresholds(o, QStringLiteral("checks"), summary);
        metrics[QStringLiteral("checks")] = o;
    }
    for (const char *gauge : {"vus", "vus_max"}) {
        const QString name = QString::fromLatin1(gauge);
        QJsonObject o{{QStringLiteral("value"), stat(name, QStringLiteral("value"))},
                      {QStringLiteral("min"), stat(name, QStringLiteral("min"))},
                      {QStringLiteral("max"), stat(name, QStringLiteral("max"))}};
        addThresholds(o, name, summary);
        metrics[name] = o;
    }

    QJsonObject checks;
    for (const CheckCounts &c : m.checks) {
        const QString path = QStringLiteral("::") + c.name;
        checks[c.name] = QJsonObject{{QStringLiteral("name"), c.name},
                                     {QStringLiteral("path"), path},
                                     {QStringLiteral("id"), md5Hex(path)},
                                     {QStringLiteral("passes"), double(c.passes)},
                                     {QStringLiteral("fails"), double(c.fails)}};
    }
    const QJsonObject rootGroup{{QStringLiteral("name"), QString()},
                                {QStringLiteral("path"), QString()},
                                {QStringLiteral("id"), md5Hex(QString())},
                                {QStringLiteral("groups"), QJsonObject()},
                                {QStringLiteral("checks"), checks}};

    const QJsonObject about{
        {QStringLiteral("format"), QStringLiteral("k6 --summary-export; a threshold maps to true when it was crossed")},
        {QStringLiteral("version"), QStringLiteral(LOADBENCH_VERSION)},
        {QStringLiteral("scenario"), summary.scenario.name},
        {QStringLiteral("engine"), summary.engine},
        {QStringLiteral("startTime"), summary.startTime.toString(Qt::ISODateWithMs)},
        {QStringLiteral("durationSeconds"), summary.durationSeconds},
        {QStringLiteral("interrupted"), summary.interrupted},
        {QStringLiteral("abortedByThreshold"), summary.abortedByThreshold},
        {QStringLiteral("interruptedIterations"), double(m.interruptedIterations)},
        {QStringLiteral("thresholdsCrossed"), summary.thresholdsCrossed()},
    };
    return QJsonObject{{QStringLiteral("root_group"), rootGroup},
                       {QStringLiteral("metrics"), metrics},
                       {QStringLiteral("loadbench"), about}};
}

void writeSummaryJson(QIODevice &out, const Summary &summary)
{
    out.write(QJsonDocument(summaryToJson(summary)).toJson(QJsonDocument::Indented));
}

} // namespace loadbench
