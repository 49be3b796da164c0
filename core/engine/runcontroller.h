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

// The run itself, on the runner thread: starts every scenario at its startTime and ends it at
// its end (with its gracefulStop), starts and stops the closed-model VUs on the workers as the
// schedule (or setVus) says, collects the workers' metrics once per interval into snapshots
// and the cumulative set, evaluates thresholds, and builds the Summary once every scenario has
// drained. Arrival-rate and *-iterations scenarios pace themselves on the workers.
class RunController : public QObject
{
    Q_OBJECT
public:
    RunController(Scenario scenario, RunOptions options);
    ~RunController() override;

    void start();
    void stopGracefully();
    void abort();
    // externally-controlled: the scenario named (or the first such) runs `vus` VUs from now,
    // clamped to 0..maxVUs; vusChanged says what was done.
    void setVus(int vus, const QString &scenario);

Q_SIGNALS:
    void started();
    void vusChanged(const QString &scenario, int vus, const QString &message);
    void snapshotReady(const loadbench::IntervalSnapshot &snapshot);
    void finished(const loadbench::Summary &summary);
    void failed(const QString &why);

private:
    // One scenario's progress.
    struct ScenarioRun {
        int firstVuId = 0;   // its VU ids: [firstVuId, firstVuId + maxVus)
        int activeVus = 0;   // closed model: VUs asked to run, ids [firstVuId, firstVuId + activeVus)
        int externalVus = 0; // externally-controlled: VUs set so far
        int drainedWorkers = 0;
        bool started = false;
        bool stopping = false;
        bool done = false;
    };

    qint64 elapsedNs() const;
    void applySchedule();
    void startScenario(int index);
    void stopScenario(int index);
    void setActiveVus(int index, int target, qint64 rampDownGraceNs);
    int plannedVusNow(Nanoseconds now) const;
    void onTick();
    void beginDrain(bool abortNow);
    void onScenarioDrained(int index);
    void finishIfDone();
    void finish();
    IntervalSnapshot collectInterval(bool last);
    // The generator's CPU over the interval just ended (wallNs long) into the snapshot.
    void measureGeneratorCpu(IntervalSnapshot *s, qint64 wallNs);
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
    qint64 m_startNs = 0;
    qint64 m_lastTickNs = 0;
    qint64 m_endNs = 0; // steady time the run ended (its last interval's end); 0 while it goes
    // CPU time at the last tick: the process's and each worker thread's (-1: not yet known).
    qint64 m_lastProcessCpuNs = 0;
    std::vector<qint64> m_lastWorkerCpuNs;
    double m_peakWorkerCores = -1;
    double m_saturatedSeconds = 0;
    QDateTime m_startWall;
    qint64 m_wallAtStartNs = 0;
    QList<ScenarioRun> m_runs; // per Scenario::scenarios
    int m_vusMin = -1, m_vusMaxSeen = 0, m_lastVus = 0;
    bool m_draining = false;
    bool m_interrupted = false;
    bool m_abortedByThreshold = false;
    bool m_finished = false;
};

} // namespace loadbench
