// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/runner.h"
#include "metrics/metricset.h"
#include "output/intervalhistograms.h"
#include "output/resultsjsonl.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QThread;

namespace loadbench {

class Worker;

// The run itself, on the runner thread: starts and stops VUs on the workers as the schedule
// says, collects the workers' metrics once per interval into snapshots and the cumulative set,
// evaluates thresholds, and builds the Summary at the end.
class RunController : public QObject
{
    Q_OBJECT
public:
    RunController(Scenario scenario, RunOptions options);
    ~RunController() override;

    void start();
    void stopGracefully();
    void abort();

Q_SIGNALS:
    void started();
    void snapshotReady(const loadbench::IntervalSnapshot &snapshot);
    void finished(const loadbench::Summary &summary);
    void failed(const QString &why);

private:
    qint64 elapsedNs() const;
    void applySchedule();
    void setActiveVus(int target);
    void onTick();
    void onPlannedEnd();
    void beginDrain(bool abortNow);
    void onWorkerDrained();
    void finish();
    IntervalSnapshot collectInterval();
    Summary summarySoFar() const;
    QList<ThresholdState> liveThresholds() const;

    Scenario m_scenario;
    RunOptions m_options;
    std::vector<Worker *> m_workers;
    std::vector<QThread *> m_threads;
    std::unique_ptr<ResultsJsonlWriter> m_results;
    IntervalHistogramWriter m_histograms;
    std::shared_ptr<MetricSet> m_cumulative = std::make_shared<MetricSet>();
    std::vector<std::unique_ptr<MetricSet>> m_spares;
    MetricSet m_interval;

    // Parented, so they move to the runner thread with the controller.
    QTimer m_tickTimer{this};
    QTimer m_scheduleTimer{this};
    QTimer m_endTimer{this};
    qint64 m_startNs = 0;
    qint64 m_lastTickNs = 0;
    QDateTime m_startWall;
    qint64 m_wallAtStartNs = 0;
    int m_activeVus = 0;   // VUs the schedule wants: ids [0, m_activeVus)
    int m_vusMin = -1, m_vusMaxSeen = 0, m_lastVus = 0;
    int m_drainingWorkers = 0;
    bool m_draining = false;
    bool m_interrupted = false;
    bool m_abortedByThreshold = false;
    bool m_finished = false;
};

} // namespace loadbench
