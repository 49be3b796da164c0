// SPDX-License-Identifier: GPL-3.0-or-later
// loadbench-cli end to end: the real CLI against the real service on loopback.
#include "serviceprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTcpServer>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

#include <thread>

using namespace loadbench::test;

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rampAgainstServicePasses();
    void impossibleThresholdExits99();
    void submetricThresholdsThroughARun();
    void badScenarioExits104_data();
    void badScenarioExits104();
    void badFlagsExit104_data();
    void badFlagsExit104();
    void unreachableTargetIsNamedAndMeasured();
    void interruptWritesSummaryAndExits105();
    void helpDocumentsExitCodes();
    void outputsIntoDevicesAndPipes();
    void subSecondRunSamplesItsVus();
    void collidingOutputsRefused_data();
    void collidingOutputsRefused();
    void tooFewFileDescriptorsIsAClearError_data();
    void tooFewFileDescriptorsIsAClearError();
    void externallyControlledReadsVusFromStdin();
    void engineFlagQnamEndToEnd();
    void flagsReplaceTheFilesEnginePair_data();
    void flagsReplaceTheFilesEnginePair();
    void engineErrorsExit104_data();
    void engineErrorsExit104();

private:
    QString writeScenario(const QString &name, const QByteArray &json);
    QJsonObject readJson(const QString &path);

    ServiceProcess m_service;
    QTemporaryDir m_dir;
    QString m_cli;
};

void TestCli::initTestCase()
{
    m_cli = qEnvironmentVariable("LOADBENCH_CLI");
    if (m_cli.isEmpty())
        QSKIP("LOADBENCH_CLI is not set (run through ctest)");
    QString why;
    QVERIFY2(m_service.start(&why), qPrintable(why));
    QVERIFY(m_dir.isValid());
}

QString TestCli::writeScenario(const QString &name, const QByteArray &json)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(json);
    return path;
}

QJsonObject TestCli::readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void TestCli::rampAgainstServicePasses()
{
    const QByteArray json = R"j({"name": "ramp", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j(",
        "bodyContains": "\"status\":\"ok\"", "thinkTime": "50ms"},
      "scenarios": {"ramp": {"executor": "ramping-vus", "startVUs": 0, "gracefulRampDown": "1s",
        "stages": [{"duration": "2s", "target": 4}, {"duration": "2s", "target": 4}, {"duration": "1s", "target": 0}]}},
      "thresholds": {"http_req_failed": ["rate<0.01"], "http_req_duration": ["p(95)<1000", "max<5000"]},
      "summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]})j";
    const QString scenario = writeScenario(QStringLiteral("ramp.json"), json);
    const QString reportDir = m_dir.filePath(QStringLiteral("ramp-run"));
    const QString jsonl = m_dir.filePath(QStringLiteral("ramp.jsonl"));
    const QString exported = m_dir.filePath(QStringLiteral("exported-summary.json"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), scenario, QStringLiteral("--report-dir"), reportDir,
                                            QStringLiteral("--out"), QStringLiteral("json=") + jsonl,
                                            QStringLiteral("--summary-export"), exported},
                                    m_dir.path(), 60'000);
    QVERIFY2(!run.crashed, qPrintable(run.err));
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY(run.out.contains(QStringLiteral("running (1.0s/5.0s)")));
    QVERIFY(run.out.contains(QStringLiteral("http_req_duration")));

    for (const char *file : {"scenario.json", "timeline.json", "summary.json", "report.html", "latency.svg"})
        QVERIFY2(QFileInfo(QDir(reportDir).filePath(QLatin1String(file))).size() > 100, file);
    const QJsonObject summary = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json")));
    QCOMPARE(summary, readJson(exported));
    const QJsonObject metrics = summary.value(QLatin1String("metrics")).toObject();
    const double requests = metrics.value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toDouble();
    QVERIFY2(requests > 50, qPrintable(QString::number(requests)));
    const QJsonObject failed = metrics.value(QLatin1String("http_req_failed")).toObject();
    QCOMPARE(failed.value(QLatin1String("passes")).toDouble(), 0.0);
    QCOMPARE(failed.value(QLatin1String("thresholds")).toObject().value(QLatin1String("rate<0.01")), QJsonValue(false));
    const QJsonObject duration = metrics.value(QLatin1String("http_req_duration")).toObject();
    QCOMPARE(duration.value(QLatin1String("thresholds")).toObject().keys(), (QStringList{QStringLiteral("max<5000"), QStringLiteral("p(95)<1000")}));
    QVERIFY(duration.contains(QLatin1String("p(99)")));
    QVERIFY(duration.value(QLatin1String("med")).toDouble() > 0);
    QFile report(QDir(reportDir).filePath(QStringLiteral("report.html")));
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QByteArray html = report.readAll();
    QVERIFY2(!html.contains("<script"), "the report needs no script");
    QVERIFY(html.contains(m_service.healthUrl().toUtf8()));
    QVERIFY(html.contains(qVersion())); // the machine line names the Qt version
    QCOMPARE(metrics.value(QLatin1String("vus_max")).toObject().value(QLatin1String("value")).toDouble(), 4.0);
    QCOMPARE(metrics.value(QLatin1String("vus")).toObject().value(QLatin1String("max")).toDouble(), 4.0);
    const QJsonObject checks = summary.value(QLatin1String("root_group")).toObject().value(QLatin1String("checks")).toObject();
    QCOMPARE(checks.value(QLatin1String("status is 200")).toObject().value(QLatin1String("passes")).toDouble(), requests);

    // results.jsonl: a Metric line before each metric's first point, one http_reqs point per request.
    QFile lines(jsonl);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    int httpReqPoints = 0;
    QSet<QString> declared;
    while (!lines.atEnd()) {
        QJsonParseError error;
        const QJsonObject line = QJsonDocument::fromJson(lines.readLine(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QString metric = line.value(QLatin1String("metric")).toString();
        if (line.value(QLatin1String("type")) == QLatin1String("Metric")) {
            declared.insert(metric);
            continue;
        }
        QVERIFY2(declared.contains(metric), qPrintable(metric + QStringLiteral(" has a point before its Metric line")));
        if (metric == QLatin1String("http_reqs")) {
            ++httpReqPoints;
            const QJsonObject tags = line.value(QLatin1String("data")).toObject().value(QLatin1String("tags")).toObject();
            QCOMPARE(tags.value(QLatin1String("status")).toString(), QStringLiteral("200"));
            QCOMPARE(tags.value(QLatin1String("scenario")).toString(), QStringLiteral("ramp"));
        }
    }
    QCOMPARE(double(httpReqPoints), requests);

    const QJsonArray timeline = readJson(QDir(reportDir).filePath(QStringLiteral("timeline.json"))).value(QLatin1String("intervals")).toArray();
    QVERIFY(timeline.size() >= 5);
    int maxVus = 0;
    double workerCpuSeconds = 0;
    for (qsizetype i = 0; i < timeline.size(); ++i) {
        const QJsonObject interval = timeline[i].toObject();
        maxVus = std::max(maxVus, interval.value(QLatin1String("vus")).toInt());
        // The generator's CPU each second: the process in cores, its busiest worker at most one.
        const double process = interval.value(QLatin1String("generatorCpu")).toDouble(-1);
        QVERIFY2(process >= 0 && process <= 2.5, qPrintable(QString::number(process)));
        const double worker = interval.value(QLatin1String("busiestWorkerCpu")).toDouble(-1);
        if (i > 0) // the first interval only sets each worker's mark
            QVERIFY2(worker >= 0 && worker <= 1.2, qPrintable(QString::number(worker)));
        workerCpuSeconds += std::max(0.0, worker) * interval.value(QLatin1String("intervalSeconds")).toDouble();
    }
    QCOMPARE(maxVus, 4);
    QVERIFY(workerCpuSeconds > 0); // 4 VUs sending as fast as they can keep a worker busy
    const QJsonObject generator = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json")))
                                      .value(QLatin1String("loadbench")).toObject().value(QLatin1String("generator")).toObject();
    QVERIFY(generator.value(QLatin1String("peakWorkerCpu")).toDouble() > 0);
    // The run lasted until its last interval ended, not until its files were flushed.
    const double lastElapsed = timeline.last().toObject().value(QLatin1String("elapsedSeconds")).toDouble();
    const double ranFor = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json")))
                              .value(QLatin1String("loadbench")).toObject().value(QLatin1String("durationSeconds")).toDouble();
    QVERIFY2(std::abs(ranFor - lastElapsed) < 0.001, qPrintable(QStringLiteral("%1 vs %2").arg(ranFor).arg(lastElapsed)));
    QVERIFY(generator.contains(QLatin1String("saturatedSeconds")));
}

void TestCli::impossibleThresholdExits99()
{
    const QByteArray json = R"j({"name": "impossible", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j("},
        "vus": 1, "duration": "1s", "thresholds": {"http_req_duration": ["max<0.0001"]}})j";
    const QString reportDir = m_dir.filePath(QStringLiteral("impossible-run"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("impossible.json"), json),
                                            QStringLiteral("--report-dir"), reportDir, QStringLiteral("-q")},
                                    m_dir.path(), 60'000);
    QCOMPARE(run.exitCode, 99);
    QVERIFY2(run.err.contains(QStringLiteral("thresholds on metrics 'http_req_duration' have been crossed")), qPrintable(run.err));
    const QJsonObject duration = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json")))
                                     .value(QLatin1String("metrics")).toObject()
                                     .value(QLatin1String("http_req_duration")).toObject();
    QCOMPARE(duration.value(QLatin1String("thresholds")).toObject().value(QLatin1String("max<0.0001")), QJsonValue(true));
    QVERIFY(!run.out.contains(QStringLiteral("running (")));
}

void TestCli::submetricThresholdsThroughARun()
{
    // Sub-metrics recorded by the workers, merged by the runner, judged and exported as k6 does.
    const QByteArray json = R"j({"name": "sub", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j(", "thinkTime": "50ms"},
        "vus": 2, "duration": "2s",
        "thresholds": {"http_req_duration{status:200}": ["p(95)<5000"], "http_reqs{status:500}": ["count<1"],
                       "checks{check:status is 200}": ["rate>0.99"], "iterations{scenario:default}": ["count>0"],
                       "http_req_waiting{status:404}": ["max<5000"]}})j";
    const QString reportDir = m_dir.filePath(QStringLiteral("sub-run"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("sub.json"), json),
                                            QStringLiteral("--report-dir"), reportDir},
                                    m_dir.path(), 60'000);
    // Only the 404 sub-metric crosses: it got no samples, and no data is a failure (BC-09).
    QCOMPARE(run.exitCode, 99);
    QVERIFY2(run.err.contains(QStringLiteral("'http_req_waiting{status:404}'")), qPrintable(run.err));
    const QJsonObject metrics = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json"))).value(QLatin1String("metrics")).toObject();
    const double requests = metrics.value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toDouble();
    QVERIFY(requests > 0);
    auto metric = [&](const char *name) { return metrics.value(QLatin1String(name)).toObject(); };
    QCOMPARE(metric("http_req_duration{status:200}").value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("p(95)<5000"), false}}));
    QVERIFY(metric("http_req_duration{status:200}").value(QLatin1String("med")).toDouble() > 0);
    QCOMPARE(metric("http_reqs{status:500}").value(QLatin1String("count")).toDouble(), 0.0);
    QCOMPARE(metric("http_reqs{status:500}").value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("count<1"), false}}));
    QCOMPARE(metric("checks{check:status is 200}").value(QLatin1String("passes")).toDouble(), requests);
    QCOMPARE(metric("iterations{scenario:default}").value(QLatin1String("count")).toDouble(),
             metric("iterations").value(QLatin1String("count")).toDouble());
    QCOMPARE(metric("http_req_waiting{status:404}").value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("max<5000"), true}}));
    // The text summary shows them under their parents.
    QVERIFY2(run.out.contains(QStringLiteral("     ✓ { status:200 }.")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("     ✗ { status:404 }.")), qPrintable(run.out));

    // `report RUN_DIR` recomputes the run from intervals.lbh: the same sub-metrics and the same
    // verdicts, not "no data, crossed".
    const QString again = m_dir.filePath(QStringLiteral("sub-again.json"));
    const Finished report = runProgram(m_cli, {QStringLiteral("report"), reportDir, QStringLiteral("--summary-export"), again},
                                       m_dir.path(), 30'000);
    QCOMPARE(report.exitCode, 99);
    const QJsonObject recomputed = readJson(again).value(QLatin1String("metrics")).toObject();
    for (const char *name : {"http_req_duration{status:200}", "http_reqs{status:500}", "checks{check:status is 200}",
                             "iterations{scenario:default}", "http_req_waiting{status:404}"}) {
        const QJsonObject ours = recomputed.value(QLatin1String(name)).toObject();
        const QJsonObject original = metric(name);
        QCOMPARE(ours.value(QLatin1String("thresholds")), original.value(QLatin1String("thresholds")));
        for (const char *key : {"count", "passes", "fails", "min", "max", "med"})
            QCOMPARE(ours.value(QLatin1String(key)), original.value(QLatin1String(key)));
    }
    QVERIFY(recomputed.value(QLatin1String("checks{check:status is 200}")).toObject().value(QLatin1String("passes")).toDouble() > 0);
}

void TestCli::badScenarioExits104_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::addRow("bad duration") << QByteArray(R"j({"target": {"url": "http://127.0.0.1:1/"}, "stages": [{"duration": "1s", "target": 1}, {"duration": "2s", "target": 1}, {"duration": "1x", "target": 1}]})j")
                                  << R"(stages[2].duration: "1x" is not a duration)";
    QTest::addRow("bad threshold") << QByteArray(R"j({"target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "1s", "thresholds": {"http_req_duration": ["p(95) < 200ms"]}})j")
                                   << "thresholds.http_req_duration[0]";
    QTest::addRow("bad sub-metric") << QByteArray(R"j({"target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "1s", "thresholds": {"http_req_duration{status}": ["p(95)<200"]}})j")
                                    << R"(tag filter "status" is not key:value)";
    QTest::addRow("not json") << QByteArray("{") << "not valid JSON";
    QTest::addRow("bad engine") << QByteArray(R"j({"target": {"url": "http://127.0.0.1:1/"}, "scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "engine": "wrk"}}})j")
                                << R"(scenarios.s.engine: "wrk" is not an engine (expected "auto", "native" or "qnam"))";
    QTest::addRow("native on https") << QByteArray(R"j({"target": {"url": "https://127.0.0.1:1/"}, "vus": 1, "duration": "1s", "engine": "native"})j")
                                     << R"(engine: "native" cannot send https://127.0.0.1:1/: the native engine speaks plain http:// only)";
    QTest::addRow("top-level native, one scenario on https")
        << QByteArray(R"j({"target": {"url": "http://127.0.0.1:1/"}, "engine": "native", "scenarios": {"plain": {"executor": "constant-vus", "duration": "1s"},
                      "tls": {"executor": "constant-vus", "duration": "1s", "target": {"url": "https://127.0.0.1:1/"}}}})j")
        << R"(engine: scenario "tls": "native" cannot send https://127.0.0.1:1/)";
}

void TestCli::badScenarioExits104()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const QString path = writeScenario(QStringLiteral("bad.json"), json);
    const QString reportDir = m_dir.filePath(QStringLiteral("bad-run"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), path, QStringLiteral("--report-dir"), reportDir}, m_dir.path(), 30'000);
    QCOMPARE(run.exitCode, 104);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY2(run.err.contains(path), qPrintable(run.err)); // names the file
    QVERIFY(!QFileInfo::exists(reportDir)); // a bad file never starts a run
}

void TestCli::badFlagsExit104_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("no command") << QStringList{} << "missing command";
    QTest::addRow("unknown command") << QStringList{QStringLiteral("walk"), QStringLiteral("x.json")} << "unknown command";
    QTest::addRow("unknown option") << QStringList{QStringLiteral("run"), QStringLiteral("x.json"), QStringLiteral("--fast")} << "fast";
    QTest::addRow("bad --out") << QStringList{QStringLiteral("run"), QStringLiteral("x.json"), QStringLiteral("--out"), QStringLiteral("influxdb=x")} << "expected json=PATH";
    QTest::addRow("bad --engine") << QStringList{QStringLiteral("run"), QStringLiteral("x.json"), QStringLiteral("--engine"), QStringLiteral("fast")}
                                  << R"(--engine: "fast" is not an engine; expected auto, native or qnam)";
    QTest::addRow("--threads 0") << QStringList{QStringLiteral("run"), QStringLiteral("x.json"), QStringLiteral("--threads"), QStringLiteral("0")}
                                 << R"(--threads: "0" is not a whole number from 1 to 256)";
    QTest::addRow("--threads x") << QStringList{QStringLiteral("run"), QStringLiteral("x.json"), QStringLiteral("--threads"), QStringLiteral("two")}
                                 << R"(--threads: "two" is not a whole number from 1 to 256)";
    QTest::addRow("missing file") << QStringList{QStringLiteral("run"), QStringLiteral("does-not-exist.json")} << "does-not-exist.json: cannot read";
    const QString scenario = QStringLiteral(LOADBENCH_SOURCE_DIR "/resources/presets/smoke.json");
    QTest::addRow("report dir is a file") << QStringList{QStringLiteral("run"), scenario, QStringLiteral("--report-dir"), scenario}
                                          << QStringLiteral("--report-dir: %1 is a file, not a folder").arg(scenario);
    QTest::addRow("summary export into a missing folder") << QStringList{QStringLiteral("run"), scenario, QStringLiteral("--summary-export"), QStringLiteral("/nonexistent/s.json")}
                                                          << "--summary-export: the folder /nonexistent does not exist";
    QTest::addRow("--out into a folder") << QStringList{QStringLiteral("run"), scenario, QStringLiteral("--out"), QStringLiteral("json=/tmp")}
                                         << "--out: /tmp is a folder, not a file";
}

void TestCli::badFlagsExit104()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Finished run = runProgram(m_cli, arguments, m_dir.path(), 30'000);
    QCOMPARE(run.exitCode, 104);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TestCli::unreachableTargetIsNamedAndMeasured()
{
    QTcpServer closed; // a port that was free a moment ago and is closed now
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    const QByteArray url = "http://127.0.0.1:" + QByteArray::number(port) + "/api/health";
    const QByteArray json = R"j({"name": "refused", "target": {"url": ")j" + url + R"j(", "thinkTime": "200ms"},
        "vus": 1, "duration": "1s", "thresholds": {"http_req_failed": ["rate<0.01"]}})j";
    const QString reportDir = m_dir.filePath(QStringLiteral("refused-run"));
    const QString jsonl = m_dir.filePath(QStringLiteral("refused.jsonl"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("refused.json"), json),
                                            QStringLiteral("--report-dir"), reportDir, QStringLiteral("--out"), QStringLiteral("json=") + jsonl},
                                    m_dir.path(), 60'000);
    QCOMPARE(run.exitCode, 99);
    QVERIFY2(run.err.contains(QStringLiteral("target ") + QString::fromUtf8(url) + QStringLiteral(" is unreachable")), qPrintable(run.err));
    const QJsonObject failed = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json")))
                                   .value(QLatin1String("metrics")).toObject().value(QLatin1String("http_req_failed")).toObject();
    QVERIFY(failed.value(QLatin1String("passes")).toDouble() >= 3);
    QCOMPARE(failed.value(QLatin1String("value")).toDouble(), 1.0);
    QFile lines(jsonl);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    const QByteArray all = lines.readAll();
    QVERIFY(all.contains(R"("error":"dial: connection refused","error_code":"1212","expected_response":"false")"));
    QVERIFY(all.contains(R"("status":"0")"));
    QVERIFY(run.out.contains(QStringLiteral("100 % of requests failed")));
}

void TestCli::interruptWritesSummaryAndExits105()
{
    const QByteArray json = R"j({"name": "long", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j(", "thinkTime": "100ms"},
        "vus": 2, "duration": "60s"})j";
    const QString reportDir = m_dir.filePath(QStringLiteral("interrupted-run"));
    QProcess cli;
    cli.setWorkingDirectory(m_dir.path());
    cli.start(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("long.json"), json), QStringLiteral("--report-dir"), reportDir});
    QVERIFY(cli.waitForStarted());
    // Interrupt once the load is running: after the first progress line.
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += cli.readAllStandardOutput()).contains("running ("), 10'000);
    ::kill(pid_t(cli.processId()), SIGINT);
    QVERIFY(cli.waitForFinished(40'000));
    QCOMPARE(cli.exitCode(), 105);
    const QJsonObject summary = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json")));
    QVERIFY(summary.value(QLatin1String("loadbench")).toObject().value(QLatin1String("interrupted")).toBool());
    QVERIFY(summary.value(QLatin1String("metrics")).toObject().value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toDouble() > 0);
    QVERIFY(QFileInfo::exists(QDir(reportDir).filePath(QStringLiteral("report.html"))));
    QVERIFY(summary.value(QLatin1String("loadbench")).toObject().value(QLatin1String("durationSeconds")).toDouble() < 30);
}

void TestCli::helpDocumentsExitCodes()
{
    const Finished run = runProgram(m_cli, {QStringLiteral("--help")}, m_dir.path(), 10'000);
    QCOMPARE(run.exitCode, 0);
    for (const char *text : {"run FILE", "--out", "--summary-export", "--report-dir", "--url", "99", "104", "105",
                             "--engine", "--threads", "native", "qnam", "auto", "\"engine\""})
        QVERIFY2(run.out.contains(QLatin1String(text)), text);
}

void TestCli::outputsIntoDevicesAndPipes()
{
    // Outputs that are not regular files are written in place, never replaced by a renamed temp
    // file: a full device is an error (exit 1) and stays a device; /dev/null takes the output;
    // a FIFO's reader gets the summary and the FIFO stays one.
    const QByteArray json = R"j({"name": "dev", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j("},
        "vus": 1, "iterations": 3})j";
    const QString scenario = writeScenario(QStringLiteral("dev.json"), json);
    auto runWith = [&](const QStringList &flags) {
        return runProgram(m_cli, QStringList{QStringLiteral("run"), scenario, QStringLiteral("-q"), QStringLiteral("--report-dir"),
                                             m_dir.filePath(QStringLiteral("dev-run"))} + flags,
                          m_dir.path(), 60'000);
    };
    auto isCharDevice = [](const char *path) {
        struct stat st {};
        return ::stat(path, &st) == 0 && S_ISCHR(st.st_mode);
    };
    if (QFileInfo::exists(QStringLiteral("/dev/full")) && isCharDevice("/dev/full")) {
        Finished full = runWith({QStringLiteral("--summary-export"), QStringLiteral("/dev/full")});
        QCOMPARE(full.exitCode, 1);
        QVERIFY2(full.err.contains(QStringLiteral("--summary-export: /dev/full: cannot write: No space left on device")), qPrintable(full.err));
        QVERIFY(isCharDevice("/dev/full"));
        // results.jsonl cut by a full disk: said, exit 1 (here the device that is always full).
        full = runWith({QStringLiteral("--out"), QStringLiteral("json=/dev/full")});
        QCOMPARE(full.exitCode, 1);
        QVERIFY2(full.err.contains(QStringLiteral("/dev/full: write failed: No space left on device")), qPrintable(full.err));
        QVERIFY(isCharDevice("/dev/full"));
    }
    const Finished null = runWith({QStringLiteral("--summary-export"), QStringLiteral("/dev/null")});
    QVERIFY2(null.exitCode == 0, qPrintable(null.err));
    QVERIFY(isCharDevice("/dev/null"));

    const QString fifo = m_dir.filePath(QStringLiteral("summary.fifo"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    QByteArray received;
    std::thread reader([&] {
        QFile in(fifo);
        if (in.open(QIODevice::ReadOnly))
            received = in.readAll();
    });
    const Finished piped = runWith({QStringLiteral("--summary-export"), fifo});
    reader.join();
    QVERIFY2(piped.exitCode == 0, qPrintable(piped.err));
    QVERIFY(!QFileInfo(fifo).isFile()); // still a FIFO
    const QJsonObject summary = QJsonDocument::fromJson(received).object();
    QCOMPARE(summary.value(QLatin1String("metrics")).toObject().value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toInt(), 3);
}

void TestCli::subSecondRunSamplesItsVus()
{
    // 4 VUs sharing 8 quick iterations end long before the first 1 s tick: the vus gauge is
    // their peak, not the teardown's 0.
    const QByteArray json = R"j({"name": "short", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j("},
        "vus": 4, "iterations": 8})j";
    const QString summary = m_dir.filePath(QStringLiteral("short-summary.json"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("short.json"), json), QStringLiteral("-q"),
                                            QStringLiteral("--summary-export"), summary, QStringLiteral("--report-dir"),
                                            m_dir.filePath(QStringLiteral("short-run"))},
                                    m_dir.path(), 30'000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject metrics = readJson(summary).value(QLatin1String("metrics")).toObject();
    QCOMPARE(metrics.value(QLatin1String("vus")).toObject().value(QLatin1String("max")).toInt(), 4);
    QCOMPARE(metrics.value(QLatin1String("iterations")).toObject().value(QLatin1String("count")).toInt(), 8);
}

void TestCli::collidingOutputsRefused_data()
{
    QTest::addColumn<QStringList>("flags"); // %1: the scenario file, %2: a path in the test folder
    QTest::addColumn<QString>("message");
    QTest::addRow("--out over the scenario") << QStringList{QStringLiteral("--out"), QStringLiteral("json=%1")}
                                             << "the scenario file and --out are the same file";
    QTest::addRow("--summary-export over the scenario") << QStringList{QStringLiteral("--summary-export"), QStringLiteral("%1")}
                                                        << "the scenario file and --summary-export are the same file";
    QTest::addRow("--out and --summary-export on one file")
        << QStringList{QStringLiteral("--out"), QStringLiteral("json=%2"), QStringLiteral("--summary-export"), QStringLiteral("%2")}
        << "--out and --summary-export are the same file";
}

void TestCli::collidingOutputsRefused()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, message);
    const QByteArray json = R"j({"name": "same", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j("},
        "vus": 1, "iterations": 1})j";
    const QString scenario = writeScenario(QStringLiteral("same.json"), json);
    for (QString &flag : flags)
        flag.replace(QLatin1String("%1"), scenario).replace(QLatin1String("%2"), m_dir.filePath(QStringLiteral("both.json")));
    const Finished run = runProgram(m_cli, QStringList{QStringLiteral("run"), scenario, QStringLiteral("-q")} + flags,
                                    m_dir.path(), 30'000);
    QCOMPARE(run.exitCode, 104);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), json); // the scenario untouched
}

void TestCli::tooFewFileDescriptorsIsAClearError_data()
{
    // 64 files for the process, then 1 per native VU (its socket) or 3 per QNAM VU (socket and
    // the Qt HTTP thread's wakeups), against a limit of 256.
    QTest::addColumn<int>("vus");
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("message");
    QTest::addRow("native, too many") << 250 << "native" << "250 VUs need about 314 open files, but this system allows 256";
    QTest::addRow("qnam, too many") << 100 << "qnam" << "100 VUs need about 364 open files, but this system allows 256";
    QTest::addRow("native, fits") << 150 << "native" << QString();
}

void TestCli::tooFewFileDescriptorsIsAClearError()
{
    // Running out of descriptors mid-run crashes inside Qt (GLib cannot make its wakeup pipe):
    // the CLI must refuse up front, in one line, and must not refuse what fits.
    QFETCH(int, vus);
    QFETCH(QString, engine);
    QFETCH(QString, message);
    const QByteArray json = R"j({"name": "many", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j(", "thinkTime": "100ms"},
        "vus": )j" + QByteArray::number(vus) + R"j(, "duration": "1s"})j";
    QProcess cli;
    cli.setWorkingDirectory(m_dir.path());
    cli.setChildProcessModifier([] {
        const rlimit tight{256, 256};
        ::setrlimit(RLIMIT_NOFILE, &tight);
    });
    const QString reportDir = m_dir.filePath(QStringLiteral("many-run-") + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-').remove(u','));
    cli.start(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("many.json"), json), QStringLiteral("--engine"), engine,
                      QStringLiteral("--report-dir"), reportDir, QStringLiteral("-q")});
    QVERIFY(cli.waitForFinished(60'000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    if (message.isEmpty()) {
        QVERIFY2(cli.exitCode() == 0, qPrintable(err));
        QVERIFY(QFileInfo::exists(QDir(reportDir).filePath(QStringLiteral("summary.json"))));
        return;
    }
    QCOMPARE(cli.exitCode(), 104);
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(!QFileInfo::exists(QDir(reportDir).filePath(QStringLiteral("summary.json"))));
}

void TestCli::externallyControlledReadsVusFromStdin()
{
    // While an externally-controlled scenario runs, `vus N` on stdin changes its VUs, each
    // answered by one line; anything else is named and ignored.
    const QByteArray json = R"j({"name": "ext", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j(", "thinkTime": "100ms"},
        "scenarios": {"ext": {"executor": "externally-controlled", "vus": 1, "maxVUs": 3, "duration": "3s", "gracefulStop": "1s"}}})j";
    QProcess cli;
    cli.setWorkingDirectory(m_dir.path());
    cli.start(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("ext.json"), json), QStringLiteral("--report-dir"),
                      m_dir.filePath(QStringLiteral("ext-run"))});
    QVERIFY(cli.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += cli.readAllStandardOutput()).contains("running ("), 10'000);
    cli.write("vus 2\nbogus\nvus 9\n");
    QVERIFY(cli.waitForFinished(30'000));
    out += cli.readAllStandardOutput();
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY2(out.contains("loadbench-cli: scenario \"ext\": 2 VUs\n"), out.constData());
    QVERIFY2(out.contains("scenario \"ext\": 3 VUs (asked for 9; the scenario allows 0 to maxVUs 3)"), out.constData());
    QVERIFY2(err.contains(QStringLiteral("stdin: \"bogus\" is not \"vus N\"")), qPrintable(err));
    QVERIFY2(out.contains("03/03 VUs"), out.constData()); // the progress line shows the 3 VUs
}

void TestCli::engineFlagQnamEndToEnd()
{
    // --engine overrides the file's engine; the header, the end summary, summary.json,
    // scenario.json, report.html and a later `report` all name the engine that ran.
    const QByteArray json = R"j({"name": "qnam", "target": {"url": ")j" + m_service.healthUrl().toUtf8() + R"j(", "thinkTime": "20ms"},
        "vus": 2, "duration": "1s", "engine": "native"})j";
    const QString reportDir = m_dir.filePath(QStringLiteral("qnam-run"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), writeScenario(QStringLiteral("qnam.json"), json),
                                            QStringLiteral("--engine"), QStringLiteral("qnam"), QStringLiteral("--threads"), QStringLiteral("1"),
                                            QStringLiteral("--report-dir"), reportDir, QStringLiteral("-q")},
                                    m_dir.path(), 60'000);
    QVERIFY2(!run.crashed, qPrintable(run.err));
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral(", 1 worker thread)\n        engine: qnam (QNetworkAccessManager)\n")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("\n     engine: qnam (QNetworkAccessManager), 1 worker thread\n")), qPrintable(run.out));

    const QJsonObject about = readJson(QDir(reportDir).filePath(QStringLiteral("summary.json"))).value(QLatin1String("loadbench")).toObject();
    QCOMPARE(about.value(QLatin1String("engine")).toString(), QStringLiteral("qnam"));
    QCOMPARE(about.value(QLatin1String("engines")).toObject(), (QJsonObject{{QStringLiteral("default"), QStringLiteral("qnam")}}));
    QCOMPARE(about.value(QLatin1String("workerThreads")).toInt(), 1);
    const QJsonObject asRun = readJson(QDir(reportDir).filePath(QStringLiteral("scenario.json")));
    QCOMPARE(asRun.value(QLatin1String("scenarios")).toObject().value(QLatin1String("default")).toObject().value(QLatin1String("engine")).toString(),
             QStringLiteral("qnam"));
    QFile report(QDir(reportDir).filePath(QStringLiteral("report.html")));
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.readAll().contains("<dt>Engine</dt><dd>qnam (QNetworkAccessManager) <span class=\"muted\">(1 worker thread)</span></dd>"));

    const Finished again = runProgram(m_cli, {QStringLiteral("report"), reportDir}, m_dir.path(), 30'000);
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains(QStringLiteral("\n     engine: qnam (QNetworkAccessManager), 1 worker thread\n")), qPrintable(again.out));
}

void TestCli::flagsReplaceTheFilesEnginePair_data()
{
    // The file alone would be refused ("native" on https://); the flags make a pair that runs.
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("engine");
    QTest::addColumn<int>("status");
    QTest::addRow("--url http") << QStringList{QStringLiteral("--url"), QStringLiteral("%1")} << "native" << 200;
    // Nothing listens on port 1: the one request is refused, through QNAM's TLS-capable path.
    QTest::addRow("--engine qnam") << QStringList{QStringLiteral("--engine"), QStringLiteral("qnam")} << "qnam" << 0;
    QTest::addRow("--engine auto") << QStringList{QStringLiteral("--engine"), QStringLiteral("auto")} << "qnam" << 0;
}

void TestCli::flagsReplaceTheFilesEnginePair()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, engine);
    QFETCH(int, status);
    for (QString &flag : flags)
        flag = flag.arg(m_service.healthUrl());
    const QByteArray json = R"j({"target": {"url": "https://127.0.0.1:1/"}, "iterations": 1, "vus": 1, "engine": "native"})j";
    const QString path = writeScenario(QStringLiteral("pair.json"), json);
    const QString summary = m_dir.filePath(QStringLiteral("pair-summary.json"));
    QFile::remove(summary);
    const Finished run = runProgram(m_cli, QStringList{QStringLiteral("run"), path, QStringLiteral("--summary-export"), summary,
                                                       QStringLiteral("-q")} + flags,
                                    m_dir.path(), 60'000);
    QVERIFY2(!run.crashed, qPrintable(run.err));
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    const QJsonObject root = readJson(summary);
    QCOMPARE(root.value(QLatin1String("loadbench")).toObject().value(QLatin1String("engine")).toString(), engine);
    const QJsonObject reqs = root.value(QLatin1String("metrics")).toObject().value(QLatin1String("http_reqs")).toObject();
    QCOMPARE(reqs.value(QLatin1String("count")).toInt(), 1);
    const QJsonObject failed = root.value(QLatin1String("metrics")).toObject().value(QLatin1String("http_req_failed")).toObject();
    QCOMPARE(failed.value(QLatin1String("value")).toDouble(), status == 200 ? 0.0 : 1.0);
}

void TestCli::engineErrorsExit104_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("message");
    const QByteArray http = R"j({"target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "1s", "engine": "native"})j";
    QTest::addRow("--engine native on https")
        << QByteArray(R"j({"target": {"url": "https://127.0.0.1:1/"}, "vus": 1, "duration": "1s"})j")
        << QStringList{QStringLiteral("--engine"), QStringLiteral("native")}
        << R"(--engine native: scenario "default": "native" cannot send https://127.0.0.1:1/: the native engine speaks plain http:// only (no TLS); use "qnam" or "auto" for https://)";
    QTest::addRow("--url https on a native scenario")
        << http << QStringList{QStringLiteral("--url"), QStringLiteral("https://127.0.0.1:2/")}
        << R"(--url https://127.0.0.1:2/: %1: scenarios.default.engine: "native" cannot send https://127.0.0.1:2/)";
}

void TestCli::engineErrorsExit104()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, flags);
    QFETCH(QString, message);
    const QString path = writeScenario(QStringLiteral("engine.json"), json);
    const QString reportDir = m_dir.filePath(QStringLiteral("engine-run"));
    const Finished run = runProgram(m_cli, QStringList{QStringLiteral("run"), path, QStringLiteral("--report-dir"), reportDir} + flags,
                                    m_dir.path(), 30'000);
    QCOMPARE(run.exitCode, 104);
    QVERIFY2(run.err.contains(message.contains(QLatin1String("%1")) ? message.arg(path) : message), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(QDir(reportDir).filePath(QStringLiteral("summary.json")))); // no run
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
