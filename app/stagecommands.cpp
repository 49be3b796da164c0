// SPDX-License-Identifier: GPL-3.0-or-later
#include "stagecommands.h"

#include "stagemodel.h"

namespace loadbench {

StageCommand::StageCommand(StageModel *model, const QString &text) : m_model(model)
{
    setText(text);
}

void StageCommand::applyStage(int row, const Stage &stage)
{
    m_model->applyStage(row, stage);
}

void StageCommand::applyInsert(int row, const QList<Stage> &stages)
{
    m_model->applyInsert(row, stages);
}

void StageCommand::applyRemove(int row, int count)
{
    m_model->applyRemove(row, count);
}

void StageCommand::applyMove(int sourceRow, int count, int destinationChild)
{
    m_model->applyMove(sourceRow, count, destinationChild);
}

void StageCommand::applyStartValue(int value)
{
    m_model->resetStartValue(value);
}

// --- EditStageCommand

EditStageCommand::EditStageCommand(StageModel *model, int row, int column, const Stage &before,
                                   const Stage &after)
    : StageCommand(model,
                   column == StageModel::DurationColumn
                       ? tr("Set stage %1 duration to %2").arg(row + 1).arg(formatDuration(after.duration))
                       : tr("Set stage %1 target to %2 %3").arg(row + 1).arg(after.target).arg(model->targetUnit())),
      m_row(row),
      m_before(before),
      m_after(after)
{
}

void EditStageCommand::undo()
{
    applyStage(m_row, m_before);
}

void EditStageCommand::redo()
{
    applyStage(m_row, m_after);
}

// --- DragPointCommand

DragPointCommand::DragPointCommand(StageModel *model, int point, const Stage &before, const Stage &after,
                                   int gesture)
    : StageCommand(model, point == 0 ? tr("Drag start point") : tr("Drag stage %1").arg(point)),
      m_point(point),
      m_before(before),
      m_after(after),
      m_gesture(gesture)
{
    // A move that changes nothing (the pointer stayed within the snap step) is not a step of its
    // own; QUndoStack::push still offers it for merging, which is what ends a drag back where it
    // began as "no step".
    setObsolete(before == after);
}

void DragPointCommand::apply(const Stage &stage)
{
    if (m_point == 0)
        applyStartValue(stage.target);
    else
        applyStage(m_point - 1, stage);
}

void DragPointCommand::undo()
{
    apply(m_before);
}

void DragPointCommand::redo()
{
    apply(m_after);
}

bool DragPointCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const DragPointCommand *>(other); // same id()
    if (next->m_gesture != m_gesture || next->m_point != m_point)
        return false;
    m_after = next->m_after;
    setObsolete(m_before == m_after);
    return true;
}

// --- InsertStageCommand

InsertStageCommand::InsertStageCommand(StageModel *model, int row, const QList<Stage> &stages)
    : StageCommand(model, stages.size() == 1
                              ? tr("Add stage %1").arg(row + 1)
                              : tr("Add stages %1–%2").arg(row + 1).arg(row + stages.size())),
      m_row(row),
      m_stages(stages)
{
}

void InsertStageCommand::undo()
{
    applyRemove(m_row, int(m_stages.size()));
}

void InsertStageCommand::redo()
{
    applyInsert(m_row, m_stages);
}

// --- RemoveStageCommand

RemoveStageCommand::RemoveStageCommand(StageModel *model, int row, const QList<Stage> &stages)
    : StageCommand(model, stages.size() == 1
                              ? tr("Remove stage %1").arg(row + 1)
                              : tr("Remove stages %1–%2").arg(row + 1).arg(row + stages.size())),
      m_row(row),
      m_stages(stages)
{
}

void RemoveStageCommand::undo()
{
    applyInsert(m_row, m_stages);
}

void RemoveStageCommand::redo()
{
    applyRemove(m_row, int(m_stages.size()));
}

// --- MoveStageCommand

namespace {

QString moveText(int sourceRow, int count, int destinationChild)
{
    const int landsAt = destinationChild > sourceRow ? destinationChild - count : destinationChild;
    if (count > 1)
        return StageCommand::tr("Move stages %1–%2").arg(sourceRow + 1).arg(sourceRow + count);
    if (landsAt == sourceRow + 1)
        return StageCommand::tr("Move stage %1 down").arg(sourceRow + 1);
    if (landsAt == sourceRow - 1)
        return StageCommand::tr("Move stage %1 up").arg(sourceRow + 1);
    return StageCommand::tr("Move stage %1 to %2").arg(sourceRow + 1).arg(landsAt + 1);
}

} // namespace

MoveStageCommand::MoveStageCommand(StageModel *model, int sourceRow, int count, int destinationChild)
    : StageCommand(model, moveText(sourceRow, count, destinationChild)),
      m_sourceRow(sourceRow),
      m_count(count),
      m_destinationChild(destinationChild)
{
}

void MoveStageCommand::undo()
{
    // The rows now start where they landed; moving them back lands them at m_sourceRow, which in
    // moveRows' terms is "before m_sourceRow" when they moved down, and "before the row after
    // their old place" when they moved up.
    const int landedAt = m_destinationChild > m_sourceRow ? m_destinationChild - m_count : m_destinationChild;
    applyMove(landedAt, m_count, m_sourceRow < landedAt ? m_sourceRow : m_sourceRow + m_count);
}

void MoveStageCommand::redo()
{
    applyMove(m_sourceRow, m_count, m_destinationChild);
}

// --- SetStartValueCommand

SetStartValueCommand::SetStartValueCommand(StageModel *model, int before, int after, int session)
    : StageCommand(model, {}), m_before(before), m_after(after), m_session(session)
{
    updateText();
}

void SetStartValueCommand::updateText()
{
    setText(tr("Set start to %1 %2").arg(m_after).arg(m_model->targetUnit()));
}

void SetStartValueCommand::undo()
{
    applyStartValue(m_before);
}

void SetStartValueCommand::redo()
{
    applyStartValue(m_after);
}

bool SetStartValueCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const SetStartValueCommand *>(other); // same id()
    if (m_session == 0 || next->m_session != m_session)
        return false;
    m_after = next->m_after;
    updateText();
    setObsolete(m_before == m_after);
    return true;
}

} // namespace loadbench
