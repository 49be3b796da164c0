// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/nativeloop.h"
#include "scenario/arrivalschedule.h"
#include "scenario/scenario.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <atomic>
#include <memory>

namespace loadbench {

class VirtualUser;
class Worker;

// One scenario's share on one worker: owns those VUs and decides when their iterations start,
// the way the scenario's k6 executor does.
// - Looping (constant-vus, ramping-vus, externally-controlled): the run controller starts and
//   stops VUs by id as the schedule (or setVus) says; each VU loops.
// - shared-iterations: every VU of every worker claims iterations from one shared counter, so
//   exactly `iterations` start. per-vu-iterations: each VU claims its own `iterations`.
// - Arrival-rate: this worker takes iterations share, share+shares, ... of the scenario's
//   ArrivalSchedule and hands each, at its time, to an idle VU of its pool. With no idle VU the
//   iteration is dropped (dropped_iterations), never queued or delayed; a drop while the pool is
//   below its maxVUs share also adds a VU for later iterations, as k6 does.
// Emits drained() once, when it has no VU left and none will come: after stop() or abort(), or
// for *-iterations once its VUs ran out of iterations.
class ScenarioExecutor : public QObject
{
    Q_OBJECT
public:
    ScenarioExecutor(int index, const ScenarioConfig &config, const TargetConfig &target, qint64 runStartNs,
                     Worker *worker, std::shared_ptr<std::atomic<qint64>> sharedIterations);
    ~ScenarioExecutor() override;

    // `vuIds`: the VUs this worker runs at the start (*-iterations), or the ids its
    // arrival-rate pool may use, the first `preAllocated` created at once.
    void start(const QList<int> &vuIds, int preAllocated, int share, int shares);
    void startVu(int id);
    void stopVu(int id, qint64 graceNs);
    void stop(qint64 graceNs); // no new iterations; in-flight ones get graceNs
    void abort();

    // Called by this executor's VUs.
    bool claimIteration(VirtualUser *vu);
    void onVuIdle(VirtualUser *vu);

Q_SIGNALS:
    void drained(int index);

private:
    VirtualUser *addVu(int id);
    void onVuStopped(int id);
    void scheduleNextArrival();
    void onArrivalTimer();
    void checkDrained();

    int m_index;
    const ScenarioConfig &m_config;
    const TargetConfig &m_target;
    qint64 m_runStartNs;
    Worker *m_worker;
    std::shared_ptr<std::atomic<qint64>> m_sharedIterations;
    QHash<int, VirtualUser *> m_vus;
    QHash<int, int> m_claimed; // per-vu-iterations: iterations each VU started

    // Arrival-rate. The next start is a deadline on the thread's NativeLoop, to the nanosecond
    // (with either engine): a QTimer's whole milliseconds started each iteration up to 1 ms late.
    class ArrivalTimer final : public NativeLoop::Timer
    {
    public:
        explicit ArrivalTimer(ScenarioExecutor *executor) : m_executor(executor) {}
        void onTimer() override { m_executor->onArrivalTimer(); }

    private:
        ScenarioExecutor *m_executor;
    };
    void stopArrivalTimer();
    ArrivalSchedule m_schedule;
    ArrivalTimer m_arrivalTimer{this};
    NativeLoop *m_loop = nullptr; // acquired with the first arrival, on the worker's thread
    QList<VirtualUser *> m_idle; // most recently idle last: it keeps the warmest connection busy
    QList<int> m_spareIds;       // ids the pool may still grow by, up to maxVUs
    qint64 m_startNs = 0;        // the scenario's planned start, since the run's start
    qint64 m_next = 0;           // the next iteration index this worker owns
    int m_step = 0;

    bool m_started = false;
    bool m_stopping = false;
    bool m_drained = false;
};

} // namespace loadbench
