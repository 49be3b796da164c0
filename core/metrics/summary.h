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
    QString engine = QStringLiteral("qnam");
    bool interrupted = false;            // stopped by the user or a signal
    bool abortedByThreshold = false;
    QList<ThresholdState> thresholds;
    MachineInfo machine;

    // A statistic by k6 name ("avg", "min", "med", "max", "p(95)", "count", "rate", "value",
    // "passes", "fails") of a metric by k6 name. Times in milliseconds. nullopt when the
    // metric or statistic does not exist.
    std::optional<double> value(const QString &metric, const QString &stat) const;
    // A trend's statistic in milliseconds; "p(N)" with any N.
    static double trendStat(const Histogram &h, const QString &stat);
    // Evaluates every threshold of the scenario against the metrics.
    QList<ThresholdState> evaluateThresholds() const;
    bool thresholdsCrossed() const;
};

} // namespace loadbench

Q_DECLARE_METATYPE(loadbench::Summary)
