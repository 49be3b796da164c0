// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"
#include "scenario/scenario.h"

#include <QObject>

#include <memory>

namespace loadbench {

class RunController;

struct RunOptions {
    QString resultsJsonlPath;            // k6 `--out json` lines; empty = none
    QString histogramsPath;              // intervals.lbh: every interval's histograms; empty = none
    Nanoseconds snapshotInterval{1'000'000'000};
    int workerThreads = 0;               // 0 = one per core
};

// Runs one Scenario. A facade that lives in the caller's (GUI or CLI) thread: the run itself
// happens on a runner thread and worker threads, and only values cross back, once per interval
// (snapshotReady) and once at the end (finished). Nothing here ever blocks on the network.
class Runner : public QObject
{
    Q_OBJECT
public:
    explicit Runner(Scenario scenario, RunOptions options = {}, QObject *parent = nullptr);
    ~Runner() override; // aborts a run still going and waits for its threads

    void start();
    // First call: graceful (no new iterations; in-flight ones get gracefulStop). Second: abort.
    void stop();
    bool isRunning() const { return m_running; }
    // externally-controlled (k6's executor for a VU count changed while the run goes): runs
    // `vus` VUs in the scenario named (empty: the first externally-controlled one) from now on,
    // clamped to 0..maxVUs. Thread-safe and queued; vusChanged answers with what was done.
    void setVus(int vus, const QString &scenario = QString());

    const Scenario &scenario() const { return m_scenario; }
    // Every snapshot emitted so far, in order (the timeline of the run).
    const QList<IntervalSnapshot> &timeline() const { return m_timeline; }

Q_SIGNALS:
    void started();
    void snapshotReady(const loadbench::IntervalSnapshot &snapshot);
    void finished(const loadbench::Summary &summary);
    void failed(const QString &why); // the run could not start
    // The answer to setVus: the VUs now asked for (-1: nothing changed) and a line saying so,
    // e.g. `scenario "ext": 10 VUs (asked for 50; the scenario allows 0 to maxVUs 10)`.
    void vusChanged(const QString &scenario, int vus, const QString &message);

private:
    void onSnapshot(const IntervalSnapshot &snapshot);
    void onFinished(const Summary &summary);

    Scenario m_scenario;
    RunOptions m_options;
    QList<IntervalSnapshot> m_timeline;
    QThread *m_thread = nullptr;
    RunController *m_controller = nullptr;
    bool m_running = false;
    int m_stopRequests = 0;
};

} // namespace loadbench
