// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/runrecording.h"

#include <optional>

namespace loadbench {

// Replays a k6 `--out json` file (or Loadbench's own results.jsonl, the same format) into the
// metrics our engine would have recorded, so that its summary can be computed again: trends into
// histograms (values in ms → ns), http_req_duration{expected_response:true} from the tag,
// counters summed, http_req_failed and checks (per `check` tag) as rates, the vus and vus_max
// gauges, errors by error_code/error or status, thresholds from the Metric lines.
//
// Metrics we do not record (group_duration, a script's own metrics) are skipped and counted.
// The run's start is estimated from the points (k6 writes no start time): the earliest of the
// first point, the first vus gauge point minus 1 s (k6 and Loadbench sample it once a second from
// the start) and the first iteration's start (its iteration_duration point minus its value); the
// end is the last point. Counter rates use that duration, so they land within ~0.1 % of k6's.
struct K6ResultsOptions {
    QStringList summaryTrendStats; // k6's summaryTrendStats; empty: avg, min, med, max, p(90), p(95)
    // A window since the run's start, by point timestamps: [from, to).
    std::optional<Nanoseconds> from;
    std::optional<Nanoseconds> to;
};

struct K6Results {
    Summary summary;          // of the window (the whole file without one)
    RunRecording recording;   // the points in 1 s intervals from the start: the report's timeline
    QDateTime startTime;      // the estimated start
    Nanoseconds duration{0};  // estimated start to the last point
    quint64 points = 0;       // Point lines read
    quint64 skippedPoints = 0;
    QStringList skippedMetrics; // the metrics those belonged to, in order of appearance
    QString cutNote;            // the last line was cut short and left out: where, and why it matters
};

// On failure returns nullopt and *why names the file, the line number and what is wrong.
std::optional<K6Results> readK6Results(const QString &path, const K6ResultsOptions &options, QString *why);

// "2026-12-03T15:56:41.487339073Z" (RFC 3339, any fraction, Z or ±hh:mm) → epoch nanoseconds.
std::optional<qint64> parseRfc3339Ns(QStringView text);

} // namespace loadbench
