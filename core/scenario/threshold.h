// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"

#include <QString>

#include <optional>

namespace loadbench {

enum class MetricType { Trend, Rate, Counter, Gauge };

// Type of a built-in metric by k6 name, including sub-metrics such as
// "http_req_duration{expected_response:true}"; nullopt for an unknown name.
std::optional<MetricType> builtinMetricType(const QString &metricName);
QString metricTypeName(MetricType type);

// One threshold expression in k6's grammar, "aggregation operator value", e.g. "p(95)<200".
// The user's text is kept; the limit is in the metric's unit (milliseconds for time trends).
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
