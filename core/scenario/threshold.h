// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"

#include <QMap>
#include <QString>

#include <optional>

namespace loadbench {

enum class MetricType { Trend, Rate, Counter, Gauge };

// A metric as thresholds name it: a built-in metric, or one of its sub-metrics, the samples whose
// tags include every `key:value` between the braces: "http_req_duration{status:200,scenario:api}".
// Parsed with k6's rules (metrics.ParseMetricName, Metric.AddSubmetric): the first '{' opens,
// the last character must be the one '}' that closes; every comma-separated part is
// `key:value` with a non-empty value (it may hold ':' and spaces: "url:http://a/b",
// "check:status is 200"); spaces around keys and values and the quotes "'/' around them are
// dropped. Nothing is trimmed around the metric's own name.
struct MetricName {
    QString parent;              // "http_req_duration"
    QString suffix;              // "status:200,scenario:api": the text between the braces, trimmed
    QMap<QString, QString> tags; // the filter; empty for the metric itself
    MetricType type = MetricType::Trend; // the parent's type

    bool isSubmetric() const { return !suffix.isEmpty(); }
    // k6's name, as summaries list it: "http_req_duration" or "http_req_duration{status:200}".
    QString name() const;
    // Whether both name the same samples (k6 would refuse a second sub-metric with equal tags).
    bool sameMetric(const MetricName &other) const { return parent == other.parent && tags == other.tags; }

    // nullopt and a message quoting the name when it is malformed or no built-in metric.
    static std::optional<MetricName> parse(const QString &text, QString *why = nullptr);
};

// Type of a built-in metric by k6 name, including any well-formed sub-metric such as
// "http_req_duration{expected_response:true}"; nullopt for an unknown or malformed name.
std::optional<MetricType> builtinMetricType(const QString &metricName);
QString metricTypeName(MetricType type);

// One threshold expression in k6's grammar, "aggregation operator value", e.g. "p(95)<200".
// The user's text is kept; the limit is in the metric's unit (milliseconds for time trends).
// Aggregations by metric type, as k6: trend avg/min/med/max/p(N) (N a plain number 0..100,
// decimals allowed: p(99.9)); rate `rate`; counter `count` and `rate` (per second over the run);
// gauge `value`.
struct Threshold {
    enum class Aggregation { Count, Rate, Value, Avg, Min, Med, Max, Percentile };
    enum class Operator { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual };

    QString metric;     // "http_req_duration" or "http_req_duration{expected_response:true}"
    QString expression; // the user's text, trimmed: "p(95)<200"
    Aggregation aggregation = Aggregation::Avg;
    double percentile = 0; // 0..100, for Aggregation::Percentile
    Operator op = Operator::Less;
    double limit = 0;
    bool abortOnFail = false;
    Nanoseconds delayAbortEval{0};

    // Parses and checks that the aggregation fits the metric's type; on failure returns nullopt
    // and a message naming the metric and the expression.
    static std::optional<Threshold> parse(const QString &metric, const QString &expression,
                                          QString *why = nullptr);

    // True when the observed value satisfies the threshold (i.e. it holds, not crossed).
    bool holds(double observed) const;
    // "p(95)", "avg", "rate", ...: the key this aggregation has in summaries.
    QString aggregationKey() const;
};

} // namespace loadbench
