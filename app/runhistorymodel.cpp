// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistorymodel.h"

#include "runpanel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace loadbench {

RunHistoryModel::RunHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RunHistoryModel::setFolder(const QString &folder)
{
    m_folder = folder;
    refresh();
}

void RunHistoryModel::refresh()
{
    beginResetModel();
    m_entries = m_folder.isEmpty() ? QList<RunEntry>() : RunIndex::scan(m_folder);
    endResetModel();
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const RunEntry &e = m_entries.at(index.row());
    if (role == Qt::ToolTipRole)
        return e.complete ? e.folder : e.folder + u'\n' + e.note;
    if (role == Qt::TextAlignmentRole && index.column() >= DurationColumn && index.column() <= P95Column)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == ResultColumn) {
        if (e.verdict() == QLatin1String("passed"))
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        if (e.verdict() == QLatin1String("failed"))
            return QBrush(QColor(0xc6, 0x28, 0x28));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case ScenarioColumn: return e.scenario;
    case StartColumn: return locale.toString(e.startTime.toLocalTime(), QLocale::ShortFormat);
    case DurationColumn: return e.complete ? RunPanel::formatClock(e.durationSeconds) : QString();
    case RateColumn: return e.complete ? locale.toString(e.requestsPerSecond, 'f', 1) : QString();
    case P95Column: return e.complete && e.p95Ms >= 0 ? RunPanel::formatMs(e.p95Ms) : QString();
    case ResultColumn: return tr(qPrintable(e.verdict()));
    default: return {};
    }
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ScenarioColumn: return tr("Scenario");
    case StartColumn: return tr("Started");
    case DurationColumn: return tr("Duration");
    case RateColumn: return tr("Requests / s");
    case P95Column: return tr("p95");
    case ResultColumn: return tr("Result");
    default: return {};
    }
}

} // namespace loadbench
