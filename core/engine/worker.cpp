// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/worker.h"

#include "engine/scenarioexecutor.h"
#include "platform/cpuusage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

namespace loadbench {

Worker::Worker(Scenario scenario, qint64 runStartNs, const resultsjsonl::Context &jsonContext, bool recordResults,
               const std::vector<std::shared_ptr<std::atomic<qint64>>> &sharedIterations)
    : m_scenario(std::move(scenario))
    , m_runStartNs(runStartNs)
    , m_recordResults(recordResults)
    , m_recording(new Recording{std::make_unique<MetricSet>(MetricSet::forScenario(m_scenario)), QByteArray()})
{
    for (qsizetype i = 0; i < m_scenario.scenarios.size(); ++i) {
        const ScenarioConfig &config = m_scenario.scenarios[i];
        const TargetConfig &target = m_scenario.targetFor(config);
        resultsjsonl::Context context = jsonContext;
        context.scenario = config.name;
        context.url = target.url.toString();
        context.method = QString::fromLatin1(target.method);
        m_jsonContexts.append(context);
        auto *executor = new ScenarioExecutor(int(i), config, target, m_runStartNs, this,
                                              size_t(i) < sharedIterations.size() ? sharedIterations[size_t(i)] : nullptr);
        connect(executor, &ScenarioExecutor::drained, this, &Worker::scenarioDrained);
        m_executors.push_back(executor);
    }
}

Worker::~Worker()
{
    // The executors (children) delete their VUs first, while m_scenario still lives.
    for (ScenarioExecutor *executor : m_executors)
        delete executor;
    delete m_recording.load();
}

Worker::RecordScope::RecordScope(Worker &worker)
    : m_worker(worker)
{
    // Busy first, then the set: a collect() that swaps after this point sees the odd count.
    m_worker.m_recordsBusy.fetch_add(1, std::memory_order_seq_cst);
    m_recording = m_worker.m_recording.load(std::memory_order_seq_cst);
}

Worker::RecordScope::~RecordScope()
{
    m_worker.m_recordsBusy.fetch_add(1, std::memory_order_release);
}

WorkerInterval Worker::collect(std::unique_ptr<MetricSet> fresh)
{
    // Runs on the runner's thread. After the swap, every record that starts uses the fresh
    // set; one that was under way may still be writing the old set: wait for it to end.
    Recording *old = m_recording.exchange(new Recording{std::move(fresh), QByteArray()}, std::memory_order_seq_cst);
    const quint64 busy = m_recordsBusy.load(std::memory_order_seq_cst);
    if (busy & 1) {
        while (m_recordsBusy.load(std::memory_order_acquire) == busy)
            QThread::yieldCurrentThread();
    }
    WorkerInterval interval;
    interval.metrics = std::move(old->metrics);
    interval.resultLines = std::move(old->resultLines);
    delete old;
    return interval;
}

void Worker::startScenario(int scenario, const QList<int> &vuIds, int preAllocated, int share, int shares)
{
    m_executors[size_t(scenario)]->start(vuIds, preAllocated, share, shares);
}

void Worker::startVu(int scenario, int id)
{
    m_executors[size_t(scenario)]->startVu(id);
}

void Worker::stopVu(int scenario, int id, qint64 graceNs)
{
    m_executors[size_t(scenario)]->stopVu(id, graceNs);
}

void Worker::stopScenario(int scenario, qint64 graceNs)
{
    m_executors[size_t(scenario)]->stop(graceNs);
}

void Worker::abortScenario(int scenario)
{
    m_executors[size_t(scenario)]->abort();
}

const resultsjsonl::Context &Worker::contextFor(int scenario) const
{
    return m_jsonContexts[std::clamp<qsizetype>(scenario, 0, m_jsonContexts.size() - 1)];
}

const ScenarioConfig &Worker::configFor(int scenario) const
{
    return m_scenario.scenarios[std::clamp<qsizetype>(scenario, 0, m_scenario.scenarios.size() - 1)];
}

void Worker::recordRequest(const RequestSample &sample, int scenario)
{
    RecordScope scope(*this);
    Recording &r = scope.recording();
    r.metrics->recordRequest(sample);
    if (m_recordResults)
        resultsjsonl::appendRequest(r.resultLines, contextFor(scenario), sample);
}

void Worker::recordCheck(qint64 atNs, const QString &name, bool passed, int scenario)
{
    RecordScope scope(*this);
    Recording &r = scope.recording();
    const ScenarioConfig &config = configFor(scenario);
    r.metrics->recordCheck(name, passed, config.name, config.tags);
    if (m_recordResults)
        resultsjsonl::appendCheck(r.resultLines, contextFor(scenario), atNs, name, passed);
}

void Worker::recordIteration(qint64 endNs, qint64 durationNs, quint64 bytesSent, quint64 bytesReceived, int scenario)
{
    RecordScope scope(*this);
    Recording &r = scope.recording();
    const ScenarioConfig &config = configFor(scenario);
    r.metrics->recordIteration(durationNs, config.name, config.tags);
    if (m_recordResults)
        resultsjsonl::appendIteration(r.resultLines, contextFor(scenario), endNs, durationNs, bytesSent, bytesReceived);
}

void Worker::recordInterrupted(qint64 atNs, quint64 bytesSent, quint64 bytesReceived, int scenario)
{
    RecordScope scope(*this);
    Recording &r = scope.recording();
    ++r.metrics->interruptedIterations;
    if (m_recordResults && (bytesSent || bytesReceived))
        resultsjsonl::appendData(r.resultLines, contextFor(scenario), atNs, bytesSent, bytesReceived);
}

void Worker::recordDropped(qint64 atNs, int scenario, quint64 count)
{
    RecordScope scope(*this);
    Recording &r = scope.recording();
    r.metrics->recordDropped(configFor(scenario).name, count);
    if (!m_recordResults)
        return;
    // k6 tags a dropped iteration with its scenario only: it never reached a VU.
    const resultsjsonl::Context &context = contextFor(scenario);
    const QByteArray name = QJsonDocument(QJsonArray{context.scenario}).toJson(QJsonDocument::Compact);
    r.resultLines += "{\"metric\":\"dropped_iterations\",\"type\":\"Point\",\"data\":{\"time\":\""
                     + resultsjsonl::rfc3339(context.wallAtRunStartNs + atNs) + "\",\"value\":" + QByteArray::number(count)
                     + ",\"tags\":{\"scenario\":"
                     + name.mid(1, name.size() - 2) + "}}}\n";
}

void Worker::noteThread()
{
    m_threadClock = cpuusage::currentThreadClock();
    m_threadNoted.store(true, std::memory_order_release);
}

std::optional<qint64> Worker::threadCpuNs() const
{
    if (!m_threadNoted.load(std::memory_order_acquire))
        return std::nullopt;
    return cpuusage::threadNs(m_threadClock);
}

} // namespace loadbench
