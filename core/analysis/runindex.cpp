// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/runindex.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace loadbench {

QString RunEntry::verdict() const
{
    if (!complete)
        return QStringLiteral("incomplete");
    if (interrupted)
        return QStringLiteral("interrupted");
    return thresholdsCrossed ? QStringLiteral("failed") : QStringLiteral("passed");
}

RunEntry RunIndex::read(const QString &folder)
{
    RunEntry entry;
    const QFileInfo info(folder);
    entry.folder = info.absoluteFilePath();
    entry.scenario = info.fileName();
    entry.startTime = info.lastModified().toUTC();
    QFile file(QDir(folder).filePath(QStringLiteral("summary.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        entry.note = QStringLiteral("no summary.json: the run did not finish");
        return entry;
    }
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &error).object();
    if (error.error != QJsonParseError::NoError || root.isEmpty()) {
        entry.note = QStringLiteral("summary.json is not JSON: %1").arg(error.errorString());
        return entry;
    }
    const QJsonObject about = root.value(QLatin1String("loadbench")).toObject();
    const QJsonObject metrics = root.value(QLatin1String("metrics")).toObject();
    entry.complete = true;
    if (const QString name = about.value(QLatin1String("scenario")).toString(); !name.isEmpty())
        entry.scenario = name;
    if (const QDateTime start = QDateTime::fromString(about.value(QLatin1String("startTime")).toString(), Qt::ISODateWithMs);
        start.isValid())
        entry.startTime = start.toUTC();
    entry.durationSeconds = about.value(QLatin1String("durationSeconds")).toDouble();
    entry.interrupted = about.value(QLatin1String("interrupted")).toBool();
    entry.thresholdsCrossed = about.value(QLatin1String("thresholdsCrossed")).toBool();
    entry.engine = about.value(QLatin1String("engine")).toString();
    const QJsonObject reqs = metrics.value(QLatin1String("http_reqs")).toObject();
    entry.requests = quint64(reqs.value(QLatin1String("count")).toDouble());
    entry.requestsPerSecond = reqs.value(QLatin1String("rate")).toDouble();
    const QJsonObject duration = metrics.value(QLatin1String("http_req_duration")).toObject();
    entry.p95Ms = duration.contains(QLatin1String("p(95)")) ? duration.value(QLatin1String("p(95)")).toDouble() : -1;
    entry.failedRate = metrics.value(QLatin1String("http_req_failed")).toObject().value(QLatin1String("value")).toDouble();
    return entry;
}

QList<RunEntry> RunIndex::scan(const QString &root)
{
    QList<RunEntry> entries;
    const QDir dir(root);
    for (const QFileInfo &sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir run(sub.absoluteFilePath());
        if (!run.exists(QStringLiteral("summary.json")) && !run.exists(QStringLiteral("intervals.lbh"))
            && !run.exists(QStringLiteral("intervals.lbh.part")))
            continue; // not a run folder
        entries.append(read(sub.absoluteFilePath()));
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const RunEntry &a, const RunEntry &b) { return a.startTime > b.startTime; });
    return entries;
}

} // namespace loadbench
