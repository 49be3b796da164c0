// SPDX-License-Identifier: GPL-3.0-or-later
#include "clirun.h"

#include "output/intervalhistograms.h"
#include "output/runfolder.h"
#include "output/summaryjson.h"
#include "output/textsummary.h"
#include "report/htmlreport.h"

#include <QCommandLineParser>
#include <QDir>
#include <QHostInfo>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QThread>

#include <algorithm>

#include <unistd.h>

namespace loadbench {

namespace {

// More threads than this only adds context switches on any machine we know of.
constexpr int maxWorkerThreads = 256;

QString helpTextFor(const QCommandLineParser &parser)
{
    QString text = parser.helpText();
    text += QStringLiteral(R"help(
Commands:
  run FILE            Run the scenario in FILE (JSON with k6's option names).
  report RUN_DIR|RESULTS.jsonl
                      Summarize a finished run, or a window of it (report --help).

The scenario file:
  {"name": "...", "target": {"url": "http://127.0.0.1:8080/api/health", "method": "GET",
   "headers": {}, "body": "", "expectedStatus": 200, "bodyContains": "\"status\":\"ok\"",
   "thinkTime": "1s", "timeout": "60s"},
   "scenarios": {"load": {"executor": "ramping-vus", "startVUs": 0,
     "stages": [{"duration": "30s", "target": 50}], "gracefulRampDown": "30s"}},
   "thresholds": {"http_req_duration": ["p(95)<200"], "http_req_failed": ["rate<0.01"]},
   "summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]}
  or k6's shorthands instead of "scenarios": "vus" + "duration" (constant-vus), "stages"
  (ramping-vus), "iterations" (+ "vus", shared-iterations).
  Durations: "500ms", "30s", "1m30s", "2h", "1d12h"; a bare number means milliseconds;
  at most one year (8760h).
  "engine": "auto" (default), "native" or "qnam", at the top level (every scenario) or in a
  scenario.

Engines (--engine overrides every scenario's):
  native  epoll + llhttp, one event loop per worker thread: the least overhead; plain
          http:// only (no TLS)
  qnam    Qt's QNetworkAccessManager, one per VU: https:// too, ~0.2 ms more per request
  auto    native for http:// targets, qnam for https:// (a scenario whose requests reach
          https:// anywhere runs on qnam)
  The header before the run, the end summary, summary.json and report.html name the engine
  that ran each scenario.

Executors (k6's names and options; every one also takes startTime, gracefulStop, tags and
its own "target"; several scenarios run side by side):
  shared-iterations      vus, iterations, maxDuration (10m)
  per-vu-iterations      vus, iterations, maxDuration (10m)
  constant-vus           vus, duration
  ramping-vus            startVUs, stages, gracefulRampDown
  constant-arrival-rate  rate, timeUnit (1s), duration, preAllocatedVUs, maxVUs
  ramping-arrival-rate   startRate, timeUnit, stages (target rates), preAllocatedVUs, maxVUs
  externally-controlled  vus, maxVUs, duration; while it runs, type "vus N" (a line on
                         stdin) to run N VUs
  An arrival-rate iteration that finds no free VU is dropped and counted in
  dropped_iterations; http_req_scheduled_duration adds how late each one started.

Output:
  One progress line a second, then k6's end-of-test summary. The run folder
  (default runs/<UTC time>-<scenario>/ under the current directory) gets scenario.json,
  timeline.json, summary.json (k6 --summary-export shape: a threshold is true when CROSSED),
  report.html, latency.svg and intervals.lbh (every second's histograms: `report` computes
  any window's summary from it).

  report RUN_DIR|RESULTS.jsonl [--from 60s] [--to 150s] [--summary-export OUT.json] [--out DIR]
                      The summary of a finished run or of a window of it (report --help).

Exit codes (as k6):
  0    every threshold held
  99   a threshold was crossed (or abortOnFail stopped the run)
  104  invalid scenario file or flag
  105  interrupted (Ctrl-C or SIGTERM); the summary and report of what ran are still written
  1    the run's files could not be written
)help");
    return text;
}

// The worker threads the run will have, for the header: as RunController picks them, one per
// core (or --threads), never more than VUs.
int plannedWorkerThreads(const Scenario &scenario, int asked)
{
    return std::max(1, std::min(asked > 0 ? asked : QThread::idealThreadCount(), std::max(1, scenario.maxVus())));
}

} // namespace

CliRun::CliRun(QTextStream &out, QTextStream &err, QObject *parent)
    : QObject(parent)
    , m_out(out)
    , m_err(err)
{
}

int CliRun::parseArguments(const QStringList &arguments, CliOptions *options, QString *why, QString *helpText)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Loadbench: HTTP load tests from the command line, for CI."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("Send the requests to URL instead of the scenario's target.url."), QStringLiteral("URL"));
    const QCommandLineOption out({QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Write every sample as k6 --out json lines: json=PATH."), QStringLiteral("json=PATH"));
    const QCommandLineOption summaryExport(QStringLiteral("summary-export"),
                                           QStringLiteral("Also write summary.json (k6 --summary-export shape) to PATH."), QStringLiteral("PATH"));
    const QCommandLineOption reportDir(QStringLiteral("report-dir"),
                                       QStringLiteral("Write the run folder (report.html, latency.svg, summary.json, ...) to DIR."), QStringLiteral("DIR"));
    const QCommandLineOption quiet({QStringLiteral("q"), QStringLiteral("quiet")}, QStringLiteral("No progress lines."));
    const QCommandLineOption engine(QStringLiteral("engine"),
                                    QStringLiteral("Run every scenario on ENGINE: auto (native for http://, qnam for https://), "
                                                   "native or qnam; default: each scenario's \"engine\" (auto)."),
                                    QStringLiteral("ENGINE"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Run the VUs on N worker threads, each with its own event loop "
                                                    "(default: one per core, at most one per VU)."),
                                     QStringLiteral("N"));
    parser.addOptions({help, version, url, out, summaryExport, reportDir, quiet, engine, threads});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("run or report"));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("the scenario (JSON)"));

    if (!parser.parse(QStringList{QStringLiteral("loadbench-cli")} + arguments)) {
        *why = parser.errorText();
        return ExitInvalidConfig;
    }
    if (parser.isSet(help)) {
        *helpText = helpTextFor(parser);
        return ExitOk;
    }
    if (parser.isSet(version)) {
        *helpText = QStringLiteral("loadbench-cli " LOADBENCH_VERSION "\n");
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        *why = QStringLiteral("missing command; usage: loadbench-cli run FILE (see --help)");
        return ExitInvalidConfig;
    }
    if (positional.first() != QLatin1String("run")) {
        *why = QStringLiteral("unknown command \"%1\"; usage: loadbench-cli run FILE").arg(positional.first());
        return ExitInvalidConfig;
    }
    if (positional.size() != 2) {
        *why = positional.size() < 2 ? QStringLiteral("run: missing the scenario FILE")
                                     : QStringLiteral("run: one scenario FILE expected, got %1").arg(positional.size() - 1);
        return ExitInvalidConfig;
    }
    options->scenarioPath = positional.at(1);
    options->urlOverride = parser.value(url);
    if (parser.isSet(out)) {
        const QString value = parser.value(out);
        if (!value.startsWith(QLatin1String("json=")) || value.size() <= 5) {
            *why = QStringLiteral("--out: \"%1\" is not supported; expected json=PATH").arg(value);
            return ExitInvalidConfig;
        }
        options->resultsJsonlPath = value.mid(5);
    }
    if (parser.isSet(engine)) {
        options->engine = engineFromName(parser.value(engine));
        if (!options->engine) {
            *why = QStringLiteral("--engine: \"%1\" is not an engine; expected auto, native or qnam").arg(parser.value(engine));
            return ExitInvalidConfig;
        }
    }
    if (parser.isSet(threads)) {
        bool ok = false;
        options->workerThreads = parser.value(threads).toInt(&ok);
        if (!ok || options->workerThreads < 1 || options->workerThreads > maxWorkerThreads) {
            *why = QStringLiteral("--threads: \"%1\" is not a whole number from 1 to %2").arg(parser.value(threads)).arg(maxWorkerThreads);
            return ExitInvalidConfig;
        }
    }
    options->summaryExportPath = parser.value(summaryExport);
    options->reportDir = parser.value(reportDir);
    options->quiet = parser.isSet(quiet);
    return ExitOk;
}

void CliRun::start(const CliOptions &options)
{
    m_options = options;
    QString why;
    // With --engine or --url the file's own engine/URL pair is replaced before anything runs,
    // so it is the replaced pair that is checked (below), not the file's.
    const bool overridden = options.engine || !options.urlOverride.isEmpty();
    std::optional<Scenario> scenario = Scenario::fromFile(
        options.scenarioPath, &why, overridden ? Scenario::EngineCheck::Deferred : Scenario::EngineCheck::OnLoad);
    if (!scenario) {
        m_err << "loadbench-cli: " << why << Qt::endl;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(ExitInvalidConfig); }, Qt::QueuedConnection);
        return;
    }
    if (!options.urlOverride.isEmpty()) {
        const QUrl url(options.urlOverride, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            m_err << "loadbench-cli: --url: \"" << options.urlOverride << "\" is not an http:// or https:// URL with a host" << Qt::endl;
            QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(ExitInvalidConfig); }, Qt::QueuedConnection);
            return;
        }
        scenario->target.url = url;
    }
    // --engine and --url change what the file said: check the engines again, saying which flag.
    for (ScenarioConfig &config : scenario->scenarios) {
        if (options.engine)
            config.engine = *options.engine;
        const QString problem = scenario->engineError(config);
        if (problem.isEmpty())
            continue;
        const QString where = options.engine ? QStringLiteral("--engine %1: scenario \"%2\"").arg(engineName(*options.engine), config.name)
                                             : QStringLiteral("--url %1: %2: scenarios.%3.engine")
                                                   .arg(options.urlOverride, options.scenarioPath, config.name);
        m_err << "loadbench-cli: " << where << ": " << problem << Qt::endl;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(ExitInvalidConfig); }, Qt::QueuedConnection);
        return;
    }
    // Pinned now, so scenario.json and the summary say which engine ran even where "auto" was asked.
    scenario->resolveEngines();
    // Where the results go is checked before the load starts: an hour-long run must not end
    // in "cannot write".
    if (!checkOutputs(&why)) {
        m_err << "loadbench-cli: " << why << Qt::endl;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(ExitInvalidConfig); }, Qt::QueuedConnection);
        return;
    }
    m_out << textScenarioHeader(*scenario, options.scenarioPath,
                                options.resultsJsonlPath.isEmpty() ? QString()
                                                                   : QStringLiteral("json (%1)").arg(options.resultsJsonlPath),
                                plannedWorkerThreads(*scenario, options.workerThreads))
          << Qt::endl;
    for (const QString &warning : scenario->warnings())
        m_err << "loadbench-cli: warning: " << warning << Qt::endl;
    probeTarget(scenario->target.url);

    RunOptions runOptions;
    runOptions.resultsJsonlPath = options.resultsJsonlPath;
    runOptions.workerThreads = options.workerThreads;
    // The run folder is named now: the interval histograms stream into it while the run goes.
    if (m_options.reportDir.isEmpty())
        m_options.reportDir = RunFolder::defaultPath(QStringLiteral("runs"), scenario->name, QDateTime::currentDateTimeUtc());
    runOptions.histogramsPath = QDir(m_options.reportDir).filePath(intervalfile::fileName());
    m_runner = std::make_unique<Runner>(*scenario, runOptions);
    connect(m_runner.get(), &Runner::snapshotReady, this, &CliRun::onSnapshot);
    connect(m_runner.get(), &Runner::finished, this, &CliRun::onFinished);
    connect(m_runner.get(), &Runner::failed, this, [this](const QString &reason) {
        m_err << "loadbench-cli: " << reason << Qt::endl;
        Q_EMIT finished(ExitInvalidConfig);
    });
    connect(m_runner.get(), &Runner::vusChanged, this, [this](const QString &, int, const QString &message) {
        m_out << "loadbench-cli: " << message << Qt::endl;
    });
    m_runner->start();
    // Only a run that can use them reads stdin: any other leaves it alone.
    const bool external = std::any_of(scenario->scenarios.begin(), scenario->scenarios.end(), [](const ScenarioConfig &c) {
        return c.executor == ExecutorType::ExternallyControlled;
    });
    if (external)
        watchStdinForVus();
}

void CliRun::watchStdinForVus()
{
    m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdin, &QSocketNotifier::activated, this, &CliRun::onStdinReadable);
}

void CliRun::onStdinReadable()
{
    char chunk[256];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
        m_stdin->setEnabled(false); // end of input: the VUs stay as they are
        return;
    }
    m_stdinBuffer.append(chunk, n);
    qsizetype end;
    while ((end = m_stdinBuffer.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_stdinBuffer.left(end)).trimmed();
        m_stdinBuffer.remove(0, end + 1);
        if (line.isEmpty())
            continue;
        const QStringList words = line.split(u' ', Qt::SkipEmptyParts);
        bool ok = false;
        const int vus = words.size() == 2 && words[0] == QLatin1String("vus") ? words[1].toInt(&ok) : 0;
        if (!ok || vus < 0) {
            m_err << "loadbench-cli: stdin: \"" << line << "\" is not \"vus N\" (N a whole number from 0)" << Qt::endl;
            continue;
        }
        if (m_runner && m_runner->isRunning())
            m_runner->setVus(vus);
    }
    if (m_stdinBuffer.size() > 4096)
        m_stdinBuffer.clear(); // no line in sight: not a human typing "vus N"
}

namespace {

// A file we are about to create: its folder must exist and take files, and it is no folder.
bool checkWritableFile(const QString &flag, const QString &path, QString *why)
{
    const QFileInfo file(path);
    if (file.isDir()) {
        *why = flag + QStringLiteral(": %1 is a folder, not a file").arg(path);
        return false;
    }
    const QFileInfo folder(file.absolutePath());
    if (!folder.isDir()) {
        *why = flag + QStringLiteral(": the folder %1 does not exist").arg(folder.filePath());
        return false;
    }
    if (!folder.isWritable() || (file.exists() && !file.isWritable())) {
        *why = flag + QStringLiteral(": %1 is not writable").arg(file.exists() ? path : folder.filePath());
        return false;
    }
    return true;
}

} // namespace

bool CliRun::checkOutputs(QString *why) const
{
    const QString folder = m_options.reportDir.isEmpty() ? QStringLiteral("runs") : m_options.reportDir;
    const QString flag = m_options.reportDir.isEmpty() ? QStringLiteral("run folder") : QStringLiteral("--report-dir");
    const QFileInfo info(folder);
    if (info.exists() && !info.isDir()) {
        *why = flag + QStringLiteral(": %1 is a file, not a folder").arg(folder);
        return false;
    }
    if (!QDir().mkpath(folder) || !QFileInfo(folder).isWritable()) {
        *why = flag + QStringLiteral(": cannot create or write the folder %1").arg(QFileInfo(folder).absoluteFilePath());
        return false;
    }
    if (!m_options.summaryExportPath.isEmpty()
        && !checkWritableFile(QStringLiteral("--summary-export"), m_options.summaryExportPath, why))
        return false;
    if (!m_options.resultsJsonlPath.isEmpty()
        && !checkWritableFile(QStringLiteral("--out"), m_options.resultsJsonlPath, why))
        return false;
    // Two outputs on one file lose one of them, and an output on the scenario destroys it.
    const QString runSummary = QDir(folder).filePath(QStringLiteral("summary.json"));
    const QList<std::pair<QString, QString>> files{
        {QStringLiteral("the scenario file"), m_options.scenarioPath},
        {QStringLiteral("--out"), m_options.resultsJsonlPath},
        {QStringLiteral("--summary-export"), m_options.summaryExportPath},
    };
    auto sameFile = [](const QString &a, const QString &b) {
        if (a.isEmpty() || b.isEmpty())
            return false;
        const QFileInfo x(a), y(b);
        const QString cx = x.exists() ? x.canonicalFilePath() : x.absoluteFilePath();
        const QString cy = y.exists() ? y.canonicalFilePath() : y.absoluteFilePath();
        // Devices (/dev/stdout, /dev/null) may take several outputs.
        return cx == cy && !(x.exists() && !x.isFile());
    };
    for (qsizetype i = 0; i < files.size(); ++i) {
        for (qsizetype j = i + 1; j < files.size(); ++j) {
            if (sameFile(files[i].second, files[j].second)) {
                *why = QStringLiteral("%1 and %2 are the same file (%3): choose another path for %2")
                           .arg(files[i].first, files[j].first, files[j].second);
                return false;
            }
        }
        if (i > 0 && sameFile(files[i].second, runSummary) && !m_options.reportDir.isEmpty()) {
            // --summary-export into the run folder's own summary.json writes the same content: fine.
            if (files[i].first == QLatin1String("--summary-export"))
                continue;
            *why = QStringLiteral("%1: %2 is the run folder's summary.json: choose another path")
                       .arg(files[i].first, files[i].second);
            return false;
        }
    }
    return true;
}

void CliRun::probeTarget(const QUrl &url)
{
    // Named before the load starts, so nobody mistakes a typo in the port for a slow service.
    // The run still goes on and measures the errors, as k6 would.
    const QString host = url.host();
    const quint16 port = quint16(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
    QTcpSocket socket;
    socket.connectToHost(host, port);
    if (socket.waitForConnected(3000)) {
        socket.disconnectFromHost();
        return;
    }
    m_err << "loadbench-cli: target " << url.toString() << " is unreachable (" << socket.errorString()
          << "); running anyway to measure its errors" << Qt::endl;
}

void CliRun::interrupt()
{
    if (!m_runner || !m_runner->isRunning())
        return;
    ++m_interrupts;
    m_err << (m_interrupts == 1 ? "\nloadbench-cli: stopping: in-flight iterations get their gracefulStop "
                                  "(interrupt again to abort)"
                                : "\nloadbench-cli: aborting")
          << Qt::endl;
    m_runner->stop();
}

void CliRun::onSnapshot(const IntervalSnapshot &s)
{
    if (m_options.quiet)
        return;
    const double errorPct = s.totalRequests ? 100.0 * double(s.totalFailed) / double(s.totalRequests) : 0;
    m_out << QStringLiteral("running (%1s/%2s), %3/%4 VUs, %5 req/s, p95=%6, %7 complete iterations, errors %8 (%9%)")
                 .arg(s.elapsedSeconds, 0, 'f', 1)
                 .arg(s.plannedSeconds, 0, 'f', 1)
                 .arg(s.vus, 2, 10, QLatin1Char('0'))
                 .arg(s.vusMax, 2, 10, QLatin1Char('0'))
                 .arg(s.requestsPerSecond, 0, 'f', 1)
                 .arg(s.requests ? formatK6Duration(s.p95Ms) : QStringLiteral("-"))
                 .arg(s.totalIterations)
                 .arg(s.totalFailed)
                 .arg(errorPct, 0, 'f', 2)
          << Qt::endl;
}

void CliRun::onFinished(const Summary &summary)
{
    m_out << u'\n' << textSummary(summary) << Qt::endl;

    int code = ExitOk;
    QStringList crossed;
    for (const ThresholdState &t : summary.thresholds) {
        if (t.crossed && !crossed.contains(t.metric))
            crossed << t.metric;
    }
    if (!crossed.isEmpty()) {
        m_err << "loadbench-cli: thresholds on metrics '" << crossed.join(QStringLiteral("', '"))
              << "' have been crossed" << (summary.abortedByThreshold ? " (the run was aborted)" : "") << Qt::endl;
        code = ExitThresholdsCrossed;
    }
    if (summary.interrupted)
        code = ExitInterrupted;
    // A results file cut short by a full disk is no result: said, and exit 1.
    for (const QString &error : summary.outputErrors) {
        m_err << "loadbench-cli: " << error << Qt::endl;
        code = code == ExitOk ? ExitError : code;
    }

    const QString dir = m_options.reportDir.isEmpty()
                            ? RunFolder::defaultPath(QStringLiteral("runs"), summary.scenario.name, summary.startTime)
                            : m_options.reportDir;
    QString why;
    if (!RunFolder::write(dir, summary, m_runner->timeline(), &why)) {
        m_err << "loadbench-cli: " << why << Qt::endl;
        code = code == ExitOk ? ExitError : code;
    } else {
        m_out << "report: " << QDir(dir).absoluteFilePath(QStringLiteral("report.html")) << Qt::endl;
    }
    if (!m_options.summaryExportPath.isEmpty()) {
        if (!writeFileAtomically(m_options.summaryExportPath, [&](QIODevice &out) { writeSummaryJson(out, summary); }, &why)) {
            m_err << "loadbench-cli: --summary-export: " << why << Qt::endl;
            code = code == ExitOk ? ExitError : code;
        }
    }
    Q_EMIT finished(code);
}

} // namespace loadbench
