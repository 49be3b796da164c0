// SPDX-License-Identifier: GPL-3.0-or-later
#include "recentlist.h"

#include <QSettings>

namespace loadbench {

QStringList RecentList::items() const
{
    return QSettings().value(m_key).toStringList();
}

void RecentList::add(const QString &entry)
{
    QStringList recent = items();
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > m_capacity)
        recent.removeLast();
    QSettings().setValue(m_key, recent);
}

} // namespace loadbench
