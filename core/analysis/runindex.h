// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace loadbench {

// One run folder as the run history lists it, read from its summary.json: what ran, when, how
// fast, and whether it passed. A folder without a readable summary.json (a run still going, or
// one that crashed) is listed as incomplete rather than hidden.
struct RunEntry {
    QString folder;             // absolute path
    QString scenario;           // the scenario's name
    QDateTime startTime;        // UTC; the folder's time when the summary lacks one
    double durationSeconds = 0;
    quint64 requests = 0;
    double requestsPerSecond = 0;
    double p95Ms = -1;          // http_req_duration p(95); -1 when the summary has none
    double failedRate = 0;      // http_req_failed
    bool thresholdsCrossed = false;
    bool interrupted = false;
    QString engine;             // "native", "qnam", "native+qnam", "k6 results"
    bool complete = false;      // summary.json read
    QString note;               // why it is incomplete

    QString verdict() const;    // "passed", "failed", "interrupted" or "incomplete"
};

class RunIndex
{
public:
    // Every sub-folder of `root` that holds a run (summary.json, intervals.lbh or its .part),
    // newest first. A missing root is an empty history, not an error.
    static QList<RunEntry> scan(const QString &root);
    static RunEntry read(const QString &folder);
};

} // namespace loadbench
