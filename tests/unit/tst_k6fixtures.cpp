// SPDX-License-Identifier: GPL-3.0-or-later
// Recomputes real k6 runs (tests/fixtures/k6.tar.gz, from ../shared/fixtures/k6) from their
// --out json lines (readK6Results) and checks our summary.json against k6's own
// --summary-export: same keys, same counts, percentiles within 0.1 % or 1 µs, counter rates
// within 0.1 % (the run's duration is estimated from the points), same threshold verdicts.
#include "analysis/k6results.h"
#include "metrics/summary.h"
#include "output/resultsjsonl.h"
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
    void metricLinesMatchK6_data();
    void metricLinesMatchK6();
    void metricLineListsThresholdSubmetrics();
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

void TestK6Fixtures::metricLinesMatchK6_data()
{
    QTest::addColumn<QString>("run");
    QTest::addRow("smoke") << "smoke";
    QTest::addRow("load") << "load";
    QTest::addRow("refused") << "refused";
}

void TestK6Fixtures::metricLinesMatchK6()
{
    // Every Metric line of k6's --out json, byte for byte, given the run's thresholds.
    QFETCH(QString, run);
    QFile f(fixture(run + QStringLiteral("-results.jsonl")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<QByteArray> lines;
    QList<Threshold> thresholds;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(QLatin1String("type")) != QLatin1String("Metric"))
            continue;
        lines.append(line);
        const QJsonObject data = object.value(QLatin1String("data")).toObject();
        for (const QJsonValue &t : data.value(QLatin1String("thresholds")).toArray()) {
            QString why;
            const auto parsed = Threshold::parse(data.value(QLatin1String("name")).toString(), t.toString(), &why);
            QVERIFY2(parsed, qPrintable(why));
            thresholds.append(*parsed);
        }
    }
    QVERIFY(lines.size() > 5);
    for (const QByteArray &line : std::as_const(lines)) {
        const QString name = QJsonDocument::fromJson(line).object().value(QLatin1String("metric")).toString();
        QCOMPARE(ResultsJsonlWriter::metricLine(name, thresholds).trimmed(), line);
    }
}

void TestK6Fixtures::metricLineListsThresholdSubmetrics()
{
    // What k6 declares for a run whose thresholds name sub-metrics: every one under its parent,
    // in the thresholds' order, one per filter however spelled, with its suffix as written and
    // its tags parsed; the built-in expected_response one last; the parent's own thresholds only.
    QList<Threshold> thresholds;
    for (const auto &[metric, expression] : QList<std::pair<const char *, const char *>>{
             {"http_req_duration", "p(95)<200"},
             {"http_req_duration{status:200}", "p(95)<100"},
             {"http_req_duration{ status : '200' }", "max<1000"},
             {"checks{check:status is 200}", "rate>0.9"},
             {"http_reqs{scenario:api,method:POST}", "count>1"},
             {"http_req_failed{expected_response:true}", "rate<0.01"}}) {
        QString why;
        const auto t = Threshold::parse(QString::fromUtf8(metric), QString::fromUtf8(expression), &why);
        QVERIFY2(t, qPrintable(why));
        thresholds.append(*t);
    }
    auto submetrics = [&](const char *metric) {
        const QJsonObject line = QJsonDocument::fromJson(ResultsJsonlWriter::metricLine(QString::fromUtf8(metric), thresholds)).object();
        return line.value(QLatin1String("data")).toObject();
    };
    QCOMPARE(ResultsJsonlWriter::metricLine(QStringLiteral("http_req_duration"), thresholds),
             QByteArray(R"({"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time",)"
                        R"("thresholds":["p(95)<200"],"submetrics":[)"
                        R"({"name":"http_req_duration{status:200}","suffix":"status:200","tags":{"status":"200"}},)"
                        R"({"name":"http_req_duration{expected_response:true}","suffix":"expected_response:true","tags":{"expected_response":"true"}}]},)"
                        R"("metric":"http_req_duration"})" "\n"));
    QCOMPARE(ResultsJsonlWriter::metricLine(QStringLiteral("checks"), thresholds),
             QByteArray(R"({"type":"Metric","data":{"name":"checks","type":"rate","contains":"default","thresholds":[],)"
                        R"("submetrics":[{"name":"checks{check:status is 200}","suffix":"check:status is 200","tags":{"check":"status is 200"}}]},)"
                        R"("metric":"checks"})" "\n"));
    const QJsonArray reqs = submetrics("http_reqs").value(QLatin1String("submetrics")).toArray();
    QCOMPARE(reqs.size(), 1);
    QCOMPARE(reqs[0].toObject().value(QLatin1String("suffix")).toString(), QStringLiteral("scenario:api,method:POST"));
    QCOMPARE(reqs[0].toObject().value(QLatin1String("tags")).toObject(),
             (QJsonObject{{QStringLiteral("method"), QStringLiteral("POST")}, {QStringLiteral("scenario"), QStringLiteral("api")}}));
    QCOMPARE(submetrics("http_req_failed").value(QLatin1String("submetrics")).toArray().size(), 1);
    // A metric no threshold filters has none.
    QVERIFY(submetrics("iterations").value(QLatin1String("submetrics")).isNull());
    // A threshold naming the built-in one shares its entry.
    QList<Threshold> expectedOnly{*Threshold::parse(QStringLiteral("http_req_duration{expected_response:true}"), QStringLiteral("p(95)<300"))};
    const QJsonArray one = QJsonDocument::fromJson(ResultsJsonlWriter::metricLine(QStringLiteral("http_req_duration"), expectedOnly))
                               .object().value(QLatin1String("data")).toObject().value(QLatin1String("submetrics")).toArray();
    QCOMPARE(one.size(), 1);
}

QTEST_APPLESS_MAIN(TestK6Fixtures)
#include "tst_k6fixtures.moc"
