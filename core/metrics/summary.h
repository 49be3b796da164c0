// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/metricset.h"
#include "scenario/scenario.h"

#include <QDateTime>
#include <QMetaType>

#include <memory>

namespace loadbench {

// The machine a run happened on, for report headers and the Markdown table.
struct MachineInfo {
    QString cpuModel;
    int cores = 0;
    qint64 memoryBytes = 0;
    QString os;
    QString qtVersion;
    QString hostName;

    static MachineInfo current();
    QString oneLine() const; // "AMD EPYC 7B13, 2 cores, 23.5 GiB, Debian GNU/Linux 12, Qt 6.4.2"
};

// One metric as k6's end-of-test summary lists it (handleSummary's data.metrics entry), the one
// source of summary.json's metrics and of the text summary.
struct MetricSummary {
    enum class Contains { Default, Time, Data };

    QString name; // "http_reqs", "http_req_duration{status:200}" (k6's sub-metric name)
    MetricType type = MetricType::Trend;
    Contains contains = Contains::Default;
    // k6's keys in k6's order: a trend's summaryTrendStats (ms), a counter's count and rate (per
    // second), a rate's passes, fails and value, a gauge's value, min and max.
    QList<std::pair<QString, double>> values;
    QList<ThresholdState> thresholds; // this metric's, as evaluated

    QString parent() const { return name.left(name.indexOf(u'{')); }
    bool isSubmetric() const { return name.contains(u'{'); }
    double value(const QString &key) const;
};

// The end of a run (or the run so far): the cumulative metrics and everything needed to write
// summary.json, the reports and the exit code. Built by the Runner; a value, cheap to copy (the
// metric set is shared and immutable).
struct Summary {
    Scenario scenario;
    std::shared_ptr<const MetricSet> metrics = std::make_shared<MetricSet>();
    QDateTime startTime;     // wall clock, UTC
    double durationSeconds = 0;
    int vus = 0, vusMin = 0, vusMax = 0; // the vus gauge: last, min, max
    int vusMaxConfigured = 0;            // vus_max
    // Who sent the requests when Loadbench did not ("k6 results"). Empty, or engine names as
    // summary.json writes them ("qnam", "native+qnam"): the scenario's engines ran, as
    // Scenario::engineFor() resolves them.
    QString engine;
    int workerThreads = 0;               // worker threads (event loops) that ran the VUs; 0 = not known
    // The generator's own load: the busiest worker thread's peak share of a core over the
    // run's intervals (-1: not measured), and for how many seconds it was saturated (at or
    // above IntervalSnapshot::saturatedWorkerCores), when latencies include its queueing.
    double peakWorkerCores = -1;
    double generatorSaturatedSeconds = 0;
    bool interrupted = false;            // stopped by the user or a signal
    // Files the run streamed that could not be written whole (results.jsonl, intervals.lbh):
    // "PATH: write failed: REASON", for the CLI's exit code 1 and the workbench's message.
    QStringList outputErrors;
    bool abortedByThreshold = false;
    QList<ThresholdState> thresholds;
    MachineInfo machine;

    // A statistic by k6 name ("avg", "min", "med", "max", "p(95)", "count", "rate", "value",
    // "passes", "fails") of a metric or sub-metric by k6 name ("http_req_duration{status:200}").
    // Times in milliseconds; a counter's rate is its count per second of the run. A sub-metric
    // that was not recorded reads as empty. nullopt when the metric or statistic does not exist.
    std::optional<double> value(const QString &metric, const QString &stat) const;
    // Whether a threshold on `metric` can be judged: a trend or a rate needs samples; a counter
    // always has a value (no events is a count of 0, so "dropped_iterations: count==0" or
    // "http_reqs{status:500}: count<1" holds in a run without them), and so do gauges.
    bool hasData(const QString &metric) const;
    // A trend's statistic in milliseconds; "p(N)" with any N.
    static double trendStat(const Histogram &h, const QString &stat);
    // Evaluates every threshold of the scenario against the metrics. A threshold without data
    // is crossed, unlike k6, which skips it (grafana/k6#4283, CASES.md BC-09 A): a check that
    // never ran must not let a run pass.
    QList<ThresholdState> evaluateThresholds() const;
    bool thresholdsCrossed() const;
    // Which engine ran the run, in one line: `engine` when it is such a label, else the
    // scenario's engines, e.g. "native (epoll+llhttp)" or "api: native (epoll+llhttp), web: qnam
    // (QNetworkAccessManager)".
    QString enginesText() const;
    // Whether `engine` is a label for results Loadbench did not run, rather than its engines.
    bool hasForeignEngine() const;
    // The metrics k6 would list, sorted by name: every built-in metric that has samples or a
    // threshold (on it or on one of its sub-metrics), vus and vus_max, the sub-metrics that have
    // thresholds, http_req_duration{expected_response:true} once it has samples, and the
    // scheduled-time trend and dropped_iterations once they have samples.
    QList<MetricSummary> listedMetrics() const;
};

} // namespace loadbench

Q_DECLARE_METATYPE(loadbench::Summary)
