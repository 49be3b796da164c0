// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/histogram.h"
#include "metrics/submetric.h"

#include <QList>
#include <QMap>
#include <QString>

#include <array>
#include <memory>
#include <utility>
#include <vector>

namespace loadbench {

struct Scenario;

// The trend metrics every run records, in k6's names.
enum class TrendMetric {
    HttpReqDuration,
    HttpReqDurationExpected, // http_req_duration{expected_response:true}
    HttpReqBlocked,
    HttpReqConnecting,
    HttpReqTlsHandshaking,
    HttpReqSending,
    HttpReqWaiting,
    HttpReqReceiving,
    IterationDuration,
    // Open model only (arrival-rate executors): from the moment the iteration was scheduled to
    // the request's last byte, i.e. http_req_duration plus how late the iteration started. A
    // stalled server shows in its tail the way wrk2's corrected latency shows it (BC-03).
    HttpReqScheduledDuration,
};
inline constexpr int trendMetricCount = 10;
QString trendMetricName(TrendMetric metric);
// Trends k6 always lists; the others appear only once they have samples (or a threshold).
bool isOptionalTrend(TrendMetric metric);

// What one HTTP request produced. Times in nanoseconds; status 0 on a network error.
struct RequestSample {
    qint64 startNs = 0; // since the run's start (steady clock)
    qint64 durationNs = 0;
    qint64 blockedNs = 0;
    qint64 connectingNs = 0;
    qint64 tlsHandshakingNs = 0;
    qint64 sendingNs = 0;
    qint64 waitingNs = 0;
    qint64 receivingNs = 0;
    int status = 0;
    bool expected = false;   // expected_response: status in 200..399
    int errorCode = 0;       // k6's error codes: 1212 refused, 1050 timeout, ...
    QString error;           // k6's error text, e.g. "dial: connection refused"
    QString proto;           // "HTTP/1.1"
    quint64 bytesSent = 0;
    quint64 bytesReceived = 0;
    // How late the iteration started against its schedule (arrival-rate executors); -1 in the
    // closed model, where there is no schedule. Feeds HttpReqScheduledDuration.
    qint64 scheduleLagNs = -1;
    // Times the request was sent again on a fresh connection because a kept-alive one closed
    // under it (native engine, idempotent methods): still one request in http_reqs.
    int retries = 0;

    // k6's tags besides status/proto/error above. Implicitly shared strings: copying a sample
    // costs reference counts, not allocations.
    QString scenario;        // the scenario's name
    QString method;          // "GET"
    QString url;             // the URL requested
    QString name;            // k6's `name` tag: the URL unless the request was named
    QMap<QString, QString> tags; // the scenario's and the request's own `tags`
};

// Checks' passes and fails by name, in the order they were first seen.
struct CheckCounts {
    QString name;
    quint64 passes = 0;
    quint64 fails = 0;
};

// Everything a worker measures: one trend histogram per TrendMetric plus counters, and one sink
// per sub-metric its thresholds name (SubmetricSpec), filled as samples are recorded. A worker
// owns one for the current interval; the runner merges them into the cumulative set once a second.
class MetricSet
{
public:
    // No sub-metrics besides the built-in http_req_duration{expected_response:true}.
    MetricSet();
    // Records the given sub-metrics too. `defaultScenario` tags samples recorded without a
    // scenario name (the only scenario of a run, until every caller passes its own).
    explicit MetricSet(std::shared_ptr<const SubmetricSpecList> specs, QString defaultScenario = QString());
    // The set a run of `scenario` records: the sub-metrics of its thresholds.
    static MetricSet forScenario(const Scenario &scenario);

    Histogram &trend(TrendMetric m) { return m_trends[size_t(m)]; }
    const Histogram &trend(TrendMetric m) const { return m_trends[size_t(m)]; }

    // The sub-metrics recorded, and their sinks in the same order.
    const SubmetricSpecList &submetricSpecs() const { return *m_specs; }
    const std::shared_ptr<const SubmetricSpecList> &sharedSubmetricSpecs() const { return m_specs; }
    const std::vector<SubmetricSink> &submetricSinks() const { return m_sinks; }
    std::vector<SubmetricSink> &submetricSinks() { return m_sinks; } // to restore persisted sinks
    // The sink of the sub-metric naming the same samples as `metric`; nullptr when not recorded.
    const SubmetricSink *submetric(const MetricName &metric) const;
    SubmetricSink *submetric(const MetricName &metric)
    {
        return const_cast<SubmetricSink *>(std::as_const(*this).submetric(metric));
    }

    void recordRequest(const RequestSample &sample);
    // `scenario` and `tags` (the scenario's own tags) tag the sample for sub-metrics.
    void recordIteration(qint64 durationNs, const QString &scenario = QString(),
                         const QMap<QString, QString> &tags = {});
    void recordCheck(const QString &name, bool passed, const QString &scenario = QString(),
                     const QMap<QString, QString> &tags = {});
    // An arrival-rate iteration that found no free VU (k6's dropped_iterations).
    void recordDropped(const QString &scenario = QString(), quint64 count = 1);
    // Merges `other` in. Sub-metrics are matched by what they select: a set without any takes
    // over `other`'s list; ones only `other` has are added.
    void add(const MetricSet &other);
    // Empties every metric; the sub-metrics stay.
    void reset();

    quint64 httpReqs = 0;
    quint64 httpReqFailed = 0; // requests with expected_response false
    quint64 iterations = 0;
    quint64 interruptedIterations = 0;
    quint64 droppedIterations = 0; // arrival-rate iterations that found no free VU (k6's dropped_iterations)
    quint64 dataSent = 0;
    quint64 dataReceived = 0;
    quint64 httpReqRetries = 0; // requests resent once on a fresh connection (RequestSample::retries)
    QList<CheckCounts> checks;
    QMap<QString, quint64> errors; // "1212 dial: connection refused" or "status 503" → count

private:
    const QString &scenarioOr(const QString &scenario) const { return scenario.isEmpty() ? m_defaultScenario : scenario; }

    std::array<Histogram, trendMetricCount> m_trends;
    std::shared_ptr<const SubmetricSpecList> m_specs;
    std::vector<SubmetricSink> m_sinks; // one per spec
    QString m_defaultScenario;
};

} // namespace loadbench
