// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace loadbench {

// Writes the report files of one run into a folder: report.html, latency.svg and summary.json
// (k6's --summary-export shape). Each file is written atomically (QSaveFile), so a failure never
// leaves half a file; the folder is created when missing.
class ReportExporter
{
public:
    static const QStringList &fileNames(); // report.html, latency.svg, summary.json

    // On failure returns false and *why names the file and the reason. *written lists the
    // paths written, also on a failure part way.
    static bool exportRun(const QString &folder, const Summary &summary,
                          const QList<IntervalSnapshot> &timeline, QString *why = nullptr,
                          QStringList *written = nullptr);
};

} // namespace loadbench
