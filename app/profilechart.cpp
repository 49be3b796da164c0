// SPDX-License-Identifier: GPL-3.0-or-later
#include "profilechart.h"

#include "chartstyle.h"
#include "stagemodel.h"

#include <QAreaSeries>
#include <QChart>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

namespace loadbench {

ProfileChart::ProfileChart(StageModel *model, QWidget *parent)
    : QChartView(parent), m_model(model), m_series(new QLineSeries(this))
{
    auto *chart = new QChart;
    chartstyle::apply(this, chart, tr("Planned VUs"));
    chart->legend()->hide();

    m_area = new QAreaSeries(m_series);
    QColor fill = chartstyle::vusColor();
    fill.setAlpha(60);
    m_area->setBrush(fill);
    m_area->setPen(QPen(chartstyle::vusColor(), 2));
    chart->addSeries(m_area);
    m_timeAxis = chartstyle::makeAxis(tr("time (s)"), chart, Qt::AlignBottom);
    m_vusAxis = chartstyle::makeAxis(tr("VUs"), chart, Qt::AlignLeft);
    m_area->attachAxis(m_timeAxis);
    m_area->attachAxis(m_vusAxis);

    // The handles and the label are painted over the chart (drawForeground): repaint all of it
    // on every change rather than the parts the scene knows about.
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    viewport()->setMouseTracking(true);

    connect(m_model, &StageModel::stagesChanged, this, &ProfileChart::redraw);
    connect(m_model, &StageModel::startValueChanged, this, &ProfileChart::redraw);
    redraw();
}

void ProfileChart::setTarget(const QString &title, const QString &axisTitle)
{
    chart()->setTitle(title);
    m_vusAxis->setTitleText(axisTitle);
}

int ProfileChart::startVus() const
{
    return m_model->startValue();
}

void ProfileChart::setEditable(bool editable)
{
    if (editable == m_editable)
        return;
    m_editable = editable;
    if (!editable) {
        endDrag();
        setHovered(-1);
    }
    viewport()->update();
}

QList<QPointF> ProfileChart::profilePoints(int startVus, const QList<Stage> &stages)
{
    QList<QPointF> points;
    points.reserve(stages.size() + 1);
    points.append(QPointF(0, startVus));
    Nanoseconds end{0};
    for (const Stage &stage : stages) {
        end += stage.duration;
        points.append(QPointF(toSeconds(end), stage.target));
    }
    return points;
}

std::pair<double, QString> ProfileChart::timeUnitFor(double totalSeconds)
{
    if (totalSeconds > 2 * 3600)
        return {3600, tr("h")};
    if (totalSeconds > 5 * 60)
        return {60, tr("min")};
    return {1, tr("s")};
}

Nanoseconds ProfileChart::durationStepFor(double secondsPerPixel)
{
    // Steps a person reads as round at any scale: a 30-minute soak snaps to 10 s or 15 s, a day
    // to 5 or 10 minutes, a 1-minute smoke test to whole seconds.
    static constexpr int ladder[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400};
    const double wanted = 1.5 * secondsPerPixel;
    for (const int seconds : ladder) {
        if (seconds >= wanted)
            return std::chrono::seconds(seconds);
    }
    return std::chrono::seconds(ladder[std::size(ladder) - 1]);
}

int ProfileChart::targetStepFor(double valuePerPixel)
{
    const double wanted = 1.5 * valuePerPixel;
    for (int magnitude = 1; magnitude <= StageModel::maxTargetVus; magnitude *= 10) {
        for (const int factor : {1, 2, 5}) {
            if (factor * magnitude >= wanted)
                return factor * magnitude;
        }
    }
    return StageModel::maxTargetVus;
}

Nanoseconds ProfileChart::durationStep() const
{
    const double width = chart()->plotArea().width();
    const double span = (m_timeAxis->max() - m_timeAxis->min()) * m_unitSeconds;
    return durationStepFor(width > 0 ? span / width : 1);
}

int ProfileChart::targetStep() const
{
    const double height = chart()->plotArea().height();
    const double span = m_vusAxis->max() - m_vusAxis->min();
    return targetStepFor(height > 0 ? span / height : 1);
}

void ProfileChart::redraw()
{
    const QList<Stage> stages = m_model->stages();
    if (m_drag.point > stages.size()) { // an undo (Ctrl+Z mid-drag) took the dragged stage away
        m_drag = {};
        m_hovered = -1;
        updateCursor();
    }
    const bool dragging = m_drag.point >= 0;
    QList<QPointF> points = profilePoints(m_model->startValue(), stages);
    const double totalSeconds = points.last().x();
    // While a point is dragged the scale holds still (it only grows, to make room): an axis that
    // shrank under the pointer would move the point away from it, and the next move would pull
    // it further. The drag's end rescales.
    if (!dragging) {
        const auto [unitSeconds, unitName] = timeUnitFor(totalSeconds);
        m_unitSeconds = unitSeconds;
        m_timeAxis->setTitleText(tr("time (%1)").arg(unitName));
    }
    double maxVus = 0;
    for (QPointF &point : points) {
        point.setX(point.x() / m_unitSeconds);
        maxVus = qMax(maxVus, point.y());
    }
    double timeMax = qMax(totalSeconds / m_unitSeconds, 1.0);
    double vusMax = qMax(maxVus * 1.05, 1.0);
    if (dragging) {
        // Grow only when a point is past the edge (no headroom): a point dragged to the top
        // line stays there instead of rescaling the chart under the pointer.
        timeMax = qMax(timeMax, m_timeAxis->max());
        vusMax = qMax(maxVus, m_vusAxis->max());
    }
    m_series->replace(points);
    chartstyle::setNiceRange(m_timeAxis, 0, timeMax, 4);
    chartstyle::setNiceRange(m_vusAxis, 0, vusMax, 4);
    viewport()->update();
}

QPointF ProfileChart::pointPosition(int point) const
{
    const QList<QPointF> points = m_series->points();
    if (point < 0 || point >= points.size())
        return {};
    const QPointF scene = chart()->mapToScene(chart()->mapToPosition(points.at(point), m_area));
    return viewportTransform().map(scene);
}

QPointF ProfileChart::valueAt(const QPointF &viewportPos) const
{
    const QPointF scene = viewportTransform().inverted().map(viewportPos);
    return chart()->mapToValue(chart()->mapFromScene(scene), m_area);
}

int ProfileChart::pointAt(const QPointF &viewportPos) const
{
    if (!m_editable)
        return -1;
    int nearest = -1;
    double nearestDistance = grabRadius;
    const int count = int(m_series->count());
    for (int point = 0; point < count; ++point) {
        const QPointF delta = pointPosition(point) - viewportPos;
        const double distance = std::hypot(delta.x(), delta.y());
        // On a tie the later point wins: after a 0 s stage two corners coincide, and only the
        // later one can be pulled apart (to the right).
        if (distance <= nearestDistance) {
            nearest = point;
            nearestDistance = distance;
        }
    }
    return nearest;
}

QString ProfileChart::pointLabel() const
{
    const int point = m_drag.point >= 0 ? m_drag.point : m_hovered;
    const QList<Stage> stages = m_model->stages();
    if (point < 0 || point > stages.size())
        return {};
    const Nanoseconds at = point == 0 ? Nanoseconds{0} : m_model->endOf(point - 1);
    const int value = point == 0 ? m_model->startValue() : stages.at(point - 1).target;
    return tr("%1 → %2 %3").arg(formatDuration(at)).arg(value).arg(m_model->targetUnit());
}

void ProfileChart::setHovered(int point)
{
    if (point == m_hovered)
        return;
    m_hovered = point;
    updateCursor();
    viewport()->update();
}

void ProfileChart::updateCursor()
{
    const int point = m_drag.point >= 0 ? m_drag.point : m_hovered;
    if (point < 0)
        viewport()->unsetCursor();
    else if (point == 0)
        viewport()->setCursor(Qt::SizeVerCursor); // the start point moves up and down only
    else
        viewport()->setCursor(m_drag.point >= 0 ? Qt::ClosedHandCursor : Qt::OpenHandCursor);
}

void ProfileChart::mousePressEvent(QMouseEvent *event)
{
    const int point = event->button() == Qt::LeftButton ? pointAt(event->position()) : -1;
    if (point < 0) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_drag.point = point;
    m_drag.gesture = m_model->newGesture();
    // Keep the grab offset (in whole pixels: presses come in whole pixels), so that a point
    // taken by its edge does not jump under the pointer.
    m_drag.offset = (event->position() - pointPosition(point)).toPoint();
    m_drag.pressPos = event->position();
    m_drag.original = point == 0 ? Stage{Nanoseconds{0}, m_model->startValue()}
                                 : m_model->stages().at(point - 1);
    m_hovered = point;
    setFocus(Qt::MouseFocusReason); // for Esc
    updateCursor();
    viewport()->update();
    Q_EMIT pointGrabbed(point);
    event->accept();
}

void ProfileChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_drag.point >= 0) {
        dragTo(event->position());
        event->accept();
        return;
    }
    setHovered(pointAt(event->position()));
    QChartView::mouseMoveEvent(event);
}

void ProfileChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag.point < 0 || event->button() != Qt::LeftButton) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    dragTo(event->position());
    endDrag();
    setHovered(pointAt(event->position()));
    event->accept();
}

void ProfileChart::keyPressEvent(QKeyEvent *event)
{
    if (m_drag.point >= 0 && event->key() == Qt::Key_Escape) {
        // Back to where the drag began: merged into the drag's command, which then changes
        // nothing and leaves the undo stack.
        m_model->dragPoint(m_drag.point, m_drag.original.duration, m_drag.original.target, m_drag.gesture);
        endDrag();
        event->accept();
        return;
    }
    QChartView::keyPressEvent(event);
}

bool ProfileChart::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::Leave && m_drag.point < 0)
        setHovered(-1);
    return QChartView::viewportEvent(event);
}

void ProfileChart::dragTo(const QPointF &viewportPos)
{
    const int point = m_drag.point;
    if (point < 0 || point > m_model->rowCount())
        return;
    const QPointF delta = viewportPos - m_drag.pressPos;
    // Where the point itself goes: under the pointer, less the grab offset.
    const QPointF value = valueAt(viewportPos - m_drag.offset);
    int target = m_drag.original.target;
    if (std::abs(delta.y()) >= deadZone) {
        const int step = targetStep();
        target = int(std::lround(qMax(0.0, value.y()) / step)) * step;
    }
    Nanoseconds duration = m_drag.original.duration;
    if (point > 0 && std::abs(delta.x()) >= deadZone) {
        // The stage's duration snaps, not the point's time: the stages before it keep theirs,
        // so a 1.5 s stage before it does not force this one onto a half second.
        const Nanoseconds step = durationStep();
        const double stageStart = toSeconds(m_model->endOf(point - 2));
        const double seconds = value.x() * m_unitSeconds - stageStart;
        duration = step * std::max<long long>(0, std::llround(seconds / toSeconds(step)));
    }
    const double timeMax = m_timeAxis->max();
    const double vusMax = m_vusAxis->max();
    m_model->dragPoint(point, duration, target, m_drag.gesture); // redraws
    // The scale grew to make room (the point went past an edge, or pushed the later stages
    // past the end): what the pointer's pixel means changed. Take the grab offset from where
    // the point is drawn now, so the next move goes on from this value instead of jumping to
    // what that pixel means on the new scale.
    if (m_drag.point >= 0 && (m_timeAxis->max() != timeMax || m_vusAxis->max() != vusMax))
        m_drag.offset = viewportPos - pointPosition(point);
}

void ProfileChart::endDrag()
{
    if (m_drag.point < 0)
        return;
    m_drag = {};
    redraw(); // the scale held still during the drag
    updateCursor();
}

void ProfileChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (!m_editable)
        return;
    const QList<QPointF> points = m_series->points();
    const QColor color = chartstyle::vusColor();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    auto scenePos = [this](const QPointF &value) {
        return chart()->mapToScene(chart()->mapToPosition(value, m_area));
    };
    // A handle on every corner says "these can be moved".
    painter->setPen(QPen(Qt::white, 1.5));
    painter->setBrush(color);
    for (const QPointF &value : points)
        painter->drawEllipse(scenePos(value), 3.5, 3.5);

    const int active = m_drag.point >= 0 ? m_drag.point : m_hovered;
    if (active >= 0 && active < points.size()) {
        const QPointF at = scenePos(points.at(active));
        painter->setPen(QPen(color, 2.5));
        painter->setBrush(Qt::white);
        painter->drawEllipse(at, 6.5, 6.5);

        // The label: "1m30s → 50 VUs", beside the point and inside the view.
        const QString text = pointLabel();
        QFont font = this->font();
        font.setPointSizeF(font.pointSizeF() * 0.9);
        const QFontMetricsF metrics(font);
        const QSizeF size(metrics.horizontalAdvance(text) + 12, metrics.height() + 6);
        const QRectF visible = mapToScene(viewport()->rect()).boundingRect().adjusted(2, 2, -2, -2);
        QRectF box(at + QPointF(10, -10 - size.height()), size);
        if (box.right() > visible.right())
            box.moveRight(at.x() - 10);
        if (box.top() < visible.top())
            box.moveTop(at.y() + 10);
        box.moveLeft(qMax(box.left(), visible.left()));
        box.moveBottom(qMin(box.bottom(), visible.bottom()));
        painter->setPen(QPen(color, 1));
        painter->setBrush(QColor(255, 255, 255, 235));
        painter->drawRoundedRect(box, 4, 4);
        painter->setFont(font);
        painter->setPen(palette().color(QPalette::Active, QPalette::WindowText));
        painter->drawText(box, Qt::AlignCenter, text);
    }
    painter->restore();
}

} // namespace loadbench
