// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/metricset.h"

#include "scenario/scenario.h"

#include <QMutex>

#include <deque>

namespace loadbench {

namespace {

const std::shared_ptr<const SubmetricSpecList> &noSubmetrics()
{
    static const auto none = std::make_shared<const SubmetricSpecList>();
    return none;
}

// LOADBENCH_DEBUG_KEEP_RAW_SAMPLES=1 keeps every request's trend values for the life of the
// process, as k6's TrendSink does (8 values, 64 bytes a request). Nothing reads them: the mode
// exists for the memory benchmark's negative control (tests/bench/memory_growth.sh, CASES.md
// BC-18), which must see this per-sample storage grow to prove it can detect growth at all.
void keepRawSampleForDebug(const RequestSample &s)
{
    static const bool keep = qEnvironmentVariableIntValue("LOADBENCH_DEBUG_KEEP_RAW_SAMPLES") != 0;
    if (!keep)
        return;
    static QMutex mutex;
    static std::deque<qint64> raw; // grows in small blocks: the RSS climbs linearly, not in doublings
    const QMutexLocker lock(&mutex);
    for (const qint64 v : {s.durationNs, s.blockedNs, s.connectingNs, s.tlsHandshakingNs, s.sendingNs, s.waitingNs,
                           s.receivingNs, s.scheduleLagNs})
        raw.push_back(v);
}

} // namespace

QString trendMetricName(TrendMetric metric)
{
    switch (metric) {
    case TrendMetric::HttpReqDuration: return QStringLiteral("http_req_duration");
    case TrendMetric::HttpReqDurationExpected:
        return QStringLiteral("http_req_duration{expected_response:true}");
    case TrendMetric::HttpReqBlocked: return QStringLiteral("http_req_blocked");
    case TrendMetric::HttpReqConnecting: return QStringLiteral("http_req_connecting");
    case TrendMetric::HttpReqTlsHandshaking: return QStringLiteral("http_req_tls_handshaking");
    case TrendMetric::HttpReqSending: return QStringLiteral("http_req_sending");
    case TrendMetric::HttpReqWaiting: return QStringLiteral("http_req_waiting");
    case TrendMetric::HttpReqReceiving: return QStringLiteral("http_req_receiving");
    case TrendMetric::IterationDuration: return QStringLiteral("iteration_duration");
    case TrendMetric::HttpReqScheduledDuration: return QStringLiteral("http_req_scheduled_duration");
    }
    return {};
}

bool isOptionalTrend(TrendMetric metric)
{
    return metric == TrendMetric::HttpReqDurationExpected || metric == TrendMetric::HttpReqScheduledDuration;
}

MetricSet::MetricSet()
    : m_specs(noSubmetrics())
{
}

MetricSet::MetricSet(std::shared_ptr<const SubmetricSpecList> specs, QString defaultScenario)
    : m_specs(specs ? std::move(specs) : noSubmetrics())
    , m_defaultScenario(std::move(defaultScenario))
{
    m_sinks.reserve(size_t(m_specs->size()));
    for (const SubmetricSpec &spec : *m_specs)
        m_sinks.push_back(SubmetricSink::forType(spec.type()));
}

MetricSet MetricSet::forScenario(const Scenario &scenario)
{
    // With one scenario, samples that do not name theirs belong to it.
    const QString only = scenario.scenarios.size() == 1 ? scenario.scenarios.first().name : QString();
    return MetricSet(SubmetricSpec::fromThresholds(scenario.thresholds), only);
}

const SubmetricSink *MetricSet::submetric(const MetricName &metric) const
{
    for (qsizetype i = 0; i < m_specs->size(); ++i) {
        if ((*m_specs)[i].metric().sameMetric(metric))
            return &m_sinks[size_t(i)];
    }
    return nullptr;
}

void MetricSet::recordRequest(const RequestSample &sample)
{
    keepRawSampleForDebug(sample);
    trend(TrendMetric::HttpReqDuration).record(sample.durationNs);
    if (sample.expected)
        trend(TrendMetric::HttpReqDurationExpected).record(sample.durationNs);
    trend(TrendMetric::HttpReqBlocked).record(sample.blockedNs);
    trend(TrendMetric::HttpReqConnecting).record(sample.connectingNs);
    trend(TrendMetric::HttpReqTlsHandshaking).record(sample.tlsHandshakingNs);
    trend(TrendMetric::HttpReqSending).record(sample.sendingNs);
    trend(TrendMetric::HttpReqWaiting).record(sample.waitingNs);
    trend(TrendMetric::HttpReqReceiving).record(sample.receivingNs);
    if (sample.scheduleLagNs >= 0)
        trend(TrendMetric::HttpReqScheduledDuration).record(sample.durationNs + sample.scheduleLagNs);
    ++httpReqs;
    httpReqRetries += quint64(sample.retries);
    if (!sample.expected) {
        ++httpReqFailed;
        // An HTTP error has k6's code (1000 + status) but no error text.
        const QString kind = !sample.error.isEmpty()
                                 ? QStringLiteral("%1 %2").arg(sample.errorCode).arg(sample.error)
                                 : QStringLiteral("status %1").arg(sample.status);
        ++errors[kind];
    }
    dataSent += sample.bytesSent;
    dataReceived += sample.bytesReceived;

    if (m_sinks.empty())
        return;
    const SampleTags tags{&sample, &scenarioOr(sample.scenario), nullptr, &sample.tags};
    for (size_t i = 0; i < m_sinks.size(); ++i) {
        const SubmetricSpec &spec = (*m_specs)[qsizetype(i)];
        SubmetricSink &sink = m_sinks[i];
        switch (spec.source()) {
        case SubmetricSpec::Source::RequestTrend: {
            if (!spec.matches(tags))
                break;
            qint64 value = 0;
            switch (TrendMetric(spec.requestTrend())) {
            case TrendMetric::HttpReqDuration:
            case TrendMetric::HttpReqDurationExpected: value = sample.durationNs; break;
            case TrendMetric::HttpReqBlocked: value = sample.blockedNs; break;
            case TrendMetric::HttpReqConnecting: value = sample.connectingNs; break;
            case TrendMetric::HttpReqTlsHandshaking: value = sample.tlsHandshakingNs; break;
            case TrendMetric::HttpReqSending: value = sample.sendingNs; break;
            case TrendMetric::HttpReqWaiting: value = sample.waitingNs; break;
            case TrendMetric::HttpReqReceiving: value = sample.receivingNs; break;
            case TrendMetric::IterationDuration: continue; // recorded by recordIteration
            case TrendMetric::HttpReqScheduledDuration:
                if (sample.scheduleLagNs < 0)
                    continue;
                value = sample.durationNs + sample.scheduleLagNs;
                break;
            }
            sink.trend->record(value);
            break;
        }
        case SubmetricSpec::Source::HttpReqs:
            if (spec.matches(tags))
                ++sink.count;
            break;
        case SubmetricSpec::Source::HttpReqFailed:
            if (spec.matches(tags))
                ++(sample.expected ? sink.fails : sink.passes);
            break;
        case SubmetricSpec::Source::DataSent:
        case SubmetricSpec::Source::DataReceived: {
            // k6 tags data_* with the iteration's tags only, not the request's.
            const SampleTags dataTags{nullptr, tags.scenario, nullptr, &sample.tags};
            if (spec.matches(dataTags))
                sink.count += spec.source() == SubmetricSpec::Source::DataSent ? sample.bytesSent : sample.bytesReceived;
            break;
        }
        default:
            break;
        }
    }
}

void MetricSet::recordIteration(qint64 durationNs, const QString &scenario, const QMap<QString, QString> &tags)
{
    trend(TrendMetric::IterationDuration).record(durationNs);
    ++iterations;
    if (m_sinks.empty())
        return;
    const SampleTags sampleTags{nullptr, &scenarioOr(scenario), nullptr, &tags};
    for (size_t i = 0; i < m_sinks.size(); ++i) {
        const SubmetricSpec &spec = (*m_specs)[qsizetype(i)];
        if (spec.source() == SubmetricSpec::Source::IterationDuration && spec.matches(sampleTags))
            m_sinks[i].trend->record(durationNs);
        else if (spec.source() == SubmetricSpec::Source::Iterations && spec.matches(sampleTags))
            ++m_sinks[i].count;
    }
}

void MetricSet::recordDropped(const QString &scenario, quint64 count)
{
    droppedIterations += count;
    if (m_sinks.empty())
        return;
    const SampleTags sampleTags{nullptr, &scenarioOr(scenario), nullptr, nullptr};
    for (size_t i = 0; i < m_sinks.size(); ++i) {
        const SubmetricSpec &spec = (*m_specs)[qsizetype(i)];
        if (spec.source() == SubmetricSpec::Source::DroppedIterations && spec.matches(sampleTags))
            m_sinks[i].count += count;
    }
}

void MetricSet::recordCheck(const QString &name, bool passed, const QString &scenario,
                            const QMap<QString, QString> &tags)
{
    auto known = std::find_if(checks.begin(), checks.end(), [&](const CheckCounts &c) { return c.name == name; });
    if (known != checks.end())
        ++(passed ? known->passes : known->fails);
    else
        checks.append(CheckCounts{name, passed ? 1u : 0u, passed ? 0u : 1u});
    if (m_sinks.empty())
        return;
    const SampleTags sampleTags{nullptr, &scenarioOr(scenario), &name, &tags};
    for (size_t i = 0; i < m_sinks.size(); ++i) {
        const SubmetricSpec &spec = (*m_specs)[qsizetype(i)];
        if (spec.source() == SubmetricSpec::Source::Checks && spec.matches(sampleTags))
            ++(passed ? m_sinks[i].passes : m_sinks[i].fails);
    }
}

void MetricSet::add(const MetricSet &other)
{
    for (int i = 0; i < trendMetricCount; ++i)
        m_trends[size_t(i)].add(other.m_trends[size_t(i)]);
    httpReqs += other.httpReqs;
    httpReqRetries += other.httpReqRetries;
    httpReqFailed += other.httpReqFailed;
    iterations += other.iterations;
    interruptedIterations += other.interruptedIterations;
    droppedIterations += other.droppedIterations;
    dataSent += other.dataSent;
    dataReceived += other.dataReceived;
    for (const CheckCounts &c : other.checks) {
        auto it = std::find_if(checks.begin(), checks.end(),
                               [&](const CheckCounts &mine) { return mine.name == c.name; });
        if (it == checks.end()) {
            checks.append(c);
        } else {
            it->passes += c.passes;
            it->fails += c.fails;
        }
    }
    for (auto it = other.errors.begin(); it != other.errors.end(); ++it)
        errors[it.key()] += it.value();

    if (m_defaultScenario.isEmpty())
        m_defaultScenario = other.m_defaultScenario;
    if (other.m_specs->isEmpty())
        return;
    // The runner's interval and cumulative sets start without sub-metrics and take over the
    // workers' list; every worker of a run has the same list, so this is the common case.
    if (m_specs->isEmpty()) {
        m_specs = other.m_specs;
        for (const SubmetricSpec &spec : *m_specs)
            m_sinks.push_back(SubmetricSink::forType(spec.type()));
    }
    if (m_specs == other.m_specs || *m_specs == *other.m_specs) {
        for (size_t i = 0; i < m_sinks.size(); ++i)
            m_sinks[i].add(other.m_sinks[i]);
        return;
    }
    // Different lists (sets from two runs): match by what they select, add what is missing.
    auto merged = std::make_shared<SubmetricSpecList>(*m_specs);
    for (qsizetype j = 0; j < other.m_specs->size(); ++j) {
        const SubmetricSpec &spec = (*other.m_specs)[j];
        const qsizetype i = merged->indexOf(spec);
        if (i >= 0) {
            m_sinks[size_t(i)].add(other.m_sinks[size_t(j)]);
        } else {
            merged->append(spec);
            m_sinks.push_back(other.m_sinks[size_t(j)]);
        }
    }
    m_specs = std::move(merged);
}

void MetricSet::reset()
{
    for (Histogram &h : m_trends)
        h.reset();
    httpReqs = httpReqFailed = iterations = interruptedIterations = droppedIterations = 0;
    dataSent = dataReceived = httpReqRetries = 0;
    checks.clear();
    errors.clear();
    for (SubmetricSink &sink : m_sinks)
        sink.reset();
}

} // namespace loadbench
