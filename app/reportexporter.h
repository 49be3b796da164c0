// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace loadbench {

// Export from the workbench: the same run folder loadbench-cli writes (report.html, latency.svg,
// summary.json in k6's --summary-export shape, scenario.json, timeline.json), each file atomic.
class ReportExporter
{
public:
    static const QStringList &fileNames();

    // On failure returns false and *why names the file and the reason.
    static bool exportRun(const QString &folder, const Summary &summary,
                          const QList<IntervalSnapshot> &timeline, QString *why = nullptr);
};

} // namespace loadbench
