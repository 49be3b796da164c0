// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace loadbench {

// State of one threshold at a moment of the run.
struct ThresholdState {
    QString metric;
    QString expression;
    double observed = 0;
    bool hasData = false;
    bool crossed = false;
};

// One interval (normally 1 s) of a run, as a value that crosses threads: what the GUI charts,
// the CLI's progress line and timeline.json show. Times in milliseconds, rates per second.
struct IntervalSnapshot {
    double elapsedSeconds = 0;  // end of the interval since the run's start
    double intervalSeconds = 0; // length of this interval
    double plannedSeconds = 0;  // the scenario's planned duration
    int vus = 0;                // active VUs at the end of the interval
    int vusMax = 0;
    int plannedVus = 0;

    // This interval only.
    quint64 requests = 0;
    quint64 failed = 0;
    quint64 iterations = 0;
    quint64 bytesReceived = 0;
    quint64 droppedIterations = 0; // arrival-rate iterations that found no free VU
    double requestsPerSecond = 0;
    double p50Ms = 0, p90Ms = 0, p95Ms = 0, p99Ms = 0, avgMs = 0, minMs = 0, maxMs = 0;
    // Open model only: http_req_scheduled_duration's p99 this interval; -1 without a schedule.
    double scheduledP99Ms = -1;
    // The generator's own CPU this interval, in cores (1.0 = one core busy all along): the whole
    // process, and its busiest worker thread (an event loop at ~1.0 starts requests late, so
    // the latencies then include the generator's queueing). -1 when not measured.
    double generatorCores = -1;
    double busiestWorkerCores = -1;
    // The busiest worker at or above this is saturated: its latencies measure the generator too.
    static constexpr double saturatedWorkerCores = 0.95;
    bool generatorSaturated() const { return busiestWorkerCores >= saturatedWorkerCores; }

    // Whole run so far.
    quint64 totalRequests = 0;
    quint64 totalFailed = 0;
    quint64 totalIterations = 0;
    quint64 totalDroppedIterations = 0;
    double cumulativeP50Ms = 0, cumulativeP95Ms = 0, cumulativeP99Ms = 0;
    // Failed requests by kind ("1212 dial: connection refused", "status 503"), whole run so
    // far, the most frequent first.
    QList<QPair<QString, quint64>> errorsByKind;
    QList<ThresholdState> thresholds;

    double errorRate() const { return requests ? double(failed) / double(requests) : 0.0; }
};

} // namespace loadbench

Q_DECLARE_METATYPE(loadbench::IntervalSnapshot)
