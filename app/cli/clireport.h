// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"

#include <QStringList>
#include <QTextStream>

#include <optional>

namespace loadbench {

struct ReportOptions {
    QString input;             // a run folder, an intervals.lbh, or a results.jsonl (k6's or ours)
    QString summaryExportPath; // --summary-export PATH
    QString outDir;            // --out DIR: summary.json, report.html, latency.svg
    std::optional<Nanoseconds> from; // --from: since the run's start
    std::optional<Nanoseconds> to;   // --to
    QStringList summaryTrendStats;   // --summary-trend-stats; default: the run folder's own, k6's for a results.jsonl
    bool quiet = false;              // no text summary
};

// `loadbench-cli report RUN_DIR|RESULTS.jsonl [--from 60s] [--to 150s] [--summary-export OUT.json]
// [--out DIR]`: the summary of a finished run, or of a window of it, computed again from its
// files. A run folder's interval histograms give any window's percentiles exactly (to the
// histograms' precision; intervals whose midpoint lies in [from, to)); a results.jsonl is
// replayed point by point (points whose timestamp lies in the window). Prints k6's end-of-test
// summary; exit codes as `run`: 0, 99 when a threshold is crossed in the window, 104 for bad
// input (a missing file, not a run folder, a window outside the run, a bad duration), 1 when an
// output cannot be written.
class CliReport
{
public:
    // `arguments`: argv after the program name, starting with "report".
    static int parseArguments(const QStringList &arguments, ReportOptions *options, QString *why, QString *helpText);
    static int run(const ReportOptions &options, QTextStream &out, QTextStream &err);
};

} // namespace loadbench
