// SPDX-License-Identifier: GPL-3.0-or-later
#include "serieshistory.h"

namespace loadbench {

SeriesHistory::SeriesHistory(qsizetype capacity, Merge merge)
    : m_capacity(qMax<qsizetype>(4, capacity + (capacity % 2))), m_merge(merge)
{
    m_points.reserve(m_capacity);
}

void SeriesHistory::clear()
{
    m_points.clear();
    m_pointsPerBucket = 1;
    m_pendingCount = 0;
    m_pendingXSum = 0;
    m_pendingY = 0;
}

void SeriesHistory::append(const QPointF &point)
{
    if (m_pendingCount == 0)
        m_pendingY = point.y();
    else if (m_merge == Merge::Max)
        m_pendingY = qMax(m_pendingY, point.y());
    else
        m_pendingY += point.y();
    m_pendingXSum += point.x();
    ++m_pendingCount;
    if (m_pendingCount < m_pointsPerBucket)
        return;
    m_points.append(pendingPoint());
    m_pendingCount = 0;
    m_pendingXSum = 0;
    m_pendingY = 0;
    if (m_points.size() >= m_capacity)
        halve();
}

QPointF SeriesHistory::pendingPoint() const
{
    const double n = m_pendingCount;
    return {m_pendingXSum / n, m_merge == Merge::Max ? m_pendingY : m_pendingY / n};
}

QList<QPointF> SeriesHistory::points() const
{
    if (m_pendingCount == 0)
        return m_points;
    QList<QPointF> result;
    result.reserve(m_points.size() + 1);
    result.append(m_points);
    result.append(pendingPoint());
    return result;
}

void SeriesHistory::halve()
{
    QList<QPointF> merged;
    merged.reserve(m_capacity);
    for (qsizetype i = 0; i + 1 < m_points.size(); i += 2) {
        const QPointF &a = m_points.at(i);
        const QPointF &b = m_points.at(i + 1);
        const double y = m_merge == Merge::Max ? qMax(a.y(), b.y()) : (a.y() + b.y()) / 2;
        merged.append({(a.x() + b.x()) / 2, y});
    }
    if (m_points.size() % 2)
        merged.append(m_points.last());
    m_points = std::move(merged);
    m_pointsPerBucket *= 2;
}

} // namespace loadbench
