// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runcontroller.h"

#include "engine/clock.h"
#include "engine/hostresolver.h"
#include "engine/worker.h"
#include "platform/cpuusage.h"
#include "platform/resourcelimits.h"

#include <QThread>

#include <algorithm>

namespace loadbench {

RunController::RunController(Scenario scenario, RunOptions options)
    : m_scenario(std::move(scenario))
    , m_options(std::move(options))
{
    for (QTimer *timer : {&m_tickTimer, &m_scheduleTimer})
        timer->setTimerType(Qt::PreciseTimer);
    m_scheduleTimer.setSingleShot(true);
    connect(&m_tickTimer, &QTimer::timeout, this, &RunController::onTick);
    connect(&m_scheduleTimer, &QTimer::timeout, this, &RunController::applySchedule);
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
    // Once finished, the run's length stops at its last interval: flushing a large
    // results.jsonl afterwards is not run time, and must not lower the rates.
    return (m_endNs ? m_endNs : steadyNowNs()) - m_startNs;
}

void RunController::start()
{
    QString why;
    int nativeVus = 0, qnamVus = 0;
    for (const ScenarioConfig &config : std::as_const(m_scenario.scenarios))
        (m_scenario.engineFor(config) == EngineKind::Native ? nativeVus : qnamVus) += config.maxVus();
    if (!reserveFileDescriptors(nativeVus, qnamVus, &why)) {
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
    // The native engine resolves host names now, once: a lookup inside the run would be timed.
    // A name that does not resolve fails each of its requests with k6's 1101, as in k6; the
    // cache remembers that too, so no request waits on the resolver again.
    HostResolver::clearCache();
    for (const ScenarioConfig &config : m_scenario.scenarios) {
        if (m_scenario.engineFor(config) != EngineKind::Native)
            continue;
        for (const PlannedRequest &request : m_scenario.targetFor(config).plan())
            HostResolver::resolve(request.url);
    }
    const int workerCount = std::max(1, std::min(m_options.workerThreads > 0 ? m_options.workerThreads
                                                                              : QThread::idealThreadCount(),
                                                 std::max(1, m_scenario.maxVus())));
    m_startWall = QDateTime::currentDateTimeUtc();
    m_startNs = steadyNowNs();
    m_lastTickNs = m_startNs;
    m_lastProcessCpuNs = cpuusage::processNs();
    m_wallAtStartNs = m_startWall.toMSecsSinceEpoch() * 1'000'000;
    if (!m_options.histogramsPath.isEmpty()
        && !m_histograms.open(m_options.histogramsPath, m_scenario.name, m_startWall, m_options.snapshotInterval.count(), &why)) {
        Q_EMIT failed(why);
        return;
    }

    resultsjsonl::Context context; // the workers fill in each scenario's name and target
    context.wallAtRunStartNs = m_wallAtStartNs;

    std::vector<std::shared_ptr<std::atomic<qint64>>> sharedIterations;
    int nextVuId = 0;
    for (const ScenarioConfig &config : m_scenario.scenarios) {
        ScenarioRun run;
        run.firstVuId = nextVuId;
        run.externalVus = config.vus;
        nextVuId += config.maxVus();
        m_runs.append(run);
        sharedIterations.push_back(std::make_shared<std::atomic<qint64>>(0));
    }

    for (int i = 0; i < workerCount; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("loadbench-worker-%1").arg(i));
        auto *worker = new Worker(m_scenario, m_startNs, context, m_results != nullptr, sharedIterations);
        worker->moveToThread(thread);
        connect(worker, &Worker::scenarioDrained, this, &RunController::onScenarioDrained, Qt::QueuedConnection);
        thread->start();
        QMetaObject::invokeMethod(worker, [worker] { worker->noteThread(); }, Qt::QueuedConnection);
        m_workers.push_back(worker);
        m_lastWorkerCpuNs.push_back(-1);
        m_threads.push_back(thread);
        m_spares.push_back(std::make_unique<MetricSet>(MetricSet::forScenario(m_scenario)));
    }
    Q_EMIT started();
    m_tickTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(m_options.snapshotInterval));
    applySchedule();
}

void RunController::applySchedule()
{
    if (m_draining)
        return;
    const Nanoseconds now{elapsedNs()};
    std::optional<Nanoseconds> next;
    auto consider = [&](Nanoseconds at) {
        if (!next || at < *next)
            next = at;
    };
    for (qsizetype i = 0; i < m_runs.size(); ++i) {
        const ScenarioConfig &config = m_scenario.scenarios[i];
        if (m_runs[i].done || m_runs[i].stopping)
            continue;
        if (!m_runs[i].started) {
            if (now < config.startTime) {
                consider(config.startTime);
                continue;
            }
            startScenario(int(i));
        }
        // The end first: a ramp step due at the very end (BC-11 B, the last VU) never runs.
        if (now >= config.plannedEnd()) {
            stopScenario(int(i));
            continue;
        }
        consider(config.plannedEnd());
        if (config.executor == ExecutorType::RampingVus || config.executor == ExecutorType::ConstantVus) {
            const Nanoseconds into = now - config.startTime;
            setActiveVus(int(i), config.vusInto(into), config.gracefulRampDown.count());
            if (const auto change = config.nextVuChangeInto(into))
                consider(config.startTime + *change);
        }
    }
    if (next) {
        const qint64 waitNs = std::max<qint64>(0, (*next - Nanoseconds(elapsedNs())).count());
        // Round up: a timer firing early would find nothing due and spin.
        m_scheduleTimer.start(std::chrono::milliseconds((waitNs + 999'999) / 1'000'000));
    }
}

void RunController::startScenario(int index)
{
    ScenarioRun &run = m_runs[index];
    const ScenarioConfig &config = m_scenario.scenarios[index];
    run.started = true;
    const int workers = int(m_workers.size());
    for (int w = 0; w < workers; ++w) {
        QList<int> ids;
        int preAllocated = 0, share = 0, shares = 0;
        if (config.isIterationBased()) {
            for (int j = w; j < config.vus; j += workers)
                ids << run.firstVuId + j;
        } else if (config.isArrivalRate()) {
            // The first `shares` workers split the schedule round robin and the VU pool evenly;
            // a pool smaller than the workers uses fewer workers.
            shares = std::min(workers, config.maxVus());
            share = w;
            if (w < shares) {
                for (int j = w; j < config.maxVus(); j += shares)
                    ids << run.firstVuId + j;
                preAllocated = config.preAllocatedVUs / shares + (w < config.preAllocatedVUs % shares ? 1 : 0);
            } else {
                shares = 0; // nothing for this worker
            }
        }
        Worker *worker = m_workers[size_t(w)];
        QMetaObject::invokeMethod(worker, [worker, index, ids, preAllocated, share, shares] {
            worker->startScenario(index, ids, preAllocated, share, shares);
        }, Qt::QueuedConnection);
    }
    if (config.executor == ExecutorType::ExternallyControlled)
        setActiveVus(index, run.externalVus, config.gracefulStop.count());
}

void RunController::stopScenario(int index)
{
    ScenarioRun &run = m_runs[index];
    if (run.stopping || run.done)
        return;
    run.stopping = true;
    const qint64 graceNs = m_scenario.scenarios[index].gracefulStop.count();
    for (Worker *worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker, index, graceNs] { worker->stopScenario(index, graceNs); },
                                  Qt::QueuedConnection);
}

void RunController::setActiveVus(int index, int target, qint64 rampDownGraceNs)
{
    ScenarioRun &run = m_runs[index];
    const size_t workers = m_workers.size();
    while (run.activeVus < target) {
        const int j = run.activeVus++;
        const int id = run.firstVuId + j;
        Worker *worker = m_workers[size_t(j) % workers];
        QMetaObject::invokeMethod(worker, [worker, index, id] { worker->startVu(index, id); }, Qt::QueuedConnection);
    }
    while (run.activeVus > target) {
        const int j = --run.activeVus;
        const int id = run.firstVuId + j;
        Worker *worker = m_workers[size_t(j) % workers];
        QMetaObject::invokeMethod(worker, [worker, index, id, rampDownGraceNs] { worker->stopVu(index, id, rampDownGraceNs); },
                                  Qt::QueuedConnection);
    }
}

void RunController::setVus(int vus, const QString &scenario)
{
    qsizetype index = -1;
    for (qsizetype i = 0; i < m_scenario.scenarios.size() && index < 0; ++i) {
        const ScenarioConfig &config = m_scenario.scenarios[i];
        if (config.executor == ExecutorType::ExternallyControlled && (scenario.isEmpty() || config.name == scenario))
            index = i;
    }
    if (index < 0) {
        Q_EMIT vusChanged(scenario, -1, scenario.isEmpty()
                                            ? QStringLiteral("no externally-controlled scenario in this run")
                                            : QStringLiteral("no externally-controlled scenario named \"%1\"").arg(scenario));
        return;
    }
    const ScenarioConfig &config = m_scenario.scenarios[index];
    ScenarioRun &run = m_runs[index];
    if (m_finished || m_draining || run.stopping || run.done) {
        Q_EMIT vusChanged(config.name, -1, QStringLiteral("scenario \"%1\" has ended; VUs unchanged").arg(config.name));
        return;
    }
    const int clamped = std::clamp(vus, 0, config.maxVus());
    run.externalVus = clamped;
    QString message = QStringLiteral("scenario \"%1\": %2 VUs").arg(config.name).arg(clamped);
    if (clamped != vus)
        message += QStringLiteral(" (asked for %1; the scenario allows 0 to maxVUs %2)").arg(vus).arg(config.maxVus());
    if (run.started)
        setActiveVus(int(index), clamped, config.gracefulStop.count());
    else
        message += QStringLiteral(" from its start");
    Q_EMIT vusChanged(config.name, clamped, message);
}

int RunController::plannedVusNow(Nanoseconds now) const
{
    int sum = 0;
    for (qsizetype i = 0; i < m_runs.size(); ++i) {
        const ScenarioConfig &config = m_scenario.scenarios[i];
        const ScenarioRun &run = m_runs[i];
        if (run.done || run.stopping || now < config.startTime || now >= config.plannedEnd())
            continue;
        sum += config.executor == ExecutorType::ExternallyControlled ? run.externalVus
                                                                     : config.vusInto(now - config.startTime);
    }
    return sum;
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
    m_draining = true;
    for (qsizetype i = 0; i < m_runs.size(); ++i) {
        ScenarioRun &run = m_runs[i];
        if (run.done)
            continue;
        if (!run.started) {
            run.done = true; // its startTime never came
        } else if (abortNow) {
            run.stopping = true;
            const int index = int(i);
            for (Worker *worker : m_workers)
                QMetaObject::invokeMethod(worker, [worker, index] { worker->abortScenario(index); }, Qt::QueuedConnection);
        } else {
            stopScenario(int(i));
        }
    }
    finishIfDone();
}

void RunController::onScenarioDrained(int index)
{
    ScenarioRun &run = m_runs[index];
    if (++run.drainedWorkers == int(m_workers.size())) {
        run.done = true;
        finishIfDone();
    }
}

void RunController::finishIfDone()
{
    if (std::all_of(m_runs.begin(), m_runs.end(), [](const ScenarioRun &run) { return run.done; })) {
        m_scheduleTimer.stop();
        finish();
    }
}

IntervalSnapshot RunController::collectInterval(bool last)
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
    int peakVus = 0;
    for (Worker *worker : m_workers)
        peakVus += worker->takePeakVus();
    bool sampleGauges = !last;
    if (last && m_vusMin < 0) {
        // A run shorter than one interval has no sample of the running VUs; its peak stands in
        // (the teardown's 0 would say only that it ended).
        vus = peakVus;
        sampleGauges = true;
    }
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
    measureGeneratorCpu(&s, now - m_lastTickNs);
    m_lastTickNs = now;
    s.plannedSeconds = toSeconds(m_scenario.plannedDuration());
    s.vus = vus;
    s.vusMax = m_scenario.maxVus();
    s.plannedVus = m_draining ? 0 : plannedVusNow(Nanoseconds(now - m_startNs));
    const Histogram &duration = m_interval.trend(TrendMetric::HttpReqDuration);
    s.requests = m_interval.httpReqs;
    s.failed = m_interval.httpReqFailed;
    s.iterations = m_interval.iterations;
    s.droppedIterations = m_interval.droppedIterations;
    s.bytesReceived = m_interval.dataReceived;
    s.requestsPerSecond = s.intervalSeconds > 0 ? double(s.requests) / s.intervalSeconds : 0;
    s.p50Ms = duration.percentile(50) / 1e6;
    s.p90Ms = duration.percentile(90) / 1e6;
    s.p95Ms = duration.percentile(95) / 1e6;
    s.p99Ms = duration.percentile(99) / 1e6;
    s.avgMs = duration.mean() / 1e6;
    if (const Histogram &scheduled = m_interval.trend(TrendMetric::HttpReqScheduledDuration); scheduled.count() > 0)
        s.scheduledP99Ms = scheduled.percentile(99) / 1e6;
    s.minMs = double(duration.min()) / 1e6;
    s.maxMs = double(duration.max()) / 1e6;
    const Histogram &all = m_cumulative->trend(TrendMetric::HttpReqDuration);
    s.totalRequests = m_cumulative->httpReqs;
    s.totalFailed = m_cumulative->httpReqFailed;
    s.totalIterations = m_cumulative->iterations;
    s.totalDroppedIterations = m_cumulative->droppedIterations;
    s.cumulativeP50Ms = all.percentile(50) / 1e6;
    s.cumulativeP95Ms = all.percentile(95) / 1e6;
    s.cumulativeP99Ms = all.percentile(99) / 1e6;
    s.thresholds = liveThresholds();
    for (auto it = m_cumulative->errors.cbegin(); it != m_cumulative->errors.cend(); ++it)
        s.errorsByKind.append({it.key(), it.value()});
    std::stable_sort(s.errorsByKind.begin(), s.errorsByKind.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    return s;
}

void RunController::measureGeneratorCpu(IntervalSnapshot *s, qint64 wallNs)
{
    const qint64 process = cpuusage::processNs();
    s->generatorCores = cpuusage::coreShare(process - m_lastProcessCpuNs, wallNs);
    m_lastProcessCpuNs = process;
    double busiest = -1;
    for (size_t i = 0; i < m_workers.size(); ++i) {
        const std::optional<qint64> cpu = m_workers[i]->threadCpuNs();
        if (!cpu)
            continue;
        // The first reading only sets the mark: the thread may have started mid-interval.
        if (m_lastWorkerCpuNs[i] >= 0)
            busiest = std::max(busiest, cpuusage::coreShare(*cpu - m_lastWorkerCpuNs[i], wallNs));
        m_lastWorkerCpuNs[i] = *cpu;
    }
    s->busiestWorkerCores = busiest;
    m_peakWorkerCores = std::max(m_peakWorkerCores, busiest);
    if (s->generatorSaturated())
        m_saturatedSeconds += double(wallNs) / 1e9;
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
    summary.workerThreads = int(m_workers.size());
    summary.peakWorkerCores = m_peakWorkerCores;
    summary.generatorSaturatedSeconds = m_saturatedSeconds;
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
    const IntervalSnapshot snapshot = collectInterval(false);
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
    const IntervalSnapshot last = collectInterval(true);
    m_finished = true;
    m_endNs = m_lastTickNs; // the end of that last interval
    Q_EMIT snapshotReady(last);

    QStringList outputErrors;
    QString why;
    if (m_results && !m_results->close(&why))
        outputErrors << why;
    if (!m_histograms.close(&why))
        outputErrors << why;

    Summary summary = summarySoFar();
    summary.outputErrors = outputErrors;
    summary.interrupted = m_interrupted && !m_abortedByThreshold;
    summary.abortedByThreshold = m_abortedByThreshold;
    summary.thresholds = summary.evaluateThresholds();
    summary.machine = MachineInfo::current();
    Q_EMIT finished(summary);
}

} // namespace loadbench
