// SPDX-License-Identifier: GPL-3.0-or-later
#include "stagedelegate.h"

#include "stagemodel.h"

#include <QLineEdit>
#include <QSpinBox>

namespace loadbench {

QWidget *StageDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    switch (index.column()) {
    case StageModel::DurationColumn: {
        auto *editor = new QLineEdit(parent);
        editor->setFrame(false);
        editor->setPlaceholderText(tr("30s, 1m30s, 500ms"));
        return editor;
    }
    case StageModel::TargetColumn: {
        auto *editor = new QSpinBox(parent);
        editor->setFrame(false);
        editor->setRange(0, StageModel::maxTargetVus);
        editor->setAlignment(Qt::AlignRight);
        return editor;
    }
    default:
        return QStyledItemDelegate::createEditor(parent, option, index);
    }
}

} // namespace loadbench
