// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"
#include "output/intervalhistograms.h"
#include "scenario/duration.h"

#include <optional>

namespace loadbench {

// A recorded run, interval by interval (the run folder's intervals.lbh, or a k6 results file
// replayed into 1 s intervals): the one place where a time window becomes a Summary, for the
// GUI, the reports and `loadbench-cli report`.
//
// Windows: an interval belongs to the window [from, to) when its midpoint does. Intervals are
// 1 s long, so a window's edges are exact to the half second, and the percentiles of the
// intervals it holds are exact to the histograms' precision (3 significant digits): the
// histograms are merged bucket for bucket, never averaged.
class RunRecording
{
public:
    // `path`: a run folder (with intervals.lbh, or intervals.lbh.part after a crash, plus its
    // scenario.json and summary.json for the thresholds, trend stats, engine and vus_max) or an
    // intervals.lbh file. On failure *why names the file and the reason.
    static std::optional<RunRecording> load(const QString &path, QString *why);
    // A recording built in memory (the k6 results reader); `source` says who sent the requests
    // (Summary::engine, e.g. "k6 results").
    static RunRecording fromRecords(const Scenario &scenario, const QDateTime &startUtc,
                                    QList<intervalfile::Record> records, int vusMaxConfigured,
                                    const QString &source);

    const Scenario &scenario() const { return m_scenario; }
    QDateTime startTime() const { return m_startTime; }
    // From the run's start to the end of its last interval.
    Nanoseconds duration() const;
    qsizetype intervalCount() const { return m_records.size(); }
    const QList<intervalfile::Record> &intervals() const { return m_records; }
    // The file was cut (the run did not end cleanly): what was kept, for a warning.
    bool truncated() const { return m_truncated; }
    QString note() const { return m_note; }

    // Why [from, to) is no window of this run (empty, reversed, or outside every interval's
    // midpoint); empty when it is one.
    QString windowError(Nanoseconds from, Nanoseconds to) const;
    // The summary of the window's intervals: metrics merged, rates over the window's length,
    // the vus gauge over its intervals, the scenario's thresholds evaluated on the window.
    Summary summarize(Nanoseconds from, Nanoseconds to) const;
    Summary summarize() const; // the whole run, as the run's own summary.json had it
    // One snapshot per interval of the window, as the live run emitted them (cumulative values
    // count from the window's start), for report.html and latency.svg.
    QList<IntervalSnapshot> timeline(Nanoseconds from, Nanoseconds to) const;

private:
    bool inWindow(const intervalfile::Record &r, Nanoseconds from, Nanoseconds to) const;

    Scenario m_scenario;
    QDateTime m_startTime;
    QList<intervalfile::Record> m_records;
    QList<int> m_trendIds;
    int m_vusMaxConfigured = 0;
    QString m_engine; // Summary::engine: a label for results we did not run, else empty
    int m_workerThreads = 0;
    bool m_interrupted = false;
    bool m_abortedByThreshold = false;
    bool m_truncated = false;
    QString m_note;
};

// Two summaries as one (two windows, two runs of the same scenario): metrics merged, durations
// added, the vus gauge's extremes combined; thresholds are those of `a`'s scenario, evaluated on
// the merged metrics.
Summary mergeSummaries(const Summary &a, const Summary &b);

} // namespace loadbench
