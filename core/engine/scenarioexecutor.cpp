// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scenarioexecutor.h"

#include "engine/clock.h"
#include "engine/virtualuser.h"
#include "engine/worker.h"

namespace loadbench {

ScenarioExecutor::ScenarioExecutor(int index, const ScenarioConfig &config, const TargetConfig &target,
                                   qint64 runStartNs, Worker *worker,
                                   std::shared_ptr<std::atomic<qint64>> sharedIterations)
    : QObject(worker)
    , m_index(index)
    , m_config(config)
    , m_target(target)
    , m_runStartNs(runStartNs)
    , m_worker(worker)
    , m_sharedIterations(std::move(sharedIterations))
    , m_schedule(config)
{
}

ScenarioExecutor::~ScenarioExecutor()
{
    qDeleteAll(m_vus);
    if (m_loop) {
        stopArrivalTimer();
        NativeLoop::release(m_loop);
    }
}

void ScenarioExecutor::stopArrivalTimer()
{
    if (m_loop)
        m_loop->cancel(&m_arrivalTimer);
}

VirtualUser *ScenarioExecutor::addVu(int id)
{
    auto *vu = new VirtualUser(id, m_index, m_config, m_target, m_runStartNs, m_worker, this);
    connect(vu, &VirtualUser::stopped, this, &ScenarioExecutor::onVuStopped);
    m_vus.insert(id, vu);
    m_worker->countVus(1);
    return vu;
}

void ScenarioExecutor::start(const QList<int> &vuIds, int preAllocated, int share, int shares)
{
    if (m_config.isArrivalRate()) {
        m_startNs = m_config.startTime.count();
        m_next = share;
        m_step = shares; // 0: this worker owns none of its iterations
        for (qsizetype i = 0; i < vuIds.size(); ++i) {
            if (i < preAllocated) {
                VirtualUser *vu = addVu(vuIds[i]);
                vu->startIdle();
                m_idle.append(vu);
            } else {
                m_spareIds.append(vuIds[i]);
            }
        }
        if (shares > 0)
            scheduleNextArrival();
    } else {
        for (int id : vuIds)
            startVu(id);
    }
    m_started = true; // only now may *-iterations count as drained
    checkDrained();
}

void ScenarioExecutor::startVu(int id)
{
    if (m_stopping)
        return;
    if (VirtualUser *vu = m_vus.value(id)) {
        // Ramped down and straight back up before it finished: keep it going.
        vu->cancelStop();
        return;
    }
    addVu(id)->start();
}

void ScenarioExecutor::stopVu(int id, qint64 graceNs)
{
    if (VirtualUser *vu = m_vus.value(id))
        vu->requestStop(graceNs);
}

void ScenarioExecutor::stop(qint64 graceNs)
{
    // Iterations due by now still start (or are dropped) before the stop: the scenario's end
    // and the last iterations' timer may arrive in either order, and none may go uncounted.
    if (!m_stopping && m_config.isArrivalRate())
        onArrivalTimer();
    m_stopping = true;
    stopArrivalTimer();
    const QList<VirtualUser *> vus = m_vus.values(); // a stop may remove a VU at once
    for (VirtualUser *vu : vus)
        vu->requestStop(graceNs);
    checkDrained();
}

void ScenarioExecutor::abort()
{
    m_stopping = true;
    stopArrivalTimer();
    const QList<VirtualUser *> vus = m_vus.values();
    for (VirtualUser *vu : vus)
        vu->interrupt();
    checkDrained();
}

bool ScenarioExecutor::claimIteration(VirtualUser *vu)
{
    if (m_stopping)
        return false;
    switch (m_config.executor) {
    case ExecutorType::SharedIterations:
        return m_sharedIterations->fetch_add(1, std::memory_order_relaxed) < m_config.iterations;
    case ExecutorType::PerVuIterations:
        return m_claimed[vu->id()]++ < m_config.iterations;
    default:
        return true;
    }
}

void ScenarioExecutor::onVuIdle(VirtualUser *vu)
{
    m_idle.append(vu);
}

void ScenarioExecutor::onVuStopped(int id)
{
    VirtualUser *vu = m_vus.take(id);
    if (!vu)
        return;
    m_idle.removeOne(vu);
    vu->deleteLater();
    m_worker->countVus(-1);
    checkDrained();
}

void ScenarioExecutor::scheduleNextArrival()
{
    if (m_step == 0)
        return;
    const std::optional<Nanoseconds> next = m_schedule.at(m_next);
    if (!next)
        return; // the schedule is over; the controller stops the scenario at its end
    if (!m_loop)
        m_loop = NativeLoop::acquire();
    m_loop->schedule(&m_arrivalTimer, m_runStartNs + m_startNs + next->count());
}

void ScenarioExecutor::onArrivalTimer()
{
    if (m_stopping || m_step == 0)
        return;
    const qint64 now = steadyNowNs() - m_runStartNs;
    // Everything due, late ones included: a late timer (a busy machine, a stalled event loop)
    // starts them late, and the lag shows in http_req_scheduled_duration.
    for (std::optional<Nanoseconds> at = m_schedule.at(m_next); at && m_startNs + at->count() <= now;
         at = m_schedule.at(m_next)) {
        const qint64 scheduledNs = m_startNs + at->count();
        m_next += m_step;
        if (!m_idle.isEmpty()) {
            m_idle.takeLast()->startIteration(scheduledNs);
            continue;
        }
        if (!m_spareIds.isEmpty()) {
            m_worker->recordDropped(now, m_index);
            VirtualUser *vu = addVu(m_spareIds.takeFirst());
            vu->startIdle();
            m_idle.append(vu);
            continue;
        }
        // No VU now and none to add: every iteration due by now is dropped, counted at once
        // (at a billion a second, one by one, a 2 s run took 36 s to count its drops).
        const qint64 due = m_schedule.dueBy(Nanoseconds(now - m_startNs)); // iterations due, all workers
        const qint64 mine = due > m_next ? (due - m_next + m_step - 1) / m_step : 0;
        m_worker->recordDropped(now, m_index, quint64(1 + mine));
        m_next += mine * m_step;
    }
    scheduleNextArrival();
}

void ScenarioExecutor::checkDrained()
{
    if (m_drained || !m_vus.isEmpty())
        return;
    if (m_stopping || (m_started && m_config.isIterationBased())) {
        m_drained = true;
        Q_EMIT drained(m_index);
    }
}

} // namespace loadbench
