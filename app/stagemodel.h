// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QAbstractTableModel>
#include <QList>

namespace loadbench {

// The stages of a ramping-vus profile, one row each: duration (a k6 string such as "1m30s"),
// target VUs, and the time the stage ends (read only). The stage table and the profile chart
// are two views of this one model.
class StageModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { DurationColumn, TargetColumn, EndColumn, ColumnCount };
    static constexpr int maxTargetVus = 1'000'000;

    explicit StageModel(QObject *parent = nullptr);

    QList<Stage> stages() const { return m_stages; }
    void setStages(const QList<Stage> &stages);
    // What a target counts: "VUs" (ramping-vus) or an arrival rate such as "iterations/s"
    // (ramping-arrival-rate). Used in the header, tooltips and messages.
    void setTargetUnit(const QString &unit);
    QString targetUnit() const { return m_unit; }
    Nanoseconds totalDuration() const;

    // Inserts one stage after `row` (at the end when row < 0): 30s holding the VUs of the
    // stage before it. Returns the new row.
    int addStage(int row = -1);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Rejects (returns false and emits inputRejected) text that is not a k6 duration and
    // targets outside 0 … maxTargetVus.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;

Q_SIGNALS:
    // Any change of the stages: an edit, a row added, removed or moved, a reset.
    void stagesChanged();
    void inputRejected(const QString &message);

private:
    Nanoseconds endOf(int row) const;

    QList<Stage> m_stages;
    QString m_unit = tr("VUs");
};

} // namespace loadbench
