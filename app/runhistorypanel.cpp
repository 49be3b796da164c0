// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistorypanel.h"

#include "runhistorymodel.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace loadbench {

RunHistoryPanel::RunHistoryPanel(QWidget *parent)
    : QWidget(parent),
      m_model(new RunHistoryModel(this)),
      m_view(new QTableView(this)),
      m_folderLabel(new QLabel(this)),
      m_openButton(new QPushButton(tr("Open"), this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this))
{
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunHistoryModel::ScenarioColumn, QHeaderView::Stretch);
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderLabel->setStyleSheet(QStringLiteral("color: palette(dark);"));
    m_openButton->setToolTip(tr("Show the selected run's charts and summary (Enter, or double-click the row)"));
    m_openButton->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_folderLabel, 1);
    buttons->addWidget(m_refreshButton);
    buttons->addWidget(m_openButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &RunHistoryPanel::refresh);
    connect(m_openButton, &QPushButton::clicked, this, &RunHistoryPanel::openSelected);
    connect(m_view, &QTableView::activated, this, &RunHistoryPanel::openSelected); // Enter, double-click
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_openButton->setEnabled(false); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_openButton->setEnabled(m_view->selectionModel()->hasSelection()); });
}

void RunHistoryPanel::setFolder(const QString &folder)
{
    m_model->setFolder(folder);
    m_folderLabel->setText(tr("Runs in %1").arg(QDir::toNativeSeparators(folder)));
}

void RunHistoryPanel::refresh()
{
    m_model->refresh();
}

void RunHistoryPanel::openSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const int row = rows.isEmpty() ? m_view->currentIndex().row() : rows.first().row();
    if (row < 0 || row >= m_model->rowCount())
        return;
    Q_EMIT openRequested(m_model->entry(row).folder);
}

} // namespace loadbench
