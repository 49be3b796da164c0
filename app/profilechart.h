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

// The planned profile drawn from the stage model: a second view of the same rows as the stage
// table, redrawn on every edit. When editable (the ramping executors), its corner points can be
// dragged with the mouse: sideways changes the duration of the stage that ends there (the later
// stages shift with it), up and down its target; the start point moves up and down only (the
// start value). A drag is edited through the model (StageModel::dragPoint), so the table follows
// it live and the whole drag is one undo step. Esc during a drag puts the point back.
class ProfileChart : public QChartView
{
    Q_OBJECT
public:
    explicit ProfileChart(StageModel *model, QWidget *parent = nullptr);

    // The title and y axis: planned VUs, or the planned arrival rate for arrival-rate executors.
    void setTarget(const QString &title, const QString &axisTitle);
    // The value at t = 0: the model's start value.
    int startVus() const;

    void setEditable(bool editable);
    bool isEditable() const { return m_editable; }

    // The profile, in the time unit the axis shows (timeUnitSeconds()), VUs on y.
    QLineSeries *series() const { return m_series; }
    QAreaSeries *areaSeries() const { return m_area; }
    QValueAxis *timeAxis() const { return m_timeAxis; }
    QValueAxis *vusAxis() const { return m_vusAxis; }
    double timeUnitSeconds() const { return m_unitSeconds; }

    // Where corner `point` is drawn, in viewport coordinates: 0 the start, i the end of stage i.
    QPointF pointPosition(int point) const;
    // The corner nearest to a viewport position, within grabRadius pixels; -1 when none (or
    // when the chart is not editable).
    int pointAt(const QPointF &viewportPos) const;
    int hoveredPoint() const { return m_hovered; }
    int draggedPoint() const { return m_drag.point; }
    // What the label beside the hovered or dragged point says ("1m30s → 50 VUs"); empty when
    // the pointer is on no point.
    QString pointLabel() const;
    // The steps a drag snaps to at the chart's current size and scale: whole seconds and whole
    // VUs, or round coarser steps when one pixel is worth more.
    Nanoseconds durationStep() const;
    int targetStep() const;

    // Corners of the piecewise-linear profile, x in seconds: (0, start), then each stage's end.
    static QList<QPointF> profilePoints(int startVus, const QList<Stage> &stages);
    // Seconds per unit and unit name that keep a span of totalSeconds readable (s, min or h).
    static std::pair<double, QString> timeUnitFor(double totalSeconds);
    // The smallest of 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 min, … that spans 1.5 pixels.
    static Nanoseconds durationStepFor(double secondsPerPixel);
    // The smallest of 1, 2, 5, 10, 20, 50, … that spans 1.5 pixels.
    static int targetStepFor(double valuePerPixel);

    static constexpr int grabRadius = 8;
    // A pointer that moved less than this from the press leaves that coordinate as it was: a
    // vertical drag does not round the duration, nor a sideways one the target.
    static constexpr int deadZone = 3;

Q_SIGNALS:
    // A point was pressed: the editor selects its stage in the table.
    void pointGrabbed(int point);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    struct Drag {
        int point = -1;
        int gesture = 0;
        QPointF pressPos;
        QPointF offset;  // from the point to the pointer at the press
        Stage original;  // point 0: target is the start value
    };

    void redraw();
    void setHovered(int point);
    void updateCursor();
    void dragTo(const QPointF &viewportPos);
    void endDrag();
    QPointF valueAt(const QPointF &viewportPos) const;

    StageModel *m_model;
    QLineSeries *m_series;
    QAreaSeries *m_area;
    QValueAxis *m_timeAxis;
    QValueAxis *m_vusAxis;
    double m_unitSeconds = 1;
    bool m_editable = true;
    int m_hovered = -1;
    Drag m_drag;
};

} // namespace loadbench
