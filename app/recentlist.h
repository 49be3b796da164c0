// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <utility>

namespace loadbench {

// A most-recent-first list kept in the user's settings under one key (recent targets, recent
// scenario files): adding an entry moves it to the top once, and the oldest beyond `capacity`
// go.
class RecentList
{
public:
    RecentList(QString settingsKey, int capacity) : m_key(std::move(settingsKey)), m_capacity(capacity) {}

    QStringList items() const;
    void add(const QString &entry);

private:
    QString m_key;
    int m_capacity;
};

} // namespace loadbench
