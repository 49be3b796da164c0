// SPDX-License-Identifier: GPL-3.0-or-later
#include "livecharts.h"

#include "chartstyle.h"
#include "profilechart.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QGridLayout>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace loadbench {

namespace {

// The VU chart of a run up to this long shows the whole plan from the start; longer ones grow
// with the elapsed time, or the first minutes of a soak would be one pixel wide.
constexpr double wholePlanUpToSeconds = 15 * 60;

} // namespace

LiveCharts::LiveCharts(QWidget *parent)
    : QWidget(parent),
      m_latencyView(new QChartView(this)),
      m_throughputView(new QChartView(this)),
      m_vusView(new QChartView(this)),
      m_lines(LineCount),
      m_cumulativeBox(new QCheckBox(tr("Whole run"), this))
{
    for (SeriesHistory &history : m_wholeRun)
        history = SeriesHistory(pointsPerSeries, SeriesHistory::Merge::Max);
    m_cumulativeBox->setToolTip(tr("Latency percentiles over the whole run so far, as the thresholds judge them, "
                                   "instead of each second's"));
    connect(m_cumulativeBox, &QCheckBox::toggled, this, &LiveCharts::setCumulative);
    m_latency = makePanel(m_latencyView, tr("Latency per second"), tr("ms"));
    m_throughput = makePanel(m_throughputView, tr("Throughput"), tr("per second"));
    m_vus = makePanel(m_vusView, tr("Virtual users"), tr("VUs"));

    using Merge = SeriesHistory::Merge;
    addLine(P50, m_latency, tr("p50"), chartstyle::p50Color(), Merge::Max);
    addLine(P95, m_latency, tr("p95"), chartstyle::p95Color(), Merge::Max);
    addLine(P99, m_latency, tr("p99"), chartstyle::p99Color(), Merge::Max);
    addLine(Requests, m_throughput, tr("requests/s"), chartstyle::throughputColor(), Merge::Mean);
    addLine(Errors, m_throughput, tr("errors/s"), chartstyle::errorColor(), Merge::Mean);

    m_plannedSeries = new QLineSeries(this);
    m_plannedSeries->setName(tr("planned"));
    QPen plannedPen(chartstyle::plannedColor(), 1.5, Qt::DashLine);
    m_plannedSeries->setPen(plannedPen);
    m_vus.chart->addSeries(m_plannedSeries);
    m_plannedSeries->attachAxis(m_vus.timeAxis);
    m_plannedSeries->attachAxis(m_vus.valueAxis);
    addLine(Vus, m_vus, tr("active"), chartstyle::vusColor(), Merge::Mean);

    m_latencyView->setMinimumHeight(200);
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_latencyView, 0, 0, 1, 2);
    layout->addWidget(m_cumulativeBox, 0, 1, Qt::AlignRight | Qt::AlignTop);
    layout->addWidget(m_throughputView, 1, 0);
    layout->addWidget(m_vusView, 1, 1);
    layout->setRowStretch(0, 3);
    layout->setRowStretch(1, 2);

    redraw();
}

LiveCharts::Panel LiveCharts::makePanel(QChartView *view, const QString &title,
                                        const QString &valueTitle)
{
    Panel panel;
    panel.chart = new QChart;
    chartstyle::apply(view, panel.chart, title);
    panel.timeAxis = chartstyle::makeAxis(tr("elapsed (s)"), panel.chart, Qt::AlignBottom);
    panel.valueAxis = chartstyle::makeAxis(valueTitle, panel.chart, Qt::AlignLeft);
    return panel;
}

QLineSeries *LiveCharts::addLine(LineId id, Panel &panel, const QString &name, const QColor &color,
                                 SeriesHistory::Merge merge, qreal width)
{
    Line &line = m_lines[id];
    line.series = new QLineSeries(this);
    line.series->setName(name);
    line.series->setPen(QPen(color, width));
    line.history = SeriesHistory(pointsPerSeries, merge);
    panel.chart->addSeries(line.series);
    line.series->attachAxis(panel.timeAxis);
    line.series->attachAxis(panel.valueAxis);
    return line.series;
}

QList<QLineSeries *> LiveCharts::thresholdSeries() const
{
    QList<QLineSeries *> all;
    for (const ThresholdLine &line : m_thresholds)
        all << line.series;
    return all;
}

void LiveCharts::reset(const Scenario &scenario)
{
    for (Line &line : m_lines)
        line.history.clear();
    for (SeriesHistory &history : m_wholeRun)
        history.clear();
    for (ThresholdLine &line : m_thresholds) {
        line.panel->chart->removeSeries(line.series);
        delete line.series;
    }
    m_thresholds.clear();
    for (const Threshold &t : scenario.thresholds) {
        using A = Threshold::Aggregation;
        Panel *panel = nullptr;
        if (t.metric == QLatin1String("http_req_duration")
            && (t.aggregation == A::Percentile || t.aggregation == A::Avg || t.aggregation == A::Med
                || t.aggregation == A::Max || t.aggregation == A::Min))
            panel = &m_latency;
        else if (t.metric == QLatin1String("http_reqs") && t.aggregation == A::Rate)
            panel = &m_throughput;
        if (!panel)
            continue;
        ThresholdLine line{new QLineSeries(this), panel, t.expression, t.limit};
        // Not a data colour: a limit must not read as one more percentile.
        line.series->setPen(QPen(QColor(0x57, 0x60, 0x6a), 1.2, Qt::DashDotLine));
        panel->chart->addSeries(line.series);
        line.series->attachAxis(panel->timeAxis);
        line.series->attachAxis(panel->valueAxis);
        m_thresholds.append(line);
    }
    m_elapsedSeconds = 0;
    m_plannedSeconds = 0;
    m_plannedPoints.clear();
    if (!scenario.scenarios.isEmpty()) {
        m_plannedSeconds = toSeconds(scenario.plannedDuration());
        const ScenarioConfig &config = scenario.main();
        if (scenario.scenarios.size() == 1 && config.startTime.count() == 0) {
            m_plannedPoints = ProfileChart::profilePoints(config.initialVus(), config.profile());
        } else {
            // Scenarios side by side, or one that starts late: the sum of the plans, as steps
            // at each moment it changes (capped: a ramp of thousands of VUs is drawn coarser).
            Nanoseconds t{0};
            int vus = scenario.plannedVusAt(t);
            m_plannedPoints.append({0, double(vus)});
            for (int i = 0; i < 2000; ++i) {
                const auto next = scenario.nextVuChangeAfter(t);
                if (!next || *next > scenario.plannedDuration())
                    break;
                t = *next;
                m_plannedPoints.append({toSeconds(t), double(vus)});
                vus = scenario.plannedVusAt(t);
                m_plannedPoints.append({toSeconds(t), double(vus)});
            }
            m_plannedPoints.append({m_plannedSeconds, double(vus)});
        }
    }
    redraw();
}

void LiveCharts::setCumulative(bool cumulative)
{
    m_cumulative = cumulative;
    if (m_cumulativeBox->isChecked() != cumulative)
        m_cumulativeBox->setChecked(cumulative);
    m_latency.chart->setTitle(cumulative ? tr("Latency, whole run so far") : tr("Latency per second"));
    redraw();
}

void LiveCharts::addSnapshot(const IntervalSnapshot &snapshot)
{
    const double t = snapshot.elapsedSeconds;
    m_elapsedSeconds = qMax(m_elapsedSeconds, t);
    // An interval without a response has no latency: leave a straight line, not a drop to 0.
    if (snapshot.requests > 0) {
        m_lines[P50].history.append({t, snapshot.p50Ms});
        m_lines[P95].history.append({t, snapshot.p95Ms});
        m_lines[P99].history.append({t, snapshot.p99Ms});
    }
    if (snapshot.totalRequests > 0) {
        m_wholeRun[0].append({t, snapshot.cumulativeP50Ms});
        m_wholeRun[1].append({t, snapshot.cumulativeP95Ms});
        m_wholeRun[2].append({t, snapshot.cumulativeP99Ms});
    }
    const double seconds = snapshot.intervalSeconds > 0 ? snapshot.intervalSeconds : 1.0;
    m_lines[Requests].history.append({t, snapshot.requestsPerSecond});
    m_lines[Errors].history.append({t, double(snapshot.failed) / seconds});
    m_lines[Vus].history.append({t, double(snapshot.vus)});
    redraw();
}

void LiveCharts::redraw()
{
    // Latency and throughput grow with the run, so their detail stays readable; the VU chart
    // shows the whole plan of a short run, so progress against it reads left to right.
    const double detailSpan = qMax(m_elapsedSeconds, qMin(m_plannedSeconds > 0 ? m_plannedSeconds : 30.0, 30.0));
    double planSpan = m_elapsedSeconds;
    if (m_plannedSeconds > 0 && m_plannedSeconds <= wholePlanUpToSeconds)
        planSpan = qMax(planSpan, m_plannedSeconds);
    planSpan = qMax(planSpan, detailSpan);

    auto scaled = [](QList<QPointF> points, double unitSeconds, double *maxY) {
        for (QPointF &point : points) {
            point.setX(point.x() / unitSeconds);
            *maxY = qMax(*maxY, point.y());
        }
        return points;
    };
    const auto [detailUnit, detailUnitName] = ProfileChart::timeUnitFor(detailSpan);
    const auto [planUnit, planUnitName] = ProfileChart::timeUnitFor(planSpan);
    double maxLatency = 0, maxRate = 0, maxVus = 0;
    for (int id = 0; id < LineCount; ++id) {
        Line &line = m_lines[id];
        double *maxY = id <= P99 ? &maxLatency : id <= Errors ? &maxRate : &maxVus;
        const SeriesHistory &history = m_cumulative && id <= P99 ? m_wholeRun[id] : line.history;
        line.series->replace(scaled(history.points(), id == Vus ? planUnit : detailUnit, maxY));
    }
    m_plannedSeries->replace(scaled(m_plannedPoints, planUnit, &maxVus));

    // A limit near what the run shows widens the axis to show it; one far above would only
    // flatten the curves into the floor, so it stays off and its legend says where it is.
    for (ThresholdLine &line : m_thresholds) {
        double &maxY = line.panel == &m_latency ? maxLatency : maxRate;
        const bool shown = line.limit <= 3 * std::max(maxY, line.panel == &m_latency ? 0.1 : 1.0);
        if (shown)
            maxY = std::max(maxY, line.limit);
        // The legend reads rich text: "p(95)<200" would lose its "<200" as a tag.
        const QString label = line.label.toHtmlEscaped();
        line.series->setName(shown ? label : tr("%1 (above the chart)").arg(label));
        line.series->replace({QPointF(0, line.limit), QPointF(detailSpan / detailUnit, line.limit)});
    }
    for (Panel *panel : {&m_latency, &m_throughput}) {
        panel->timeAxis->setTitleText(tr("elapsed (%1)").arg(detailUnitName));
        chartstyle::setNiceRange(panel->timeAxis, 0, detailSpan / detailUnit, 6);
    }
    m_vus.timeAxis->setTitleText(tr("elapsed (%1)").arg(planUnitName));
    chartstyle::setNiceRange(m_vus.timeAxis, 0, planSpan / planUnit, 6);
    chartstyle::setNiceRange(m_latency.valueAxis, 0, qMax(maxLatency * 1.1, 0.1), 5);
    chartstyle::setNiceRange(m_throughput.valueAxis, 0, qMax(maxRate * 1.1, 1.0), 4);
    chartstyle::setNiceRange(m_vus.valueAxis, 0, qMax(maxVus * 1.1, 1.0), 4);
}

} // namespace loadbench
