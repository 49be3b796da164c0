// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/summary.h"

#include <QIODevice>
#include <QString>

#include <functional>

namespace loadbench {

// Writes one file atomically (temp file + rename): a reader never sees half a file, and a
// failed write leaves what was there before.
bool writeFileAtomically(const QString &path, const std::function<void(QIODevice &)> &write,
                         QString *why);

// A run's folder: intervals.lbh (every interval's histograms, streamed during the run by
// IntervalHistogramWriter), scenario.json (as run), timeline.json, summary.json (k6
// --summary-export shape), report.html and latency.svg.
class RunFolder
{
public:
    // runs/<UTC time>-<scenario name>/ under `root` (default: ./runs), created if needed.
    static QString defaultPath(const QString &root, const QString &scenarioName, const QDateTime &startUtc);
    // Creates `dir` when missing; fails with the file and the reason, leaving no half file.
    static bool write(const QString &dir, const Summary &summary, const QList<IntervalSnapshot> &timeline,
                      QString *why);
    static const QStringList &fileNames(); // in the order they are written
    // Copies an intervals.lbh recorded elsewhere (the workbench records into a scratch folder)
    // into `dir`, atomically; nothing to do when it is already there or `source` is empty.
    static bool placeIntervals(const QString &dir, const QString &source, QString *why);
};

} // namespace loadbench
