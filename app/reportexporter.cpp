// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportexporter.h"

#include "output/summaryjson.h"
#include "report/htmlreport.h"
#include "report/latencysvg.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

#include <functional>

using namespace Qt::StringLiterals;

namespace loadbench {

const QStringList &ReportExporter::fileNames()
{
    static const QStringList names = {u"report.html"_s, u"latency.svg"_s, u"summary.json"_s};
    return names;
}

bool ReportExporter::exportRun(const QString &folder, const Summary &summary,
                               const QList<IntervalSnapshot> &timeline, QString *why,
                               QStringList *written)
{
    auto fail = [why](const QString &message) {
        if (why)
            *why = message;
        return false;
    };
    if (folder.isEmpty())
        return fail(QObject::tr("no folder chosen"));
    const QFileInfo info(folder);
    if (info.exists() && !info.isDir())
        return fail(QObject::tr("%1 is a file, not a folder").arg(QDir::toNativeSeparators(folder)));
    if (!QDir().mkpath(folder))
        return fail(QObject::tr("cannot create the folder %1").arg(QDir::toNativeSeparators(folder)));

    const QString title = QObject::tr("%1 — latency per second").arg(summary.scenario.name);
    const QList<std::function<void(QIODevice &)>> writers = {
        [&](QIODevice &device) { writeHtmlReport(device, summary, timeline); },
        [&](QIODevice &device) { writeLatencySvg(device, timeline, title); },
        [&](QIODevice &device) { writeSummaryJson(device, summary); },
    };
    const QDir dir(folder);
    for (qsizetype i = 0; i < writers.size(); ++i) {
        const QString path = dir.filePath(fileNames().at(i));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(QObject::tr("cannot write %1: %2")
                            .arg(QDir::toNativeSeparators(path), file.errorString()));
        writers.at(i)(file);
        if (file.error() != QFileDevice::NoError || !file.commit())
            return fail(QObject::tr("cannot write %1: %2")
                            .arg(QDir::toNativeSeparators(path), file.errorString()));
        if (written)
            *written << path;
    }
    return true;
}

} // namespace loadbench
