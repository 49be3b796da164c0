// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportexporter.h"

#include "output/runfolder.h"

#include <QFileInfo>
#include <QObject>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace loadbench {

const QStringList &ReportExporter::fileNames()
{
    return RunFolder::fileNames();
}

namespace {

QString scratchIntervalsPath()
{
    static QTemporaryDir scratch;
    return scratch.isValid() ? scratch.filePath(QStringLiteral("intervals.lbh")) : QString();
}

} // namespace

RunOptions ReportExporter::runOptions()
{
    RunOptions options;
    options.histogramsPath = scratchIntervalsPath();
    return options;
}

bool ReportExporter::exportRun(const QString &folder, const Summary &summary,
                               const QList<IntervalSnapshot> &timeline, QString *why)
{
    if (folder.isEmpty()) {
        if (why)
            *why = QObject::tr("no folder chosen");
        return false;
    }
    const QString intervals = scratchIntervalsPath();
    return RunFolder::write(folder, summary, timeline, why)
           && RunFolder::placeIntervals(folder, QFileInfo::exists(intervals) ? intervals : QString(), why);
}

} // namespace loadbench
