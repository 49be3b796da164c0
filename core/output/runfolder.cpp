// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/runfolder.h"

#include "output/summaryjson.h"
#include "output/timelinejson.h"
#include "report/htmlreport.h"
#include "report/latencysvg.h"

#include <QBuffer>
#include <QDir>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace loadbench {

bool writeFileAtomically(const QString &path, const std::function<void(QIODevice &)> &write, QString *why)
{
    auto fail = [&](const QString &reason) {
        if (why)
            *why = path + QStringLiteral(": cannot write: ") + reason;
        return false;
    };
    // The whole content first: then a short write is a number to compare, not a guess.
    QByteArray bytes;
    {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        write(buffer);
    }
    // A device, a FIFO or a socket (/dev/stdout into a pipe, /dev/null) is written in place:
    // a temp file renamed over it would replace the device with a regular file.
    const QFileInfo info(path);
    if (info.exists() && !info.isFile() && !info.isDir()) {
        QFile device(path);
        if (!device.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
            return fail(device.errorString());
        if (device.write(bytes) != bytes.size())
            return fail(device.errorString());
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    // Checked here, not left to commit(): Qt 6.4 renamed a temp file whose buffered writes had
    // failed (a full disk) into place, empty or cut.
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        const QString reason = file.errorString();
        file.cancelWriting(); // the temp file goes with `file`; what was at `path` stays
        return fail(reason);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

QString RunFolder::defaultPath(const QString &root, const QString &scenarioName, const QDateTime &startUtc)
{
    QString safeName = scenarioName;
    safeName.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    const QString base = (root.isEmpty() ? QStringLiteral("runs") : root) + u'/'
                         + startUtc.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss")) + u'-' + safeName;
    // Two runs in the same second get their own folders.
    QString path = base;
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = base + u'-' + QString::number(n);
    return path;
}

const QStringList &RunFolder::fileNames()
{
    static const QStringList names = {QStringLiteral("intervals.lbh"), QStringLiteral("scenario.json"), QStringLiteral("timeline.json"),
                                      QStringLiteral("summary.json"), QStringLiteral("latency.svg"),
                                      QStringLiteral("report.html")};
    return names;
}

bool RunFolder::placeIntervals(const QString &dir, const QString &source, QString *why)
{
    const QString target = QDir(dir).filePath(QStringLiteral("intervals.lbh"));
    if (source.isEmpty() || QFileInfo(source).absoluteFilePath() == QFileInfo(target).absoluteFilePath())
        return true;
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly)) {
        if (why)
            *why = source + QStringLiteral(": cannot read: ") + in.errorString();
        return false;
    }
    return writeFileAtomically(target, [&](QIODevice &out) {
        while (!in.atEnd())
            out.write(in.read(1 << 20));
    }, why);
}

bool RunFolder::write(const QString &dir, const Summary &summary, const QList<IntervalSnapshot> &timeline,
                      QString *why)
{
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir()) {
        if (why)
            *why = dir + QStringLiteral(" is a file, not a folder");
        return false;
    }
    if (!QDir().mkpath(dir)) {
        if (why)
            *why = dir + QStringLiteral(": cannot create the folder");
        return false;
    }
    const QDir d(dir);
    const QString title = QStringLiteral("%1 — latency").arg(summary.scenario.name);
    return writeFileAtomically(d.filePath(QStringLiteral("scenario.json")),
                               [&](QIODevice &out) { out.write(QJsonDocument(summary.scenario.toJson()).toJson()); }, why)
           && writeFileAtomically(d.filePath(QStringLiteral("timeline.json")),
                                  [&](QIODevice &out) { writeTimelineJson(out, timeline); }, why)
           && writeFileAtomically(d.filePath(QStringLiteral("summary.json")),
                                  [&](QIODevice &out) { writeSummaryJson(out, summary); }, why)
           && writeFileAtomically(d.filePath(QStringLiteral("latency.svg")),
                                  [&](QIODevice &out) { writeLatencySvg(out, timeline, title); }, why)
           && writeFileAtomically(d.filePath(QStringLiteral("report.html")),
                                  [&](QIODevice &out) { writeHtmlReport(out, summary, timeline); }, why);
}

} // namespace loadbench
