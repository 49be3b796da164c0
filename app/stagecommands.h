// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QCoreApplication>
#include <QList>
#include <QUndoCommand>

namespace loadbench {

class StageModel;

// The undoable edits of a StageModel, one class per kind of edit. StageModel creates them from
// its editing API (the table's setData, the row operations, the chart's drags, the start value)
// and pushes them on its undo stack; so whichever view made an edit, Ctrl+Z takes back exactly
// that edit, and both views follow because the commands change the model, never a view.
//
// Each command keeps the values before and after (not a copy of all stages): a cell edit then
// refreshes one row instead of resetting the model, and the table keeps its selection.

// The base: StageModel lets its commands (and only them) apply changes without recording them
// again.
class StageCommand : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(StageCommand)
public:
    // Commands that merge: consecutive ones of the same id and gesture become one undo step.
    enum Id { DragPointId = 1, StartValueId = 2 };

protected:
    StageCommand(StageModel *model, const QString &text);

    void applyStage(int row, const Stage &stage);
    void applyInsert(int row, const QList<Stage> &stages);
    void applyRemove(int row, int count);
    void applyMove(int sourceRow, int count, int destinationChild);
    void applyStartValue(int value);

    StageModel *m_model;
};

// A duration or a target typed into the stage table. Never merged: each typed value is a step.
class EditStageCommand : public StageCommand
{
public:
    EditStageCommand(StageModel *model, int row, int column, const Stage &before, const Stage &after);
    void undo() override;
    void redo() override;

private:
    int m_row;
    Stage m_before;
    Stage m_after;
};

// One drag of one point of the profile chart, press to release. The chart sends a position on
// every mouse move; the moves of one gesture merge into the first command, so the whole drag
// is one undo step however many moves it took, and a drag that ends where it began (or is
// cancelled with Esc) leaves no step at all (the merged command becomes obsolete).
// Point 0 is the start value (only Stage::target counts), point i the end of stage i.
class DragPointCommand : public StageCommand
{
public:
    DragPointCommand(StageModel *model, int point, const Stage &before, const Stage &after, int gesture);
    void undo() override;
    void redo() override;
    int id() const override { return DragPointId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    void apply(const Stage &stage);

    int m_point;
    Stage m_before;
    Stage m_after;
    int m_gesture;
};

// Stages added (the Add button inserts one after the selected row).
class InsertStageCommand : public StageCommand
{
public:
    InsertStageCommand(StageModel *model, int row, const QList<Stage> &stages);
    void undo() override;
    void redo() override;

private:
    int m_row;
    QList<Stage> m_stages;
};

// Stages removed; undo puts the same stages back at the same rows.
class RemoveStageCommand : public StageCommand
{
public:
    RemoveStageCommand(StageModel *model, int row, const QList<Stage> &stages);
    void undo() override;
    void redo() override;

private:
    int m_row;
    QList<Stage> m_stages;
};

// Stages reordered (Up / Down). Arguments as QAbstractItemModel::moveRows takes them: the rows
// land before destinationChild.
class MoveStageCommand : public StageCommand
{
public:
    MoveStageCommand(StageModel *model, int sourceRow, int count, int destinationChild);
    void undo() override;
    void redo() override;

private:
    int m_sourceRow;
    int m_count;
    int m_destinationChild;
};

// The start value (startVUs / startRate) set in its spin box. A spin box reports every
// keystroke and arrow click; the changes of one editing session (until it loses focus or
// Return is pressed) merge into one step, so typing "120" is not three steps.
class SetStartValueCommand : public StageCommand
{
public:
    SetStartValueCommand(StageModel *model, int before, int after, int session);
    void undo() override;
    void redo() override;
    int id() const override { return StartValueId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    void updateText();

    int m_before;
    int m_after;
    int m_session; // 0: never merged
};

} // namespace loadbench
