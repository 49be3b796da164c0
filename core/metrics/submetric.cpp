// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/submetric.h"

#include "metrics/metricset.h"

namespace loadbench {

namespace {

// A status or error code matches only its canonical text, as k6 compares tag strings: "200"
// matches 200, "0200" matches nothing.
std::optional<int> canonicalInt(const QString &text)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok || QString::number(n) != text)
        return std::nullopt;
    return n;
}

} // namespace

SubmetricSpec::SubmetricSpec(MetricName metric)
    : m_metric(std::move(metric))
{
    const QString &parent = m_metric.parent;
    bool request = false;
    if (parent == QLatin1String("http_reqs")) {
        m_source = Source::HttpReqs;
        request = true;
    } else if (parent == QLatin1String("http_req_failed")) {
        m_source = Source::HttpReqFailed;
        request = true;
    } else if (parent == QLatin1String("data_sent")) {
        m_source = Source::DataSent;
    } else if (parent == QLatin1String("data_received")) {
        m_source = Source::DataReceived;
    } else if (parent == QLatin1String("iteration_duration")) {
        m_source = Source::IterationDuration;
    } else if (parent == QLatin1String("iterations")) {
        m_source = Source::Iterations;
    } else if (parent == QLatin1String("checks")) {
        m_source = Source::Checks;
    } else if (parent == QLatin1String("dropped_iterations")) {
        m_source = Source::DroppedIterations;
    } else {
        for (int i = 0; i < trendMetricCount; ++i) {
            if (trendMetricName(TrendMetric(i)) == parent) {
                m_source = Source::RequestTrend;
                m_requestTrend = i;
                request = true;
            }
        }
    }

    const bool dropped = m_source == Source::DroppedIterations;
    for (auto it = m_metric.tags.cbegin(); it != m_metric.tags.cend(); ++it) {
        Filter f{Field::Custom, it.key(), it.value(), std::nullopt};
        const QString &key = it.key();
        // A system tag the source does not carry falls through to the custom tags, where k6
        // would find a custom tag of that name too.
        if (key == QLatin1String("scenario"))
            f.field = Field::Scenario;
        else if (key == QLatin1String("group") && !dropped)
            f.field = Field::Group;
        else if (key == QLatin1String("check") && m_source == Source::Checks)
            f.field = Field::Check;
        else if (request && key == QLatin1String("method"))
            f.field = Field::Method;
        else if (request && key == QLatin1String("url"))
            f.field = Field::Url;
        else if (request && key == QLatin1String("name"))
            f.field = Field::Name;
        else if (request && key == QLatin1String("status"))
            f.field = Field::Status;
        else if (request && key == QLatin1String("expected_response"))
            f.field = Field::ExpectedResponse;
        else if (request && key == QLatin1String("proto"))
            f.field = Field::Proto;
        else if (request && key == QLatin1String("error"))
            f.field = Field::Error;
        else if (request && key == QLatin1String("error_code"))
            f.field = Field::ErrorCode;
        if (f.field == Field::Status || f.field == Field::ErrorCode)
            f.number = canonicalInt(f.value);
        m_filters.append(f);
    }
}

bool SubmetricSpec::matches(const SampleTags &tags) const
{
    const RequestSample *r = tags.request;
    for (const Filter &f : m_filters) {
        bool ok = false;
        switch (f.field) {
        case Field::Scenario: ok = tags.scenario && *tags.scenario == f.value; break;
        case Field::Group: ok = f.value.isEmpty(); break; // every sample is in the root group
        case Field::Check: ok = tags.check && *tags.check == f.value; break;
        case Field::Method: ok = r && r->method == f.value; break;
        case Field::Url: ok = r && r->url == f.value; break;
        case Field::Name: ok = r && r->name == f.value; break;
        case Field::Status: ok = r && f.number && r->status == *f.number; break;
        case Field::ExpectedResponse:
            ok = r && f.value == (r->expected ? QLatin1String("true") : QLatin1String("false"));
            break;
        case Field::Proto: ok = r && !r->proto.isEmpty() && r->proto == f.value; break;
        case Field::Error: ok = r && !r->error.isEmpty() && r->error == f.value; break;
        case Field::ErrorCode: ok = r && r->errorCode != 0 && f.number && r->errorCode == *f.number; break;
        case Field::Custom: {
            if (tags.custom) {
                const auto it = tags.custom->constFind(f.key);
                ok = it != tags.custom->cend() && *it == f.value;
            }
            break;
        }
        }
        if (!ok)
            return false;
    }
    return true;
}

bool SubmetricSpec::isBuiltinExpectedDuration(const MetricName &metric)
{
    static const MetricName builtin = *MetricName::parse(QStringLiteral("http_req_duration{expected_response:true}"));
    return metric.sameMetric(builtin);
}

std::shared_ptr<const QList<SubmetricSpec>> SubmetricSpec::fromThresholds(const QList<Threshold> &thresholds)
{
    QList<SubmetricSpec> specs;
    for (const Threshold &t : thresholds) {
        const std::optional<MetricName> name = MetricName::parse(t.metric);
        if (!name || !name->isSubmetric() || isBuiltinExpectedDuration(*name))
            continue;
        SubmetricSpec spec(*name);
        if (!specs.contains(spec))
            specs.append(std::move(spec));
    }
    return std::make_shared<const QList<SubmetricSpec>>(std::move(specs));
}

SubmetricSink SubmetricSink::forType(MetricType type)
{
    SubmetricSink sink;
    if (type == MetricType::Trend)
        sink.trend.emplace();
    return sink;
}

void SubmetricSink::add(const SubmetricSink &other)
{
    if (trend && other.trend)
        trend->add(*other.trend);
    count += other.count;
    passes += other.passes;
    fails += other.fails;
}

void SubmetricSink::reset()
{
    if (trend)
        trend->reset();
    count = passes = fails = 0;
}

} // namespace loadbench
