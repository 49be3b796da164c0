// SPDX-License-Identifier: GPL-3.0-or-later
#include "profilechart.h"

#include "chartstyle.h"
#include "stagemodel.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

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

    connect(m_model, &StageModel::stagesChanged, this, &ProfileChart::redraw);
    redraw();
}

void ProfileChart::setTarget(const QString &title, const QString &axisTitle)
{
    chart()->setTitle(title);
    m_vusAxis->setTitleText(axisTitle);
}

void ProfileChart::setStartVus(int vus)
{
    if (vus == m_startVus)
        return;
    m_startVus = vus;
    redraw();
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

void ProfileChart::redraw()
{
    const QList<Stage> stages = m_model->stages();
    QList<QPointF> points = profilePoints(m_startVus, stages);
    const double totalSeconds = points.last().x();
    const auto [unitSeconds, unitName] = timeUnitFor(totalSeconds);
    m_unitSeconds = unitSeconds;
    double maxVus = 0;
    for (QPointF &point : points) {
        point.setX(point.x() / unitSeconds);
        maxVus = qMax(maxVus, point.y());
    }
    m_series->replace(points);
    m_timeAxis->setTitleText(tr("time (%1)").arg(unitName));
    chartstyle::setNiceRange(m_timeAxis, 0, qMax(totalSeconds / unitSeconds, 1.0), 4);
    chartstyle::setNiceRange(m_vusAxis, 0, qMax(maxVus * 1.05, 1.0), 4);
}

} // namespace loadbench
