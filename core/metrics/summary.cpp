// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/summary.h"

namespace loadbench {

double Summary::trendStat(const Histogram &h, const QString &stat)
{
    constexpr double nsPerMs = 1e6;
    if (stat == QLatin1String("avg"))
        return h.mean() / nsPerMs;
    if (stat == QLatin1String("min"))
        return double(h.min()) / nsPerMs;
    if (stat == QLatin1String("max"))
        return double(h.max()) / nsPerMs;
    if (stat == QLatin1String("med"))
        return h.percentile(50) / nsPerMs;
    if (stat == QLatin1String("count"))
        return double(h.count());
    if (stat.startsWith(QLatin1String("p(")) && stat.endsWith(u')')) {
        bool ok = false;
        const double p = stat.mid(2, stat.size() - 3).toDouble(&ok);
        if (ok)
            return h.percentile(p) / nsPerMs;
    }
    return 0;
}

std::optional<double> Summary::value(const QString &metric, const QString &stat) const
{
    const MetricSet &m = *metrics;
    for (int i = 0; i < trendMetricCount; ++i) {
        if (trendMetricName(TrendMetric(i)) == metric)
            return trendStat(m.trend(TrendMetric(i)), stat);
    }
    const double seconds = durationSeconds > 0 ? durationSeconds : 1;
    auto counter = [&](quint64 count) -> std::optional<double> {
        if (stat == QLatin1String("count"))
            return double(count);
        if (stat == QLatin1String("rate"))
            return double(count) / seconds;
        return std::nullopt;
    };
    auto rate = [&](quint64 passes, quint64 fails) -> std::optional<double> {
        const quint64 total = passes + fails;
        if (stat == QLatin1String("rate") || stat == QLatin1String("value"))
            return total ? double(passes) / double(total) : 0.0;
        if (stat == QLatin1String("passes"))
            return double(passes);
        if (stat == QLatin1String("fails"))
            return double(fails);
        return std::nullopt;
    };
    if (metric == QLatin1String("http_reqs"))
        return counter(m.httpReqs);
    if (metric == QLatin1String("iterations"))
        return counter(m.iterations);
    if (metric == QLatin1String("data_sent"))
        return counter(m.dataSent);
    if (metric == QLatin1String("data_received"))
        return counter(m.dataReceived);
    if (metric == QLatin1String("http_req_failed"))
        return rate(m.httpReqFailed, m.httpReqs - m.httpReqFailed);
    if (metric == QLatin1String("checks")) {
        quint64 passes = 0, fails = 0;
        for (const CheckCounts &c : m.checks) {
            passes += c.passes;
            fails += c.fails;
        }
        return rate(passes, fails);
    }
    auto gauge = [&](double last, double lo, double hi) -> std::optional<double> {
        if (stat == QLatin1String("value"))
            return last;
        if (stat == QLatin1String("min"))
            return lo;
        if (stat == QLatin1String("max"))
            return hi;
        return std::nullopt;
    };
    if (metric == QLatin1String("vus"))
        return gauge(vus, vusMin, vusMax);
    if (metric == QLatin1String("vus_max"))
        return gauge(vusMaxConfigured, vusMaxConfigured, vusMaxConfigured);
    return std::nullopt;
}

namespace {

// Samples behind a metric: a threshold on a metric without samples has no data.
quint64 sampleCount(const MetricSet &m, const QString &metric)
{
    for (int i = 0; i < trendMetricCount; ++i) {
        if (trendMetricName(TrendMetric(i)) == metric)
            return m.trend(TrendMetric(i)).count();
    }
    if (metric == QLatin1String("http_req_failed") || metric == QLatin1String("http_reqs"))
        return m.httpReqs;
    if (metric == QLatin1String("iterations"))
        return m.iterations;
    if (metric == QLatin1String("checks")) {
        quint64 n = 0;
        for (const CheckCounts &c : m.checks)
            n += c.passes + c.fails;
        return n;
    }
    return 1; // counters of bytes and gauges always have a value
}

} // namespace

QList<ThresholdState> Summary::evaluateThresholds() const
{
    QList<ThresholdState> states;
    for (const Threshold &t : scenario.thresholds) {
        ThresholdState state;
        state.metric = t.metric;
        state.expression = t.expression;
        state.hasData = sampleCount(*metrics, t.metric) > 0;
        state.observed = value(t.metric, t.aggregationKey()).value_or(0);
        // No data is a failure, unlike k6 (grafana/k6#4283): a threshold that could not be
        // checked must not let a run pass. Live views show it as pending until the end.
        state.crossed = !state.hasData || !t.holds(state.observed);
        states.append(state);
    }
    return states;
}

bool Summary::thresholdsCrossed() const
{
    for (const ThresholdState &s : thresholds) {
        if (s.crossed)
            return true;
    }
    return false;
}

} // namespace loadbench
