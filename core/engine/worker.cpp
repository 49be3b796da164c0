// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/worker.h"

#include "engine/virtualuser.h"

#include <QMutexLocker>

namespace loadbench {

Worker::Worker(Scenario scenario, qint64 runStartNs, const resultsjsonl::Context &jsonContext,
               bool recordResults)
    : m_scenario(std::move(scenario))
    , m_runStartNs(runStartNs)
    , m_jsonContext(jsonContext)
    , m_recordResults(recordResults)
    , m_metrics(std::make_unique<MetricSet>(MetricSet::forScenario(m_scenario)))
{
}

Worker::~Worker()
{
    qDeleteAll(m_vus);
}

WorkerInterval Worker::collect(std::unique_ptr<MetricSet> fresh)
{
    WorkerInterval interval;
    QMutexLocker lock(&m_mutex);
    interval.metrics = std::exchange(m_metrics, std::move(fresh));
    interval.resultLines = std::exchange(m_resultLines, QByteArray());
    return interval;
}

void Worker::startVu(int id)
{
    if (VirtualUser *vu = m_vus.value(id)) {
        // Ramped down and straight back up before it finished: keep it going.
        vu->cancelStop();
        return;
    }
    auto *vu = new VirtualUser(id, m_scenario, m_runStartNs, this);
    connect(vu, &VirtualUser::stopped, this, &Worker::onVuStopped);
    m_vus.insert(id, vu);
    m_activeVus.fetch_add(1, std::memory_order_relaxed);
    vu->start();
}

void Worker::stopVu(int id, qint64 graceNs)
{
    if (VirtualUser *vu = m_vus.value(id))
        vu->requestStop(graceNs);
}

void Worker::stopAll(qint64 graceNs)
{
    m_draining = true;
    if (m_vus.isEmpty()) {
        Q_EMIT drained();
        return;
    }
    const QList<VirtualUser *> vus = m_vus.values(); // a stop may remove a VU at once
    for (VirtualUser *vu : vus)
        vu->requestStop(graceNs);
}

void Worker::abortAll()
{
    m_draining = true;
    if (m_vus.isEmpty()) {
        Q_EMIT drained();
        return;
    }
    const QList<VirtualUser *> vus = m_vus.values();
    for (VirtualUser *vu : vus)
        vu->interrupt();
}

void Worker::onVuStopped(int id)
{
    VirtualUser *vu = m_vus.take(id);
    if (!vu)
        return;
    vu->deleteLater();
    m_activeVus.fetch_sub(1, std::memory_order_relaxed);
    if (m_draining && m_vus.isEmpty())
        Q_EMIT drained();
}

void Worker::recordRequest(const RequestSample &sample)
{
    QMutexLocker lock(&m_mutex);
    m_metrics->recordRequest(sample);
    if (m_recordResults)
        resultsjsonl::appendRequest(m_resultLines, m_jsonContext, sample);
}

void Worker::recordCheck(qint64 atNs, const QString &name, bool passed)
{
    QMutexLocker lock(&m_mutex);
    m_metrics->recordCheck(name, passed);
    if (m_recordResults)
        resultsjsonl::appendCheck(m_resultLines, m_jsonContext, atNs, name, passed);
}

void Worker::recordIteration(qint64 endNs, qint64 durationNs, quint64 bytesSent, quint64 bytesReceived)
{
    QMutexLocker lock(&m_mutex);
    m_metrics->recordIteration(durationNs);
    if (m_recordResults)
        resultsjsonl::appendIteration(m_resultLines, m_jsonContext, endNs, durationNs, bytesSent, bytesReceived);
}

void Worker::recordInterrupted(qint64 atNs, quint64 bytesSent, quint64 bytesReceived)
{
    QMutexLocker lock(&m_mutex);
    ++m_metrics->interruptedIterations;
    if (m_recordResults && (bytesSent || bytesReceived))
        resultsjsonl::appendData(m_resultLines, m_jsonContext, atNs, bytesSent, bytesReceived);
}

} // namespace loadbench
