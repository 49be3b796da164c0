// SPDX-License-Identifier: GPL-3.0-or-later
#include "editorcommands.h"

namespace loadbench {

ApplyPresetCommand::ApplyPresetCommand(ScenarioEditor *editor, const ScenarioEditor::State &before,
                                       const ScenarioEditor::State &after, const QString &presetTitle)
    : m_editor(editor), m_before(before), m_after(after)
{
    // "Apply preset Average load": the title as a menu item reads it.
    QString title = presetTitle;
    if (!title.isEmpty())
        title[0] = title.at(0).toUpper();
    setText(tr("Apply preset %1").arg(title));
}

void ApplyPresetCommand::undo()
{
    m_editor->restoreState(m_before);
}

void ApplyPresetCommand::redo()
{
    if (m_shown) {
        m_shown = false;
        return;
    }
    m_editor->restoreState(m_after);
}

ChangeExecutorCommand::ChangeExecutorCommand(ScenarioEditor *editor, ExecutorType before, ExecutorType after)
    : m_editor(editor), m_before(before), m_after(after)
{
    setText(tr("Change executor to %1").arg(executorName(after)));
}

void ChangeExecutorCommand::undo()
{
    m_editor->replayExecutor(m_before);
}

void ChangeExecutorCommand::redo()
{
    if (m_shown) {
        m_shown = false;
        return;
    }
    m_editor->replayExecutor(m_after);
}

} // namespace loadbench
