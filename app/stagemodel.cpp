// SPDX-License-Identifier: GPL-3.0-or-later
#include "stagemodel.h"

#include "stagecommands.h"

#include <QRegularExpression>
#include <QUndoStack>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace loadbench {

StageModel::StageModel(QObject *parent) : QAbstractTableModel(parent)
{
    connect(this, &QAbstractItemModel::dataChanged, this, &StageModel::stagesChanged);
    connect(this, &QAbstractItemModel::rowsInserted, this, &StageModel::stagesChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &StageModel::stagesChanged);
    connect(this, &QAbstractItemModel::rowsMoved, this, &StageModel::stagesChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &StageModel::stagesChanged);
}

void StageModel::setStages(const QList<Stage> &stages)
{
    beginResetModel();
    m_stages = stages;
    endResetModel();
}

Nanoseconds StageModel::totalDuration() const
{
    return endOf(int(m_stages.size()) - 1);
}

void StageModel::setStartValue(int value, int session)
{
    value = qBound(0, value, maxTargetVus);
    if (value != m_startValue)
        record(new SetStartValueCommand(this, m_startValue, value, session));
}

void StageModel::resetStartValue(int value)
{
    if (value == m_startValue)
        return;
    m_startValue = value;
    Q_EMIT startValueChanged(value);
}

void StageModel::dragPoint(int point, Nanoseconds duration, int target, int gesture)
{
    if (point < 0 || point > m_stages.size())
        return;
    target = qBound(0, target, maxTargetVus);
    if (point == 0) {
        record(new DragPointCommand(this, 0, Stage{Nanoseconds{0}, m_startValue},
                                    Stage{Nanoseconds{0}, target}, gesture));
        return;
    }
    const Stage before = m_stages.at(point - 1);
    // A scenario's stages add up to a year at most (Scenario::fromJson refuses more).
    const Nanoseconds room = maxAcceptedDuration - (totalDuration() - before.duration);
    duration = qBound(Nanoseconds{0}, duration, room);
    record(new DragPointCommand(this, point, before, Stage{duration, target}, gesture));
}

void StageModel::record(StageCommand *command)
{
    if (m_undoStack) {
        m_undoStack->push(command); // push() runs redo()
    } else {
        command->redo();
        delete command;
    }
}

Nanoseconds StageModel::endOf(int row) const
{
    Nanoseconds end{0};
    for (int i = 0; i <= row && i < m_stages.size(); ++i)
        end += m_stages.at(i).duration;
    return end;
}

int StageModel::addStage(int row)
{
    const int at = (row < 0 || row >= m_stages.size()) ? int(m_stages.size()) : row + 1;
    insertRows(at, 1);
    return at;
}

int StageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_stages.size());
}

int StageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Stage &stage = m_stages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case DurationColumn:
            return formatDuration(stage.duration);
        case TargetColumn:
            return stage.target;
        case EndColumn:
            return formatDuration(endOf(index.row()));
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole: {
        const int from = index.row() == 0 ? -1 : m_stages.at(index.row() - 1).target;
        const QString start = from < 0 ? tr("the start value") : tr("%1 %2").arg(from).arg(m_unit);
        return tr("Stage %1: from %2 to %3 %4 over %5, ends at %6")
            .arg(index.row() + 1)
            .arg(start)
            .arg(stage.target)
            .arg(m_unit)
            .arg(formatDuration(stage.duration), formatDuration(endOf(index.row())));
    }
    default:
        break;
    }
    return {};
}

void StageModel::setTargetUnit(const QString &unit)
{
    if (unit == m_unit)
        return;
    m_unit = unit;
    Q_EMIT headerDataChanged(Qt::Horizontal, TargetColumn, TargetColumn);
}

QVariant StageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case DurationColumn:
        return tr("Duration");
    case TargetColumn:
        return tr("Target %1").arg(m_unit);
    case EndColumn:
        return tr("Ends at");
    default:
        return {};
    }
}

Qt::ItemFlags StageModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() != EndColumn)
        result |= Qt::ItemIsEditable;
    return result;
}

bool StageModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const Stage &stage = m_stages.at(index.row());
    const int row = index.row();
    switch (index.column()) {
    case DurationColumn: {
        const QString text = value.toString().trimmed();
        // k6 reads a bare number as milliseconds; in a table of stages that is nearly always
        // meant as seconds, so ask for the unit instead of guessing.
        static const QRegularExpression bareNumber(u"^[0-9]+(\\.[0-9]*)?$"_s);
        QString why;
        std::optional<Nanoseconds> duration;
        if (bareNumber.match(text).hasMatch())
            why = tr("add a unit: %1s, %1m or %1ms").arg(text);
        else
            duration = parseDuration(QStringView(text), &why);
        if (!duration) {
            // parseDuration's reason already quotes the text; the unit hint does not.
            const QString reason = why.startsWith(u'"') ? why : tr("\"%1\": %2").arg(text, why);
            Q_EMIT inputRejected(tr("Stage %1 duration: %2. Use k6 durations such as 30s, 1m30s, "
                                    "500ms, 2h.")
                                     .arg(row + 1)
                                     .arg(reason));
            return false;
        }
        if (*duration != stage.duration)
            record(new EditStageCommand(this, row, DurationColumn, stage, Stage{*duration, stage.target}));
        return true;
    }
    case TargetColumn: {
        bool ok = false;
        const int target = value.toString().trimmed().toInt(&ok);
        if (!ok || target < 0 || target > maxTargetVus) {
            Q_EMIT inputRejected(tr("Stage %1 target: \"%2\" is not a number of %3 (0 … %4).")
                                     .arg(row + 1)
                                     .arg(value.toString(), m_unit)
                                     .arg(maxTargetVus));
            return false;
        }
        if (target != stage.target)
            record(new EditStageCommand(this, row, TargetColumn, stage, Stage{stage.duration, target}));
        return true;
    }
    default:
        return false;
    }
}

bool StageModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > m_stages.size() || count < 1)
        return false;
    const int holdVus = row > 0 ? m_stages.at(row - 1).target : 1;
    record(new InsertStageCommand(this, row, QList<Stage>(count, Stage{std::chrono::seconds(30), holdVus})));
    return true;
}

bool StageModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > m_stages.size())
        return false;
    record(new RemoveStageCommand(this, row, m_stages.mid(row, count)));
    return true;
}

bool StageModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                          const QModelIndex &destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count < 1 || sourceRow < 0
        || sourceRow + count > m_stages.size() || destinationChild < 0
        || destinationChild > m_stages.size()
        || (destinationChild >= sourceRow && destinationChild <= sourceRow + count))
        return false;
    record(new MoveStageCommand(this, sourceRow, count, destinationChild));
    return true;
}

void StageModel::applyStage(int row, const Stage &stage)
{
    if (row < 0 || row >= m_stages.size() || m_stages.at(row) == stage)
        return;
    m_stages[row] = stage;
    // The end times of every later stage move with a duration, and the next stage's tooltip
    // names this target: refresh from here to the end.
    Q_EMIT dataChanged(index(row, DurationColumn), index(rowCount() - 1, EndColumn),
                       {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole});
}

void StageModel::applyInsert(int row, const QList<Stage> &stages)
{
    if (row < 0 || row > m_stages.size() || stages.isEmpty())
        return;
    const int count = int(stages.size());
    beginInsertRows({}, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        m_stages.insert(row + i, stages.at(i));
    endInsertRows();
    if (row + count < m_stages.size())
        Q_EMIT dataChanged(index(row + count, EndColumn), index(rowCount() - 1, EndColumn));
}

void StageModel::applyRemove(int row, int count)
{
    if (row < 0 || count < 1 || row + count > m_stages.size())
        return;
    beginRemoveRows({}, row, row + count - 1);
    m_stages.remove(row, count);
    endRemoveRows();
    if (row < m_stages.size())
        Q_EMIT dataChanged(index(row, EndColumn), index(rowCount() - 1, EndColumn));
}

void StageModel::applyMove(int sourceRow, int count, int destinationChild)
{
    if (count < 1 || sourceRow < 0 || sourceRow + count > m_stages.size() || destinationChild < 0
        || destinationChild > m_stages.size()
        || !beginMoveRows({}, sourceRow, sourceRow + count - 1, {}, destinationChild))
        return;
    const QList<Stage> moved = m_stages.mid(sourceRow, count);
    m_stages.remove(sourceRow, count);
    const int insertAt = destinationChild > sourceRow ? destinationChild - count : destinationChild;
    for (int i = 0; i < count; ++i)
        m_stages.insert(insertAt + i, moved.at(i));
    endMoveRows();
    const int first = qMin(sourceRow, insertAt);
    Q_EMIT dataChanged(index(first, EndColumn), index(rowCount() - 1, EndColumn));
}

} // namespace loadbench
