// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/runner.h"
#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace loadbench {

// Export from the workbench: the same run folder loadbench-cli writes (report.html, latency.svg,
// summary.json in k6's --summary-export shape, scenario.json, timeline.json, intervals.lbh),
// each file atomic.
class ReportExporter
{
public:
    static const QStringList &fileNames();
    // The workbench's runs record their interval histograms into a scratch folder (removed at
    // exit) until the run is exported: runs start with these options.
    static RunOptions runOptions();

    // On failure returns false and *why names the file and the reason.
    static bool exportRun(const QString &folder, const Summary &summary,
                          const QList<IntervalSnapshot> &timeline, QString *why = nullptr);
};

} // namespace loadbench
