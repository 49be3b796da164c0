// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/nativeloop.h"
#include "metrics/metricset.h"
#include "scenario/scenario.h"

#include <QObject>
#include <QTimer>

namespace loadbench {

class HttpClient;
class ScenarioExecutor;
class Worker;
struct RequestSample;

// One k6 VU of one scenario, on its own connection. WHAT an iteration does (the target's
// requests in order, each followed by its checks and think time) is beginIteration() up to
// endIteration(); WHEN iterations start is its executor's call: a looping VU (start()) asks it
// before each iteration, a pooled arrival-rate VU (startIdle()) waits for startIteration(). A stop lets the current iteration finish within
// a grace period, then interrupts it; an idle VU stops at once.
class VirtualUser : public QObject, private NativeLoop::Deferred, private NativeLoop::Timer
{
    Q_OBJECT
public:
    VirtualUser(int id, int scenarioIndex, const ScenarioConfig &config, const TargetConfig &target,
                qint64 runStartNs, Worker *worker, ScenarioExecutor *executor);
    ~VirtualUser() override;

    int id() const { return m_id; }
    void start();      // loop iterations while the executor grants them
    void startIdle();  // join an arrival-rate pool, idle until startIteration()
    // Starts one iteration now, scheduled at `scheduledNs` since the run's start (open model).
    void startIteration(qint64 scheduledNs);
    void requestStop(qint64 graceNs);
    void cancelStop();
    void interrupt();
    bool isStopping() const { return m_stopRequested; }
    bool isIdle() const { return m_running && !m_inIteration; }

Q_SIGNALS:
    void stopped(int id);

private:
    void beginIteration();
    void sendRequest();
    void onResponse(const RequestSample &sample, const HttpResponse &response);
    void afterThink();
    void endIteration();
    void afterIteration();
    void runDeferred() override; // afterIteration(), queued on the native loop
    void onTimer() override;     // afterThink(): the think time, on the native loop
    void loopOrStop();
    void finishStop();
    // The sample with what only the executor knows: scenario, its tags, the schedule lag.
    RequestSample stamped(const RequestSample &sample) const;

    int m_id;
    int m_scenarioIndex;
    const ScenarioConfig &m_config;
    const TargetConfig &m_target;
    qint64 m_runStartNs;
    Worker *m_worker;
    ScenarioExecutor *m_executor;
    QList<PlannedRequest> m_plan; // what one iteration sends; PlannedRequest::wire formatted once
    HttpClient *m_client;
    // The thread's native loop, with either engine: think times are deadlines on it, to the
    // nanosecond and without allocating (a QTimer counts whole milliseconds: 200 µs was 0).
    NativeLoop *m_loop;
    bool m_deferOnLoop; // the client runs on the loop: the next iteration is queued there too
    qsizetype m_step = 0;         // the request of the iteration in flight or thinking
    QTimer m_graceTimer;
    qint64 m_iterationStartNs = 0;
    quint64 m_iterationBytesSent = 0;
    quint64 m_iterationBytesReceived = 0;
    qint64 m_scheduleLagNs = -1; // this iteration's lag behind its schedule; -1: closed model
    bool m_stopRequested = false;
    bool m_running = false;    // started and not stopped
    bool m_inIteration = false;
};

} // namespace loadbench
