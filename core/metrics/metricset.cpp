// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/metricset.h"

namespace loadbench {

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

void MetricSet::recordRequest(const RequestSample &sample)
{
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
}

void MetricSet::recordCheck(const QString &name, bool passed)
{
    for (CheckCounts &c : checks) {
        if (c.name == name) {
            ++(passed ? c.passes : c.fails);
            return;
        }
    }
    checks.append(CheckCounts{name, passed ? 1u : 0u, passed ? 0u : 1u});
}

void MetricSet::add(const MetricSet &other)
{
    for (int i = 0; i < trendMetricCount; ++i)
        m_trends[size_t(i)].add(other.m_trends[size_t(i)]);
    httpReqs += other.httpReqs;
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
}

void MetricSet::reset()
{
    for (Histogram &h : m_trends)
        h.reset();
    httpReqs = httpReqFailed = iterations = interruptedIterations = droppedIterations = 0;
    dataSent = dataReceived = 0;
    checks.clear();
    errors.clear();
}

} // namespace loadbench
