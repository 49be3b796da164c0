// SPDX-License-Identifier: GPL-3.0-or-later
// The Runner in-process against small servers on loopback: schedules, stops, timeouts,
// abortOnFail and QNAM's per-host connection limit.
#include "engine/runner.h"
#include "mockhttpserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace loadbench;
using namespace loadbench::test;
using namespace std::chrono_literals;

namespace {

Scenario scenarioFor(const QString &url, const QByteArray &rest)
{
    QString why;
    auto s = Scenario::fromJson("{\"target\": {\"url\": \"" + url.toUtf8() + "\"" + rest, &why);
    if (!s)
        qFatal("bad test scenario: %s", qPrintable(why));
    return *s;
}

Summary runToEnd(Runner &runner, int timeoutMs)
{
    QSignalSpy finished(&runner, &Runner::finished);
    runner.start();
    if (!finished.wait(timeoutMs))
        return {};
    return finished.first().first().value<Summary>();
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rampFollowsSchedule();
    void gracefulStopFinishesIterations();
    void secondStopAborts();
    void timeoutIsRecordedAsK6Error();
    void abortOnFailStopsTheRun();
    void everyVuHasItsOwnConnection();
    void noRequestLooksFasterThanTheServer();
    void statusErrorsAreFailedRequests();
    void rampCountsIterationsAsK6();
    void resultLinesAddUpToTheSummary();
    void gracefulRampDown_data();
    void gracefulRampDown();
};

void TestRunner::rampFollowsSchedule()
{
    MockHttpServer server;
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(, "thinkTime": "50ms"}, "scenarios": {"s": {"executor": "ramping-vus",
        "startVUs": 0, "gracefulRampDown": "1s", "stages": [{"duration": "1s", "target": 4}, {"duration": "2s", "target": 4},
        {"duration": "1s", "target": 0}]}}})j"));
    QList<IntervalSnapshot> snapshots;
    connect(&runner, &Runner::snapshotReady, this, [&](const IntervalSnapshot &s) { snapshots << s; });
    const Summary summary = runToEnd(runner, 20'000);
    QVERIFY(summary.metrics->httpReqs > 20);
    QVERIFY(snapshots.size() >= 4);
    QCOMPARE(runner.timeline().size(), snapshots.size());
    // At 2 s and 3 s the plateau holds 4 VUs, planned and actual.
    QCOMPARE(snapshots[1].plannedVus, 4);
    QCOMPARE(snapshots[1].vus, 4);
    QCOMPARE(snapshots[2].vus, 4);
    QCOMPARE(summary.vusMax, 4);
    QCOMPARE(summary.vusMaxConfigured, 4);
    QCOMPARE(snapshots.last().vus, 0);
    QVERIFY(summary.durationSeconds >= 4.0 && summary.durationSeconds < 6.0);
    QCOMPARE(summary.metrics->httpReqFailed, 0u);
    QCOMPARE(summary.metrics->interruptedIterations, 0u);
    QVERIFY(!summary.interrupted);
    quint64 requestsInSnapshots = 0;
    for (const IntervalSnapshot &s : snapshots)
        requestsInSnapshots += s.requests;
    QCOMPARE(requestsInSnapshots, summary.metrics->httpReqs);
    QCOMPARE(int(summary.metrics->httpReqs), server.requestsSeen());
    // Four VUs, each on its own kept-alive connection.
    QCOMPARE(server.connectionsAccepted(), 4);
}

void TestRunner::gracefulStopFinishesIterations()
{
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 300}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(}, "vus": 3, "duration": "30s"})j"));
    QSignalSpy started(&runner, &Runner::started);
    QSignalSpy finished(&runner, &Runner::finished);
    runner.start();
    QVERIFY(started.wait(5000));
    QTRY_VERIFY_WITH_TIMEOUT(server.requestsSeen() >= 3, 5000);
    runner.stop();
    QVERIFY(finished.wait(5000));
    const Summary summary = finished.first().first().value<Summary>();
    QVERIFY(summary.interrupted);
    QCOMPARE(summary.metrics->interruptedIterations, 0u); // each in-flight request was let finish
    QCOMPARE(summary.metrics->iterations, summary.metrics->httpReqs);
    QVERIFY(summary.durationSeconds < 5);
}

void TestRunner::secondStopAborts()
{
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 10'000}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(}, "vus": 2, "duration": "30s"})j"));
    QSignalSpy finished(&runner, &Runner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.requestsSeen(), 2, 5000);
    runner.stop();
    runner.stop();
    QVERIFY(finished.wait(5000));
    const Summary summary = finished.first().first().value<Summary>();
    QCOMPARE(summary.metrics->interruptedIterations, 2u);
    QCOMPARE(summary.metrics->httpReqs, 0u);
    QVERIFY(summary.durationSeconds < 5);
}

void TestRunner::timeoutIsRecordedAsK6Error()
{
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 0, true}; });
    QVERIFY(server.listen());
    // CASES.md BC-06 A, shortened: every request times out; the run still ends and reports.
    Runner runner(scenarioFor(server.url(), R"j(, "timeout": "400ms"}, "vus": 2, "duration": "1s",
        "thresholds": {"http_req_failed": ["rate<0.01"]}})j"));
    const Summary summary = runToEnd(runner, 10'000);
    QVERIFY(summary.metrics->httpReqs >= 4);
    QCOMPARE(summary.metrics->httpReqFailed, summary.metrics->httpReqs);
    QCOMPARE(summary.metrics->errors.keys(), QStringList{QStringLiteral("1050 request timeout")});
    const Histogram &duration = summary.metrics->trend(TrendMetric::HttpReqDuration);
    QVERIFY2(duration.min() >= 390'000'000 && duration.max() < 700'000'000,
             qPrintable(QStringLiteral("%1..%2 ns").arg(duration.min()).arg(duration.max())));
    QCOMPARE(summary.metrics->trend(TrendMetric::HttpReqDurationExpected).count(), 0u);
    QVERIFY(summary.thresholdsCrossed());
}

void TestRunner::abortOnFailStopsTheRun()
{
    MockHttpServer server([](int) { return MockHttpServer::Reply{500, 5}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(}, "vus": 2, "duration": "30s",
        "thresholds": {"http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": true}]}})j"));
    const Summary summary = runToEnd(runner, 10'000);
    QVERIFY(summary.abortedByThreshold);
    QVERIFY(!summary.interrupted);
    QVERIFY(summary.durationSeconds < 3.5);
    QVERIFY(summary.thresholdsCrossed());
    QVERIFY(summary.metrics->errors.contains(QStringLiteral("status 500")));
}

void TestRunner::everyVuHasItsOwnConnection()
{
    // CASES.md BC-04: 20 VUs against a 1 s server must see 20 requests at once, each ≈ 1 s;
    // one shared QNAM would queue them in waves of 6 inside the measurement.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 1000}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(}, "vus": 20, "duration": "900ms"})j"));
    const Summary summary = runToEnd(runner, 15'000);
    QCOMPARE(server.peakInFlight(), 20);
    QCOMPARE(summary.metrics->httpReqs, 20u);
    const Histogram &duration = summary.metrics->trend(TrendMetric::HttpReqDuration);
    QVERIFY2(duration.max() < 1'300'000'000, qPrintable(QString::number(duration.max())));
    QVERIFY2(duration.percentile(50) > 950'000'000, qPrintable(QString::number(duration.percentile(50))));
}

void TestRunner::noRequestLooksFasterThanTheServer()
{
    // Qt's signals arrive late and in batches; a request, above all one that opened its
    // connection, must still never measure less than the server took to answer.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 2}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(, "thinkTime": "200ms"}, "vus": 30, "duration": "1s"})j"));
    const Summary summary = runToEnd(runner, 15'000);
    const MetricSet &m = *summary.metrics;
    QVERIFY(m.httpReqs >= 60);
    QCOMPARE(server.connectionsAccepted(), 30);
    QVERIFY2(m.trend(TrendMetric::HttpReqDuration).min() >= 2'000'000,
             qPrintable(QString::number(m.trend(TrendMetric::HttpReqDuration).min())));
    QCOMPARE(m.trend(TrendMetric::HttpReqWaiting).count(), m.httpReqs);
    QVERIFY(m.trend(TrendMetric::HttpReqWaiting).max() <= m.trend(TrendMetric::HttpReqDuration).max());
}

void TestRunner::statusErrorsAreFailedRequests()
{
    // CASES.md BC-05 A, shortened: 3 of every 4 requests get a fast 429.
    MockHttpServer server([](int i) { return i % 4 == 3 ? MockHttpServer::Reply{200, 20} : MockHttpServer::Reply{429, 1}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(}, "vus": 1, "duration": "700ms"})j"));
    const Summary summary = runToEnd(runner, 10'000);
    const MetricSet &m = *summary.metrics;
    QVERIFY(m.httpReqs >= 8);
    QVERIFY(m.httpReqFailed >= m.httpReqs * 3 / 4 - 1 && m.httpReqFailed <= m.httpReqs * 3 / 4 + 1);
    QCOMPARE(m.trend(TrendMetric::HttpReqDurationExpected).count(), m.httpReqs - m.httpReqFailed);
    QVERIFY(m.trend(TrendMetric::HttpReqDurationExpected).min() >= 19'000'000);
    QCOMPARE(m.errors.value(QStringLiteral("status 429")), m.httpReqFailed);
    const auto check = std::find_if(m.checks.begin(), m.checks.end(), [](const CheckCounts &c) { return c.name == QLatin1String("status is 200"); });
    QVERIFY(check != m.checks.end());
    QCOMPARE(check->fails, m.httpReqFailed);
}

void TestRunner::rampCountsIterationsAsK6()
{
    // CASES.md BC-11 B: startVUs 0, [{10s, 3}], iteration = request + sleep(1 s). VU1 starts at
    // 3.33 s and completes 7 iterations, VU2 at 6.67 s completes 4, VU3 would start at 10 s,
    // the end, and runs none: 11 in all, none interrupted (gracefulStop lets the last finish).
    MockHttpServer server;
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(, "thinkTime": "1s"}, "scenarios": {"s": {"executor": "ramping-vus",
        "startVUs": 0, "stages": [{"duration": "10s", "target": 3}]}}})j"));
    const Summary summary = runToEnd(runner, 30'000);
    QCOMPARE(summary.metrics->iterations, 11u);
    QCOMPARE(summary.metrics->httpReqs, 11u);
    QCOMPARE(summary.metrics->interruptedIterations, 0u);
    QCOMPARE(server.connectionsAccepted(), 2);
    // Each VU keeps its connection: VU1's (the first accepted) carried 7 requests, VU2's 4.
    QList<int> perVu(2);
    for (const MockHttpServer::Request &request : server.requests())
        ++perVu[request.connection - 1];
    QCOMPARE(perVu, (QList<int>{7, 4}));
    QVERIFY(summary.durationSeconds > 10.3 && summary.durationSeconds < 12);
}

void TestRunner::resultLinesAddUpToTheSummary()
{
    // Iterations interrupted in their think time still sent and received bytes: the JSON lines
    // must carry them, so recomputing a summary from results.jsonl gives the summary.
    MockHttpServer server;
    QVERIFY(server.listen());
    QTemporaryDir dir;
    RunOptions options;
    options.resultsJsonlPath = dir.filePath(QStringLiteral("results.jsonl"));
    Runner runner(scenarioFor(server.url(), R"j(, "thinkTime": "1s"}, "scenarios": {"s": {"executor": "ramping-vus",
        "startVUs": 3, "gracefulRampDown": "0s", "stages": [{"duration": "300ms", "target": 3}, {"duration": "0s", "target": 0},
        {"duration": "300ms", "target": 0}]}}})j"), options);
    const Summary summary = runToEnd(runner, 10'000);
    QCOMPARE(summary.metrics->interruptedIterations, 3u);
    QCOMPARE(summary.metrics->httpReqs, 3u);
    QVERIFY(summary.metrics->dataReceived > 0);

    QFile lines(options.resultsJsonlPath);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    double sent = 0, received = 0, requests = 0, iterations = 0;
    while (!lines.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(lines.readLine()).object();
        if (line.value(QLatin1String("type")) != QLatin1String("Point"))
            continue;
        const QString metric = line.value(QLatin1String("metric")).toString();
        const double value = line.value(QLatin1String("data")).toObject().value(QLatin1String("value")).toDouble();
        if (metric == QLatin1String("data_sent"))
            sent += value;
        else if (metric == QLatin1String("data_received"))
            received += value;
        else if (metric == QLatin1String("http_reqs"))
            requests += value;
        else if (metric == QLatin1String("iterations"))
            iterations += value;
    }
    QCOMPARE(requests, double(summary.metrics->httpReqs));
    QCOMPARE(iterations, double(summary.metrics->iterations));
    QCOMPARE(sent, double(summary.metrics->dataSent));
    QCOMPARE(received, double(summary.metrics->dataReceived));
}

void TestRunner::gracefulRampDown_data()
{
    QTest::addColumn<QString>("grace");
    QTest::addColumn<int>("completed");
    QTest::addColumn<int>("interrupted");
    // CASES.md BC-11 D, scaled down: 3 VUs jump in at 0 s, drop to 0 at 0.5 s while each is in
    // an 800 ms request. With no grace they are interrupted; with 2 s they finish.
    QTest::addRow("gracefulRampDown 0s") << "0s" << 0 << 3;
    QTest::addRow("gracefulRampDown 2s") << "2s" << 3 << 0;
}

void TestRunner::gracefulRampDown()
{
    QFETCH(QString, grace);
    QFETCH(int, completed);
    QFETCH(int, interrupted);
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 800}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFor(server.url(), R"j(}, "scenarios": {"s": {"executor": "ramping-vus", "startVUs": 0,
        "gracefulRampDown": ")j" + grace.toUtf8() + R"j(", "stages": [{"duration": "0s", "target": 3}, {"duration": "500ms", "target": 3},
        {"duration": "0s", "target": 0}, {"duration": "1500ms", "target": 0}]}}})j"));
    const Summary summary = runToEnd(runner, 15'000);
    QCOMPARE(int(summary.metrics->iterations), completed);
    QCOMPARE(int(summary.metrics->interruptedIterations), interrupted);
    QCOMPARE(server.requestsSeen(), 3); // no VU starts a new iteration after its ramp-down
}

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
