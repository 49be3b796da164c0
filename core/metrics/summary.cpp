// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/summary.h"

#include <algorithm>

namespace loadbench {

namespace {

const Histogram &emptyHistogram()
{
    static const Histogram empty;
    return empty;
}

std::optional<TrendMetric> trendByName(const QString &name)
{
    for (int i = 0; i < trendMetricCount; ++i) {
        if (trendMetricName(TrendMetric(i)) == name)
            return TrendMetric(i);
    }
    return std::nullopt;
}

quint64 checkTotal(const MetricSet &m, bool passes)
{
    quint64 n = 0;
    for (const CheckCounts &c : m.checks)
        n += passes ? c.passes : c.fails;
    return n;
}

// What the statistics of one metric are read from.
struct Source {
    MetricType type = MetricType::Counter;
    const Histogram *trend = nullptr;
    quint64 count = 0;
    quint64 passes = 0, fails = 0;
    double gaugeValue = 0, gaugeMin = 0, gaugeMax = 0;
};

std::optional<Source> sourceOf(const Summary &summary, const MetricName &name)
{
    const MetricSet &m = *summary.metrics;
    Source s;
    s.type = name.type;
    if (name.isSubmetric()) {
        if (SubmetricSpec::isBuiltinExpectedDuration(name)) {
            s.trend = &m.trend(TrendMetric::HttpReqDurationExpected);
            return s;
        }
        const SubmetricSink *sink = m.submetric(name);
        if (!sink) {
            s.trend = &emptyHistogram();
            return s;
        }
        s.trend = sink->trend ? &*sink->trend : &emptyHistogram();
        s.count = sink->count;
        s.passes = sink->passes;
        s.fails = sink->fails;
        return s;
    }
    const QString &n = name.parent;
    if (const std::optional<TrendMetric> t = trendByName(n)) {
        s.trend = &m.trend(*t);
    } else if (n == QLatin1String("http_reqs")) {
        s.count = m.httpReqs;
    } else if (n == QLatin1String("iterations")) {
        s.count = m.iterations;
    } else if (n == QLatin1String("dropped_iterations")) {
        s.count = m.droppedIterations;
    } else if (n == QLatin1String("data_sent")) {
        s.count = m.dataSent;
    } else if (n == QLatin1String("data_received")) {
        s.count = m.dataReceived;
    } else if (n == QLatin1String("http_req_failed")) {
        // A rate's passes are its true samples: here the FAILED requests, as k6 counts them.
        s.passes = m.httpReqFailed;
        s.fails = m.httpReqs - m.httpReqFailed;
    } else if (n == QLatin1String("checks")) {
        s.passes = checkTotal(m, true);
        s.fails = checkTotal(m, false);
    } else if (n == QLatin1String("vus")) {
        s.gaugeValue = summary.vus;
        s.gaugeMin = summary.vusMin;
        s.gaugeMax = summary.vusMax;
    } else if (n == QLatin1String("vus_max")) {
        s.gaugeValue = s.gaugeMin = s.gaugeMax = summary.vusMaxConfigured;
    } else {
        return std::nullopt;
    }
    return s;
}

std::optional<double> statOf(const Source &s, const QString &stat, double seconds)
{
    switch (s.type) {
    case MetricType::Trend:
        if (stat == QLatin1String("avg") || stat == QLatin1String("min") || stat == QLatin1String("max")
            || stat == QLatin1String("med") || stat == QLatin1String("count")
            || (stat.startsWith(QLatin1String("p(")) && stat.endsWith(u')')))
            return Summary::trendStat(*s.trend, stat);
        return std::nullopt;
    case MetricType::Counter:
        if (stat == QLatin1String("count"))
            return double(s.count);
        if (stat == QLatin1String("rate"))
            return double(s.count) / seconds;
        return std::nullopt;
    case MetricType::Rate:
        if (stat == QLatin1String("rate") || stat == QLatin1String("value")) {
            const quint64 total = s.passes + s.fails;
            return total ? double(s.passes) / double(total) : 0.0;
        }
        if (stat == QLatin1String("passes"))
            return double(s.passes);
        if (stat == QLatin1String("fails"))
            return double(s.fails);
        return std::nullopt;
    case MetricType::Gauge:
        if (stat == QLatin1String("value"))
            return s.gaugeValue;
        if (stat == QLatin1String("min"))
            return s.gaugeMin;
        if (stat == QLatin1String("max"))
            return s.gaugeMax;
        return std::nullopt;
    }
    return std::nullopt;
}

MetricSummary::Contains containsOf(const QString &parent, MetricType type)
{
    if (type == MetricType::Trend)
        return MetricSummary::Contains::Time;
    if (parent == QLatin1String("data_sent") || parent == QLatin1String("data_received"))
        return MetricSummary::Contains::Data;
    return MetricSummary::Contains::Default;
}

// k6's end-of-summary order: by parent metric, each parent's sub-metrics right after it
// (summary.js sorts with localeCompare, which orders letters case-insensitively first).
bool listedBefore(const QString &a, const QString &b)
{
    const QString parentA = a.left(a.indexOf(u'{')), parentB = b.left(b.indexOf(u'{'));
    auto compare = [](const QString &x, const QString &y) {
        const int folded = x.compare(y, Qt::CaseInsensitive);
        return folded != 0 ? folded : -x.compare(y, Qt::CaseSensitive);
    };
    if (const int c = compare(parentA, parentB))
        return c < 0;
    return compare(a.mid(parentA.size()), b.mid(parentB.size())) < 0;
}

} // namespace

double MetricSummary::value(const QString &key) const
{
    for (const auto &[k, v] : values) {
        if (k == key)
            return v;
    }
    return 0;
}

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
    const std::optional<MetricName> name = MetricName::parse(metric);
    if (!name)
        return std::nullopt;
    const std::optional<Source> source = sourceOf(*this, *name);
    if (!source)
        return std::nullopt;
    return statOf(*source, stat, durationSeconds > 0 ? durationSeconds : 1);
}

bool Summary::hasData(const QString &metric) const
{
    const std::optional<MetricName> name = MetricName::parse(metric);
    if (!name)
        return false;
    const std::optional<Source> s = sourceOf(*this, *name);
    if (!s)
        return false;
    switch (s->type) {
    case MetricType::Trend: return s->trend->count() > 0;
    case MetricType::Rate: return s->passes + s->fails > 0;
    case MetricType::Counter:
    case MetricType::Gauge: return true;
    }
    return false;
}

QList<ThresholdState> Summary::evaluateThresholds() const
{
    QList<ThresholdState> states;
    for (const Threshold &t : scenario.thresholds) {
        ThresholdState state;
        state.metric = t.metric;
        state.expression = t.expression;
        state.hasData = hasData(t.metric);
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

bool Summary::hasForeignEngine() const
{
    // Our own runs write "native", "qnam" or "native+qnam" (summary.json's loadbench.engine).
    if (engine.isEmpty())
        return false;
    const QStringList names = engine.split(u'+');
    return !std::all_of(names.begin(), names.end(), [](const QString &name) { return engineFromName(name).has_value(); });
}

QString Summary::enginesText() const
{
    return hasForeignEngine() || scenario.scenarios.isEmpty() ? engine : scenario.enginesText();
}

QList<MetricSummary> Summary::listedMetrics() const
{
    const MetricSet &m = *metrics;
    // Metrics named by a threshold, evaluated or not yet: they are listed even without samples,
    // and so is a sub-metric's parent (k6 marks both observed).
    QList<MetricName> withThresholds;
    auto noteThreshold = [&](const QString &metric) {
        if (const std::optional<MetricName> n = MetricName::parse(metric)) {
            if (std::none_of(withThresholds.cbegin(), withThresholds.cend(),
                             [&](const MetricName &known) { return known.sameMetric(*n); }))
                withThresholds.append(*n);
        }
    };
    for (const Threshold &t : scenario.thresholds)
        noteThreshold(t.metric);
    for (const ThresholdState &t : thresholds)
        noteThreshold(t.metric);
    auto parentHasThreshold = [&](const QString &parent) {
        return std::any_of(withThresholds.cbegin(), withThresholds.cend(),
                           [&](const MetricName &n) { return n.parent == parent; });
    };

    QList<MetricName> names;
    auto list = [&](const MetricName &n) {
        if (std::none_of(names.cbegin(), names.cend(), [&](const MetricName &known) { return known.sameMetric(n); }))
            names.append(n);
    };
    auto listIf = [&](const QString &metric, bool observed) {
        if (observed || parentHasThreshold(metric))
            list(*MetricName::parse(metric));
    };
    const bool requests = m.httpReqs > 0;
    for (int i = 0; i < trendMetricCount; ++i) {
        const auto trend = TrendMetric(i);
        const bool sampled = m.trend(trend).count() > 0;
        switch (trend) {
        case TrendMetric::HttpReqDurationExpected:
        case TrendMetric::HttpReqScheduledDuration:
            if (sampled)
                list(*MetricName::parse(trendMetricName(trend)));
            break;
        case TrendMetric::IterationDuration: listIf(trendMetricName(trend), sampled || m.iterations > 0); break;
        default: listIf(trendMetricName(trend), sampled || requests); break;
        }
    }
    listIf(QStringLiteral("http_reqs"), requests);
    listIf(QStringLiteral("http_req_failed"), requests);
    listIf(QStringLiteral("iterations"), m.iterations > 0);
    listIf(QStringLiteral("dropped_iterations"), m.droppedIterations > 0);
    listIf(QStringLiteral("data_sent"), requests || m.iterations > 0);
    listIf(QStringLiteral("data_received"), requests || m.iterations > 0);
    listIf(QStringLiteral("checks"), !m.checks.isEmpty());
    listIf(QStringLiteral("vus"), true);
    listIf(QStringLiteral("vus_max"), true);
    for (const SubmetricSpec &spec : m.submetricSpecs())
        list(spec.metric());
    for (const MetricName &n : std::as_const(withThresholds))
        list(n);

    const double seconds = durationSeconds > 0 ? durationSeconds : 1;
    QList<MetricSummary> out;
    for (const MetricName &n : std::as_const(names)) {
        const std::optional<Source> source = sourceOf(*this, n);
        if (!source)
            continue;
        MetricSummary ms;
        ms.name = n.name();
        ms.type = n.type;
        ms.contains = containsOf(n.parent, n.type);
        QStringList keys;
        switch (n.type) {
        case MetricType::Trend: keys = scenario.summaryTrendStats; break;
        case MetricType::Counter: keys = {QStringLiteral("count"), QStringLiteral("rate")}; break;
        case MetricType::Rate: keys = {QStringLiteral("passes"), QStringLiteral("fails"), QStringLiteral("value")}; break;
        case MetricType::Gauge: keys = {QStringLiteral("value"), QStringLiteral("min"), QStringLiteral("max")}; break;
        }
        for (const QString &key : std::as_const(keys))
            ms.values.append({key, statOf(*source, key, seconds).value_or(0)});
        for (const ThresholdState &t : thresholds) {
            const std::optional<MetricName> tn = MetricName::parse(t.metric);
            if (tn && tn->sameMetric(n))
                ms.thresholds.append(t);
        }
        out.append(ms);
    }
    std::sort(out.begin(), out.end(), [](const MetricSummary &a, const MetricSummary &b) { return listedBefore(a.name, b.name); });
    return out;
}

} // namespace loadbench
