// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace loadbench {

class RunHistoryModel;

// Past runs from the runs folder (the workbench saves each finished run there, as
// loadbench-cli does): a table to pick one from; opening it shows its charts and summary as
// they looked live.
class RunHistoryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunHistoryPanel(QWidget *parent = nullptr);

    void setFolder(const QString &folder);
    void refresh();

    RunHistoryModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *openButton() const { return m_openButton; }

Q_SIGNALS:
    void openRequested(const QString &folder);

private:
    void openSelected();

    RunHistoryModel *m_model;
    QTableView *m_view;
    QLabel *m_folderLabel;
    QPushButton *m_openButton;
    QPushButton *m_refreshButton;
};

} // namespace loadbench
