// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenarioeditor.h"

#include <QCoreApplication>
#include <QUndoCommand>

namespace loadbench {

// The undoable edits of the ScenarioEditor that are more than a stage edit (those are in
// stagecommands.h). They share the editor's undo stack with the stage commands, so the history
// stays in step with what the stage commands refer to: the rows of the ramping profile.

// A preset replaced the whole scenario: executor, fields, stages, thresholds. The editor's state
// is kept as its widgets held it before and after (text as typed, even when not valid), so undo
// gives back exactly what the user had, not a re-reading of it.
class ApplyPresetCommand : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(ApplyPresetCommand)
public:
    // Pushed after the preset is shown: the first redo() has nothing to do.
    ApplyPresetCommand(ScenarioEditor *editor, const ScenarioEditor::State &before,
                       const ScenarioEditor::State &after, const QString &presetTitle);
    void undo() override;
    void redo() override;

private:
    ScenarioEditor *m_editor;
    ScenarioEditor::State m_before;
    ScenarioEditor::State m_after;
    bool m_shown = true;
};

// Another executor picked. A flat executor replaces the stage rows with its one-stage profile
// (and the editor keeps the ramping stages aside); without this step in the history, undoing a
// stage edit while a flat profile is shown would change the wrong rows. Undo picks the previous
// executor again, which brings the ramping stages back.
class ChangeExecutorCommand : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(ChangeExecutorCommand)
public:
    // Pushed after the combo changed: the first redo() has nothing to do.
    ChangeExecutorCommand(ScenarioEditor *editor, ExecutorType before, ExecutorType after);
    void undo() override;
    void redo() override;

private:
    ScenarioEditor *m_editor;
    ExecutorType m_before;
    ExecutorType m_after;
    bool m_shown = true;
};

} // namespace loadbench
