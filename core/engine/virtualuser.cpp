// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/virtualuser.h"

#include "engine/clock.h"
#include "engine/qnamclient.h"
#include "engine/worker.h"

namespace loadbench {

VirtualUser::VirtualUser(int id, const Scenario &scenario, qint64 runStartNs, Worker *worker)
    : QObject(worker)
    , m_id(id)
    , m_scenario(scenario)
    , m_runStartNs(runStartNs)
    , m_worker(worker)
    , m_client(new QnamClient(this))
    , m_plan(scenario.target.plan())
{
    m_thinkTimer.setSingleShot(true);
    m_thinkTimer.setTimerType(Qt::PreciseTimer);
    m_graceTimer.setSingleShot(true);
    m_graceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_thinkTimer, &QTimer::timeout, this, &VirtualUser::afterThink);
    connect(&m_graceTimer, &QTimer::timeout, this, &VirtualUser::interrupt);
    connect(m_client, &HttpClient::finished, this, &VirtualUser::onResponse);
}

VirtualUser::~VirtualUser() = default;

void VirtualUser::start()
{
    m_running = true;
    beginIteration();
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
    m_worker->recordRequest(sample);
    m_iterationBytesSent += sample.bytesSent;
    m_iterationBytesReceived += sample.bytesReceived;
    const PlannedRequest &request = m_plan.at(m_step);
    if (!request.checks.isEmpty()) {
        const qint64 atNs = steadyNowNs() - m_runStartNs;
        const CheckedResponse checked(sample.status, response);
        for (const Check &check : request.checks)
            m_worker->recordCheck(atNs, check.name, check.passes(checked));
    }
    const Nanoseconds think = request.thinkTime.draw();
    if (think.count() > 0)
        m_thinkTimer.start(std::chrono::round<std::chrono::milliseconds>(think));
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
                              m_iterationBytesReceived);
    // Queued, so a server answering instantly cannot recurse the stack or starve the loop.
    QMetaObject::invokeMethod(this, &VirtualUser::beginIteration, Qt::QueuedConnection);
}

void VirtualUser::requestStop(qint64 graceNs)
{
    if (!m_running) {
        Q_EMIT stopped(m_id);
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
    m_thinkTimer.stop();
    m_client->abort();
    m_worker->recordInterrupted(steadyNowNs() - m_runStartNs, m_iterationBytesSent, m_iterationBytesReceived);
    Q_EMIT stopped(m_id);
}

} // namespace loadbench
