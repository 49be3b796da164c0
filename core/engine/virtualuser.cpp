// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/virtualuser.h"

#include "engine/clock.h"
#include "engine/httpclient.h"
#include "engine/nativeclient.h"
#include "engine/scenarioexecutor.h"
#include "engine/worker.h"

namespace loadbench {

VirtualUser::VirtualUser(int id, int scenarioIndex, const ScenarioConfig &config, const TargetConfig &target,
                         qint64 runStartNs, Worker *worker, ScenarioExecutor *executor)
    : QObject(executor)
    , m_id(id)
    , m_scenarioIndex(scenarioIndex)
    , m_config(config)
    , m_target(target)
    , m_runStartNs(runStartNs)
    , m_worker(worker)
    , m_executor(executor)
    , m_plan(target.plan())
    , m_client(createHttpClient(config.engine, m_plan, this))
    , m_loop(NativeLoop::acquire())
    , m_deferOnLoop(qobject_cast<NativeClient *>(m_client) != nullptr)
{
    m_graceTimer.setSingleShot(true);
    m_graceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_graceTimer, &QTimer::timeout, this, &VirtualUser::interrupt);
    connect(m_client, &HttpClient::finished, this, &VirtualUser::onResponse);
}

VirtualUser::~VirtualUser()
{
    m_loop->cancel(static_cast<NativeLoop::Deferred *>(this));
    m_loop->cancel(static_cast<NativeLoop::Timer *>(this));
    delete m_client; // before the loop it may hold goes
    m_client = nullptr;
    NativeLoop::release(m_loop);
}

void VirtualUser::runDeferred()
{
    afterIteration();
}

void VirtualUser::onTimer()
{
    afterThink();
}

void VirtualUser::start()
{
    m_running = true;
    loopOrStop();
}

void VirtualUser::startIdle()
{
    m_running = true;
}

void VirtualUser::startIteration(qint64 scheduledNs)
{
    m_running = true;
    m_inIteration = true;
    m_scheduleLagNs = std::max<qint64>(0, steadyNowNs() - m_runStartNs - scheduledNs);
    beginIteration();
}

void VirtualUser::loopOrStop()
{
    if (!m_executor->claimIteration(this)) {
        finishStop(); // the executor has no iteration left for this VU
        return;
    }
    m_inIteration = true;
    beginIteration();
}

void VirtualUser::afterIteration()
{
    if (!m_running)
        return; // stopped while this call was queued
    if (m_stopRequested) {
        finishStop();
        return;
    }
    if (m_config.isArrivalRate())
        m_executor->onVuIdle(this); // back to the pool, until the schedule calls
    else
        loopOrStop();
}

void VirtualUser::finishStop()
{
    m_running = false;
    m_inIteration = false;
    m_graceTimer.stop();
    Q_EMIT stopped(m_id);
}

RequestSample VirtualUser::stamped(const RequestSample &sample) const
{
    RequestSample s = sample;
    s.scenario = m_config.name;
    s.scheduleLagNs = m_scheduleLagNs;
    // The request's own tags win over the scenario's, as in k6.
    for (auto it = m_config.tags.begin(); it != m_config.tags.end(); ++it) {
        if (!s.tags.contains(it.key()))
            s.tags.insert(it.key(), it.value());
    }
    return s;
}

void VirtualUser::beginIteration()
{
    if (!m_running)
        return; // interrupted while this call was queued
    if (m_stopRequested) {
        m_running = false;
        m_graceTimer.stop();
        Q_EMIT stopped(m_id);
        return;
    }
    m_iterationStartNs = steadyNowNs();
    m_iterationBytesSent = m_iterationBytesReceived = 0;
    m_step = 0;
    sendRequest();
}

void VirtualUser::sendRequest()
{
    m_client->send(m_plan.at(m_step), m_runStartNs);
}

void VirtualUser::onResponse(const RequestSample &sample, const HttpResponse &response)
{
    m_worker->recordRequest(stamped(sample), m_scenarioIndex);
    m_iterationBytesSent += sample.bytesSent;
    m_iterationBytesReceived += sample.bytesReceived;
    const PlannedRequest &request = m_plan.at(m_step);
    if (!request.checks.isEmpty()) {
        const qint64 atNs = steadyNowNs() - m_runStartNs;
        const CheckedResponse checked(sample.status, response);
        for (const Check &check : request.checks)
            m_worker->recordCheck(atNs, check.name, check.passes(checked), m_scenarioIndex);
    }
    const Nanoseconds think = request.thinkTime.draw();
    if (think.count() > 0)
        m_loop->schedule(static_cast<NativeLoop::Timer *>(this), steadyNowNs() + think.count());
    else
        afterThink();
}

void VirtualUser::afterThink()
{
    if (++m_step < m_plan.size())
        sendRequest();
    else
        endIteration();
}

void VirtualUser::endIteration()
{
    const qint64 now = steadyNowNs();
    m_worker->recordIteration(now - m_runStartNs, now - m_iterationStartNs, m_iterationBytesSent,
                              m_iterationBytesReceived, m_scenarioIndex);
    m_inIteration = false;
    // The executor decides what comes next. Queued, so a server answering instantly cannot
    // recurse the stack or starve the loop: on the native engine's loop without a Qt event
    // (which would allocate per iteration).
    if (m_deferOnLoop)
        m_loop->defer(this);
    else
        QMetaObject::invokeMethod(this, &VirtualUser::afterIteration, Qt::QueuedConnection);
}

void VirtualUser::requestStop(qint64 graceNs)
{
    if (!m_running) {
        Q_EMIT stopped(m_id);
        return;
    }
    if (!m_inIteration) {
        finishStop(); // idle, or between two iterations
        return;
    }
    if (m_stopRequested)
        return;
    m_stopRequested = true;
    m_graceTimer.start(std::chrono::milliseconds(graceNs / 1'000'000));
}

void VirtualUser::cancelStop()
{
    m_stopRequested = false;
    m_graceTimer.stop();
}

void VirtualUser::interrupt()
{
    if (!m_running)
        return;
    m_running = false;
    m_graceTimer.stop();
    m_loop->cancel(static_cast<NativeLoop::Timer *>(this));
    if (m_inIteration) {
        m_client->abort();
        m_worker->recordInterrupted(steadyNowNs() - m_runStartNs, m_iterationBytesSent, m_iterationBytesReceived,
                                    m_scenarioIndex);
    }
    m_inIteration = false;
    Q_EMIT stopped(m_id);
}

} // namespace loadbench
