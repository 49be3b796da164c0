// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/scenario.h"

#include <QDir>
#include <QJsonDocument>
#include <QTest>

using namespace loadbench;
using namespace std::chrono_literals;

namespace {

QByteArray withTarget(const QByteArray &rest)
{
    return "{\"target\": {\"url\": \"http://127.0.0.1:8080/api/health\"}, " + rest + "}";
}

} // namespace

class TestScenario : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rampingVus();
    void shorthandVusDuration();
    void shorthandStages();
    void targetBlock();
    void thresholdsObjectForm();
    void rejects_data();
    void rejects();
    void plannedVusFollowK6Rounding_data();
    void plannedVusFollowK6Rounding();
    void nextChangeMatchesPlannedVus();
    void zeroSecondStagesJump();
    void roundTripsThroughJson();
    void presetsLoad();
};

void TestScenario::rampingVus()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"j("name": "load", "scenarios": {"average_load": {
        "executor": "ramping-vus", "startVUs": 0, "gracefulRampDown": "1s",
        "stages": [{"duration": "3s", "target": 10}, {"duration": "4s", "target": 10},
                   {"duration": "3s", "target": 0}]}},
        "summaryTrendStats": ["min", "med", "avg", "p(95)", "p(99)", "max"])j"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE(s->name, QStringLiteral("load"));
    QCOMPARE(s->main().name, QStringLiteral("average_load"));
    QCOMPARE(s->main().executor, ExecutorType::RampingVus);
    QCOMPARE(s->main().startVUs, 0);
    QCOMPARE(s->main().stages.size(), 3);
    QCOMPARE(s->main().stages[1], (Stage{4s, 10}));
    QCOMPARE(s->main().gracefulRampDown, Nanoseconds(1s));
    QCOMPARE(s->main().gracefulStop, Nanoseconds(30s));
    QCOMPARE(s->plannedDuration(), Nanoseconds(10s));
    QCOMPARE(s->maxVus(), 10);
    QCOMPARE(s->summaryTrendStats.size(), 6);
}

void TestScenario::shorthandVusDuration()
{
    const auto s = Scenario::fromJson(withTarget(R"("vus": 3, "duration": "5s")"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->main().executor, ExecutorType::ConstantVus);
    QCOMPARE(s->main().name, QStringLiteral("default"));
    QCOMPARE(s->main().vus, 3);
    QCOMPARE(s->plannedDuration(), Nanoseconds(5s));
    QCOMPARE(s->plannedVusAt(0s), 3);
    QCOMPARE(s->plannedVusAt(4900ms), 3);
    QCOMPARE(s->summaryTrendStats, Scenario::defaultSummaryTrendStats());
}

void TestScenario::shorthandStages()
{
    const auto s = Scenario::fromJson(withTarget(R"("stages": [{"duration": "10s", "target": 5}])"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->main().executor, ExecutorType::RampingVus);
    QCOMPARE(s->main().startVUs, 1); // k6's default
}

void TestScenario::targetBlock()
{
    QString why;
    const auto s = Scenario::fromJson(R"({"target": {"url": "http://[::1]:9/x?a=1", "method": "POST",
        "headers": {"X-Token": "abc"}, "body": "{}", "expectedStatus": 201, "bodyContains": "ok",
        "thinkTime": "1s", "timeout": "2s"}, "vus": 1, "duration": "1s"})", &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE(s->target.url.host(), QStringLiteral("::1"));
    QCOMPARE(s->target.method, QByteArray("POST"));
    QCOMPARE(s->target.headers.size(), 1);
    QCOMPARE(s->target.body, QByteArray("{}"));
    QCOMPARE(s->target.expectedStatus, 201);
    QCOMPARE(s->target.statusCheckName(), QStringLiteral("status is 201"));
    QCOMPARE(s->target.bodyContains, QStringLiteral("ok"));
    QCOMPARE(s->target.thinkTime, Nanoseconds(1s));
    QCOMPARE(s->target.timeout, Nanoseconds(2s));
}

void TestScenario::thresholdsObjectForm()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"("vus": 1, "duration": "1s", "thresholds": {
        "http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": true, "delayAbortEval": "10s"}],
        "http_req_duration": ["p(95)<200", "p(99)<500"]})"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE(s->thresholds.size(), 3);
    const auto failed = std::find_if(s->thresholds.begin(), s->thresholds.end(),
                                     [](const Threshold &t) { return t.metric == QLatin1String("http_req_failed"); });
    QVERIFY(failed != s->thresholds.end());
    QVERIFY(failed->abortOnFail);
    QCOMPARE(failed->delayAbortEval, Nanoseconds(10s));
}

void TestScenario::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray ramp = R"("scenarios": {"s": {"executor": "ramping-vus", "stages": [{"duration": "1s", "target": 1}, {"duration": "1s", "target": 2}, {"duration": "1x", "target": 3}]}})";
    QTest::addRow("bad stage duration") << withTarget(ramp) << R"(scenarios.s.stages[2].duration: "1x" is not a duration)";
    QTest::addRow("negative target") << withTarget(R"("stages": [{"duration": "1s", "target": -1}])") << "stages[0].target: -1 is not a whole number";
    QTest::addRow("fractional vus") << withTarget(R"("vus": 1.5, "duration": "1s")") << "vus: 1.5 is not a whole number";
    QTest::addRow("zero duration") << withTarget(R"("vus": 1, "duration": "0s")") << "duration: \"0s\"";
    QTest::addRow("stages add up to zero") << withTarget(R"("stages": [{"duration": "0s", "target": 5}])") << "add up to 0s";
    QTest::addRow("unknown executor") << withTarget(R"("scenarios": {"s": {"executor": "ramping-arrival", "stages": []}})") << R"(scenarios.s.executor: "ramping-arrival" is not a supported executor)";
    QTest::addRow("unknown top-level field") << withTarget(R"("vus": 1, "duraton": "1s")") << "duraton: unknown field";
    QTest::addRow("no load") << withTarget(R"("name": "x")") << "scenarios: missing";
    QTest::addRow("vus without duration") << withTarget(R"("vus": 5)") << "duration: missing";
    QTest::addRow("no target") << QByteArray(R"({"vus": 1, "duration": "1s"})") << "target: missing";
    QTest::addRow("bad url") << QByteArray(R"({"target": {"url": "ftp://x/"}, "vus": 1, "duration": "1s"})") << R"(target.url: "ftp://x/" is not an http://)";
    QTest::addRow("bad threshold") << withTarget(R"("vus": 1, "duration": "1s", "thresholds": {"http_req_duration": ["p(95)<200ms"]})") << R"(thresholds.http_req_duration[0]: threshold "p(95)<200ms" on http_req_duration)";
    QTest::addRow("threshold on unknown metric") << withTarget(R"("vus": 1, "duration": "1s", "thresholds": {"http_req_durations": ["p(95)<200"]})") << "unknown metric";
    QTest::addRow("bad trend stat") << withTarget(R"j("vus": 1, "duration": "1s", "summaryTrendStats": ["p(95)", "mean"])j") << R"(summaryTrendStats[1]: "mean" is not a trend statistic)";
    QTest::addRow("not json") << QByteArray("{\"target\": \n {") << "not valid JSON at line 2";
    QTest::addRow("bad expectedStatus") << QByteArray(R"({"target": {"url": "http://a/", "expectedStatus": 700}, "vus": 1, "duration": "1s"})") << "target.expectedStatus: 700 is not an HTTP status";
    QTest::addRow("vus option on ramping-vus") << withTarget(R"("scenarios": {"s": {"executor": "ramping-vus", "vus": 3, "stages": [{"duration": "1s", "target": 1}]}})") << "scenarios.s.vus: not an option of ramping-vus";
}

void TestScenario::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Scenario::fromJson(json, &why).has_value());
    QVERIFY2(why.contains(error), qPrintable(QStringLiteral("got: ") + why));
}

void TestScenario::plannedVusFollowK6Rounding_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<int>("vus");
    // CASES.md BC-11 A: startVUs 0, [{10s,10},{10s,0}].
    QTest::addRow("0.5") << 0.5 << 0;
    QTest::addRow("1.0") << 1.0 << 1;
    QTest::addRow("5.5") << 5.5 << 5;
    QTest::addRow("9.99") << 9.99 << 9;
    QTest::addRow("10.0") << 10.0 << 10;
    QTest::addRow("10.5") << 10.5 << 10;
    QTest::addRow("11.0") << 11.0 << 9;
    QTest::addRow("15.5") << 15.5 << 5;
    QTest::addRow("19.99") << 19.99 << 1;
    QTest::addRow("20.0") << 20.0 << 0;
}

void TestScenario::plannedVusFollowK6Rounding()
{
    QFETCH(double, seconds);
    QFETCH(int, vus);
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {"s": {"executor": "ramping-vus", "startVUs": 0,
        "stages": [{"duration": "10s", "target": 10}, {"duration": "10s", "target": 0}]}})"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->plannedVusAt(Nanoseconds(qint64(seconds * 1e9))), vus);
}

void TestScenario::nextChangeMatchesPlannedVus()
{
    // BC-11 B: [{10s,3}] from 0: VUs at 3.333333334 s, 6.666666667 s and 10 s.
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {"s": {"executor": "ramping-vus", "startVUs": 0,
        "stages": [{"duration": "10s", "target": 3}, {"duration": "5s", "target": 3}, {"duration": "2s", "target": 1}]}})"), nullptr);
    QVERIFY(s);
    QList<qint64> changes;
    Nanoseconds t{0};
    while (auto next = s->nextVuChangeAfter(t)) {
        QVERIFY(*next > t);
        QVERIFY2(s->plannedVusAt(*next) != s->plannedVusAt(*next - 1ns), "plannedVusAt must change at the reported time");
        changes << next->count();
        t = *next;
    }
    QCOMPARE(changes, (QList<qint64>{3'333'333'334, 6'666'666'667, 10'000'000'000, 16'000'000'000, 17'000'000'000}));
}

void TestScenario::zeroSecondStagesJump()
{
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {"s": {"executor": "ramping-vus", "startVUs": 0,
        "stages": [{"duration": "0s", "target": 10}, {"duration": "5s", "target": 10}, {"duration": "0s", "target": 0},
                   {"duration": "5s", "target": 0}]}})"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->plannedVusAt(0s), 10);
    QCOMPARE(s->plannedVusAt(4999ms), 10);
    QCOMPARE(s->plannedVusAt(5s), 0);
    QCOMPARE(s->nextVuChangeAfter(1s).value(), Nanoseconds(5s));
}

void TestScenario::roundTripsThroughJson()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"("name": "rt", "scenarios": {"s": {"executor": "ramping-vus", "startVUs": 2,
        "stages": [{"duration": "1m30s", "target": 10}], "gracefulRampDown": "5s"}},
        "thresholds": {"http_req_duration": ["p(95)<200"], "http_req_failed": [{"threshold": "rate<0.1", "abortOnFail": true}]})"), &why);
    QVERIFY2(s, qPrintable(why));
    const QByteArray json = QJsonDocument(s->toJson()).toJson();
    const auto again = Scenario::fromJson(json, &why);
    QVERIFY2(again, qPrintable(why + QStringLiteral("\n") + QString::fromUtf8(json)));
    QCOMPARE(again->toJson(), s->toJson());
    QCOMPARE(again->main().stages, s->main().stages);
    QCOMPARE(again->thresholds.size(), 2);
}

void TestScenario::presetsLoad()
{
    const QDir presets(QStringLiteral(LOADBENCH_SOURCE_DIR "/resources/presets"));
    const QStringList files = presets.entryList({QStringLiteral("*.json")});
    for (const char *name : {"smoke", "average-load", "stress", "spike", "soak", "breakpoint"})
        QVERIFY2(files.contains(QLatin1String(name) + QStringLiteral(".json")), name);
    for (const QString &file : files) {
        QString why;
        QVERIFY2(Scenario::fromFile(presets.filePath(file), &why), qPrintable(why));
    }
    const auto average = Scenario::fromFile(presets.filePath(QStringLiteral("average-load.json")), nullptr);
    QCOMPARE(average->plannedDuration(), Nanoseconds(5min));
    QCOMPARE(average->maxVus(), 100);
    const auto smoke = Scenario::fromFile(presets.filePath(QStringLiteral("smoke.json")), nullptr);
    QCOMPARE(smoke->main().vus, 1);
    QCOMPARE(smoke->plannedDuration(), Nanoseconds(30s));
}

QTEST_APPLESS_MAIN(TestScenario)
#include "tst_scenario.moc"
