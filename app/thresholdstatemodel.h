// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "scenario/threshold.h"

#include <QAbstractTableModel>
#include <QList>

namespace loadbench {

// The thresholds of the current run and whether each holds: one row each (metric, threshold,
// observed value, state). Waiting before data comes, then green (holds) or red (crossed).
class ThresholdStateModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { MetricColumn, ExpressionColumn, ObservedColumn, StateColumn, ColumnCount };
    enum class State { Waiting, Holds, Crossed };

    explicit ThresholdStateModel(QObject *parent = nullptr);

    // Before a run: every threshold waiting for data.
    void setThresholds(const QList<Threshold> &thresholds);
    // During and after a run: the states the runner evaluated.
    void setStates(const QList<ThresholdState> &states);

    State stateAt(int row) const;
    int crossedCount() const;
    const QList<ThresholdState> &states() const { return m_states; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatObserved(const ThresholdState &state);

private:
    QList<ThresholdState> m_states;
};

} // namespace loadbench
