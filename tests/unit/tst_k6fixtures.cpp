// SPDX-License-Identifier: GPL-3.0-or-later
// Recomputes real k6 runs (tests/fixtures/k6.tar.gz, from ../shared/fixtures/k6) from their
// --out json lines (readK6Results) and checks our summary.json against k6's own
// --summary-export: same keys, same counts, percentiles within 0.1 % or 1 µs, counter rates
// within 0.1 % (the run's duration is estimated from the points), same threshold verdicts.
#include "analysis/k6results.h"
#include "metrics/summary.h"
#include "output/summaryjson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace loadbench;

namespace {

QString fixture(const QString &name)
{
    return QStringLiteral(LOADBENCH_K6_FIXTURES "/") + name;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

struct Recomputed {
    Summary summary;
    QJsonObject expected;
    QString why;
};

// Replays a results.jsonl through the same reader `loadbench-cli report` uses: nothing taken
// from k6's summary, not even the run's duration.
Recomputed replay(const QString &run, const QStringList &trendStats)
{
    Recomputed r;
    r.expected = readJson(fixture(run + QStringLiteral("-summary.json")));
    K6ResultsOptions options;
    options.summaryTrendStats = trendStats;
    if (const auto results = readK6Results(fixture(run + QStringLiteral("-results.jsonl")), options, &r.why))
        r.summary = results->summary;
    return r;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    return f.fileName();
}

} // namespace

class TestK6Fixtures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryMatchesK6_data();
    void summaryMatchesK6();
    void malformedLineNamesFileAndLine_data();
    void malformedLineNamesFileAndLine();
    void unknownMetricsAreSkippedAndCounted();
    void windowByPointTime();
    void rfc3339();
};

void TestK6Fixtures::summaryMatchesK6_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<QStringList>("trendStats");
    QTest::addRow("smoke") << "smoke" << Scenario::defaultSummaryTrendStats();
    QTest::addRow("load") << "load" << QStringList{QStringLiteral("min"), QStringLiteral("med"), QStringLiteral("avg"), QStringLiteral("p(95)"), QStringLiteral("p(99)"), QStringLiteral("max")};
    QTest::addRow("refused") << "refused" << Scenario::defaultSummaryTrendStats();
}

void TestK6Fixtures::summaryMatchesK6()
{
    QFETCH(QString, run);
    QFETCH(QStringList, trendStats);
    const Recomputed r = replay(run, trendStats);
    QVERIFY2(!r.expected.isEmpty(), "fixture missing");
    QVERIFY2(r.why.isEmpty(), qPrintable(r.why));
    const QJsonObject ours = summaryToJson(r.summary);
    const QJsonObject oursMetrics = ours.value(QLatin1String("metrics")).toObject();
    const QJsonObject k6Metrics = r.expected.value(QLatin1String("metrics")).toObject();

    QCOMPARE(oursMetrics.keys(), k6Metrics.keys());
    for (const QString &name : k6Metrics.keys()) {
        const QJsonObject k6 = k6Metrics.value(name).toObject();
        const QJsonObject mine = oursMetrics.value(name).toObject();
        QCOMPARE(mine.keys(), k6.keys());
        for (const QString &key : k6.keys()) {
            if (key == QLatin1String("thresholds")) {
                QCOMPARE(mine.value(key).toObject(), k6.value(key).toObject());
                continue;
            }
            const double expected = k6.value(key).toDouble();
            const double got = mine.value(key).toDouble();
            const double tolerance = std::max(0.001, std::abs(expected) * 0.001);
            QVERIFY2(std::abs(got - expected) <= tolerance,
                     qPrintable(QStringLiteral("%1 %2: ours %3, k6 %4").arg(name, key).arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
        }
    }
    // root_group.checks: same names and counts.
    const QJsonObject k6Checks = r.expected.value(QLatin1String("root_group")).toObject().value(QLatin1String("checks")).toObject();
    const QJsonObject ourChecks = ours.value(QLatin1String("root_group")).toObject().value(QLatin1String("checks")).toObject();
    QCOMPARE(ourChecks.keys(), k6Checks.keys());
    for (const QString &name : k6Checks.keys())
        QCOMPARE(ourChecks.value(name).toObject(), k6Checks.value(name).toObject());
    QCOMPARE(ours.value(QLatin1String("root_group")).toObject().value(QLatin1String("id")),
             r.expected.value(QLatin1String("root_group")).toObject().value(QLatin1String("id")));
}

void TestK6Fixtures::malformedLineNamesFileAndLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{\"metric\":") << QStringLiteral("not a JSON object");
    QTest::newRow("bad time") << QByteArray(R"({"metric":"http_reqs","type":"Point","data":{"time":"yesterday","value":1,"tags":{}}})")
                              << QStringLiteral("\"yesterday\" is not RFC 3339");
    QTest::newRow("no value") << QByteArray(R"({"metric":"http_reqs","type":"Point","data":{"time":"2026-12-03T15:56:41.4Z","tags":{}}})")
                              << QStringLiteral("no numeric value");
    QTest::newRow("unknown type") << QByteArray(R"({"metric":"http_reqs","type":"Sample"})") << QStringLiteral("unknown line type \"Sample\"");
    QTest::newRow("bad threshold") << QByteArray(R"({"type":"Metric","data":{"name":"http_req_duration","type":"trend","thresholds":["p(95)<<1"]},"metric":"http_req_duration"})")
                                   << QStringLiteral("p(95)<<1");
}

void TestK6Fixtures::malformedLineNamesFileAndLine()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QByteArray good = R"({"metric":"http_reqs","type":"Point","data":{"time":"2026-12-03T15:56:41.487339073Z","value":1,"tags":{}}})";
    const QString path = writeFile(dir, QStringLiteral("bad.jsonl"), good + "\n\n" + good + '\n' + line + '\n' + good + '\n');
    QString why;
    QVERIFY(!readK6Results(path, {}, &why));
    QVERIFY2(why.startsWith(path + QStringLiteral(":4: ")), qPrintable(why));
    QVERIFY2(why.contains(expected), qPrintable(why));
}

void TestK6Fixtures::unknownMetricsAreSkippedAndCounted()
{
    QTemporaryDir dir;
    const QByteArray lines = R"({"type":"Metric","data":{"name":"my_trend","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"my_trend"}
{"metric":"my_trend","type":"Point","data":{"time":"2026-12-03T15:56:41.1Z","value":5,"tags":{}}}
{"metric":"group_duration","type":"Point","data":{"time":"2026-12-03T15:56:41.2Z","value":5,"tags":{}}}
{"metric":"my_trend","type":"Point","data":{"time":"2026-12-03T15:56:41.3Z","value":6,"tags":{}}}
{"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-03T15:56:41.4Z","value":2.5,"tags":{"expected_response":"true"}}}
{"metric":"http_reqs","type":"Point","data":{"time":"2026-12-03T15:56:41.4Z","value":1,"tags":{}}}
)";
    const QString path = writeFile(dir, QStringLiteral("custom.jsonl"), lines);
    QString why;
    const auto r = readK6Results(path, {}, &why);
    QVERIFY2(r, qPrintable(why));
    QCOMPARE(r->points, quint64(5));
    QCOMPARE(r->skippedPoints, quint64(3));
    QCOMPARE(r->skippedMetrics, (QStringList{QStringLiteral("my_trend"), QStringLiteral("group_duration")}));
    QCOMPARE(r->summary.metrics->httpReqs, quint64(1));
    QCOMPARE(r->summary.value(QStringLiteral("http_req_duration{expected_response:true}"), QStringLiteral("max")).value(), 2.5);
}

void TestK6Fixtures::windowByPointTime()
{
    // The load fixture ramps 0 → 10 VUs in 3 s, holds, then 10 → 20 in 3 s: the window [4s, 7s)
    // holds the 10-VU plateau only.
    K6ResultsOptions options;
    options.from = Nanoseconds(4'000'000'000);
    options.to = Nanoseconds(7'000'000'000);
    QString why;
    const auto r = readK6Results(fixture(QStringLiteral("load-results.jsonl")), options, &why);
    QVERIFY2(r, qPrintable(why));
    QCOMPARE(r->summary.durationSeconds, 3.0);
    QCOMPARE(r->summary.vusMin, 10);
    QCOMPARE(r->summary.vusMax, 10);
    const auto whole = readK6Results(fixture(QStringLiteral("load-results.jsonl")), {}, &why);
    QVERIFY(whole);
    QVERIFY(r->summary.metrics->httpReqs > 0 && r->summary.metrics->httpReqs < whole->summary.metrics->httpReqs / 2);
    // Every second of the file is in the timeline, and it adds up to the whole.
    quint64 requests = 0;
    for (const IntervalSnapshot &s : whole->recording.timeline(Nanoseconds(0), whole->duration + Nanoseconds(1'000'000'000)))
        requests += s.requests;
    QCOMPARE(requests, whole->summary.metrics->httpReqs);
    // A window after the last point is an error that says how long the run was.
    options.from = Nanoseconds(60'000'000'000);
    options.to.reset();
    QVERIFY(!readK6Results(fixture(QStringLiteral("load-results.jsonl")), options, &why));
    QVERIFY2(why.contains(QLatin1String("after the run's last point")), qPrintable(why));
}

void TestK6Fixtures::rfc3339()
{
    QCOMPARE(parseRfc3339Ns(u"1970-01-01T00:00:01.5Z"), std::optional<qint64>(1'500'000'000));
    QCOMPARE(parseRfc3339Ns(u"1970-01-01T00:00:01.000000007Z"), std::optional<qint64>(1'000'000'007));
    QCOMPARE(parseRfc3339Ns(u"1970-01-01T01:00:02+01:00"), std::optional<qint64>(2'000'000'000));
    QCOMPARE(parseRfc3339Ns(u"1970-01-01T00:00:02Z"), std::optional<qint64>(2'000'000'000));
    QVERIFY(!parseRfc3339Ns(u"1970-01-01 00:00:02Z"));
    QVERIFY(!parseRfc3339Ns(u"1970-01-01T00:00:02."));
    QVERIFY(!parseRfc3339Ns(u"1970-01-01T00:00:02"));
}

QTEST_APPLESS_MAIN(TestK6Fixtures)
#include "tst_k6fixtures.moc"
