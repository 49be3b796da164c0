// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/threshold.h"

#include <QHash>
#include <QRegularExpression>

#include <cmath>

namespace loadbench {

namespace {

std::optional<MetricType> typeOfBuiltin(const QString &name)
{
    static const QHash<QString, MetricType> types = {
        {QStringLiteral("http_req_duration"), MetricType::Trend},
        {QStringLiteral("http_req_blocked"), MetricType::Trend},
        {QStringLiteral("http_req_connecting"), MetricType::Trend},
        {QStringLiteral("http_req_tls_handshaking"), MetricType::Trend},
        {QStringLiteral("http_req_sending"), MetricType::Trend},
        {QStringLiteral("http_req_waiting"), MetricType::Trend},
        {QStringLiteral("http_req_receiving"), MetricType::Trend},
        {QStringLiteral("http_req_scheduled_duration"), MetricType::Trend},
        {QStringLiteral("iteration_duration"), MetricType::Trend},
        {QStringLiteral("http_req_failed"), MetricType::Rate},
        {QStringLiteral("checks"), MetricType::Rate},
        {QStringLiteral("http_reqs"), MetricType::Counter},
        {QStringLiteral("iterations"), MetricType::Counter},
        {QStringLiteral("dropped_iterations"), MetricType::Counter},
        {QStringLiteral("data_sent"), MetricType::Counter},
        {QStringLiteral("data_received"), MetricType::Counter},
        {QStringLiteral("vus"), MetricType::Gauge},
        {QStringLiteral("vus_max"), MetricType::Gauge},
    };
    const auto it = types.constFind(name);
    if (it == types.constEnd())
        return std::nullopt;
    return *it;
}

// Go's strings.Trim(strings.TrimSpace(s), `"'`), as k6 cleans a sub-metric's keys and values.
QString trimTagPart(const QString &s)
{
    QString t = s.trimmed();
    qsizetype from = 0, to = t.size();
    while (from < to && (t[from] == u'"' || t[from] == u'\''))
        ++from;
    while (to > from && (t[to - 1] == u'"' || t[to - 1] == u'\''))
        --to;
    return t.mid(from, to - from);
}

} // namespace

QString MetricName::name() const
{
    return isSubmetric() ? parent + u'{' + suffix + u'}' : parent;
}

std::optional<MetricName> MetricName::parse(const QString &text, QString *why)
{
    auto fail = [&](const QString &reason) -> std::optional<MetricName> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    MetricName m;
    const qsizetype open = text.indexOf(u'{');
    const qsizetype close = text.lastIndexOf(u'}');
    if (open < 0 && close < 0) {
        m.parent = text;
    } else if (open < 0 || close < 0) {
        return fail(QStringLiteral("metric \"%1\" has unmatched curly braces; a sub-metric is written "
                                   "metric{tag:value}").arg(text));
    } else if (close < open) {
        return fail(QStringLiteral("metric \"%1\" has its closing curly brace before the opening one").arg(text));
    } else if (close != text.size() - 1) {
        return fail(QStringLiteral("metric \"%1\" does not end with its closing curly brace").arg(text));
    } else {
        m.parent = text.left(open);
        const QString inner = text.mid(open + 1, close - open - 1);
        // k6 checks the raw parts first (a value of only spaces passes), then trims them.
        for (const QString &part : inner.split(u',')) {
            const qsizetype colon = part.indexOf(u':');
            if (colon < 0 || colon == part.size() - 1)
                return fail(QStringLiteral("metric \"%1\": tag filter \"%2\" is not key:value").arg(text, part));
            const QString key = trimTagPart(part.left(colon));
            if (key.isEmpty())
                return fail(QStringLiteral("metric \"%1\": tag filter \"%2\" has no tag name").arg(text, part));
            m.tags.insert(key, trimTagPart(part.mid(colon + 1)));
        }
        m.suffix = inner.trimmed();
    }
    const std::optional<MetricType> type = typeOfBuiltin(m.parent);
    if (!type)
        return fail(QStringLiteral("unknown metric \"%1\"").arg(m.parent));
    m.type = *type;
    if (m.isSubmetric() && m.type == MetricType::Gauge)
        return fail(QStringLiteral("metric \"%1\": %2 samples carry no tags, so it has no sub-metrics")
                        .arg(text, m.parent));
    return m;
}

std::optional<MetricType> builtinMetricType(const QString &metricName)
{
    const std::optional<MetricName> m = MetricName::parse(metricName);
    if (!m)
        return std::nullopt;
    return m->type;
}

QString metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Trend: return QStringLiteral("trend");
    case MetricType::Rate: return QStringLiteral("rate");
    case MetricType::Counter: return QStringLiteral("counter");
    case MetricType::Gauge: return QStringLiteral("gauge");
    }
    return {};
}

std::optional<Threshold> Threshold::parse(const QString &metric, const QString &expression,
                                          QString *why)
{
    const QString text = expression.trimmed();
    auto fail = [&](const QString &reason) -> std::optional<Threshold> {
        if (why)
            *why = QStringLiteral("threshold \"%1\" on %2: %3").arg(expression, metric, reason);
        return std::nullopt;
    };
    QString badName;
    const std::optional<MetricName> name = MetricName::parse(metric, &badName);
    if (!name)
        return fail(badName);
    const std::optional<MetricType> type = name->type;
    if (text.isEmpty())
        return fail(QStringLiteral("empty expression; expected e.g. \"p(95)<200\""));

    // aggregation, operator, value; spaces allowed around the operator only (k6's grammar).
    static const QRegularExpression grammar(QStringLiteral(
        R"(^([a-z]+(?:\([^)]*\))?)\s*(===|==|!=|>=|<=|>|<)\s*(\S+)$)"));
    const QRegularExpressionMatch m = grammar.match(text);
    if (!m.hasMatch())
        return fail(QStringLiteral("expected \"aggregation operator value\", e.g. \"p(95)<200\" or "
                                   "\"rate<0.01\""));
    Threshold t;
    t.metric = metric;
    t.expression = text;

    const QString agg = m.captured(1);
    static const QRegularExpression percentileForm(QStringLiteral(R"(^p\((.*)\)$)"));
    if (const QRegularExpressionMatch pm = percentileForm.match(agg); pm.hasMatch()) {
        const QString arg = pm.captured(1);
        // A plain non-negative float as Go's ParseFloat reads it; no sign, NaN, Inf or spaces.
        static const QRegularExpression plainNumber(QStringLiteral(R"(^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$)"));
        if (!plainNumber.match(arg).hasMatch())
            return fail(QStringLiteral("percentile \"%1\" is not a number from 0 to 100 "
                                       "(no spaces inside the parentheses)").arg(arg));
        const double p = arg.toDouble();
        if (p < 0 || p > 100)
            return fail(QStringLiteral("percentile %1 is outside 0..100").arg(arg));
        t.aggregation = Aggregation::Percentile;
        t.percentile = p;
    } else if (agg == QLatin1String("count")) {
        t.aggregation = Aggregation::Count;
    } else if (agg == QLatin1String("rate")) {
        t.aggregation = Aggregation::Rate;
    } else if (agg == QLatin1String("value")) {
        t.aggregation = Aggregation::Value;
    } else if (agg == QLatin1String("avg")) {
        t.aggregation = Aggregation::Avg;
    } else if (agg == QLatin1String("min")) {
        t.aggregation = Aggregation::Min;
    } else if (agg == QLatin1String("med")) {
        t.aggregation = Aggregation::Med;
    } else if (agg == QLatin1String("max")) {
        t.aggregation = Aggregation::Max;
    } else {
        return fail(QStringLiteral("unknown aggregation \"%1\"; expected count, rate, value, avg, "
                                   "min, med, max or p(N)").arg(agg));
    }

    bool allowed = false;
    switch (*type) {
    case MetricType::Trend:
        allowed = t.aggregation == Aggregation::Avg || t.aggregation == Aggregation::Min
                  || t.aggregation == Aggregation::Med || t.aggregation == Aggregation::Max
                  || t.aggregation == Aggregation::Percentile;
        break;
    case MetricType::Rate: allowed = t.aggregation == Aggregation::Rate; break;
    case MetricType::Counter:
        allowed = t.aggregation == Aggregation::Count || t.aggregation == Aggregation::Rate;
        break;
    case MetricType::Gauge: allowed = t.aggregation == Aggregation::Value; break;
    }
    if (!allowed)
        return fail(QStringLiteral("aggregation \"%1\" is not supported for a %2 metric")
                        .arg(agg, metricTypeName(*type)));

    const QString op = m.captured(2);
    if (op == QLatin1String("<"))
        t.op = Operator::Less;
    else if (op == QLatin1String("<="))
        t.op = Operator::LessEqual;
    else if (op == QLatin1String(">"))
        t.op = Operator::Greater;
    else if (op == QLatin1String(">="))
        t.op = Operator::GreaterEqual;
    else if (op == QLatin1String("!="))
        t.op = Operator::NotEqual;
    else
        t.op = Operator::Equal;

    const QString valueText = m.captured(3);
    bool ok = false;
    const double limit = valueText.toDouble(&ok);
    if (!ok || !std::isfinite(limit))
        return fail(QStringLiteral("\"%1\" is not a plain number (no units: durations are in "
                                   "milliseconds)").arg(valueText));
    t.limit = limit;
    return t;
}

bool Threshold::holds(double observed) const
{
    switch (op) {
    case Operator::Less: return observed < limit;
    case Operator::LessEqual: return observed <= limit;
    case Operator::Greater: return observed > limit;
    case Operator::GreaterEqual: return observed >= limit;
    case Operator::Equal: return observed == limit;
    case Operator::NotEqual: return observed != limit;
    }
    return false;
}

QString Threshold::aggregationKey() const
{
    switch (aggregation) {
    case Aggregation::Count: return QStringLiteral("count");
    case Aggregation::Rate: return QStringLiteral("rate");
    case Aggregation::Value: return QStringLiteral("value");
    case Aggregation::Avg: return QStringLiteral("avg");
    case Aggregation::Min: return QStringLiteral("min");
    case Aggregation::Med: return QStringLiteral("med");
    case Aggregation::Max: return QStringLiteral("max");
    case Aggregation::Percentile: return QStringLiteral("p(%1)").arg(percentile);
    }
    return {};
}

} // namespace loadbench
