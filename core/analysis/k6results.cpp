// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/k6results.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <map>
#include <memory>

namespace loadbench {

std::optional<qint64> parseRfc3339Ns(QStringView text)
{
    // The seconds part is fixed width: "yyyy-MM-ddTHH:mm:ss".
    if (text.size() < 20 || text[10] != u'T')
        return std::nullopt;
    const QStringView base = text.left(19);
    qsizetype pos = 19;
    qint64 nanos = 0;
    if (pos < text.size() && text[pos] == u'.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos].isDigit()) {
            if (digits < 9) {
                nanos = nanos * 10 + text[pos].digitValue();
                ++digits;
            }
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        for (; digits < 9; ++digits)
            nanos *= 10;
    }
    const QStringView zone = text.mid(pos);
    if (zone != u"Z" && zone != u"z" && !(zone.size() == 6 && (zone[0] == u'+' || zone[0] == u'-') && zone[3] == u':'))
        return std::nullopt;
    QDateTime t = QDateTime::fromString(base.toString() + (zone == u"z" ? QStringLiteral("Z") : zone.toString()), Qt::ISODate);
    if (!t.isValid())
        return std::nullopt;
    return t.toSecsSinceEpoch() * 1'000'000'000 + nanos;
}

namespace {

struct Point {
    QString metric;
    qint64 timeNs = 0;
    double value = 0;
    QJsonObject tags;
};

// Reads the file line by line; `onMetric` for "Metric" lines, `onPoint` for "Point" lines.
// Anything else is an error naming the line.
// A last line without its newline that does not parse is a file cut short (k6 killed, a full
// disk): it is left out and said in *cut, and the complete lines before it still count.
template <typename OnMetric, typename OnPoint>
bool scan(const QString &path, QString *why, OnMetric onMetric, OnPoint onPoint, QString *cut = nullptr)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = path + QStringLiteral(": cannot read: ") + file.errorString();
        return false;
    }
    qint64 lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        const QByteArray line = raw.trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        auto fail = [&](const QString &what) {
            *why = QStringLiteral("%1:%2: %3").arg(path).arg(lineNumber).arg(what);
            return false;
        };
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject()) {
            if (file.atEnd() && !raw.endsWith('\n') && lineNumber > 1) {
                if (cut)
                    *cut = QStringLiteral("%1:%2: the last line is cut short (the run was killed or its disk was full): "
                                          "left out, the %3 lines before it are used")
                               .arg(path).arg(lineNumber).arg(lineNumber - 1);
                return true;
            }
            return fail(QStringLiteral("not a JSON object (%1); is this a k6 --out json file?").arg(error.errorString()));
        }
        const QJsonObject o = doc.object();
        const QString type = o.value(QLatin1String("type")).toString();
        const QJsonObject data = o.value(QLatin1String("data")).toObject();
        if (type == QLatin1String("Metric")) {
            const QString name = o.value(QLatin1String("metric")).toString(data.value(QLatin1String("name")).toString());
            if (name.isEmpty())
                return fail(QStringLiteral("a Metric line without a metric name"));
            QString reason;
            if (!onMetric(name, data, &reason))
                return fail(reason);
        } else if (type == QLatin1String("Point")) {
            Point p;
            p.metric = o.value(QLatin1String("metric")).toString();
            if (p.metric.isEmpty())
                return fail(QStringLiteral("a Point line without a metric name"));
            const QString time = data.value(QLatin1String("time")).toString();
            const std::optional<qint64> t = parseRfc3339Ns(time);
            if (!t)
                return fail(QStringLiteral("the time \"%1\" is not RFC 3339").arg(time));
            p.timeNs = *t;
            const QJsonValue value = data.value(QLatin1String("value"));
            if (!value.isDouble())
                return fail(QStringLiteral("the %1 point has no numeric value").arg(p.metric));
            p.value = value.toDouble();
            p.tags = data.value(QLatin1String("tags")).toObject();
            onPoint(p);
        } else {
            return fail(QStringLiteral("unknown line type \"%1\" (expected Metric or Point)").arg(type));
        }
    }
    return true;
}

std::optional<TrendMetric> trendByName(const QString &name)
{
    for (int i = 0; i < trendMetricCount; ++i) {
        if (trendMetricName(TrendMetric(i)) == name)
            return TrendMetric(i);
    }
    return std::nullopt;
}

bool isKnownNonTrend(const QString &name)
{
    static const QStringList names = {
        QStringLiteral("http_reqs"),  QStringLiteral("http_req_failed"), QStringLiteral("iterations"),
        QStringLiteral("data_sent"),  QStringLiteral("data_received"),   QStringLiteral("checks"),
        QStringLiteral("vus"),        QStringLiteral("vus_max"),         QStringLiteral("dropped_iterations"),
    };
    return names.contains(name);
}

// What the points say about a MetricSet. Returns false for a metric we do not record.
bool recordPoint(MetricSet &m, const Point &p)
{
    if (const std::optional<TrendMetric> trend = trendByName(p.metric)) {
        const auto ns = qint64(std::llround(p.value * 1e6));
        m.trend(*trend).record(ns);
        if (*trend == TrendMetric::HttpReqDuration
            && p.tags.value(QLatin1String("expected_response")).toString() == QLatin1String("true"))
            m.trend(TrendMetric::HttpReqDurationExpected).record(ns);
        return true;
    }
    const auto count = quint64(std::llround(std::max(0.0, p.value)));
    if (p.metric == QLatin1String("http_reqs")) {
        m.httpReqs += count;
    } else if (p.metric == QLatin1String("http_req_failed")) {
        if (p.value != 0) {
            ++m.httpReqFailed;
            const QString code = p.tags.value(QLatin1String("error_code")).toString();
            const QString error = p.tags.value(QLatin1String("error")).toString();
            // The kinds MetricSet::recordRequest names: "1212 dial: ..." or "status 503".
            const QString kind = !error.isEmpty() ? code + u' ' + error
                                                  : QStringLiteral("status %1").arg(p.tags.value(QLatin1String("status")).toString());
            ++m.errors[kind];
        }
    } else if (p.metric == QLatin1String("iterations")) {
        m.iterations += count;
    } else if (p.metric == QLatin1String("data_sent")) {
        m.dataSent += count;
    } else if (p.metric == QLatin1String("data_received")) {
        m.dataReceived += count;
    } else if (p.metric == QLatin1String("dropped_iterations")) {
        m.droppedIterations += count;
    } else if (p.metric == QLatin1String("checks")) {
        m.recordCheck(p.tags.value(QLatin1String("check")).toString(), p.value != 0);
    } else {
        return isKnownNonTrend(p.metric); // the gauges: the caller keeps them
    }
    return true;
}

// The points in 1 s intervals for the report's timeline. k6 flushes its samples in batches, so
// points come a little out of order: a second stays open until points 5 s later arrive, and a
// rare later straggler joins the oldest open second.
class IntervalBuilder
{
public:
    explicit IntervalBuilder(qint64 startNs) : m_startNs(startNs) {}

    MetricSet &at(qint64 timeNs)
    {
        qint64 second = std::max<qint64>(0, (timeNs - m_startNs) / 1'000'000'000);
        if (second < m_closedBefore)
            second = m_open.empty() ? m_closedBefore : m_open.begin()->first;
        auto it = m_open.find(second);
        if (it == m_open.end()) {
            it = m_open.emplace(second, Open{std::make_unique<MetricSet>(), -1}).first;
            closeBefore(second - 5);
        }
        return *it->second.metrics;
    }
    void setVus(qint64 timeNs, int vus)
    {
        at(timeNs);
        qint64 second = std::max<qint64>(0, (timeNs - m_startNs) / 1'000'000'000);
        if (auto it = m_open.find(second); it != m_open.end())
            it->second.vus = vus;
    }
    QList<intervalfile::Record> finish()
    {
        closeBefore(std::numeric_limits<qint64>::max());
        return std::move(m_records);
    }

private:
    struct Open {
        std::unique_ptr<MetricSet> metrics;
        int vus;
    };
    void closeBefore(qint64 second)
    {
        while (!m_open.empty() && m_open.begin()->first < second) {
            auto node = m_open.extract(m_open.begin());
            const qint64 s = node.key();
            // Seconds without points still get their (empty) interval: the timeline has no gaps.
            for (qint64 gap = m_closedBefore; gap < s; ++gap)
                m_records.append(intervalfile::makeRecord(gap * 1'000'000'000, (gap + 1) * 1'000'000'000, -1, MetricSet()));
            m_records.append(intervalfile::makeRecord(s * 1'000'000'000, (s + 1) * 1'000'000'000, node.mapped().vus,
                                                      *node.mapped().metrics));
            m_closedBefore = s + 1;
        }
    }

    qint64 m_startNs;
    qint64 m_closedBefore = 0;
    std::map<qint64, Open> m_open;
    QList<intervalfile::Record> m_records;
};

} // namespace

std::optional<K6Results> readK6Results(const QString &path, const K6ResultsOptions &options, QString *why)
{
    if (!QFileInfo::exists(path)) {
        *why = path + QStringLiteral(": no such file");
        return std::nullopt;
    }
    // Pass 1: the metrics' declarations (thresholds) and the run's start and end.
    Scenario scenario;
    scenario.name = QFileInfo(path).completeBaseName();
    scenario.scenarios.append(ScenarioConfig{});
    if (!options.summaryTrendStats.isEmpty())
        scenario.summaryTrendStats = options.summaryTrendStats;
    qint64 firstNs = std::numeric_limits<qint64>::max(), lastNs = std::numeric_limits<qint64>::min();
    qint64 estimatedStartNs = std::numeric_limits<qint64>::max();
    bool sawVus = false;
    QString scenarioTag;
    quint64 points = 0;
    QString cutNote;
    const bool scanned = scan(
        path, why,
        [&](const QString &name, const QJsonObject &data, QString *reason) {
            for (const QJsonValue &t : data.value(QLatin1String("thresholds")).toArray()) {
                QJsonValue expression = t;
                if (t.isObject()) // {"threshold": "...", "abortOnFail": ...}
                    expression = t.toObject().value(QLatin1String("threshold"));
                std::optional<Threshold> threshold = Threshold::parse(name, expression.toString(), reason);
                if (!threshold)
                    return false;
                bool known = false;
                for (const Threshold &mine : std::as_const(scenario.thresholds))
                    known = known || (mine.metric == threshold->metric && mine.expression == threshold->expression);
                if (!known)
                    scenario.thresholds.append(*threshold);
            }
            return true;
        },
        [&](const Point &p) {
            ++points;
            firstNs = std::min(firstNs, p.timeNs);
            lastNs = std::max(lastNs, p.timeNs);
            qint64 startCandidate = p.timeNs;
            if (p.metric == QLatin1String("iteration_duration"))
                startCandidate = p.timeNs - qint64(std::llround(p.value * 1e6));
            else if (p.metric == QLatin1String("vus") && !sawVus) {
                sawVus = true;
                startCandidate = p.timeNs - 1'000'000'000;
            }
            estimatedStartNs = std::min(estimatedStartNs, startCandidate);
            if (scenarioTag.isEmpty())
                scenarioTag = p.tags.value(QLatin1String("scenario")).toString();
        },
        &cutNote);
    if (!scanned)
        return std::nullopt;
    if (points == 0) {
        *why = path + QStringLiteral(": no Point lines: nothing to summarize");
        return std::nullopt;
    }
    if (!scenarioTag.isEmpty())
        scenario.main().name = scenarioTag;

    K6Results r;
    r.cutNote = cutNote;
    r.points = points;
    const qint64 startNs = estimatedStartNs;
    r.startTime = QDateTime::fromMSecsSinceEpoch(startNs / 1'000'000, Qt::UTC);
    r.duration = Nanoseconds(lastNs - startNs);
    const qint64 fromNs = options.from ? options.from->count() : 0;
    const qint64 toNs = options.to ? options.to->count() : std::numeric_limits<qint64>::max();
    if (options.from || options.to) {
        if (toNs <= fromNs) {
            *why = QStringLiteral("the window %1 to %2 is empty: --to must come after --from")
                       .arg(formatDuration(Nanoseconds(fromNs)), formatDuration(Nanoseconds(toNs)));
            return std::nullopt;
        }
        if (fromNs > r.duration.count()) {
            *why = QStringLiteral("%1: the window starts at %2, after the run's last point (%3)")
                       .arg(path, formatDuration(Nanoseconds(fromNs)), formatDuration(r.duration));
            return std::nullopt;
        }
    }

    // Pass 2: the points of the window into the summary's metrics, every point into the timeline.
    auto metrics = std::make_shared<MetricSet>();
    IntervalBuilder intervals(startNs);
    int vusLast = 0, vusMin = -1, vusMax = 0, vusMaxConfigured = 0;
    quint64 windowPoints = 0;
    QString reason;
    scan(
        path, &reason, [](const QString &, const QJsonObject &, QString *) { return true; },
        [&](const Point &p) {
            const qint64 sinceStart = p.timeNs - startNs;
            const bool inWindow = sinceStart >= fromNs && sinceStart < toNs;
            if (p.metric == QLatin1String("vus") || p.metric == QLatin1String("vus_max")) {
                const int value = int(std::llround(p.value));
                if (p.metric == QLatin1String("vus")) {
                    intervals.setVus(p.timeNs, value);
                    if (inWindow) {
                        vusLast = value;
                        vusMin = vusMin < 0 ? value : std::min(vusMin, value);
                        vusMax = std::max(vusMax, value);
                    }
                } else {
                    vusMaxConfigured = std::max(vusMaxConfigured, value);
                }
                windowPoints += inWindow ? 1 : 0;
                return;
            }
            if (!recordPoint(intervals.at(p.timeNs), p)) {
                ++r.skippedPoints;
                if (!r.skippedMetrics.contains(p.metric))
                    r.skippedMetrics.append(p.metric);
                return;
            }
            if (inWindow) {
                recordPoint(*metrics, p);
                ++windowPoints;
            }
        });
    if (!reason.isEmpty()) {
        *why = reason;
        return std::nullopt;
    }
    if ((options.from || options.to) && windowPoints == 0) {
        *why = QStringLiteral("%1: the window %2 to %3 holds no point of the run, which lasted %4")
                   .arg(path, formatDuration(Nanoseconds(fromNs)),
                        options.to ? formatDuration(Nanoseconds(toNs)) : QStringLiteral("the end"),
                        formatDuration(r.duration));
        return std::nullopt;
    }

    r.recording = RunRecording::fromRecords(scenario, r.startTime, intervals.finish(), vusMaxConfigured,
                                            QStringLiteral("k6 results"));
    Summary &s = r.summary;
    s.scenario = scenario;
    s.metrics = metrics;
    s.engine = QStringLiteral("k6 results");
    const qint64 windowStart = std::max<qint64>(0, fromNs);
    const qint64 windowEnd = std::min<qint64>(toNs, r.duration.count());
    s.startTime = QDateTime::fromMSecsSinceEpoch((startNs + windowStart) / 1'000'000, Qt::UTC);
    s.durationSeconds = double(std::max<qint64>(0, windowEnd - windowStart)) / 1e9;
    s.vus = vusLast;
    s.vusMin = std::max(0, vusMin);
    s.vusMax = vusMax;
    s.vusMaxConfigured = vusMaxConfigured;
    s.thresholds = s.evaluateThresholds();
    return r;
}

} // namespace loadbench
