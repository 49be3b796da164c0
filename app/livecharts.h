// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "scenario/scenario.h"
#include "serieshistory.h"

#include <QList>
#include <QPointF>
#include <QWidget>

#include <vector>

class QChart;
class QCheckBox;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace loadbench {

// The charts of a run as it goes: latency percentiles per interval, requests and errors per
// second, active VUs against the plan. Fed one snapshot a second; each series keeps a bounded
// SeriesHistory and is redrawn with one replace() per snapshot, animations off.
class LiveCharts : public QWidget
{
    Q_OBJECT
public:
    explicit LiveCharts(QWidget *parent = nullptr);

    // Empties every series and draws the planned VUs of the run about to start.
    void reset(const Scenario &scenario);
    void addSnapshot(const IntervalSnapshot &snapshot);

    QLineSeries *p50Series() const { return m_lines[P50].series; }
    QLineSeries *p95Series() const { return m_lines[P95].series; }
    QLineSeries *p99Series() const { return m_lines[P99].series; }
    QLineSeries *requestsSeries() const { return m_lines[Requests].series; }
    QLineSeries *errorsSeries() const { return m_lines[Errors].series; }
    QLineSeries *vusSeries() const { return m_lines[Vus].series; }
    QLineSeries *plannedVusSeries() const { return m_plannedSeries; }
    // One dashed line per threshold whose limit can be drawn on a chart: http_req_duration's
    // percentiles, avg, med, min and max (latency chart, in ms) and http_reqs' rate
    // (throughput chart). A limit far above what the run shows stays off the axis (drawing it
    // would flatten the curves); its legend entry says so.
    QList<QLineSeries *> thresholdSeries() const;
    QChartView *latencyView() const { return m_latencyView; }
    // The latency chart per second (default) or over the whole run so far (cumulative
    // percentiles, which the thresholds judge); both are kept, so switching redraws at once.
    void setCumulative(bool cumulative);
    bool isCumulative() const { return m_cumulative; }
    QCheckBox *cumulativeBox() const { return m_cumulativeBox; }
    QChartView *throughputView() const { return m_throughputView; }
    QChartView *vusView() const { return m_vusView; }

    static constexpr qsizetype pointsPerSeries = 600;

private:
    enum LineId { P50, P95, P99, Requests, Errors, Vus, LineCount };
    struct Line {
        QLineSeries *series = nullptr;
        SeriesHistory history;
    };
    struct Panel {
        QChart *chart = nullptr;
        QValueAxis *timeAxis = nullptr;
        QValueAxis *valueAxis = nullptr;
    };

    QLineSeries *addLine(LineId id, Panel &panel, const QString &name, const QColor &color,
                         SeriesHistory::Merge merge, qreal width = 2);
    Panel makePanel(QChartView *view, const QString &title, const QString &valueTitle);
    void redraw();

    QChartView *m_latencyView;
    QChartView *m_throughputView;
    QChartView *m_vusView;
    Panel m_latency;
    Panel m_throughput;
    Panel m_vus;
    std::vector<Line> m_lines;
    QLineSeries *m_plannedSeries = nullptr;
    SeriesHistory m_wholeRun[3]; // cumulative p50, p95, p99
    bool m_cumulative = false;
    QCheckBox *m_cumulativeBox;
    struct ThresholdLine {
        QLineSeries *series = nullptr;
        Panel *panel = nullptr;
        QString label; // "p(95)<200"
        double limit = 0;
    };
    QList<ThresholdLine> m_thresholds;
    QList<QPointF> m_plannedPoints; // seconds, VUs
    double m_plannedSeconds = 0;
    double m_elapsedSeconds = 0;
};

} // namespace loadbench
