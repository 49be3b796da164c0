// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QChartView>
#include <QList>
#include <QPointF>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace loadbench {

class StageModel;

// The planned VU profile drawn from the stage model: a second view of the same rows as the
// stage table, redrawn on every edit.
class ProfileChart : public QChartView
{
    Q_OBJECT
public:
    explicit ProfileChart(StageModel *model, QWidget *parent = nullptr);

    void setStartVus(int vus);
    // The title and y axis: planned VUs, or the planned arrival rate for arrival-rate executors.
    void setTarget(const QString &title, const QString &axisTitle);
    int startVus() const { return m_startVus; }

    // The profile, in the time unit the axis shows (timeUnitSeconds()), VUs on y.
    QLineSeries *series() const { return m_series; }
    QValueAxis *timeAxis() const { return m_timeAxis; }
    QValueAxis *vusAxis() const { return m_vusAxis; }
    double timeUnitSeconds() const { return m_unitSeconds; }

    // Corners of the piecewise-linear profile, x in seconds: (0, start), then each stage's end.
    static QList<QPointF> profilePoints(int startVus, const QList<Stage> &stages);
    // Seconds per unit and unit name that keep a span of totalSeconds readable (s, min or h).
    static std::pair<double, QString> timeUnitFor(double totalSeconds);

private:
    void redraw();

    StageModel *m_model;
    QLineSeries *m_series;
    QAreaSeries *m_area;
    QValueAxis *m_timeAxis;
    QValueAxis *m_vusAxis;
    int m_startVus = 0;
    double m_unitSeconds = 1;
};

} // namespace loadbench
