// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/metricset.h"
#include "output/resultsjsonl.h"
#include "scenario/scenario.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <ctime>
#include <memory>
#include <optional>
#include <vector>

namespace loadbench {

class ScenarioExecutor;

// What a worker measured since the runner last collected it.
struct WorkerInterval {
    std::unique_ptr<MetricSet> metrics;
    QByteArray resultLines; // k6 JSON points, when results.jsonl is on
};

// Runs a share of every scenario's VUs on its own thread and event loop: one ScenarioExecutor
// per scenario. It owns its VUs and its metrics; the runner collects the metrics once per
// interval by swapping in an empty set. The request path takes no lock: a record marks itself
// busy (an odd count) and records into the set it finds; the collector swaps the set's pointer
// and, if a record was under way, waits for that one record to end before it reads the old
// set (a few hundred ns at most, once a second).
class Worker : public QObject
{
    Q_OBJECT
public:
    // `sharedIterations`: one counter per scenario, shared by every worker (shared-iterations).
    Worker(Scenario scenario, qint64 runStartNs, const resultsjsonl::Context &jsonContext, bool recordResults,
           const std::vector<std::shared_ptr<std::atomic<qint64>>> &sharedIterations);
    ~Worker() override;

    // Called from the runner thread: takes this interval's metrics, leaving `fresh` in place.
    WorkerInterval collect(std::unique_ptr<MetricSet> fresh);
    int activeVus() const { return m_activeVus.load(std::memory_order_relaxed); }

    // The rest run on the worker's thread (invoke them queued). `scenario` indexes
    // Scenario::scenarios. See ScenarioExecutor::start for the arguments of startScenario.
    void startScenario(int scenario, const QList<int> &vuIds, int preAllocated, int share, int shares);
    void startVu(int scenario, int id);
    void stopVu(int scenario, int id, qint64 graceNs); // finish the iteration within graceNs, then interrupt
    void stopScenario(int scenario, qint64 graceNs);   // its end or a graceful stop
    void abortScenario(int scenario);                  // interrupt everything now

    // Recording, called by this worker's VUs and executors.
    void recordRequest(const RequestSample &sample, int scenario = 0);
    void recordCheck(qint64 atNs, const QString &name, bool passed, int scenario = 0);
    void recordIteration(qint64 endNs, qint64 durationNs, quint64 bytesSent, quint64 bytesReceived, int scenario = 0);
    void recordInterrupted(qint64 atNs, quint64 bytesSent, quint64 bytesReceived, int scenario = 0);
    // Arrival-rate iterations that found no free VU, k6's dropped_iterations: `count` of them
    // due by atNs (one results.jsonl point carrying the count).
    void recordDropped(qint64 atNs, int scenario = 0, quint64 count = 1);
    void countVus(int delta)
    {
        const int now = m_activeVus.fetch_add(delta, std::memory_order_relaxed) + delta;
        int peak = m_peakVus.load(std::memory_order_relaxed);
        while (now > peak && !m_peakVus.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
        }
    }
    // The most VUs active at once since the last call (for a run too short for a gauge sample).
    int takePeakVus() { return m_peakVus.exchange(activeVus(), std::memory_order_relaxed); }

    // The worker thread's CPU time so far (nullopt until noteThread() ran on it): how busy
    // its event loop is, to tell a saturated generator from a slow server.
    void noteThread(); // on the worker's thread
    std::optional<qint64> threadCpuNs() const;

Q_SIGNALS:
    void scenarioDrained(int scenario); // once per started scenario, when its last VU here stopped

private:
    const resultsjsonl::Context &contextFor(int scenario) const;
    const ScenarioConfig &configFor(int scenario) const;

    Scenario m_scenario;
    qint64 m_runStartNs;
    QList<resultsjsonl::Context> m_jsonContexts; // per scenario
    bool m_recordResults;
    std::vector<ScenarioExecutor *> m_executors;
    std::atomic<int> m_activeVus{0};
    std::atomic<int> m_peakVus{0};
    std::atomic<bool> m_threadNoted{false};
    clockid_t m_threadClock{};

    // What the worker records into until the next collect().
    struct Recording {
        std::unique_ptr<MetricSet> metrics;
        QByteArray resultLines; // k6 JSON points, when results.jsonl is on
    };
    // Marks one record busy for collect(): the count is odd while a record runs.
    class RecordScope
    {
    public:
        explicit RecordScope(Worker &worker);
        ~RecordScope();
        Recording &recording() { return *m_recording; }

    private:
        Worker &m_worker;
        Recording *m_recording;
    };
    std::atomic<Recording *> m_recording;
    std::atomic<quint64> m_recordsBusy{0};
};

} // namespace loadbench
