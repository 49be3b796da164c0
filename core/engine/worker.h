// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/metricset.h"
#include "output/resultsjsonl.h"
#include "scenario/scenario.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>

namespace loadbench {

class VirtualUser;

// What a worker measured since the runner last collected it.
struct WorkerInterval {
    std::unique_ptr<MetricSet> metrics;
    QByteArray resultLines; // k6 JSON points, when results.jsonl is on
};

// Runs a share of the VUs on its own thread and event loop. It owns its VUs and its metrics;
// the runner collects the metrics once per interval by swapping in an empty set, under a mutex
// that nothing else contends for, so the request path takes no shared lock.
class Worker : public QObject
{
    Q_OBJECT
public:
    Worker(Scenario scenario, qint64 runStartNs, const resultsjsonl::Context &jsonContext,
           bool recordResults);
    ~Worker() override;

    // Called from the runner thread: takes this interval's metrics, leaving `fresh` in place.
    WorkerInterval collect(std::unique_ptr<MetricSet> fresh);
    int activeVus() const { return m_activeVus.load(std::memory_order_relaxed); }

    // The rest run on the worker's thread (invoke them queued).
    void startVu(int id);
    void stopVu(int id, qint64 graceNs);       // finish the iteration within graceNs, then interrupt
    void stopAll(qint64 graceNs);              // the run's end or a graceful stop
    void abortAll();                           // interrupt everything now

    // Recording, called by this worker's VUs.
    void recordRequest(const RequestSample &sample);
    void recordCheck(qint64 atNs, const QString &name, bool passed);
    void recordIteration(qint64 endNs, qint64 durationNs, quint64 bytesSent, quint64 bytesReceived);
    void recordInterrupted(qint64 atNs, quint64 bytesSent, quint64 bytesReceived);

Q_SIGNALS:
    void drained(); // after stopAll/abortAll, once the last VU has stopped

private:
    void onVuStopped(int id);

    Scenario m_scenario;
    qint64 m_runStartNs;
    resultsjsonl::Context m_jsonContext;
    bool m_recordResults;
    QHash<int, VirtualUser *> m_vus;
    std::atomic<int> m_activeVus{0};
    bool m_draining = false;

    QMutex m_mutex; // guards the two members below
    std::unique_ptr<MetricSet> m_metrics;
    QByteArray m_resultLines;
};

} // namespace loadbench
