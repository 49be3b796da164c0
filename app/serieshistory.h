// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>

namespace loadbench {

// The points of one live chart series, bounded however long the run: one point per snapshot
// while they fit in `capacity`, then each pair of neighbours becomes one point (mean x; mean or
// max y), halving the resolution and keeping the whole run in view. With a capacity of 600 a
// 10-minute run keeps every 1-s point; a 4-hour soak keeps one point per 30–60 s. Max keeps
// latency spikes visible; Mean suits rates.
class SeriesHistory
{
public:
    enum class Merge { Mean, Max };

    explicit SeriesHistory(qsizetype capacity = 600, Merge merge = Merge::Mean);

    void append(const QPointF &point);
    void clear();

    // The stored points and, last, the bucket being filled, so the newest data always shows.
    QList<QPointF> points() const;
    qsizetype size() const { return m_points.size() + (m_pendingCount > 0 ? 1 : 0); }
    qsizetype capacity() const { return m_capacity; }
    // How many appended points each stored point stands for (1, 2, 4, ...).
    int pointsPerBucket() const { return m_pointsPerBucket; }

private:
    void halve();
    QPointF pendingPoint() const;

    QList<QPointF> m_points;
    qsizetype m_capacity;
    Merge m_merge;
    int m_pointsPerBucket = 1;
    // Points appended since the last stored one, when a bucket holds several.
    double m_pendingXSum = 0;
    double m_pendingY = 0; // sum (Mean) or maximum (Max)
    int m_pendingCount = 0;
};

} // namespace loadbench
