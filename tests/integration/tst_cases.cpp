// SPDX-License-Identifier: GPL-3.0-or-later
// The field cases of ../shared/cases/CASES.md that need the whole product: loadbench-cli run
// against a loopback MockHttpServer in this process, judged by its exit code, summary.json,
// results.jsonl and report.html. Each test is named after its case. Where a case's full length
// is impractical in a test suite, the times are scaled down and the comment says how; counts
// are exact where the case pins them, times get windows that survive a loaded 2-core machine.
#include "mockhttpserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QTest>

#include <cmath>

using namespace loadbench::test;

namespace {

struct CliRun {
    bool finished = false; // false: it hung and was killed
    int exitCode = -1;
    QString out;
    QString err;
    QString reportDir;
    QString jsonl;
    double wallSeconds = 0;
    QString describe() const { return QStringLiteral("exit %1\n%2\n%3").arg(exitCode).arg(out, err); }
};

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The Point lines of one metric in a k6 JSON results file.
QList<QJsonObject> points(const QString &path, const QString &metric)
{
    QList<QJsonObject> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return out;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        if (line.value(QLatin1String("type")) == QLatin1String("Point") && line.value(QLatin1String("metric")) == metric)
            out << line.value(QLatin1String("data")).toObject();
    }
    return out;
}

QString tag(const QJsonObject &data, const char *name)
{
    return data.value(QLatin1String("tags")).toObject().value(QLatin1String(name)).toString();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCases : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void bc03b_openModelSeesTheStall();
    void bc05b_transportFailures();
    void bc06a_everyRequestTimesOut_data();
    void bc06a_everyRequestTimesOut();
    void bc08_badThresholdsExit104_data();
    void bc08_badThresholdsExit104();
    void bc09b_abortOnFailWithDelay();
    void bc09b_abortOnFailWithoutDelay();
    void bc09c_verdictOverTheWholeRun_data();
    void bc09c_verdictOverTheWholeRun();
    void bc12_zeroAndBadDurationsExit104_data();
    void bc12_zeroAndBadDurationsExit104();
    void bc12_numbersAreMilliseconds();

private:
    // Runs `loadbench-cli run` on `json` (written to NAME.json) with its report in NAME-run and
    // results.jsonl in NAME.jsonl. The CLI runs while this thread's event loop serves the mock
    // servers; a run that outlives timeoutMs is killed and reported as not finished.
    CliRun run(const QString &name, const QByteArray &json, int timeoutMs, const QStringList &extra = {});
    QJsonObject summaryOf(const CliRun &r) { return readJson(QDir(r.reportDir).filePath(QStringLiteral("summary.json"))); }

    QTemporaryDir m_dir;
    QString m_cli;
};

void TestCases::initTestCase()
{
    m_cli = qEnvironmentVariable("LOADBENCH_CLI");
    if (m_cli.isEmpty())
        QSKIP("LOADBENCH_CLI is not set (run through ctest)");
    QVERIFY(m_dir.isValid());
}

CliRun TestCases::run(const QString &name, const QByteArray &json, int timeoutMs, const QStringList &extra)
{
    CliRun r;
    const QString scenario = m_dir.filePath(name + QStringLiteral(".json"));
    QFile f(scenario);
    if (!f.open(QIODevice::WriteOnly))
        return r;
    f.write(json);
    f.close();
    r.reportDir = m_dir.filePath(name + QStringLiteral("-run"));
    r.jsonl = m_dir.filePath(name + QStringLiteral(".jsonl"));
    QProcess cli;
    cli.setWorkingDirectory(m_dir.path());
    QSignalSpy done(&cli, &QProcess::finished);
    QElapsedTimer wall;
    wall.start();
    cli.start(m_cli, QStringList{QStringLiteral("run"), scenario, QStringLiteral("--report-dir"), r.reportDir,
                                 QStringLiteral("--out"), QStringLiteral("json=") + r.jsonl} + extra);
    if (!cli.waitForStarted(5000)) {
        r.err = cli.errorString();
        return r;
    }
    r.finished = done.wait(timeoutMs);
    if (!r.finished) {
        cli.kill();
        cli.waitForFinished(2000);
    }
    r.wallSeconds = double(wall.elapsed()) / 1000;
    r.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
    r.out = QString::fromUtf8(cli.readAllStandardOutput());
    r.err = QString::fromUtf8(cli.readAllStandardError());
    return r;
}

void TestCases::bc03b_openModelSeesTheStall()
{
    // CASES.md BC-03 Run B, scaled from 100/s for 10 s with a stall in [2 s, 7 s) to 100/s for
    // 5 s with a stall in [1 s, 3 s): request i starts at 10 ms·i (i = 0…499); requests
    // 100…299 are held until 3 s, so their latency is 3 000 − 10·i ms (2 000, 1 990, …, 10);
    // the other 300 take ≈ 1 ms. VUs enough to park all 200. k6 values, n = 500: med ≈ 1,
    // p(75) 752.5, p(90) 1 501, p(95) 1 750.5, p(99) 1 950.1, max 2 000, avg 402.6 ms;
    // http_reqs 500, dropped 0. The stall's clock starts at the server's first request and the
    // schedule at the run's start, so allow ±100 ms around the tail.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 1}; });
    server.holdWindow(1000, 3000);
    QVERIFY(server.listen());
    const QByteArray json = R"j({"name": "bc03b", "target": {"url": ")j" + server.url().toUtf8() + R"j("},
        "scenarios": {"open": {"executor": "constant-arrival-rate", "rate": 100, "timeUnit": "1s", "duration": "5s",
                               "preAllocatedVUs": 240, "maxVUs": 240}},
        "summaryTrendStats": ["avg", "min", "med", "max", "p(75)", "p(90)", "p(95)", "p(99)"]})j";
    const CliRun r = run(QStringLiteral("bc03b"), json, 30'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject metrics = summaryOf(r).value(QLatin1String("metrics")).toObject();
    QCOMPARE(metrics.value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toDouble(), 500.0);
    QCOMPARE(metrics.value(QLatin1String("dropped_iterations")).toObject().value(QLatin1String("count")).toDouble(0), 0.0);
    QCOMPARE(server.requestsSeen(), 500);
    QVERIFY2(server.peakInFlight() >= 190, qPrintable(QString::number(server.peakInFlight())));
    const QJsonObject d = metrics.value(QLatin1String("http_req_duration")).toObject();
    auto near = [&](const char *stat, double k6, double tolerance) {
        const double v = d.value(QLatin1String(stat)).toDouble(-1);
        return std::abs(v - k6) <= tolerance ? QString() : QStringLiteral("%1 = %2, k6 %3").arg(QLatin1String(stat)).arg(v).arg(k6);
    };
    QVERIFY2(d.value(QLatin1String("med")).toDouble() < 50, qPrintable(QString::number(d.value(QLatin1String("med")).toDouble())));
    for (const QString &miss : {near("p(75)", 752.5, 100), near("p(90)", 1501, 100), near("p(95)", 1750.5, 100),
                                near("p(99)", 1950.1, 100), near("max", 2000, 100), near("avg", 402.6, 60)})
        QVERIFY2(miss.isEmpty(), qPrintable(miss));
}

void TestCases::bc05b_transportFailures()
{
    // CASES.md BC-05 B in full: 10 iterations of two requests, one to a closed port and one to
    // a name that never resolves (RFC 6761 .invalid): 20 requests, http_req_failed 1.0, status
    // 0, k6's 1212 and 1101 per cause, no expected samples (no NaN in JSON), and the summary
    // says that every request failed.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QByteArray refused = "http://127.0.0.1:" + QByteArray::number(closed.serverPort()) + "/api/health";
    closed.close();
    const QByteArray json = R"j({"name": "bc05b", "target": {"url": ")j" + refused + R"j(",
        "requests": [{"url": ")j" + refused + R"j("}, {"url": "http://nonexistent.invalid/"}]},
        "scenarios": {"s": {"executor": "shared-iterations", "vus": 1, "iterations": 10}}})j";
    const CliRun r = run(QStringLiteral("bc05b"), json, 60'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QByteArray raw = readAll(QDir(r.reportDir).filePath(QStringLiteral("summary.json")));
    QVERIFY(!raw.contains("NaN") && !raw.contains("nan") && !raw.contains("Infinity"));
    const QJsonObject metrics = QJsonDocument::fromJson(raw).object().value(QLatin1String("metrics")).toObject();
    QCOMPARE(metrics.value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toDouble(), 20.0);
    QCOMPARE(metrics.value(QLatin1String("http_req_failed")).toObject().value(QLatin1String("value")).toDouble(), 1.0);
    QMap<QString, int> codes;
    for (const QJsonObject &p : points(r.jsonl, QStringLiteral("http_reqs"))) {
        QCOMPARE(tag(p, "status"), QStringLiteral("0"));
        QCOMPARE(tag(p, "expected_response"), QStringLiteral("false"));
        ++codes[tag(p, "error_code")];
    }
    QCOMPARE(codes, (QMap<QString, int>{{QStringLiteral("1101"), 10}, {QStringLiteral("1212"), 10}}));
    QVERIFY2(r.out.contains(QStringLiteral("100 % of requests failed")), qPrintable(r.out));
}

void TestCases::bc06a_everyRequestTimesOut_data()
{
    QTest::addColumn<QByteArray>("thresholds");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("no thresholds") << QByteArray() << 0;
    QTest::addRow("rate<0.01") << QByteArray(R"j(, "thresholds": {"http_req_failed": ["rate<0.01"]})j") << 99;
}

void TestCases::bc06a_everyRequestTimesOut()
{
    // CASES.md BC-06 A in full: the server reads each request and never answers; timeout 2 s;
    // shared-iterations, 10 iterations over 5 VUs. Two rounds of 2 s: the run ends after ≈ 4 s
    // with http_reqs 10, all failed as k6's 1050, each ≈ 2 000 ms, nothing expected, and every
    // output written. Exit 0 without thresholds, 99 with http_req_failed rate<0.01.
    QFETCH(QByteArray, thresholds);
    QFETCH(int, exitCode);
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 0, true}; });
    QVERIFY(server.listen());
    const QByteArray json = R"j({"name": "bc06a", "target": {"url": ")j" + server.url().toUtf8() + R"j(", "timeout": "2s"},
        "scenarios": {"s": {"executor": "shared-iterations", "vus": 5, "iterations": 10}})j" + thresholds + "}";
    const CliRun r = run(QStringLiteral("bc06a-%1").arg(exitCode), json, 30'000);
    QVERIFY2(r.finished, "the run hung");
    QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
    QCOMPARE(server.requestsSeen(), 10);

    const QJsonObject summary = summaryOf(r);
    const QJsonObject metrics = summary.value(QLatin1String("metrics")).toObject();
    auto metric = [&](const char *name) { return metrics.value(QLatin1String(name)).toObject(); };
    const double seconds = summary.value(QLatin1String("loadbench")).toObject().value(QLatin1String("durationSeconds")).toDouble();
    QVERIFY2(seconds >= 3.9 && seconds < 6, qPrintable(QString::number(seconds)));
    QCOMPARE(metric("http_reqs").value(QLatin1String("count")).toDouble(), 10.0);
    QCOMPARE(metric("http_req_failed").value(QLatin1String("value")).toDouble(), 1.0);
    QCOMPARE(metric("http_req_failed").value(QLatin1String("passes")).toDouble(), 10.0);
    QCOMPARE(metric("iterations").value(QLatin1String("count")).toDouble(), 10.0);
    const QJsonObject d = metric("http_req_duration");
    // The case's ±5 % above the timeout, doubled for a loaded machine.
    QVERIFY2(d.value(QLatin1String("min")).toDouble() >= 2000 && d.value(QLatin1String("max")).toDouble() < 2200,
             QJsonDocument(d).toJson(QJsonDocument::Compact).constData());
    // The expected-only sub-metric has no samples: absent, or all zeros (never NaN).
    const QJsonObject expected = metric("http_req_duration{expected_response:true}");
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (it.key() != QLatin1String("thresholds"))
            QVERIFY2(it.value().toDouble(-1) == 0.0, qPrintable(it.key()));
    }
    if (exitCode == 99)
        QCOMPARE(metric("http_req_failed").value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("rate<0.01"), true}}));

    const QList<QJsonObject> durations = points(r.jsonl, QStringLiteral("http_req_duration"));
    QCOMPARE(durations.size(), 10);
    for (const QJsonObject &p : durations) {
        const double ms = p.value(QLatin1String("value")).toDouble();
        QVERIFY2(ms >= 2000 && ms < 2200, qPrintable(QString::number(ms)));
        QCOMPARE(tag(p, "error_code"), QStringLiteral("1050"));
        QCOMPARE(tag(p, "expected_response"), QStringLiteral("false"));
        QCOMPARE(tag(p, "status"), QStringLiteral("0"));
    }
    const QByteArray html = readAll(QDir(r.reportDir).filePath(QStringLiteral("report.html")));
    QVERIFY(html.size() > 1000);
    QVERIFY2(r.out.contains(QStringLiteral("100 % of requests failed")), qPrintable(r.out));
}

void TestCases::bc08_badThresholdsExit104_data()
{
    QTest::addColumn<QByteArray>("thresholds");
    QTest::addColumn<QString>("message");
    // CASES.md BC-08's rejections that k6 makes before the run (exit 104), through the CLI; the
    // message names the metric and the expression (the full table is tst_threshold).
    QTest::addRow("rate on a trend") << QByteArray(R"j({"http_req_duration": ["rate<0.01"]})j") << R"("rate<0.01")";
    QTest::addRow("p(101)") << QByteArray(R"j({"http_req_duration": ["p(101)<1"]})j") << R"("p(101)<1")";
    QTest::addRow("avg=123") << QByteArray(R"j({"http_req_duration": ["avg=123"]})j") << R"("avg=123")";
    QTest::addRow("unknown metric") << QByteArray(R"j({"http_req_durations": ["p(95)<200"]})j") << "http_req_durations";
    QTest::addRow("object form, bad delay")
        << QByteArray(R"j({"http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": true, "delayAbortEval": "10sec"}]})j")
        << "delayAbortEval";
}

void TestCases::bc08_badThresholdsExit104()
{
    QFETCH(QByteArray, thresholds);
    QFETCH(QString, message);
    const QByteArray json = R"j({"name": "bc08", "target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "1s", "thresholds": )j"
                            + thresholds + "}";
    const CliRun r = run(QStringLiteral("bc08"), json, 20'000);
    QVERIFY2(r.finished && r.exitCode == 104, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(r.reportDir));
}

void TestCases::bc09b_abortOnFailWithDelay()
{
    // CASES.md BC-09 B, scaled: delayAbortEval 10 s → 3 s, constant-vus 2 VUs for 60 s → 30 s.
    // The server always answers 500. k6 evaluates every 2 s (stop in [10 s, 12 s]); Loadbench
    // evaluates on its 1 s tick, so the run stops at the first tick at or after 3 s: in
    // [3 s, 4 s], plus the abort itself. Requests go on until then, none after it.
    QElapsedTimer sinceStart;
    qint64 lastRequestMs = -1;
    MockHttpServer server([&](int) {
        lastRequestMs = sinceStart.elapsed();
        return MockHttpServer::Reply{500, 5};
    });
    QVERIFY(server.listen());
    const QByteArray json = R"j({"name": "bc09b", "target": {"url": ")j" + server.url().toUtf8() + R"j("},
        "vus": 2, "duration": "30s",
        "thresholds": {"http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": true, "delayAbortEval": "3s"}]}})j";
    sinceStart.start();
    const CliRun r = run(QStringLiteral("bc09b"), json, 30'000);
    QVERIFY2(r.finished, "the run hung");
    QVERIFY2(r.exitCode == 99, qPrintable(r.describe()));
    const QJsonObject summary = summaryOf(r);
    const QJsonObject about = summary.value(QLatin1String("loadbench")).toObject();
    const double seconds = about.value(QLatin1String("durationSeconds")).toDouble();
    QVERIFY2(seconds >= 3.0 && seconds < 4.6, qPrintable(QString::number(seconds)));
    QVERIFY(about.value(QLatin1String("abortedByThreshold")).toBool());
    QVERIFY(!about.value(QLatin1String("interrupted")).toBool());
    // Iterations went on until the delay had passed (the clock here starts a little before the
    // CLI's run does) and none started after the abort: every request the server saw, bar the
    // ones the abort cut off, is in the summary.
    QVERIFY2(lastRequestMs >= 2800 && lastRequestMs < 5000, qPrintable(QString::number(lastRequestMs)));
    const QJsonObject metrics = summary.value(QLatin1String("metrics")).toObject();
    const double requests = metrics.value(QLatin1String("http_reqs")).toObject().value(QLatin1String("count")).toDouble();
    QVERIFY2(server.requestsSeen() - requests <= 2, qPrintable(QStringLiteral("%1 seen, %2 counted").arg(server.requestsSeen()).arg(requests)));
    QCOMPARE(metrics.value(QLatin1String("http_req_failed")).toObject().value(QLatin1String("thresholds")).toObject(),
             (QJsonObject{{QStringLiteral("rate<0.01"), true}}));
    QVERIFY2(r.err.contains(QStringLiteral("(the run was aborted)")), qPrintable(r.err));
    QVERIFY(readAll(QDir(r.reportDir).filePath(QStringLiteral("report.html"))).contains("The run was aborted by a threshold."));
}

void TestCases::bc09b_abortOnFailWithoutDelay()
{
    // CASES.md BC-09 B without delayAbortEval: the run stops at the first evaluation (≤ 2 s).
    MockHttpServer server([](int) { return MockHttpServer::Reply{500, 5}; });
    QVERIFY(server.listen());
    const QByteArray json = R"j({"name": "bc09b-now", "target": {"url": ")j" + server.url().toUtf8() + R"j("},
        "vus": 2, "duration": "30s",
        "thresholds": {"http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": true}]}})j";
    const CliRun r = run(QStringLiteral("bc09b-now"), json, 30'000);
    QVERIFY2(r.finished && r.exitCode == 99, qPrintable(r.describe()));
    const QJsonObject about = summaryOf(r).value(QLatin1String("loadbench")).toObject();
    QVERIFY(about.value(QLatin1String("abortedByThreshold")).toBool());
    const double seconds = about.value(QLatin1String("durationSeconds")).toDouble();
    QVERIFY2(seconds > 0.5 && seconds <= 2.0, qPrintable(QString::number(seconds)));
}

void TestCases::bc09c_verdictOverTheWholeRun_data()
{
    QTest::addColumn<bool>("failLate");
    // As the case: 200 first, 500 afterwards; the last window (all failed) and the whole run
    // (2/3 failed) both cross, and the verdict must quote the whole run's 2/3.
    QTest::addRow("200 then 500") << true;
    // Mirrored: 500 first, 200 for the last third. The last window alone (no failure) would
    // pass; the whole run (2/3 failed) crosses.
    QTest::addRow("500 then 200") << false;
}

void TestCases::bc09c_verdictOverTheWholeRun()
{
    // CASES.md BC-09 C, scaled from 10/s for 60 s with the switch at 20 s to 20/s for 6 s with
    // the switch at 2 s (4 s for the mirror): 120 requests, 80 of them failed: 0.667 ≥ 0.5.
    QFETCH(bool, failLate);
    QElapsedTimer sinceFirst;
    MockHttpServer server([&](int) {
        if (!sinceFirst.isValid())
            sinceFirst.start();
        const bool early = sinceFirst.elapsed() < (failLate ? 2000 : 4000);
        return MockHttpServer::Reply{early == failLate ? 200 : 500, 2};
    });
    QVERIFY(server.listen());
    const QByteArray json = R"j({"name": "bc09c", "target": {"url": ")j" + server.url().toUtf8() + R"j("},
        "scenarios": {"open": {"executor": "constant-arrival-rate", "rate": 20, "timeUnit": "1s", "duration": "6s",
                               "preAllocatedVUs": 10, "maxVUs": 20}},
        "thresholds": {"http_req_failed": ["rate<0.5"]}})j";
    const CliRun r = run(QStringLiteral("bc09c-%1").arg(failLate), json, 30'000);
    QVERIFY2(r.finished && r.exitCode == 99, qPrintable(r.describe()));
    const QJsonObject summary = summaryOf(r);
    const QJsonObject failed = summary.value(QLatin1String("metrics")).toObject().value(QLatin1String("http_req_failed")).toObject();
    QCOMPARE(failed.value(QLatin1String("passes")).toDouble() + failed.value(QLatin1String("fails")).toDouble(), 120.0);
    // The switch falls between two requests 50 ms apart, on the server's clock: a hiccup of the
    // loaded machine around it may move a few requests to the other side.
    QVERIFY2(std::abs(failed.value(QLatin1String("passes")).toDouble() - 80) <= 3, QJsonDocument(failed).toJson(QJsonDocument::Compact).constData());
    QCOMPARE(failed.value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("rate<0.5"), true}}));
    const QJsonArray states = summary.value(QLatin1String("loadbench")).toObject().value(QLatin1String("thresholds")).toArray();
    QCOMPARE(states.size(), 1);
    const double observed = states.first().toObject().value(QLatin1String("observed")).toDouble();
    // Judged on the whole run's rate (≈ 0.667), not on the last window's (1.0, or 0.0 mirrored).
    QCOMPARE(observed, failed.value(QLatin1String("value")).toDouble());
    QVERIFY2(std::abs(observed - 2.0 / 3) < 0.03, qPrintable(QString::number(observed)));
}

void TestCases::bc12_zeroAndBadDurationsExit104_data()
{
    QTest::addColumn<QByteArray>("load");
    QTest::addColumn<QString>("message");
    // A zero duration never starts a run, unbounded or empty.
    QTest::addRow("constant-vus duration 0s") << QByteArray(R"j("vus": 1, "duration": "0s")j") << R"(duration: "0s")";
    QTest::addRow("constant-vus duration 0 (number)") << QByteArray(R"j("scenarios": {"c": {"executor": "constant-vus", "vus": 1, "duration": 0}})j")
                                                      << "scenarios.c.duration";
    QTest::addRow("constant-arrival-rate duration \"0\"")
        << QByteArray(R"j("scenarios": {"a": {"executor": "constant-arrival-rate", "rate": 1, "duration": "0", "preAllocatedVUs": 1}})j")
        << "scenarios.a.duration";
    QTest::addRow("stages add up to 0") << QByteArray(R"j("stages": [{"duration": "0s", "target": 5}, {"duration": 0, "target": 0}])j")
                                        << "add up to 0s";
    QTest::addRow("ramping-arrival-rate stages add up to 0")
        << QByteArray(R"j("scenarios": {"r": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 1, "stages": [{"duration": "0s", "target": 5}]}})j")
        << "add up to 0s";
    // Strings that are not durations, named with their field.
    QTest::addRow("1m30") << QByteArray(R"j("vus": 1, "duration": "1m30")j") << R"(duration: "1m30")";
    QTest::addRow("5 s") << QByteArray(R"j("vus": 1, "duration": "5 s")j") << R"(duration: "5 s")";
    QTest::addRow("10sec") << QByteArray(R"j("vus": 1, "duration": "10sec")j") << R"(duration: "10sec")";
    QTest::addRow("abc") << QByteArray(R"j("vus": 1, "duration": "abc")j") << R"(duration: "abc")";
    QTest::addRow("empty") << QByteArray(R"j("vus": 1, "duration": "")j") << R"(duration: "")";
    QTest::addRow("-5s duration") << QByteArray(R"j("vus": 1, "duration": "-5s")j") << R"(duration: "-5s")";
    QTest::addRow("-5s gracefulStop")
        << QByteArray(R"j("scenarios": {"c": {"executor": "constant-vus", "vus": 1, "duration": "1s", "gracefulStop": "-5s"}})j")
        << R"(scenarios.c.gracefulStop: "-5s")";
}

void TestCases::bc12_zeroAndBadDurationsExit104()
{
    // CASES.md BC-12 through the CLI: a bad or zero duration is a configuration error (k6 exit
    // 104) that names the field and the value, and no run starts.
    QFETCH(QByteArray, load);
    QFETCH(QString, message);
    const QByteArray json = R"j({"name": "bc12", "target": {"url": "http://127.0.0.1:1/"}, )j" + load + "}";
    const CliRun r = run(QStringLiteral("bc12"), json, 20'000);
    QVERIFY2(r.finished && r.exitCode == 104, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(r.reportDir));
    QVERIFY(!r.out.contains(QStringLiteral("running (")));
}

void TestCases::bc12_numbersAreMilliseconds()
{
    // CASES.md BC-12, k6#1305: a number, and a numeric string, mean milliseconds. "duration":
    // 1500 runs 1.5 s (not 1 500 ns, nor 1 500 s); "timeout": "300" times out after 300 ms.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 1000}; });
    QVERIFY(server.listen());
    const QByteArray json = R"j({"name": "bc12-ms", "target": {"url": ")j" + server.url().toUtf8() + R"j(", "timeout": "300"},
        "vus": 1, "duration": 1500})j";
    const CliRun r = run(QStringLiteral("bc12-ms"), json, 20'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject summary = summaryOf(r);
    const double seconds = summary.value(QLatin1String("loadbench")).toObject().value(QLatin1String("durationSeconds")).toDouble();
    QVERIFY2(seconds >= 1.4 && seconds < 3, qPrintable(QString::number(seconds)));
    const QList<QJsonObject> durations = points(r.jsonl, QStringLiteral("http_req_duration"));
    QVERIFY2(durations.size() >= 3 && durations.size() <= 6, qPrintable(QString::number(durations.size())));
    for (const QJsonObject &p : durations) {
        QCOMPARE(tag(p, "error_code"), QStringLiteral("1050"));
        const double ms = p.value(QLatin1String("value")).toDouble();
        QVERIFY2(ms >= 300 && ms < 400, qPrintable(QString::number(ms)));
    }
}

QTEST_GUILESS_MAIN(TestCases)
#include "tst_cases.moc"
