// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/runrecording.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <limits>

namespace loadbench {

namespace {

QJsonObject readJsonObject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QList<int> identityTrendIds()
{
    QList<int> ids;
    for (int i = 0; i < trendMetricCount; ++i)
        ids.append(i);
    return ids;
}

} // namespace

std::optional<RunRecording> RunRecording::load(const QString &path, QString *why)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        *why = path + QStringLiteral(": no such file or folder");
        return std::nullopt;
    }
    QString file = path;
    QDir folder = info.dir();
    if (info.isDir()) {
        folder = QDir(path);
        file = folder.filePath(intervalfile::fileName());
        if (!QFileInfo::exists(file) && QFileInfo::exists(file + QStringLiteral(".part")))
            file += QStringLiteral(".part");
        if (!QFileInfo::exists(file)) {
            *why = path + QStringLiteral(": not a run folder with interval histograms (no %1)")
                              .arg(intervalfile::fileName());
            return std::nullopt;
        }
    }
    std::optional<intervalfile::Contents> contents = intervalfile::read(file, why);
    if (!contents)
        return std::nullopt;

    RunRecording r;
    r.m_records = std::move(contents->records);
    r.m_trendIds = contents->trendIds;
    r.m_truncated = contents->truncated;
    r.m_note = contents->note;
    r.m_startTime = QDateTime::fromString(contents->header.value(QLatin1String("startTime")).toString(), Qt::ISODateWithMs);
    r.m_startTime.setTimeSpec(Qt::UTC);
    r.m_scenario.name = contents->header.value(QLatin1String("scenario")).toString(r.m_scenario.name);
    if (r.m_scenario.scenarios.isEmpty())
        r.m_scenario.scenarios.append(ScenarioConfig{});

    // A damaged record is an error, not a silent gap in the numbers.
    MetricSet scratch;
    Histogram histogram;
    for (const intervalfile::Record &record : std::as_const(r.m_records)) {
        scratch.reset();
        QString reason;
        if (!intervalfile::decodeRecordInto(record, r.m_trendIds, scratch, histogram, &reason)) {
            *why = file + QStringLiteral(": ") + reason;
            return std::nullopt;
        }
    }

    // The context the intervals lack: thresholds and trend stats (scenario.json), the engine,
    // how the run ended and vus_max (summary.json). Both are optional: a crashed run has neither.
    const QString scenarioPath = folder.filePath(QStringLiteral("scenario.json"));
    if (QFileInfo::exists(scenarioPath)) {
        QString reason;
        if (std::optional<Scenario> s = Scenario::fromFile(scenarioPath, &reason))
            r.m_scenario = *s;
        else {
            *why = reason;
            return std::nullopt;
        }
    }
    r.m_vusMaxConfigured = r.m_scenario.maxVus();
    const QJsonObject summary = readJsonObject(folder.filePath(QStringLiteral("summary.json")));
    if (!summary.isEmpty()) {
        const QJsonObject about = summary.value(QLatin1String("loadbench")).toObject();
        // Which engine ran each scenario, so the report says it however "auto" resolves today;
        // a run from before per-scenario engines named one engine for all.
        const QString engine = about.value(QLatin1String("engine")).toString();
        const QJsonObject engines = about.value(QLatin1String("engines")).toObject();
        for (ScenarioConfig &config : r.m_scenario.scenarios) {
            if (auto kind = engineFromName(engines.value(config.name).toString(engine)); kind && *kind != EngineKind::Auto)
                config.engine = *kind;
        }
        Summary probe;
        probe.engine = engine;
        if (probe.hasForeignEngine())
            r.m_engine = engine;
        r.m_workerThreads = about.value(QLatin1String("workerThreads")).toInt();
        r.m_interrupted = about.value(QLatin1String("interrupted")).toBool();
        r.m_abortedByThreshold = about.value(QLatin1String("abortedByThreshold")).toBool();
        const QJsonValue vusMax = summary.value(QLatin1String("metrics")).toObject().value(QLatin1String("vus_max")).toObject().value(QLatin1String("value"));
        if (vusMax.isDouble())
            r.m_vusMaxConfigured = vusMax.toInt();
    }
    return r;
}

RunRecording RunRecording::fromRecords(const Scenario &scenario, const QDateTime &startUtc,
                                       QList<intervalfile::Record> records, int vusMaxConfigured,
                                       const QString &source)
{
    RunRecording r;
    r.m_engine = source;
    r.m_scenario = scenario;
    if (r.m_scenario.scenarios.isEmpty())
        r.m_scenario.scenarios.append(ScenarioConfig{});
    r.m_startTime = startUtc;
    r.m_records = std::move(records);
    r.m_trendIds = identityTrendIds();
    r.m_vusMaxConfigured = vusMaxConfigured;
    return r;
}

Nanoseconds RunRecording::duration() const
{
    return Nanoseconds(m_records.isEmpty() ? 0 : m_records.last().endNs);
}

bool RunRecording::inWindow(const intervalfile::Record &r, Nanoseconds from, Nanoseconds to) const
{
    // Twice the midpoint, so that odd nanosecond lengths need no rounding.
    const qint64 mid2 = r.startNs + r.endNs;
    return mid2 >= 2 * from.count() && mid2 < 2 * to.count();
}

QString RunRecording::windowError(Nanoseconds from, Nanoseconds to) const
{
    // A window open at the end (no --to) reaches "the end", not an internal far-away time.
    const bool toTheEnd = to >= Nanoseconds(std::numeric_limits<qint64>::max() / 2);
    const QString window = toTheEnd ? QStringLiteral("from %1 to the end").arg(formatDuration(from))
                                    : QStringLiteral("%1 to %2").arg(formatDuration(from), formatDuration(to));
    if (from.count() < 0 || to <= from)
        return QStringLiteral("the window %1 is empty: --to must come after --from").arg(window);
    for (const intervalfile::Record &r : m_records) {
        if (inWindow(r, from, to))
            return {};
    }
    return QStringLiteral("the window %1 holds no interval of the run, which lasted %2")
        .arg(window, formatDuration(duration()));
}

Summary RunRecording::summarize(Nanoseconds from, Nanoseconds to) const
{
    // The scenario's sub-metrics from the start, so one without samples in the window is still
    // there (as in the live run); the file's sinks land in them.
    auto metrics = std::make_shared<MetricSet>(MetricSet::forScenario(m_scenario));
    Histogram scratch;
    Summary s;
    s.scenario = m_scenario;
    s.engine = m_engine;
    s.workerThreads = m_workerThreads;
    s.vusMaxConfigured = m_vusMaxConfigured;
    qint64 lengthNs = 0;
    qint64 firstStart = -1;
    int included = 0;
    s.vusMin = -1;
    for (const intervalfile::Record &r : m_records) {
        if (!inWindow(r, from, to))
            continue;
        // load() decoded every record once already: this cannot fail.
        intervalfile::decodeRecordInto(r, m_trendIds, *metrics, scratch, nullptr);
        if (firstStart < 0)
            firstStart = r.startNs;
        lengthNs += r.endNs - r.startNs;
        ++included;
        if (r.vus >= 0) {
            s.vus = r.vus;
            s.vusMin = s.vusMin < 0 ? r.vus : std::min(s.vusMin, r.vus);
            s.vusMax = std::max(s.vusMax, r.vus);
        }
    }
    s.vusMin = std::max(0, s.vusMin);
    s.metrics = metrics;
    s.startTime = m_startTime.isValid() ? m_startTime.addMSecs(std::max<qint64>(0, firstStart) / 1'000'000) : m_startTime;
    s.durationSeconds = double(lengthNs) / 1e9;
    // How the run ended belongs to a window only when the window is the whole run.
    if (included == m_records.size()) {
        s.interrupted = m_interrupted;
        s.abortedByThreshold = m_abortedByThreshold;
    }
    s.thresholds = s.evaluateThresholds();
    return s;
}

Summary RunRecording::summarize() const
{
    return summarize(Nanoseconds(0), Nanoseconds(std::numeric_limits<qint64>::max() / 2));
}

QList<IntervalSnapshot> RunRecording::timeline(Nanoseconds from, Nanoseconds to) const
{
    QList<IntervalSnapshot> timeline;
    MetricSet interval;
    MetricSet cumulative;
    Histogram scratch;
    for (const intervalfile::Record &r : m_records) {
        if (!inWindow(r, from, to))
            continue;
        interval.reset();
        intervalfile::decodeRecordInto(r, m_trendIds, interval, scratch, nullptr);
        cumulative.add(interval);
        IntervalSnapshot s;
        s.elapsedSeconds = double(r.endNs) / 1e9;
        s.intervalSeconds = double(r.endNs - r.startNs) / 1e9;
        s.plannedSeconds = toSeconds(duration());
        s.vus = std::max(0, r.vus);
        s.vusMax = m_vusMaxConfigured;
        const Histogram &d = interval.trend(TrendMetric::HttpReqDuration);
        s.requests = interval.httpReqs;
        s.failed = interval.httpReqFailed;
        s.iterations = interval.iterations;
        s.bytesReceived = interval.dataReceived;
        s.requestsPerSecond = s.intervalSeconds > 0 ? double(s.requests) / s.intervalSeconds : 0;
        s.p50Ms = d.percentile(50) / 1e6;
        s.p90Ms = d.percentile(90) / 1e6;
        s.p95Ms = d.percentile(95) / 1e6;
        s.p99Ms = d.percentile(99) / 1e6;
        s.avgMs = d.mean() / 1e6;
        s.minMs = double(d.min()) / 1e6;
        s.maxMs = double(d.max()) / 1e6;
        const Histogram &all = cumulative.trend(TrendMetric::HttpReqDuration);
        s.totalRequests = cumulative.httpReqs;
        s.totalFailed = cumulative.httpReqFailed;
        s.totalIterations = cumulative.iterations;
        s.cumulativeP50Ms = all.percentile(50) / 1e6;
        s.cumulativeP95Ms = all.percentile(95) / 1e6;
        s.cumulativeP99Ms = all.percentile(99) / 1e6;
        timeline.append(s);
    }
    return timeline;
}

Summary mergeSummaries(const Summary &a, const Summary &b)
{
    auto metrics = std::make_shared<MetricSet>();
    metrics->add(*a.metrics);
    metrics->add(*b.metrics);
    Summary s = a;
    s.metrics = metrics;
    if (b.startTime.isValid() && (!a.startTime.isValid() || b.startTime < a.startTime))
        s.startTime = b.startTime;
    s.durationSeconds = a.durationSeconds + b.durationSeconds;
    const Summary &later = (a.startTime.isValid() && b.startTime.isValid() && b.startTime < a.startTime) ? a : b;
    s.vus = later.vus;
    s.vusMin = std::min(a.vusMin, b.vusMin);
    s.vusMax = std::max(a.vusMax, b.vusMax);
    s.vusMaxConfigured = std::max(a.vusMaxConfigured, b.vusMaxConfigured);
    s.interrupted = a.interrupted || b.interrupted;
    s.abortedByThreshold = a.abortedByThreshold || b.abortedByThreshold;
    s.thresholds = s.evaluateThresholds();
    return s;
}

} // namespace loadbench
