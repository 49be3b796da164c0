// SPDX-License-Identifier: GPL-3.0-or-later
// What happens inside an iteration, through the whole Runner against loopback servers:
// request lists with think time, expectedStatuses, checks, k6's error codes and tags, and the
// field cases BC-05 and BC-06.
#include "engine/runner.h"
#include "mockhttpserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace loadbench;
using namespace loadbench::test;
using namespace std::chrono_literals;

namespace {

Scenario scenarioFrom(const QByteArray &json)
{
    QString why;
    auto s = Scenario::fromJson(json, &why);
    if (!s)
        qFatal("bad test scenario: %s", qPrintable(why));
    return *s;
}

// Ends a long constant-vus run of one VU after exactly `requests` requests: the server asks
// the runner for a graceful stop when the last one arrives (the iteration in flight finishes)
// and holds that answer 50 ms, so the stop reaches the VU before its next iteration could.
struct CountedRun {
    Runner *runner = nullptr;
    int requests = 0;
    MockHttpServer::Reply onRequest(int index, MockHttpServer::Reply reply)
    {
        if (index + 1 == requests && runner) {
            runner->stop();
            reply.delayMs = std::max(reply.delayMs, 50);
        }
        return reply;
    }
};

Summary runToEnd(Runner &runner, int timeoutMs)
{
    QSignalSpy finished(&runner, &Runner::finished);
    runner.start();
    if (!finished.wait(timeoutMs))
        return {};
    return finished.first().first().value<Summary>();
}

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// The request points of one metric in a results.jsonl file, in file order.
QList<QJsonObject> points(const QString &path, const QString &metric)
{
    QList<QJsonObject> result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return result;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QLatin1String("type")) == QLatin1String("Point") && o.value(QLatin1String("metric")) == metric) {
            QJsonObject data = o.value(QLatin1String("data")).toObject();
            // Keep the tag keys in the order they were written.
            QJsonArray keys;
            const qsizetype start = line.indexOf("\"tags\":{") + 8;
            qsizetype at = start;
            while ((at = line.indexOf("\":", at)) >= 0) {
                const qsizetype keyStart = line.lastIndexOf('"', at - 1) + 1;
                const QString key = QString::fromUtf8(line.mid(keyStart, at - keyStart));
                if (data.value(QLatin1String("tags")).toObject().contains(key) && !keys.contains(key))
                    keys.append(key);
                at += 2;
            }
            data[QLatin1String("tagOrder")] = keys;
            result.append(data);
        }
    }
    return result;
}

QStringList tagOrder(const QJsonObject &point)
{
    QStringList keys;
    for (const QJsonValue &k : point.value(QLatin1String("tagOrder")).toArray())
        keys << k.toString();
    return keys;
}

QString tag(const QJsonObject &point, const char *key)
{
    return point.value(QLatin1String("tags")).toObject().value(QLatin1String(key)).toString();
}

const CheckCounts *findCheck(const MetricSet &m, const QString &name)
{
    for (const CheckCounts &c : m.checks) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

} // namespace

class TestIteration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void httpFailuresAreCountedButKeptApart();
    void transportFailuresCarryK6Codes();
    void slowButNotFailing();
    void everyRequestTimesOut();
    void expectedStatusesDecideFailures();
    void requestListWithRandomThinkTime();
    void subMillisecondThinkTimeIsKept_data();
    void subMillisecondThinkTimeIsKept();
    void everyCheckKindPassesAndFails();
    void resultTagsAsK6WritesThem();
};

void TestIteration::httpFailuresAreCountedButKeptApart()
{
    // CASES.md BC-05 A in full: 429 after 2 ms for requests 1-3 of every 4, 200 after 200 ms
    // for every 4th; 1 VU, 100 iterations.
    CountedRun counted{nullptr, 100};
    MockHttpServer server([&](int i) {
        return counted.onRequest(i, i % 4 == 3 ? MockHttpServer::Reply{200, 200} : MockHttpServer::Reply{429, 2});
    });
    QVERIFY(server.listen());
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"("}, "vus": 1, "duration": "10m"})"));
    counted.runner = &runner;
    const Summary summary = runToEnd(runner, 60'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QCOMPARE(m.httpReqs, 100u);
    QCOMPARE(m.httpReqFailed, 75u); // rate 0.75: k6 counts a status outside 200-399 as failed
    QCOMPARE(m.errors.value(QStringLiteral("status 429")), 75u);
    const Histogram &all = m.trend(TrendMetric::HttpReqDuration);
    const Histogram &expected = m.trend(TrendMetric::HttpReqDurationExpected);
    QCOMPARE(all.count(), 100u);
    QCOMPARE(expected.count(), 25u);
    // k6's values with ideal timing: all: med 2, p(75) 51.5, p(90) 200; expected: 200 each.
    const double ms = 1e6;
    QVERIFY2(expected.min() >= 200 * ms && expected.percentile(95) < 300 * ms, qPrintable(QString::number(expected.percentile(95))));
    QVERIFY2(all.percentile(50) >= 2 * ms && all.percentile(50) < 50 * ms, qPrintable(QString::number(all.percentile(50))));
    QVERIFY2(all.percentile(75) > 45 * ms && all.percentile(75) < 100 * ms, qPrintable(QString::number(all.percentile(75))));
    QVERIFY2(all.percentile(90) >= 200 * ms, qPrintable(QString::number(all.percentile(90))));
    const CheckCounts *status = findCheck(m, QStringLiteral("status is 200"));
    QVERIFY(status);
    QCOMPARE(status->passes, 25u);
    QCOMPARE(status->fails, 75u);
}

void TestIteration::transportFailuresCarryK6Codes()
{
    // CASES.md BC-05 B, as a two-request iteration run for a short time: one request to a
    // closed port, one to a name that never resolves. Each failure has its own code.
    QTemporaryDir dir;
    RunOptions options;
    options.resultsJsonlPath = dir.filePath(QStringLiteral("results.jsonl"));
    const QByteArray refused = QStringLiteral("http://127.0.0.1:%1/api/health").arg(closedPort()).toUtf8();
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + refused + R"(", "thinkTime": "20ms",
        "requests": [{"url": ")" + refused + R"("}, {"url": "http://nonexistent.invalid/"}]}, "vus": 1, "duration": "600ms"})"),
                  options);
    const Summary summary = runToEnd(runner, 30'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QVERIFY2(m.httpReqs >= 4, qPrintable(QString::number(m.httpReqs)));
    QCOMPARE(m.httpReqs, 2 * m.iterations);
    QCOMPARE(m.httpReqFailed, m.httpReqs); // http_req_failed 1.0
    QCOMPARE(m.trend(TrendMetric::HttpReqDurationExpected).count(), 0u);
    QCOMPARE(m.errors.keys(), (QStringList{QStringLiteral("1101 lookup: no such host"),
                                           QStringLiteral("1212 dial: connection refused")}));
    QCOMPARE(m.errors.value(QStringLiteral("1101 lookup: no such host")), m.iterations);

    const QList<QJsonObject> durations = points(options.resultsJsonlPath, QStringLiteral("http_req_duration"));
    QCOMPARE(quint64(durations.size()), m.httpReqs);
    for (qsizetype i = 0; i < durations.size(); ++i) {
        const QJsonObject &p = durations[i];
        QCOMPARE(tag(p, "status"), QStringLiteral("0"));
        QCOMPARE(tag(p, "expected_response"), QStringLiteral("false"));
        QVERIFY(!tagOrder(p).contains(QStringLiteral("proto")));
        const bool first = i % 2 == 0;
        QCOMPARE(tag(p, "error_code"), first ? QStringLiteral("1212") : QStringLiteral("1101"));
        QCOMPARE(tag(p, "error"), first ? QStringLiteral("dial: connection refused") : QStringLiteral("lookup: no such host"));
        QCOMPARE(tag(p, "url"), first ? QString::fromUtf8(refused) : QStringLiteral("http://nonexistent.invalid/"));
        QCOMPARE(p.value(QLatin1String("value")).toDouble(), 0.0); // never on the wire, as k6
    }
}

void TestIteration::slowButNotFailing()
{
    // CASES.md BC-06 B: 2 s on every 10th request, 1 ms otherwise; timeout 5 s; 1 VU, 20
    // iterations. k6: med 1, p(90) 200.9, p(95) 2000, max 2000, no failure.
    CountedRun counted{nullptr, 20};
    MockHttpServer server([&](int i) {
        return counted.onRequest(i, i % 10 == 9 ? MockHttpServer::Reply{200, 2000} : MockHttpServer::Reply{200, 1});
    });
    QVERIFY(server.listen());
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"(", "timeout": "5s"}, "vus": 1, "duration": "10m"})"));
    counted.runner = &runner;
    const Summary summary = runToEnd(runner, 60'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QCOMPARE(m.httpReqs, 20u);
    QCOMPARE(m.httpReqFailed, 0u);
    QVERIFY(m.errors.isEmpty());
    const Histogram &d = m.trend(TrendMetric::HttpReqDuration);
    const double ms = 1e6;
    QVERIFY2(d.percentile(50) < 50 * ms, qPrintable(QString::number(d.percentile(50))));
    // Rank 17.1 of 20: a tenth of the way from a fast sample to a 2 s one.
    QVERIFY2(d.percentile(90) > 190 * ms && d.percentile(90) < 260 * ms, qPrintable(QString::number(d.percentile(90))));
    QVERIFY2(d.percentile(95) >= 2000 * ms && d.max() < 2500 * ms, qPrintable(QString::number(d.max())));
    QCOMPARE(m.trend(TrendMetric::HttpReqDurationExpected).count(), 20u);
}

void TestIteration::everyRequestTimesOut()
{
    // CASES.md BC-06 A, scaled to 2 VUs × 1 iteration: the server never answers, timeout 2 s.
    // The run ends after about 2 s; each request records the 2 s it waited, with k6's 1050.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 0, true}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"(", "timeout": "2s"}, "vus": 2, "duration": "500ms"})"));
    const Summary summary = runToEnd(runner, 20'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QCOMPARE(m.httpReqs, 2u);
    QCOMPARE(m.httpReqFailed, 2u);
    QCOMPARE(m.errors.keys(), QStringList{QStringLiteral("1050 request timeout")});
    const Histogram &d = m.trend(TrendMetric::HttpReqDuration);
    QVERIFY2(d.min() >= 2'000'000'000 && d.max() < 2'600'000'000, qPrintable(QString::number(d.max())));
    QCOMPARE(m.trend(TrendMetric::HttpReqDurationExpected).count(), 0u);
    QVERIFY(summary.durationSeconds < 4);
}

void TestIteration::expectedStatusesDecideFailures()
{
    // Even requests get 201, odd ones 404.
    auto behaviour = [](CountedRun &counted) {
        return [&counted](int i) {
            return counted.onRequest(i, MockHttpServer::Reply{i % 2 ? 404 : 201, 0});
        };
    };
    struct Case {
        QByteArray target;
        quint64 failed;
    };
    const QList<Case> cases = {
        {R"("expectedStatus": 0})", 5},                                                     // default 200-399: the 404s fail
        {R"("expectedStatus": 0, "expectedStatuses": [{"min": 200, "max": 299}, 404]})", 0}, // 404 expected
        {R"("expectedStatus": 0, "expectedStatuses": [404]})", 5},                           // only 404: the 201s fail
        // A request's own list overrides the target's: /b (the odd ones) expects 404.
        {R"("expectedStatuses": [201], "requests": [{"url": "a"}, {"url": "b", "expectedStatuses": [404]}]})", 0},
    };
    for (const Case &c : cases) {
        CountedRun counted{nullptr, 10};
        MockHttpServer server(behaviour(counted));
        QVERIFY(server.listen());
        Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + "\", " + c.target
                                   + R"(, "vus": 1, "duration": "10m"})"));
        counted.runner = &runner;
        const Summary summary = runToEnd(runner, 20'000);
        QVERIFY(summary.metrics);
        QCOMPARE(summary.metrics->httpReqs, 10u);
        QVERIFY2(summary.metrics->httpReqFailed == c.failed, c.target.constData());
        QCOMPARE(summary.metrics->trend(TrendMetric::HttpReqDurationExpected).count(), 10u - c.failed);
    }
}

void TestIteration::subMillisecondThinkTimeIsKept_data()
{
    QTest::addColumn<QByteArray>("engine");
    QTest::addRow("native") << QByteArray("native");
    QTest::addRow("qnam") << QByteArray("qnam");
}

void TestIteration::subMillisecondThinkTimeIsKept()
{
    // A think time is a deadline to the nanosecond on either engine: 400 µs is 400 µs (a
    // QTimer's whole milliseconds made it 0), so no iteration is shorter than its think time.
    QFETCH(QByteArray, engine);
    MockHttpServer server([](int) { return MockHttpServer::Reply{}; });
    QVERIFY(server.listen());
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"(", "thinkTime": "400us"},
        "scenarios": {"s": {"executor": "per-vu-iterations", "vus": 1, "iterations": 20, "engine": ")" + engine + R"("}}})"),
                  RunOptions());
    const Summary summary = runToEnd(runner, 30'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QCOMPARE(m.iterations, 20u);
    QCOMPARE(m.httpReqFailed, 0u);
    const qint64 shortest = m.trend(TrendMetric::IterationDuration).min();
    QVERIFY2(shortest >= 400'000, qPrintable(QStringLiteral("an iteration of %1 ns").arg(shortest)));
}

void TestIteration::requestListWithRandomThinkTime()
{
    // Two requests per iteration, a random 20-80 ms pause after the first, the target's
    // headers on both, relative URLs resolved against target.url.
    CountedRun counted{nullptr, 16};
    MockHttpServer server([&](int i) {
        return counted.onRequest(i, MockHttpServer::Reply{});
    });
    QVERIFY(server.listen());
    QTemporaryDir dir;
    RunOptions options;
    options.resultsJsonlPath = dir.filePath(QStringLiteral("results.jsonl"));
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"(", "headers": {"Authorization": "Bearer t"},
        "requests": [
          {"name": "login", "method": "POST", "url": "/login", "body": "{\"user\":\"u\"}", "headers": {"Content-Type": "application/json"},
           "thinkTime": {"min": "20ms", "max": "80ms"}, "checks": [{"status": 200}]},
          {"url": "items?page=2", "checks": [{"json": "status", "equals": "ok"}]}
        ]}, "vus": 1, "duration": "10m"})"), options);
    counted.runner = &runner;
    const Summary summary = runToEnd(runner, 30'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QCOMPARE(m.httpReqs, 16u);
    QCOMPARE(m.iterations, 8u);
    QCOMPARE(m.httpReqFailed, 0u);
    QVERIFY(m.trend(TrendMetric::IterationDuration).min() >= 20'000'000);

    const QList<MockHttpServer::Request> &seen = server.requests();
    QCOMPARE(seen.size(), 16);
    for (int i = 0; i < seen.size(); ++i) {
        QCOMPARE(seen[i].header("Authorization"), QByteArray("Bearer t"));
        if (i % 2 == 0) {
            QCOMPARE(seen[i].method, QByteArray("POST"));
            QCOMPARE(seen[i].path, QByteArray("/login"));
            QCOMPARE(seen[i].body, QByteArray("{\"user\":\"u\"}"));
            QCOMPARE(seen[i].header("Content-Type"), QByteArray("application/json"));
        } else {
            QCOMPARE(seen[i].method, QByteArray("GET"));
            QCOMPARE(seen[i].path, QByteArray("/items?page=2"));
        }
        QCOMPARE(seen[i].connection, 1); // one kept-alive connection for the VU
    }
    QCOMPARE(findCheck(m, QStringLiteral("status is 200"))->passes, 8u);
    QCOMPARE(findCheck(m, QStringLiteral("json status is \"ok\""))->passes, 8u);

    // The pause between a login and the next request is drawn each time from [20, 80] ms.
    const QList<QJsonObject> requests = points(options.resultsJsonlPath, QStringLiteral("http_req_duration"));
    QCOMPARE(requests.size(), 16);
    QList<double> gapsMs;
    for (int i = 0; i + 1 < requests.size(); i += 2) {
        QCOMPARE(tag(requests[i], "name"), QStringLiteral("login"));
        QCOMPARE(tag(requests[i], "method"), QStringLiteral("POST"));
        QCOMPARE(tag(requests[i + 1], "name"), tag(requests[i + 1], "url"));
        QVERIFY(tag(requests[i + 1], "url").endsWith(QLatin1String("/items?page=2")));
        const QDateTime a = QDateTime::fromString(requests[i].value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
        const QDateTime b = QDateTime::fromString(requests[i + 1].value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
        gapsMs << double(a.msecsTo(b)) - requests[i].value(QLatin1String("value")).toDouble();
    }
    const auto [low, high] = std::minmax_element(gapsMs.begin(), gapsMs.end());
    QVERIFY2(*low >= 18 && *high < 400, qPrintable(QStringLiteral("%1..%2 ms").arg(*low).arg(*high)));
    QVERIFY2(*high - *low > 3, qPrintable(QStringLiteral("%1..%2 ms: not random").arg(*low).arg(*high)));
}

void TestIteration::everyCheckKindPassesAndFails()
{
    CountedRun counted{nullptr, 5};
    MockHttpServer server([&](int i) {
        MockHttpServer::Reply reply;
        reply.body = R"({"data":{"items":[{"id":42,"name":"x"}]},"ok":true})";
        reply.headers = {{"X-Trace", "abc"}};
        return counted.onRequest(i, reply);
    });
    QVERIFY(server.listen());
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"(", "expectedStatus": 200,
        "bodyContains": "items", "checks": [
          {"status": 201}, {"bodyContains": "nope", "name": "no nope"},
          {"header": "x-trace"}, {"header": "X-Missing"},
          {"json": "data.items.0.id", "equals": 42}, {"json": "data.items.0.id", "equals": 43},
          {"json": "data.items.0.name", "equals": "x", "name": "item named x"}, {"json": "ok", "equals": false}
        ]}, "vus": 1, "duration": "10m"})"));
    counted.runner = &runner;
    const Summary summary = runToEnd(runner, 20'000);
    QVERIFY(summary.metrics);
    const MetricSet &m = *summary.metrics;
    QCOMPARE(m.iterations, 5u);
    const QList<QPair<QString, bool>> expected = {
        {QStringLiteral("status is 200"), true}, {QStringLiteral("body contains items"), true},
        {QStringLiteral("status is 201"), false}, {QStringLiteral("no nope"), false},
        {QStringLiteral("header x-trace is present"), true}, {QStringLiteral("header X-Missing is present"), false},
        {QStringLiteral("json data.items.0.id is 42"), true}, {QStringLiteral("json data.items.0.id is 43"), false},
        {QStringLiteral("item named x"), true}, {QStringLiteral("json ok is false"), false}};
    QCOMPARE(m.checks.size(), expected.size());
    quint64 passes = 0, fails = 0;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(m.checks[i].name, expected[i].first);
        QCOMPARE(m.checks[i].passes, expected[i].second ? 5u : 0u);
        QCOMPARE(m.checks[i].fails, expected[i].second ? 0u : 5u);
        passes += m.checks[i].passes;
        fails += m.checks[i].fails;
    }
    QCOMPARE(passes, 25u); // the `checks` rate in total: 25 of 50
    QCOMPARE(fails, 25u);
}

void TestIteration::resultTagsAsK6WritesThem()
{
    // A success, an HTTP failure and a refused connection in one iteration; each point's tags
    // have k6's keys, in k6's order, as strings (../shared/fixtures/k6/smoke and refused).
    MockHttpServer server([](int i) { return MockHttpServer::Reply{i % 2 ? 429 : 200, 0}; });
    QVERIFY(server.listen());
    QTemporaryDir dir;
    RunOptions options;
    options.resultsJsonlPath = dir.filePath(QStringLiteral("results.jsonl"));
    const QByteArray refused = QStringLiteral("http://127.0.0.1:%1/api/health").arg(closedPort()).toUtf8();
    Runner runner(scenarioFrom(R"({"target": {"url": ")" + server.url().toUtf8() + R"(", "thinkTime": "100ms",
        "requests": [{"url": "ok"}, {"url": "limited"}, {"url": ")" + refused + R"("}]}, "vus": 1, "duration": "150ms"})"), options);
    const Summary summary = runToEnd(runner, 20'000);
    QVERIFY(summary.metrics);
    QVERIFY(summary.metrics->httpReqs >= 3);

    const QStringList success = {QStringLiteral("expected_response"), QStringLiteral("group"), QStringLiteral("method"),
                                 QStringLiteral("name"), QStringLiteral("proto"), QStringLiteral("scenario"),
                                 QStringLiteral("status"), QStringLiteral("url")};
    QStringList httpFailure = success;
    httpFailure.prepend(QStringLiteral("error_code"));
    const QStringList refusedKeys = {QStringLiteral("error"), QStringLiteral("error_code"), QStringLiteral("expected_response"),
                                     QStringLiteral("group"), QStringLiteral("method"), QStringLiteral("name"),
                                     QStringLiteral("scenario"), QStringLiteral("status"), QStringLiteral("url")};
    for (const QString &metric : {QStringLiteral("http_req_duration"), QStringLiteral("http_req_failed"),
                                  QStringLiteral("http_reqs"), QStringLiteral("http_req_connecting")}) {
        const QList<QJsonObject> all = points(options.resultsJsonlPath, metric);
        QVERIFY(all.size() >= 3);
        for (const QJsonObject &p : all.mid(0, 3)) {
            const QJsonObject tags = p.value(QLatin1String("tags")).toObject();
            for (auto it = tags.begin(); it != tags.end(); ++it)
                QVERIFY2(it.value().isString(), qPrintable(it.key())); // k6 writes every tag as a string
            QCOMPARE(tag(p, "scenario"), QStringLiteral("default"));
            QCOMPARE(tag(p, "group"), QString());
            QCOMPARE(tag(p, "method"), QStringLiteral("GET"));
            QCOMPARE(tag(p, "name"), tag(p, "url"));
        }
        QCOMPARE(tagOrder(all[0]), success);
        QCOMPARE(tag(all[0], "status"), QStringLiteral("200"));
        QCOMPARE(tag(all[0], "expected_response"), QStringLiteral("true"));
        QCOMPARE(tag(all[0], "proto"), QStringLiteral("HTTP/1.1"));
        QVERIFY(tag(all[0], "url").endsWith(QLatin1String("/ok")));
        QCOMPARE(tagOrder(all[1]), httpFailure);
        QCOMPARE(tag(all[1], "status"), QStringLiteral("429"));
        QCOMPARE(tag(all[1], "error_code"), QStringLiteral("1429"));
        QCOMPARE(tag(all[1], "expected_response"), QStringLiteral("false"));
        QCOMPARE(tagOrder(all[2]), refusedKeys);
        QCOMPARE(tag(all[2], "status"), QStringLiteral("0"));
        QCOMPARE(tag(all[2], "error_code"), QStringLiteral("1212"));
        QCOMPARE(tag(all[2], "error"), QStringLiteral("dial: connection refused"));
        QCOMPARE(tag(all[2], "url"), QString::fromUtf8(refused));
    }
    // http_req_failed is 0 for the success, 1 for both failures.
    const QList<QJsonObject> failed = points(options.resultsJsonlPath, QStringLiteral("http_req_failed"));
    QCOMPARE(failed[0].value(QLatin1String("value")).toDouble(), 0.0);
    QCOMPARE(failed[1].value(QLatin1String("value")).toDouble(), 1.0);
    QCOMPARE(failed[2].value(QLatin1String("value")).toDouble(), 1.0);
}

QTEST_GUILESS_MAIN(TestIteration)
#include "tst_iteration.moc"
