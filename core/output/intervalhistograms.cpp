// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/intervalhistograms.h"

#include "metrics/histogramcodec.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include <filesystem>
#include <system_error>

namespace loadbench {

namespace intervalfile {

namespace {

QByteArray magicBytes()
{
    QByteArray m(magic);
    m.append(char(version));
    m.append(char(0));
    return m;
}

void appendU32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

} // namespace

QString fileName()
{
    return QStringLiteral("intervals.lbh");
}

QJsonObject header(const QString &scenario, const QDateTime &startUtc, qint64 intervalNs)
{
    QJsonArray trends;
    for (int i = 0; i < trendMetricCount; ++i)
        trends.append(trendMetricName(TrendMetric(i)));
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("loadbench interval histograms")},
        {QStringLiteral("version"), int(version)},
        {QStringLiteral("scenario"), scenario},
        {QStringLiteral("startTime"), startUtc.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("intervalNs"), double(intervalNs)},
        {QStringLiteral("trends"), trends},
        {QStringLiteral("histogram"),
         QJsonObject{{QStringLiteral("lowestNs"), 1},
                     {QStringLiteral("highestNs"), double(Histogram::highestTrackableNs)},
                     {QStringLiteral("significantDigits"), 3},
                     {QStringLiteral("subBuckets"), 2048}}},
    };
}

Record makeRecord(qint64 startNs, qint64 endNs, int vus, const MetricSet &m)
{
    QByteArray payload;
    for (quint64 counter : {m.httpReqs, m.httpReqFailed, m.iterations, m.interruptedIterations,
                            m.droppedIterations, m.dataSent, m.dataReceived})
        varint::append(payload, counter);
    varint::append(payload, quint64(m.checks.size()));
    for (const CheckCounts &c : m.checks) {
        varint::appendString(payload, c.name);
        varint::append(payload, c.passes);
        varint::append(payload, c.fails);
    }
    varint::append(payload, quint64(m.errors.size()));
    for (auto it = m.errors.begin(); it != m.errors.end(); ++it) {
        varint::appendString(payload, it.key());
        varint::append(payload, it.value());
    }
    int trends = 0;
    for (int i = 0; i < trendMetricCount; ++i)
        trends += m.trend(TrendMetric(i)).count() ? 1 : 0;
    varint::append(payload, quint64(trends));
    for (int i = 0; i < trendMetricCount; ++i) {
        const Histogram &h = m.trend(TrendMetric(i));
        if (!h.count())
            continue;
        varint::append(payload, quint64(i));
        HistogramCodec::encode(h, payload);
    }
    // Version 2: the sub-metrics' sinks, by name, so that a reader needs no list of them.
    const SubmetricSpecList &specs = m.submetricSpecs();
    varint::append(payload, quint64(specs.size()));
    for (qsizetype i = 0; i < specs.size(); ++i) {
        const SubmetricSink &sink = m.submetricSinks()[size_t(i)];
        varint::appendString(payload, specs[i].name());
        if (specs[i].type() == MetricType::Trend) {
            varint::append(payload, quint64(SubmetricKind::Trend));
            if (sink.trend)
                HistogramCodec::encode(*sink.trend, payload);
            else
                varint::append(payload, 0); // an empty histogram
        } else if (specs[i].type() == MetricType::Rate) {
            varint::append(payload, quint64(SubmetricKind::Rate));
            varint::append(payload, sink.passes);
            varint::append(payload, sink.fails);
        } else {
            varint::append(payload, quint64(SubmetricKind::Counter));
            varint::append(payload, sink.count);
        }
    }
    Record r;
    r.startNs = startNs;
    r.endNs = endNs;
    r.vus = vus;
    r.compressed = qCompress(payload, 9);
    return r;
}

QByteArray frame(const Record &r)
{
    QByteArray body;
    varint::append(body, quint64(std::max<qint64>(0, r.startNs)));
    varint::append(body, quint64(std::max<qint64>(0, r.endNs)));
    varint::append(body, quint64(std::max(-1, r.vus) + 1));
    body.append(r.compressed);
    QByteArray out;
    appendU32(out, quint32(body.size()));
    out.append(body);
    return out;
}

bool decodeRecordInto(const Record &record, const QList<int> &trendIds, MetricSet &into, Histogram &scratch,
                      QString *why)
{
    const QByteArray payload = qUncompress(record.compressed);
    auto fail = [&](const QString &what) {
        if (why)
            *why = QStringLiteral("interval [%1 s, %2 s): %3")
                       .arg(double(record.startNs) / 1e9, 0, 'f', 3)
                       .arg(double(record.endNs) / 1e9, 0, 'f', 3)
                       .arg(what);
        return false;
    };
    if (payload.isEmpty())
        return fail(QStringLiteral("the compressed payload is damaged"));
    qsizetype pos = 0;
    MetricSet counters; // counters first, so a damaged record adds nothing
    quint64 *fields[] = {&counters.httpReqs, &counters.httpReqFailed, &counters.iterations,
                         &counters.interruptedIterations, &counters.droppedIterations, &counters.dataSent,
                         &counters.dataReceived};
    for (quint64 *field : fields) {
        if (!varint::read(payload, pos, field))
            return fail(QStringLiteral("counters cut short"));
    }
    quint64 n = 0;
    if (!varint::read(payload, pos, &n) || n > quint64(payload.size()))
        return fail(QStringLiteral("checks cut short"));
    for (quint64 i = 0; i < n; ++i) {
        CheckCounts c;
        if (!varint::readString(payload, pos, &c.name) || !varint::read(payload, pos, &c.passes)
            || !varint::read(payload, pos, &c.fails))
            return fail(QStringLiteral("checks cut short"));
        counters.checks.append(c);
    }
    if (!varint::read(payload, pos, &n) || n > quint64(payload.size()))
        return fail(QStringLiteral("errors cut short"));
    for (quint64 i = 0; i < n; ++i) {
        QString kind;
        quint64 count = 0;
        if (!varint::readString(payload, pos, &kind) || !varint::read(payload, pos, &count))
            return fail(QStringLiteral("errors cut short"));
        counters.errors[kind] += count;
    }
    if (!varint::read(payload, pos, &n) || n > quint64(payload.size()))
        return fail(QStringLiteral("trends cut short"));
    // Histograms are decoded before anything is added, so a damaged one adds nothing.
    std::vector<std::pair<int, qsizetype>> trends; // (our trend, byte offset)
    for (quint64 i = 0; i < n; ++i) {
        quint64 id = 0;
        if (!varint::read(payload, pos, &id))
            return fail(QStringLiteral("trends cut short"));
        const qsizetype at = pos;
        QString reason;
        if (!HistogramCodec::decode(payload, pos, scratch, &reason))
            return fail(reason);
        const int ours = id < quint64(trendIds.size()) ? trendIds[qsizetype(id)] : -1;
        if (ours >= 0)
            trends.emplace_back(ours, at);
    }
    // Version 2 appends the sub-metrics' sinks; a version 1 payload ends after the trends.
    struct Sub {
        MetricName name;
        SubmetricKind kind;
        quint64 a = 0; // counter: count; rate: passes
        quint64 b = 0; // rate: fails
        qsizetype at = 0; // trend: the histogram's byte offset
    };
    std::vector<Sub> subs;
    if (pos < payload.size()) {
        if (!varint::read(payload, pos, &n) || n > quint64(payload.size()))
            return fail(QStringLiteral("sub-metrics cut short"));
        for (quint64 i = 0; i < n; ++i) {
            QString name;
            quint64 kind = 0;
            Sub sub;
            if (!varint::readString(payload, pos, &name) || !varint::read(payload, pos, &kind))
                return fail(QStringLiteral("sub-metrics cut short"));
            if (kind > quint64(SubmetricKind::Rate))
                return fail(QStringLiteral("sub-metric %1 of unknown kind %2").arg(name).arg(kind));
            sub.kind = SubmetricKind(kind);
            switch (sub.kind) {
            case SubmetricKind::Trend: {
                sub.at = pos;
                QString reason;
                if (!HistogramCodec::decode(payload, pos, scratch, &reason))
                    return fail(name + QStringLiteral(": ") + reason);
                break;
            }
            case SubmetricKind::Counter:
                if (!varint::read(payload, pos, &sub.a))
                    return fail(QStringLiteral("sub-metrics cut short"));
                break;
            case SubmetricKind::Rate:
                if (!varint::read(payload, pos, &sub.a) || !varint::read(payload, pos, &sub.b))
                    return fail(QStringLiteral("sub-metrics cut short"));
                break;
            }
            // A sub-metric this Loadbench does not know (a newer file) is skipped, like a trend.
            std::optional<MetricName> parsed = MetricName::parse(name);
            const SubmetricKind expected = !parsed ? sub.kind
                : parsed->type == MetricType::Trend ? SubmetricKind::Trend
                : parsed->type == MetricType::Rate  ? SubmetricKind::Rate
                                                    : SubmetricKind::Counter;
            if (parsed && parsed->isSubmetric() && expected == sub.kind) {
                sub.name = std::move(*parsed);
                subs.push_back(std::move(sub));
            }
        }
    }
    for (const auto &[trend, at] : trends) {
        qsizetype p = at;
        HistogramCodec::decode(payload, p, scratch);
        into.trend(TrendMetric(trend)).add(scratch);
    }
    into.add(counters);
    // Into the sinks `into` has (a summary starts with its scenario's sub-metrics); the others
    // join its list through a set of their own.
    auto fill = [&](SubmetricSink &sink, const Sub &sub) {
        if (sub.kind == SubmetricKind::Trend) {
            qsizetype p = sub.at;
            HistogramCodec::decode(payload, p, scratch);
            if (!sink.trend)
                sink.trend.emplace();
            sink.trend->add(scratch);
        } else if (sub.kind == SubmetricKind::Rate) {
            sink.passes += sub.a;
            sink.fails += sub.b;
        } else {
            sink.count += sub.a;
        }
    };
    auto missing = std::make_shared<SubmetricSpecList>();
    std::vector<const Sub *> missingSubs;
    for (const Sub &sub : subs) {
        if (SubmetricSink *sink = into.submetric(sub.name))
            fill(*sink, sub);
        else if (!missing->contains(SubmetricSpec(sub.name))) {
            missing->append(SubmetricSpec(sub.name));
            missingSubs.push_back(&sub);
        }
    }
    if (!missing->isEmpty()) {
        MetricSet extra(missing);
        for (size_t i = 0; i < missingSubs.size(); ++i)
            fill(extra.submetricSinks()[i], *missingSubs[i]);
        into.add(extra);
    }
    return true;
}

std::optional<Contents> read(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    const QByteArray m = magicBytes();
    if (!bytes.startsWith(QByteArray(magic))) {
        *why = path + QStringLiteral(": not a Loadbench interval file (no LBHIST header)");
        return std::nullopt;
    }
    if (bytes.size() < m.size() + 4) {
        *why = path + QStringLiteral(": cut short in its header");
        return std::nullopt;
    }
    // Version 1 records end after the trends (no sub-metrics); decodeRecordInto reads both.
    if (quint8(bytes[6]) < 1 || quint8(bytes[6]) > version) {
        *why = path + QStringLiteral(": format version %1; this Loadbench reads versions 1 to %2")
                          .arg(quint8(bytes[6]))
                          .arg(version);
        return std::nullopt;
    }
    qsizetype pos = m.size();
    const auto headerSize = qFromLittleEndian<quint32>(bytes.constData() + pos);
    pos += 4;
    if (headerSize > quint64(bytes.size() - pos)) {
        *why = path + QStringLiteral(": cut short in its header");
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.mid(pos, headerSize), &error);
    if (!doc.isObject()) {
        *why = path + QStringLiteral(": damaged header: ") + error.errorString();
        return std::nullopt;
    }
    pos += headerSize;
    Contents contents;
    contents.version = quint8(bytes[6]);
    contents.header = doc.object();
    for (const QJsonValue &name : contents.header.value(QLatin1String("trends")).toArray()) {
        int ours = -1;
        for (int i = 0; i < trendMetricCount; ++i) {
            if (trendMetricName(TrendMetric(i)) == name.toString())
                ours = i;
        }
        contents.trendIds.append(ours);
    }
    while (pos < bytes.size()) {
        const qsizetype recordAt = pos;
        auto cut = [&] {
            contents.truncated = true;
            contents.note = QStringLiteral("%1: cut at byte %2 (a run that did not end cleanly?): "
                                           "kept the %3 complete intervals before it")
                                .arg(path)
                                .arg(recordAt)
                                .arg(contents.records.size());
        };
        if (bytes.size() - pos < 4) {
            cut();
            break;
        }
        const auto size = qFromLittleEndian<quint32>(bytes.constData() + pos);
        pos += 4;
        if (size > quint64(bytes.size() - pos)) {
            cut();
            break;
        }
        const QByteArray body = bytes.mid(pos, size);
        pos += size;
        qsizetype p = 0;
        quint64 start = 0, end = 0, vus = 0;
        if (!varint::read(body, p, &start) || !varint::read(body, p, &end) || !varint::read(body, p, &vus)
            || end < start) {
            *why = QStringLiteral("%1: damaged record at byte %2").arg(path).arg(recordAt);
            return std::nullopt;
        }
        Record r;
        r.startNs = qint64(start);
        r.endNs = qint64(end);
        r.vus = int(vus) - 1;
        r.compressed = body.mid(p);
        contents.records.append(r);
    }
    return contents;
}

} // namespace intervalfile

bool IntervalHistogramWriter::open(const QString &path, const QString &scenario, const QDateTime &startUtc,
                                   qint64 intervalNs, QString *why)
{
    m_path = path;
    m_error.clear();
    m_bytes = 0;
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder)) {
        *why = folder + QStringLiteral(": cannot create the folder");
        return false;
    }
    m_file.setFileName(path + QStringLiteral(".part"));
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *why = m_file.fileName() + QStringLiteral(": cannot write: ") + m_file.errorString();
        return false;
    }
    QByteArray start = intervalfile::magicBytes();
    const QByteArray json = QJsonDocument(intervalfile::header(scenario, startUtc, intervalNs)).toJson(QJsonDocument::Compact);
    intervalfile::appendU32(start, quint32(json.size()));
    start.append(json);
    if (m_file.write(start) != start.size() || !m_file.flush()) {
        *why = m_file.fileName() + QStringLiteral(": cannot write: ") + m_file.errorString();
        m_file.close();
        return false;
    }
    m_bytes = start.size();
    return true;
}

void IntervalHistogramWriter::append(qint64 startNs, qint64 endNs, int vus, const MetricSet &metrics)
{
    if (!m_file.isOpen() || !m_error.isEmpty())
        return;
    const QByteArray bytes = intervalfile::frame(intervalfile::makeRecord(startNs, endNs, vus, metrics));
    // Flushed at once: after a crash the file holds every interval collected before it.
    if (m_file.write(bytes) != bytes.size() || !m_file.flush())
        m_error = m_file.fileName() + QStringLiteral(": cannot write: ") + m_file.errorString();
    m_bytes += bytes.size();
}

bool IntervalHistogramWriter::close(QString *why)
{
    if (!m_file.isOpen())
        return m_error.isEmpty();
    m_file.close();
    if (!m_error.isEmpty()) {
        if (why)
            *why = m_error;
        return false;
    }
    // rename(2) replaces an existing file in one step; QFile::rename would refuse it.
    std::error_code error;
    std::filesystem::rename(QFile::encodeName(m_file.fileName()).toStdString(),
                            QFile::encodeName(m_path).toStdString(), error);
    if (error) {
        if (why)
            *why = m_path + QStringLiteral(": cannot move into place: ") + QString::fromStdString(error.message());
        return false;
    }
    return true;
}

} // namespace loadbench
