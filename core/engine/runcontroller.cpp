// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runcontroller.h"

#include "engine/clock.h"
#include "engine/worker.h"
#include "platform/resourcelimits.h"

#include <QThread>

namespace loadbench {

RunController::RunController(Scenario scenario, RunOptions options)
    : m_scenario(std::move(scenario))
    , m_options(std::move(options))
{
    for (QTimer *timer : {&m_tickTimer, &m_scheduleTimer, &m_endTimer})
        timer->setTimerType(Qt::PreciseTimer);
    m_scheduleTimer.setSingleShot(true);
    m_endTimer.setSingleShot(true);
    connect(&m_tickTimer, &QTimer::timeout, this, &RunController::onTick);
    connect(&m_scheduleTimer, &QTimer::timeout, this, &RunController::applySchedule);
    connect(&m_endTimer, &QTimer::timeout, this, &RunController::onPlannedEnd);
}

RunController::~RunController()
{
    // Workers die with their threads; make sure the threads are gone first.
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    for (Worker *worker : m_workers)
        delete worker;
    for (QThread *thread : m_threads)
        delete thread;
}

qint64 RunController::elapsedNs() const
{
    return steadyNowNs() - m_startNs;
}

void RunController::start()
{
    QString why;
    if (!reserveFileDescriptors(m_scenario.maxVus(), &why)) {
        Q_EMIT failed(why);
        return;
    }
    if (!m_options.resultsJsonlPath.isEmpty()) {
        m_results = std::make_unique<ResultsJsonlWriter>(m_scenario.thresholds);
        if (!m_results->open(m_options.resultsJsonlPath, &why)) {
            Q_EMIT failed(why);
            return;
        }
    }
    const int workerCount = std::max(1, std::min(m_options.workerThreads > 0 ? m_options.workerThreads
                                                                              : QThread::idealThreadCount(),
                                                 std::max(1, m_scenario.maxVus())));
    m_startWall = QDateTime::currentDateTimeUtc();
    m_startNs = steadyNowNs();
    m_lastTickNs = m_startNs;
    m_wallAtStartNs = m_startWall.toMSecsSinceEpoch() * 1'000'000;
    if (!m_options.histogramsPath.isEmpty()
        && !m_histograms.open(m_options.histogramsPath, m_scenario.name, m_startWall, m_options.snapshotInterval.count(), &why)) {
        Q_EMIT failed(why);
        return;
    }

    resultsjsonl::Context context;
    context.wallAtRunStartNs = m_wallAtStartNs;
    context.scenario = m_scenario.main().name;
    context.url = m_scenario.target.url.toString();
    context.method = QString::fromLatin1(m_scenario.target.method);

    for (int i = 0; i < workerCount; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("loadbench-worker-%1").arg(i));
        auto *worker = new Worker(m_scenario, m_startNs, context, m_results != nullptr);
        worker->moveToThread(thread);
        connect(worker, &Worker::drained, this, &RunController::onWorkerDrained, Qt::QueuedConnection);
        thread->start();
        m_workers.push_back(worker);
        m_threads.push_back(thread);
        m_spares.push_back(std::make_unique<MetricSet>(MetricSet::forScenario(m_scenario)));
    }
    Q_EMIT started();
    m_tickTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(m_options.snapshotInterval));
    m_endTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(m_scenario.plannedDuration()));
    applySchedule();
}

void RunController::applySchedule()
{
    if (m_draining)
        return;
    const Nanoseconds now{elapsedNs()};
    setActiveVus(m_scenario.plannedVusAt(now));
    if (const auto next = m_scenario.nextVuChangeAfter(now); next && *next < m_scenario.plannedDuration()) {
        const qint64 waitNs = std::max<qint64>(0, (*next - Nanoseconds(elapsedNs())).count());
        // Round up: a timer firing early would find the same VU count and spin.
        m_scheduleTimer.start(std::chrono::milliseconds((waitNs + 999'999) / 1'000'000));
    }
}

void RunController::setActiveVus(int target)
{
    const qint64 rampDownGraceNs = m_scenario.main().gracefulRampDown.count();
    while (m_activeVus < target) {
        const int id = m_activeVus++;
        Worker *worker = m_workers[size_t(id) % m_workers.size()];
        QMetaObject::invokeMethod(worker, [worker, id] { worker->startVu(id); }, Qt::QueuedConnection);
    }
    while (m_activeVus > target) {
        const int id = --m_activeVus;
        Worker *worker = m_workers[size_t(id) % m_workers.size()];
        QMetaObject::invokeMethod(worker, [worker, id, rampDownGraceNs] { worker->stopVu(id, rampDownGraceNs); },
                                  Qt::QueuedConnection);
    }
}

void RunController::onPlannedEnd()
{
    beginDrain(false);
}

void RunController::stopGracefully()
{
    if (m_finished)
        return;
    m_interrupted = true;
    beginDrain(false);
}

void RunController::abort()
{
    if (m_finished)
        return;
    m_interrupted = true;
    beginDrain(true);
}

void RunController::beginDrain(bool abortNow)
{
    m_scheduleTimer.stop();
    m_endTimer.stop();
    if (m_workers.empty()) {
        finish();
        return;
    }
    if (!m_draining) {
        m_draining = true;
        m_drainingWorkers = int(m_workers.size());
    }
    const qint64 graceNs = m_scenario.main().gracefulStop.count();
    for (Worker *worker : m_workers) {
        if (abortNow)
            QMetaObject::invokeMethod(worker, &Worker::abortAll, Qt::QueuedConnection);
        else
            QMetaObject::invokeMethod(worker, [worker, graceNs] { worker->stopAll(graceNs); }, Qt::QueuedConnection);
    }
}

void RunController::onWorkerDrained()
{
    if (--m_drainingWorkers == 0)
        finish();
}

IntervalSnapshot RunController::collectInterval()
{
    const qint64 now = steadyNowNs();
    m_interval.reset();
    for (size_t i = 0; i < m_workers.size(); ++i) {
        WorkerInterval taken = m_workers[i]->collect(std::move(m_spares[i]));
        m_interval.add(*taken.metrics);
        if (m_results)
            m_results->write(taken.resultLines);
        taken.metrics->reset();
        m_spares[i] = std::move(taken.metrics);
    }
    m_cumulative->add(m_interval);

    int vus = 0;
    for (Worker *worker : m_workers)
        vus += worker->activeVus();
    // The vus gauge samples the run, not its teardown: once every VU has stopped, reading 0
    // would only say that the run ended (k6's summary shows the last running value too).
    const bool sampleGauges = !m_draining || m_drainingWorkers > 0;
    if (sampleGauges) {
        m_lastVus = vus;
        m_vusMin = m_vusMin < 0 ? vus : std::min(m_vusMin, vus);
        m_vusMaxSeen = std::max(m_vusMaxSeen, vus);
    }
    if (m_results && sampleGauges) {
        QByteArray gauges;
        resultsjsonl::appendGauge(gauges, QStringLiteral("vus"), m_wallAtStartNs + (now - m_startNs), vus);
        resultsjsonl::appendGauge(gauges, QStringLiteral("vus_max"), m_wallAtStartNs + (now - m_startNs),
                                  m_scenario.maxVus());
        m_results->write(gauges);
    }

    m_histograms.append(m_lastTickNs - m_startNs, now - m_startNs, sampleGauges ? vus : -1, m_interval);

    IntervalSnapshot s;
    s.elapsedSeconds = double(now - m_startNs) / 1e9;
    s.intervalSeconds = double(now - m_lastTickNs) / 1e9;
    m_lastTickNs = now;
    s.plannedSeconds = toSeconds(m_scenario.plannedDuration());
    s.vus = vus;
    s.vusMax = m_scenario.maxVus();
    s.plannedVus = m_draining ? 0 : m_scenario.plannedVusAt(Nanoseconds(now - m_startNs));
    const Histogram &duration = m_interval.trend(TrendMetric::HttpReqDuration);
    s.requests = m_interval.httpReqs;
    s.failed = m_interval.httpReqFailed;
    s.iterations = m_interval.iterations;
    s.bytesReceived = m_interval.dataReceived;
    s.requestsPerSecond = s.intervalSeconds > 0 ? double(s.requests) / s.intervalSeconds : 0;
    s.p50Ms = duration.percentile(50) / 1e6;
    s.p90Ms = duration.percentile(90) / 1e6;
    s.p95Ms = duration.percentile(95) / 1e6;
    s.p99Ms = duration.percentile(99) / 1e6;
    s.avgMs = duration.mean() / 1e6;
    s.minMs = double(duration.min()) / 1e6;
    s.maxMs = double(duration.max()) / 1e6;
    const Histogram &all = m_cumulative->trend(TrendMetric::HttpReqDuration);
    s.totalRequests = m_cumulative->httpReqs;
    s.totalFailed = m_cumulative->httpReqFailed;
    s.totalIterations = m_cumulative->iterations;
    s.cumulativeP50Ms = all.percentile(50) / 1e6;
    s.cumulativeP95Ms = all.percentile(95) / 1e6;
    s.cumulativeP99Ms = all.percentile(99) / 1e6;
    s.thresholds = liveThresholds();
    return s;
}

Summary RunController::summarySoFar() const
{
    Summary summary;
    summary.scenario = m_scenario;
    summary.metrics = m_cumulative;
    summary.startTime = m_startWall;
    summary.durationSeconds = double(elapsedNs()) / 1e9;
    summary.vus = m_lastVus;
    summary.vusMin = std::max(0, m_vusMin);
    summary.vusMax = m_vusMaxSeen;
    summary.vusMaxConfigured = m_scenario.maxVus();
    summary.engine = QStringLiteral("qnam");
    return summary;
}

QList<ThresholdState> RunController::liveThresholds() const
{
    QList<ThresholdState> states = summarySoFar().evaluateThresholds();
    // While the run goes, "no data yet" is pending, not crossed.
    for (ThresholdState &state : states)
        state.crossed = state.hasData && state.crossed;
    return states;
}

void RunController::onTick()
{
    if (m_finished)
        return;
    const IntervalSnapshot snapshot = collectInterval();
    Q_EMIT snapshotReady(snapshot);
    if (m_draining)
        return;
    const qint64 elapsed = elapsedNs();
    for (qsizetype i = 0; i < m_scenario.thresholds.size(); ++i) {
        const Threshold &t = m_scenario.thresholds[i];
        if (t.abortOnFail && snapshot.thresholds[i].crossed && elapsed >= t.delayAbortEval.count()) {
            m_abortedByThreshold = true;
            beginDrain(true);
            return;
        }
    }
}

void RunController::finish()
{
    if (m_finished)
        return;
    m_tickTimer.stop();
    // The last, partial interval.
    const IntervalSnapshot last = collectInterval();
    m_finished = true;
    Q_EMIT snapshotReady(last);

    QString why;
    if (m_results && !m_results->close(&why))
        qWarning("loadbench: %s", qPrintable(why));
    if (!m_histograms.close(&why))
        qWarning("loadbench: %s", qPrintable(why));

    Summary summary = summarySoFar();
    summary.interrupted = m_interrupted && !m_abortedByThreshold;
    summary.abortedByThreshold = m_abortedByThreshold;
    summary.thresholds = summary.evaluateThresholds();
    summary.machine = MachineInfo::current();
    Q_EMIT finished(summary);
}

} // namespace loadbench
