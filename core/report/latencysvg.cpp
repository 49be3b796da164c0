// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/latencysvg.h"

#include <QIODevice>

#include <limits>

namespace loadbench
{

namespace
{

constexpr double gap = std::numeric_limits<double>::quiet_NaN();

SvgLineChart timeChart(const QString &title, const QString &yLabel, const QString &id)
{
    SvgLineChart chart;
    chart.setTitle(title);
    chart.setXAxisLabel(QStringLiteral("time (s)"));
    chart.setYAxisLabel(yLabel);
    chart.setId(id);
    return chart;
}

template <typename Value>
QList<QPointF> points(const QList<IntervalSnapshot> &timeline, Value value)
{
    QList<QPointF> result;
    result.reserve(timeline.size());
    for (const IntervalSnapshot &s : timeline)
        result.append(QPointF(s.elapsedSeconds, value(s)));
    return result;
}

} // namespace

SvgLineChart latencyChart(const QList<IntervalSnapshot> &timeline, const QString &title)
{
    SvgLineChart chart =
        timeChart(title, QStringLiteral("latency (ms)"), QStringLiteral("latency"));
    chart.addSeries(
        QStringLiteral("p50"),
        points(timeline, [](const IntervalSnapshot &s) { return s.requests ? s.p50Ms : gap; }), 0);
    chart.addSeries(
        QStringLiteral("p95"),
        points(timeline, [](const IntervalSnapshot &s) { return s.requests ? s.p95Ms : gap; }), 1);
    chart.addSeries(
        QStringLiteral("p99"),
        points(timeline, [](const IntervalSnapshot &s) { return s.requests ? s.p99Ms : gap; }), 2);
    return chart;
}

SvgLineChart throughputChart(const QList<IntervalSnapshot> &timeline, const QString &title)
{
    SvgLineChart chart =
        timeChart(title, QStringLiteral("requests per second"), QStringLiteral("throughput"));
    chart.addSeries(QStringLiteral("req/s"),
                    points(timeline,
                           [](const IntervalSnapshot &s) {
                               if (s.requestsPerSecond > 0 || s.intervalSeconds <= 0)
                                   return s.requestsPerSecond;
                               return double(s.requests) / s.intervalSeconds;
                           }),
                    0);
    return chart;
}

SvgLineChart vusChart(const QList<IntervalSnapshot> &timeline, const QString &title)
{
    SvgLineChart chart = timeChart(title, QStringLiteral("virtual users"), QStringLiteral("vus"));
    chart.addSeries(QStringLiteral("active VUs"),
                    points(timeline, [](const IntervalSnapshot &s) { return double(s.vus); }), 3);
    chart.addSeries(
        QStringLiteral("planned VUs"),
        points(timeline, [](const IntervalSnapshot &s) { return double(s.plannedVus); }), 1, true);
    return chart;
}

SvgLineChart errorRateChart(const QList<IntervalSnapshot> &timeline, const QString &title)
{
    SvgLineChart chart =
        timeChart(title, QStringLiteral("failed requests (%)"), QStringLiteral("errors"));
    chart.addSeries(
        QStringLiteral("failed %"),
        points(timeline,
               [](const IntervalSnapshot &s) { return s.requests ? s.errorRate() * 100.0 : gap; }),
        1);
    return chart;
}

void writeLatencySvg(QIODevice &out, const QList<IntervalSnapshot> &timeline, const QString &title)
{
    latencyChart(timeline, title).write(out, SvgLineChart::Mode::Standalone);
}

} // namespace loadbench
