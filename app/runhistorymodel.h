// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/runindex.h"

#include <QAbstractTableModel>

namespace loadbench {

// The runs of a runs folder, newest first, one row each: scenario, start, duration, req/s,
// p95, result. Rebuilt by refresh(); the rows are RunIndex's entries.
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ScenarioColumn, StartColumn, DurationColumn, RateColumn, P95Column, ResultColumn, ColumnCount };

    explicit RunHistoryModel(QObject *parent = nullptr);

    void setFolder(const QString &folder);
    QString folder() const { return m_folder; }
    void refresh();
    const RunEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString m_folder;
    QList<RunEntry> m_entries;
};

} // namespace loadbench
