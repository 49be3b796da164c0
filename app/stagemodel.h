// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QAbstractTableModel>
#include <QList>

class QUndoStack;

namespace loadbench {

class StageCommand;

// The stages of a ramping profile, one row each: duration (a k6 string such as "1m30s"), target
// VUs, and the time the stage ends (read only), plus the start value the first stage ramps
// from. The stage table and the profile chart are two views of this one model.
//
// Undo: when an undo stack is set, every edit made through the editing API below (the table's
// setData, insertRows/removeRows/moveRows, setStartValue, dragPoint) becomes a command on it
// (stagecommands.h), so the table, the chart and the Edit menu agree on one history. setStages
// and resetStartValue replace the profile without a record: they are for loading and for the
// flat profile the non-ramping executors draw; whoever calls them decides about the history.
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
    // When stage `row` ends, from the start of the profile.
    Nanoseconds endOf(int row) const;

    // The value at t = 0 that the first stage ramps from (startVUs, or startRate for
    // ramping-arrival-rate).
    int startValue() const { return m_startValue; }
    // Recorded. Calls with the same non-zero session are merged into one undo step while
    // nothing else was recorded between them (typing "50" into a spin box is one step).
    void setStartValue(int value, int session = 0);
    // Not recorded.
    void resetStartValue(int value);

    // A point of the profile dragged on the chart: point 0 is the start (only `target` counts:
    // the start value), point i the end of stage i (its duration and target). All calls with
    // the same gesture are one undo step. Values are clamped to what a scenario accepts.
    void dragPoint(int point, Nanoseconds duration, int target, int gesture);
    // A number for a new gesture (a drag, a spin box editing session), never 0.
    int newGesture() { return ++m_lastGesture; }

    // Inserts one stage after `row` (at the end when row < 0): 30s holding the VUs of the
    // stage before it. Returns the new row.
    int addStage(int row = -1);

    void setUndoStack(QUndoStack *stack) { m_undoStack = stack; }
    QUndoStack *undoStack() const { return m_undoStack; }

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
    void startValueChanged(int value);
    void inputRejected(const QString &message);

private:
    // The commands change the model through these, without recording anything again.
    friend class StageCommand;
    void applyStage(int row, const Stage &stage);
    void applyInsert(int row, const QList<Stage> &stages);
    void applyRemove(int row, int count);
    void applyMove(int sourceRow, int count, int destinationChild);
    // Pushes the command (which applies it), or applies it at once when there is no stack.
    void record(StageCommand *command);

    QList<Stage> m_stages;
    QString m_unit = tr("VUs");
    int m_startValue = 0;
    int m_lastGesture = 0;
    QUndoStack *m_undoStack = nullptr;
};

} // namespace loadbench
