// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/histogram.h"
#include "scenario/threshold.h"

#include <QList>
#include <QMap>
#include <QString>

#include <memory>
#include <optional>

namespace loadbench {

struct RequestSample;

// The tags one sample carries, by k6's names; pointers into the caller's data for one call.
// Requests carry scenario, group (always "": there are no groups), method, url, name, status,
// expected_response, proto, error and error_code (the last three only when set) and their custom
// tags; data_sent/data_received the request's scenario, group and custom tags (k6 emits them per
// iteration with the VU's tags); iterations and iteration_duration scenario, group and custom
// tags; checks check (the check's name), scenario, group and custom tags; dropped_iterations
// scenario.
struct SampleTags {
    const RequestSample *request = nullptr;
    const QString *scenario = nullptr;
    const QString *check = nullptr;
    const QMap<QString, QString> *custom = nullptr;
};

// One sub-metric a run records, from a threshold such as "http_req_duration{status:429}": the
// parent metric's samples whose tags include every key:value of the filter, as k6 matches them
// (Tags.Contains: a tag the sample lacks never matches). Immutable; a run shares one list.
class SubmetricSpec
{
public:
    // What feeds a sub-metric: which MetricSet::record* call and which of its values.
    enum class Source {
        RequestTrend,   // http_req_duration and the phase trends, http_req_scheduled_duration
        HttpReqs,
        HttpReqFailed,
        DataSent,
        DataReceived,
        IterationDuration,
        Iterations,
        Checks,
        DroppedIterations,
    };

    explicit SubmetricSpec(MetricName metric);

    const MetricName &metric() const { return m_metric; }
    QString name() const { return m_metric.name(); } // "http_req_duration{status:429}"
    MetricType type() const { return m_metric.type; }
    Source source() const { return m_source; }
    // For Source::RequestTrend: which trend of the request (a TrendMetric).
    int requestTrend() const { return m_requestTrend; }

    bool matches(const SampleTags &tags) const;

    bool operator==(const SubmetricSpec &other) const { return m_metric.sameMetric(other.m_metric); }

    // The sub-metrics a run needs for its thresholds, deduplicated (two spellings of the same
    // filter share one sink), in the thresholds' order. Thresholds on a metric itself need none,
    // and neither does http_req_duration{expected_response:true}: every run records it
    // (TrendMetric::HttpReqDurationExpected).
    static std::shared_ptr<const QList<SubmetricSpec>> fromThresholds(const QList<Threshold> &thresholds);
    static bool isBuiltinExpectedDuration(const MetricName &metric);

private:
    enum class Field {
        Scenario, Group, Check, Method, Url, Name, Status, ExpectedResponse, Proto, Error, ErrorCode, Custom,
    };
    struct Filter {
        Field field;
        QString key;
        QString value;
        std::optional<int> number; // status, error_code: the value when it is a canonical integer
    };

    MetricName m_metric;
    Source m_source = Source::RequestTrend;
    int m_requestTrend = 0;
    QList<Filter> m_filters;
};

using SubmetricSpecList = QList<SubmetricSpec>;

// What a sub-metric has recorded: a histogram for a trend (ns), a sum for a counter (bytes for
// data_*, events otherwise), passes (true samples) and fails for a rate.
struct SubmetricSink {
    std::optional<Histogram> trend;
    quint64 count = 0;
    quint64 passes = 0;
    quint64 fails = 0;

    static SubmetricSink forType(MetricType type);
    void add(const SubmetricSink &other);
    void reset();
};

} // namespace loadbench
