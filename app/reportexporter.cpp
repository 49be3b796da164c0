// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportexporter.h"

#include "output/runfolder.h"

#include <QObject>

using namespace Qt::StringLiterals;

namespace loadbench {

const QStringList &ReportExporter::fileNames()
{
    return RunFolder::fileNames();
}

bool ReportExporter::exportRun(const QString &folder, const Summary &summary,
                               const QList<IntervalSnapshot> &timeline, QString *why)
{
    if (folder.isEmpty()) {
        if (why)
            *why = QObject::tr("no folder chosen");
        return false;
    }
    return RunFolder::write(folder, summary, timeline, why);
}

} // namespace loadbench
