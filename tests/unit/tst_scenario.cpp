// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/arrivalschedule.h"
#include "scenario/scenario.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
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
    void everyExecutor();
    void shorthandIterations();
    void executorErrors_data();
    void executorErrors();
    void scenarioTargetOverrides();
    void scenariosSideBySide();
    void everyExecutorRoundTrips();
    void constantArrivalTimes();
    void dueByCountsStartsUpToATime();
    void rampingArrivalTimes();
    void plannedRate();
    void k6Descriptions();
    void warnsOfATargetReachedAtTheEnd();
    void engineOption();
    void engineErrors_data();
    void engineErrors();
    void engineErrorNamesTheFile();
    void engineRoundTrips();
    void autoEngineResolves();
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
    // Numbers that would wrap a nanosecond count are refused, not run as something else.
    QTest::addRow("huge bare duration") << withTarget(R"("vus": 1, "duration": 1e13)") << "duration: 1e+13 is not a duration Loadbench accepts (longer than 8760h0m0s, one year";
    QTest::addRow("huge string duration") << withTarget(R"("vus": 1, "duration": "10000000000000")") << R"(duration: "10000000000000" is not a duration Loadbench accepts)";
    QTest::addRow("huge startTime") << withTarget(R"("scenarios": {"s": {"executor": "constant-vus", "vus": 1, "duration": "1s", "startTime": 1e13}})") << "scenarios.s.startTime: 1e+13 is not a duration Loadbench accepts";
    QTest::addRow("huge maxDuration") << withTarget(R"("scenarios": {"s": {"executor": "shared-iterations", "iterations": 1, "maxDuration": "400d"}})") << R"(scenarios.s.maxDuration: "400d" is not a duration Loadbench accepts)";
    QTest::addRow("huge timeUnit") << withTarget(R"("scenarios": {"s": {"executor": "constant-arrival-rate", "rate": 1, "timeUnit": 1e13, "duration": "1s", "preAllocatedVUs": 1}})") << "scenarios.s.timeUnit: 1e+13 is not a duration Loadbench accepts";
    QTest::addRow("stages past a year") << withTarget(R"("stages": [{"duration": "8000h", "target": 1}, {"duration": "8000h", "target": 1}])") << "stages: the stages add up to 16000h0m0s, longer than the 8760h0m0s (one year)";
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

void TestScenario::everyExecutor()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"j("scenarios": {
        "a_shared": {"executor": "shared-iterations", "vus": 5, "iterations": 10},
        "b_pervu": {"executor": "per-vu-iterations", "vus": 3, "iterations": 4, "maxDuration": "20s", "startTime": "1s"},
        "c_const": {"executor": "constant-vus", "vus": 2, "duration": "30s", "gracefulStop": "5s"},
        "d_ramp": {"executor": "ramping-vus", "startVUs": 0, "stages": [{"duration": "10s", "target": 10}], "gracefulRampDown": "0s"},
        "e_car": {"executor": "constant-arrival-rate", "rate": 200, "timeUnit": "1s", "duration": "5s", "preAllocatedVUs": 20, "maxVUs": 50,
                  "tags": {"kind": "open"}},
        "f_rar": {"executor": "ramping-arrival-rate", "startRate": 10, "timeUnit": "1m", "preAllocatedVUs": 4,
                  "stages": [{"duration": "10s", "target": 60}, {"duration": "5s", "target": 0}]},
        "g_ext": {"executor": "externally-controlled", "vus": 2, "maxVUs": 8, "duration": "1m"}})j"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE(s->scenarios.size(), 7);
    const ScenarioConfig &shared = s->scenarios[0];
    QCOMPARE(shared.executor, ExecutorType::SharedIterations);
    QCOMPARE(shared.vus, 5);
    QCOMPARE(shared.iterations, 10);
    QCOMPARE(shared.maxDuration, Nanoseconds(10min)); // k6's default
    QCOMPARE(shared.plannedDuration(), Nanoseconds(10min));
    const ScenarioConfig &perVu = s->scenarios[1];
    QCOMPARE(perVu.executor, ExecutorType::PerVuIterations);
    QCOMPARE(perVu.maxDuration, Nanoseconds(20s));
    QCOMPARE(perVu.startTime, Nanoseconds(1s));
    QCOMPARE(perVu.plannedEnd(), Nanoseconds(21s));
    QCOMPARE(s->scenarios[2].gracefulStop, Nanoseconds(5s));
    QCOMPARE(s->scenarios[3].gracefulRampDown, Nanoseconds(0s));
    const ScenarioConfig &car = s->scenarios[4];
    QCOMPARE(car.executor, ExecutorType::ConstantArrivalRate);
    QCOMPARE(car.rate, 200);
    QCOMPARE(car.timeUnit, Nanoseconds(1s));
    QCOMPARE(car.preAllocatedVUs, 20);
    QCOMPARE(car.maxVUs, 50);
    QCOMPARE(car.maxVus(), 50);
    QCOMPARE(car.initialVus(), 20);
    QCOMPARE(car.tags.value(QStringLiteral("kind")), QStringLiteral("open"));
    QVERIFY(car.isArrivalRate());
    const ScenarioConfig &rar = s->scenarios[5];
    QCOMPARE(rar.startRate, 10);
    QCOMPARE(rar.timeUnit, Nanoseconds(1min));
    QCOMPARE(rar.maxVUs, 4); // defaults to preAllocatedVUs
    QCOMPARE(rar.plannedDuration(), Nanoseconds(15s));
    const ScenarioConfig &ext = s->scenarios[6];
    QCOMPARE(ext.executor, ExecutorType::ExternallyControlled);
    QCOMPARE(ext.vus, 2);
    QCOMPARE(ext.maxVus(), 8);
    // vus_max: the sum of every scenario's most VUs.
    QCOMPARE(s->maxVus(), 5 + 3 + 2 + 10 + 50 + 4 + 8);
    QCOMPARE(s->plannedDuration(), Nanoseconds(10min));
}

void TestScenario::shorthandIterations()
{
    const auto s = Scenario::fromJson(withTarget(R"("vus": 5, "iterations": 10, "duration": "30s")"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->main().executor, ExecutorType::SharedIterations);
    QCOMPARE(s->main().name, QStringLiteral("default"));
    QCOMPARE(s->main().vus, 5);
    QCOMPARE(s->main().iterations, 10);
    QCOMPARE(s->main().maxDuration, Nanoseconds(30s));
    const auto alone = Scenario::fromJson(withTarget(R"("iterations": 3)"), nullptr);
    QVERIFY(alone);
    QCOMPARE(alone->main().vus, 1);
    QCOMPARE(alone->main().maxDuration, Nanoseconds(10min));
}

void TestScenario::executorErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    auto one = [](const QByteArray &body) { return withTarget(R"("scenarios": {"api": {)" + body + "}}"); };
    QTest::addRow("rate not a number") << one(R"("executor": "constant-arrival-rate", "rate": "x", "duration": "1s", "preAllocatedVUs": 1)")
                                       << R"(scenarios.api.rate: "x" is not a whole number)";
    QTest::addRow("rate missing") << one(R"("executor": "constant-arrival-rate", "duration": "1s", "preAllocatedVUs": 1)")
                                  << "scenarios.api.rate: missing";
    QTest::addRow("rate zero") << one(R"("executor": "constant-arrival-rate", "rate": 0, "duration": "1s", "preAllocatedVUs": 1)")
                               << "scenarios.api.rate: 0 is not a whole number from 1";
    QTest::addRow("preAllocatedVUs missing") << one(R"("executor": "constant-arrival-rate", "rate": 1, "duration": "1s")")
                                             << "scenarios.api.preAllocatedVUs: missing";
    QTest::addRow("maxVUs below pool") << one(R"("executor": "constant-arrival-rate", "rate": 1, "duration": "1s", "preAllocatedVUs": 5, "maxVUs": 2)")
                                       << "scenarios.api.maxVUs: 2 is fewer than preAllocatedVUs (5)";
    QTest::addRow("no VU at all") << one(R"("executor": "constant-arrival-rate", "rate": 1, "duration": "1s", "preAllocatedVUs": 0)")
                                  << "scenarios.api.preAllocatedVUs: 0 and no maxVUs";
    QTest::addRow("zero duration") << one(R"("executor": "constant-arrival-rate", "rate": 1, "duration": "0s", "preAllocatedVUs": 1)")
                                   << R"(scenarios.api.duration: "0s": must be greater than 0)";
    QTest::addRow("zero timeUnit") << one(R"("executor": "constant-arrival-rate", "rate": 1, "timeUnit": 0, "duration": "1s", "preAllocatedVUs": 1)")
                                   << "scenarios.api.timeUnit: 0: must be greater than 0";
    QTest::addRow("negative startTime") << one(R"("executor": "constant-vus", "duration": "1s", "startTime": "-5s")")
                                        << "scenarios.api.startTime:";
    QTest::addRow("ramping-arrival-rate stages zero") << one(R"("executor": "ramping-arrival-rate", "preAllocatedVUs": 1, "stages": [{"duration": "0s", "target": 5}])")
                                                      << "scenarios.api.stages: the stages add up to 0s";
    QTest::addRow("ramping-arrival-rate no stages") << one(R"("executor": "ramping-arrival-rate", "preAllocatedVUs": 1)")
                                                    << "scenarios.api.stages: missing";
    QTest::addRow("option of another executor") << one(R"("executor": "constant-arrival-rate", "rate": 1, "duration": "1s", "preAllocatedVUs": 1, "vus": 3)")
                                                << "scenarios.api.vus: not an option of constant-arrival-rate";
    QTest::addRow("unknown option") << one(R"("executor": "constant-vus", "duration": "1s", "rpm": 3)")
                                    << "scenarios.api.rpm: unknown field";
    QTest::addRow("shared fewer iterations than vus") << one(R"("executor": "shared-iterations", "vus": 5, "iterations": 2)")
                                                      << "scenarios.api.iterations: 2 is fewer than vus (5)";
    QTest::addRow("zero maxDuration") << one(R"("executor": "per-vu-iterations", "maxDuration": "0s")")
                                      << R"(scenarios.api.maxDuration: "0s": must be greater than 0)";
    QTest::addRow("zero iterations") << one(R"("executor": "per-vu-iterations", "iterations": 0)")
                                     << "scenarios.api.iterations: 0 is not a whole number from 1";
    QTest::addRow("externally-controlled maxVUs") << one(R"("executor": "externally-controlled", "vus": 5, "maxVUs": 2, "duration": "1m")")
                                                  << "scenarios.api.maxVUs: 2 is fewer than vus (5)";
    QTest::addRow("externally-controlled no duration") << one(R"("executor": "externally-controlled", "vus": 5)")
                                                       << "scenarios.api.duration: missing";
    QTest::addRow("tag not a string") << one(R"("executor": "constant-vus", "duration": "1s", "tags": {"team": 5})")
                                      << "scenarios.api.tags.team: 5 is not a string";
    QTest::addRow("tags not an object") << one(R"("executor": "constant-vus", "duration": "1s", "tags": ["a"])")
                                        << "scenarios.api.tags: an array is not an object";
    // A custom tag must not replace one Loadbench sets on every sample.
    QTest::addRow("tag Loadbench sets") << one(R"("executor": "constant-vus", "duration": "1s", "tags": {"status": "x"})")
                                        << "scenarios.api.tags.status: \"status\" is a tag Loadbench sets itself";
    QTest::addRow("scenario target url") << one(R"("executor": "constant-vus", "duration": "1s", "target": {"url": "ftp://x/"})")
                                         << R"(scenarios.api.target.url: "ftp://x/" is not an http://)";
    QTest::addRow("scenario target unknown field") << one(R"("executor": "constant-vus", "duration": "1s", "target": {"url": "http://a/", "verb": "GET"})")
                                                   << "scenarios.api.target.verb: unknown field";
    QTest::addRow("executor missing") << one(R"("vus": 1)") << "scenarios.api.executor: missing";
    QTest::addRow("iterations with stages") << withTarget(R"("iterations": 3, "stages": [{"duration": "1s", "target": 1}])")
                                            << "iterations: cannot be combined with stages";
    QTest::addRow("shorthand with scenarios") << withTarget(R"("iterations": 3, "scenarios": {"a": {"executor": "constant-vus", "duration": "1s"}})")
                                              << "scenarios: cannot be combined";
}

void TestScenario::executorErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Scenario::fromJson(json, &why).has_value());
    QVERIFY2(why.contains(error), qPrintable(QStringLiteral("got: ") + why));
}

void TestScenario::scenarioTargetOverrides()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {
        "a": {"executor": "constant-vus", "duration": "1s"},
        "b": {"executor": "constant-vus", "duration": "1s", "target": {"url": "http://127.0.0.1:9/other", "method": "POST"}}})"), &why);
    QVERIFY2(s, qPrintable(why));
    QVERIFY(!s->scenarios[0].target);
    QCOMPARE(s->targetFor(s->scenarios[0]).url.path(), QStringLiteral("/api/health"));
    QCOMPARE(s->targetFor(s->scenarios[1]).url.path(), QStringLiteral("/other"));
    QCOMPARE(s->targetFor(s->scenarios[1]).method, QByteArray("POST"));
}

void TestScenario::scenariosSideBySide()
{
    // Planned VUs add up over the scenarios running at t; each counts from its startTime to
    // its end; arrival-rate ones count their preAllocatedVUs.
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {
        "a": {"executor": "constant-vus", "vus": 2, "duration": "10s"},
        "b": {"executor": "ramping-vus", "startVUs": 0, "startTime": "5s", "stages": [{"duration": "4s", "target": 4}]},
        "c": {"executor": "constant-arrival-rate", "rate": 10, "duration": "3s", "preAllocatedVUs": 7, "startTime": "12s"}})"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->plannedVusAt(0s), 2);
    QCOMPARE(s->plannedVusAt(5s), 2);
    QCOMPARE(s->plannedVusAt(6s), 3);
    QCOMPARE(s->plannedVusAt(8999ms), 5);
    QCOMPARE(s->plannedVusAt(9s), 2);    // b's end: its last VU never runs (BC-11 C)
    QCOMPARE(s->plannedVusAt(10s), 0);
    QCOMPARE(s->plannedVusAt(12s), 7);
    QCOMPARE(s->plannedVusAt(15s), 0);
    QCOMPARE(s->plannedDuration(), Nanoseconds(15s));
    QList<qint64> changes;
    Nanoseconds t{0};
    while (auto next = s->nextVuChangeAfter(t)) {
        QVERIFY(s->plannedVusAt(*next) != s->plannedVusAt(*next - 1ns));
        changes << next->count() / 1'000'000;
        t = *next;
    }
    QCOMPARE(changes, (QList<qint64>{6000, 7000, 8000, 9000, 10000, 12000, 15000}));
    QCOMPARE(s->plannedRateAt(11s), 0.0);
    QCOMPARE(s->plannedRateAt(12s), 10.0);
    QVERIFY(s->hasArrivalRate());
}

void TestScenario::everyExecutorRoundTrips()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"j("scenarios": {
        "a": {"executor": "shared-iterations", "vus": 5, "iterations": 10, "maxDuration": "1m", "tags": {"t": "1"}},
        "b": {"executor": "per-vu-iterations", "vus": 3, "iterations": 4, "startTime": "1s"},
        "c": {"executor": "constant-arrival-rate", "rate": 200, "timeUnit": "2s", "duration": "5s", "preAllocatedVUs": 20, "maxVUs": 50},
        "d": {"executor": "ramping-arrival-rate", "startRate": 10, "preAllocatedVUs": 4, "maxVUs": 9,
              "stages": [{"duration": "10s", "target": 60}]},
        "e": {"executor": "externally-controlled", "vus": 2, "maxVUs": 8, "duration": "1m", "gracefulStop": "3s",
              "target": {"url": "http://127.0.0.1:9/x", "method": "PUT"}}})j"), &why);
    QVERIFY2(s, qPrintable(why));
    const QByteArray json = QJsonDocument(s->toJson()).toJson();
    const auto again = Scenario::fromJson(json, &why);
    QVERIFY2(again, qPrintable(why + QStringLiteral("\n") + QString::fromUtf8(json)));
    QCOMPARE(again->toJson(), s->toJson());
    QCOMPARE(again->scenarios[1].startTime, Nanoseconds(1s));
    QCOMPARE(again->scenarios[2].timeUnit, Nanoseconds(2s));
    QCOMPARE(again->scenarios[3].stages, s->scenarios[3].stages);
    QCOMPARE(again->scenarios[0].tags, s->scenarios[0].tags);
    QVERIFY(again->scenarios[4].target);
    QCOMPARE(again->scenarios[4].target->method, QByteArray("PUT"));
    QCOMPARE(again->scenarios[4].gracefulStop, Nanoseconds(3s));
}

void TestScenario::constantArrivalTimes()
{
    // k6 starts iteration i at i·timeUnit/rate, the first at 0, all before the duration.
    ScenarioConfig config;
    config.executor = ExecutorType::ConstantArrivalRate;
    config.rate = 200;
    config.duration = 5s;
    const ArrivalSchedule schedule(config);
    QCOMPARE(schedule.count(), 1000);
    QCOMPARE(schedule.at(0).value(), Nanoseconds(0));
    QCOMPARE(schedule.at(1).value(), Nanoseconds(5ms));
    QCOMPARE(schedule.at(999).value(), Nanoseconds(4995ms));
    QVERIFY(!schedule.at(1000));
    // BC-03 B: 100/s for 10 s, request i at 10 ms·i.
    config.rate = 100;
    config.duration = 10s;
    QCOMPARE(ArrivalSchedule(config).count(), 1000);
    QCOMPARE(ArrivalSchedule(config).at(700).value(), Nanoseconds(7s));
    // 3 per second: k6 truncates the period to 333333333 ns.
    config.rate = 3;
    config.duration = 1s;
    QCOMPARE(ArrivalSchedule(config).count(), 4);
    QCOMPARE(ArrivalSchedule(config).at(3).value(), Nanoseconds(999'999'999));
    config.rate = 1;
    config.timeUnit = 1min;
    config.duration = 2min;
    QCOMPARE(ArrivalSchedule(config).count(), 2);
    QCOMPARE(ArrivalSchedule(config).at(1).value(), Nanoseconds(1min));
}

void TestScenario::dueByCountsStartsUpToATime()
{
    // dueBy(t) is the number of iterations whose start is at or before t, for constant and
    // ramping schedules alike (checked against a scan of at()).
    ScenarioConfig constant;
    constant.executor = ExecutorType::ConstantArrivalRate;
    constant.rate = 3;
    constant.duration = 1s;
    ScenarioConfig ramping;
    ramping.executor = ExecutorType::RampingArrivalRate;
    ramping.startRate = 5;
    ramping.stages = {Stage{2s, 50}, Stage{1s, 50}, Stage{2s, 0}};
    for (const ScenarioConfig &config : {constant, ramping}) {
        const ArrivalSchedule schedule(config);
        QVERIFY(schedule.count() > 3);
        QCOMPARE(schedule.dueBy(Nanoseconds(-1)), 0);
        for (qint64 i = 0; i < schedule.count(); ++i) {
            const Nanoseconds at = *schedule.at(i);
            if (i > 0)
                QVERIFY(*schedule.at(i - 1) < at); // distinct starts at these rates
            QCOMPARE(schedule.dueBy(at), i + 1);
            QCOMPARE(schedule.dueBy(at - Nanoseconds(1)), i);
        }
        QCOMPARE(schedule.dueBy(Nanoseconds(std::chrono::hours(1))), schedule.count());
    }
}

void TestScenario::rampingArrivalTimes()
{
    // From 0 to 10/s over 10 s: the rate is t/s², the area t²/2, so iteration i (from 0) starts
    // when the area reaches i + 1: at √(2(i+1)) s; then a plateau of 10/s for 2 s.
    ScenarioConfig config;
    config.executor = ExecutorType::RampingArrivalRate;
    config.startRate = 0;
    config.stages = {Stage{10s, 10}, Stage{2s, 10}, Stage{0s, 0}, Stage{1s, 0}};
    const ArrivalSchedule schedule(config);
    QCOMPARE(schedule.count(), 50 + 20);
    for (int i : {0, 1, 7, 48}) {
        const double expected = std::sqrt(2.0 * (i + 1)) * 1e9;
        QVERIFY2(std::abs(double(schedule.at(i)->count()) - expected) < 2, qPrintable(QString::number(i)));
    }
    QCOMPARE(schedule.at(49).value(), Nanoseconds(10s));
    QCOMPARE(schedule.at(50).value(), Nanoseconds(10100ms));
    QCOMPARE(schedule.at(69).value(), Nanoseconds(12s));
    QVERIFY(!schedule.at(70));
    // Times only grow.
    for (qint64 i = 1; i < schedule.count(); ++i)
        QVERIFY(*schedule.at(i) > *schedule.at(i - 1));
    // A constant stage behaves as constant-arrival-rate, but k6 counts it by area from 1; the
    // iteration due at the very end does not run.
    config.startRate = 5;
    config.stages = {Stage{2s, 5}};
    const ArrivalSchedule flat(config);
    QCOMPARE(flat.count(), 9);
    QCOMPARE(flat.at(0).value(), Nanoseconds(200ms));
    QCOMPARE(flat.at(8).value(), Nanoseconds(1800ms));
}

void TestScenario::plannedRate()
{
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {
        "r": {"executor": "ramping-arrival-rate", "startRate": 0, "timeUnit": "1m", "preAllocatedVUs": 5,
              "stages": [{"duration": "10s", "target": 600}, {"duration": "10s", "target": 600}]},
        "c": {"executor": "constant-arrival-rate", "rate": 50, "timeUnit": "500ms", "duration": "4s", "preAllocatedVUs": 2, "startTime": "2s"}})"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->plannedRateAt(0s), 0.0);
    QCOMPARE(s->plannedRateAt(1s), 1.0); // 60/min after 1 s of a ramp to 600/min over 10 s
    QCOMPARE(s->plannedRateAt(2s), 2.0 + 100.0);
    QCOMPARE(s->plannedRateAt(15s), 10.0);
    QCOMPARE(s->plannedRateAt(20s), 0.0);
    QCOMPARE(s->plannedVusAt(3s), 7);
    QCOMPARE(s->maxVus(), 7);
}

void TestScenario::k6Descriptions()
{
    // k6's lines under "scenarios:" (GetDescription of each executor).
    const auto s = Scenario::fromJson(withTarget(R"j("scenarios": {
        "a": {"executor": "shared-iterations", "vus": 5, "iterations": 10},
        "b": {"executor": "per-vu-iterations", "vus": 3, "iterations": 4, "maxDuration": "20s", "startTime": "1s"},
        "c": {"executor": "constant-vus", "vus": 2, "duration": "30s", "gracefulStop": "0s"},
        "d": {"executor": "ramping-vus", "startVUs": 0, "stages": [{"duration": "10s", "target": 10}, {"duration": "5s", "target": 0}]},
        "e": {"executor": "constant-arrival-rate", "rate": 200, "duration": "5s", "preAllocatedVUs": 20, "maxVUs": 100},
        "f": {"executor": "ramping-arrival-rate", "startRate": 10, "timeUnit": "1m", "preAllocatedVUs": 4,
              "stages": [{"duration": "10s", "target": 60}]},
        "g": {"executor": "externally-controlled", "vus": 2, "maxVUs": 8, "duration": "1m"}})j"), nullptr);
    QVERIFY(s);
    const QStringList expected = {
        QStringLiteral("10 iterations shared among 5 VUs (maxDuration: 10m0s, gracefulStop: 30s)"),
        QStringLiteral("4 iterations for each of 3 VUs (maxDuration: 20s, startTime: 1s, gracefulStop: 30s)"),
        QStringLiteral("2 looping VUs for 30s"),
        QStringLiteral("Up to 10 looping VUs for 15s over 2 stages (gracefulRampDown: 30s, gracefulStop: 30s)"),
        QStringLiteral("200.00 iterations/s for 5s (maxVUs: 20-100, gracefulStop: 30s)"),
        QStringLiteral("Up to 1.00 iterations/s for 10s over 1 stages (maxVUs: 4, gracefulStop: 30s)"),
        QStringLiteral("Up to 2/8 VUs for 1m0s (gracefulStop: 30s)"),
    };
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(s->scenarios[i].description(), expected[i]);
    QCOMPARE(s->scenarios[3].latestEnd(), Nanoseconds(45s)); // ends at 0 VUs: gracefulRampDown
    QCOMPARE(s->scenarios[1].latestEnd(), Nanoseconds(51s));
}

void TestScenario::warnsOfATargetReachedAtTheEnd()
{
    // CASES.md BC-11 C: startVUs 1, [{30s, 2}]: the second VU is due at the end and never runs.
    const auto climbs = Scenario::fromJson(withTarget(R"("stages": [{"duration": "30s", "target": 2}])"), nullptr);
    QVERIFY(climbs);
    QCOMPARE(climbs->warnings().size(), 1);
    QVERIFY2(climbs->warnings().first().startsWith(QLatin1String("scenarios.default.stages[0]: the ramp reaches 2 VUs only at the instant")),
             qPrintable(climbs->warnings().first()));
    const auto holds = Scenario::fromJson(withTarget(R"("stages": [{"duration": "30s", "target": 2}, {"duration": "10s", "target": 2}])"), nullptr);
    QVERIFY(holds);
    QVERIFY(holds->warnings().isEmpty());
    const auto down = Scenario::fromJson(withTarget(R"("stages": [{"duration": "30s", "target": 2}, {"duration": "10s", "target": 0}])"), nullptr);
    QVERIFY(down->warnings().isEmpty());
}

void TestScenario::engineOption()
{
    QString why;
    // Per scenario; a top-level engine is every scenario's that names none.
    auto s = Scenario::fromJson(withTarget(R"("engine": "qnam", "scenarios": {
        "a": {"executor": "constant-vus", "duration": "1s"},
        "b": {"executor": "constant-vus", "duration": "1s", "engine": "native"},
        "c": {"executor": "constant-vus", "duration": "1s", "engine": "auto"}})"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE(s->scenarios[0].engine, EngineKind::Qnam);
    QCOMPARE(s->scenarios[1].engine, EngineKind::Native);
    QCOMPARE(s->scenarios[2].engine, EngineKind::Auto);
    QCOMPARE(s->engineFor(s->scenarios[2]), EngineKind::Native);

    // Unset: auto.
    s = Scenario::fromJson(withTarget(R"("scenarios": {"a": {"executor": "constant-vus", "duration": "1s"}})"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE(s->main().engine, EngineKind::Auto);

    // Every k6 shorthand takes the top-level engine.
    for (const QByteArray &load : {QByteArray(R"("vus": 2, "duration": "1s")"),
                                   QByteArray(R"("stages": [{"duration": "1s", "target": 2}])"),
                                   QByteArray(R"("iterations": 3)")}) {
        s = Scenario::fromJson(withTarget(load + R"(, "engine": "native")"), &why);
        QVERIFY2(s, qPrintable(why));
        QCOMPARE(s->main().engine, EngineKind::Native);
    }
}

void TestScenario::engineErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray https = R"({"target": {"url": "https://127.0.0.1:8443/api/health"}, )";
    QTest::addRow("unknown engine in a scenario")
        << withTarget(R"("scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "engine": "epoll"}})")
        << R"(scenarios.s.engine: "epoll" is not an engine (expected "auto", "native" or "qnam"))";
    QTest::addRow("unknown top-level engine")
        << withTarget(R"("vus": 1, "duration": "1s", "engine": "QNAM")")
        << R"(engine: "QNAM" is not an engine (expected "auto", "native" or "qnam"))";
    QTest::addRow("engine not a string")
        << withTarget(R"("vus": 1, "duration": "1s", "engine": 1)") << "engine: 1 is not an engine";
    QTest::addRow("native on https in a scenario")
        << QByteArray(https + R"("scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "engine": "native"}}})")
        << R"(scenarios.s.engine: "native" cannot send https://127.0.0.1:8443/api/health: the native engine speaks plain http:// only (no TLS); use "qnam" or "auto" for https://)";
    QTest::addRow("native on https at the top")
        << QByteArray(https + R"("vus": 1, "duration": "1s", "engine": "native"})")
        << R"(engine: "native" cannot send https://127.0.0.1:8443/api/health)";
    QTest::addRow("native on an https request of a list")
        << QByteArray(R"({"target": {"url": "http://127.0.0.1:8080/", "requests": [{"url": "/a"}, {"url": "https://127.0.0.1:8443/b"}]},
                        "scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "engine": "native"}}})")
        << R"(scenarios.s.engine: "native" cannot send https://127.0.0.1:8443/b)";
    QTest::addRow("native on a scenario's own https target")
        << withTarget(R"("engine": "native", "scenarios": {"s": {"executor": "constant-vus", "duration": "1s",
                        "target": {"url": "https://127.0.0.1:8443/"}}})")
        << R"(engine: scenario "s": "native" cannot send https://127.0.0.1:8443/)";
}

void TestScenario::engineErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Scenario::fromJson(json, &why).has_value());
    QVERIFY2(why.startsWith(error), qPrintable(QStringLiteral("got: ") + why));
}

void TestScenario::engineErrorNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tls.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"target": {"url": "https://example.test/"}, "vus": 1, "duration": "1s", "engine": "native"})");
    file.close();
    QString why;
    QVERIFY(!Scenario::fromFile(path, &why));
    QVERIFY2(why.startsWith(path + QStringLiteral(": engine: \"native\" cannot send https://example.test/")), qPrintable(why));
}

void TestScenario::engineRoundTrips()
{
    QString why;
    const auto s = Scenario::fromJson(withTarget(R"("scenarios": {
        "a": {"executor": "constant-vus", "duration": "1s", "engine": "native"},
        "b": {"executor": "constant-vus", "duration": "1s", "engine": "qnam"},
        "c": {"executor": "constant-vus", "duration": "1s"}})"), &why);
    QVERIFY2(s, qPrintable(why));
    const QJsonObject json = s->toJson();
    const QJsonObject all = json.value(QLatin1String("scenarios")).toObject();
    QCOMPARE(all.value(QLatin1String("a")).toObject().value(QLatin1String("engine")).toString(), QStringLiteral("native"));
    QCOMPARE(all.value(QLatin1String("b")).toObject().value(QLatin1String("engine")).toString(), QStringLiteral("qnam"));
    QVERIFY(!all.value(QLatin1String("c")).toObject().contains(QLatin1String("engine"))); // auto: k6's file stays k6's
    const auto again = Scenario::fromJson(QJsonDocument(json).toJson(), &why);
    QVERIFY2(again, qPrintable(why));
    QCOMPARE(again->toJson(), json);
    QCOMPARE(again->scenarios[0].engine, EngineKind::Native);
    QCOMPARE(again->scenarios[1].engine, EngineKind::Qnam);
    QCOMPARE(again->scenarios[2].engine, EngineKind::Auto);
}

void TestScenario::autoEngineResolves()
{
    QString why;
    auto s = Scenario::fromJson(R"({"target": {"url": "http://127.0.0.1:8080/", "requests": [{"url": "/a"}]},
        "scenarios": {
          "plain": {"executor": "constant-vus", "duration": "1s"},
          "tls": {"executor": "constant-vus", "duration": "1s", "target": {"url": "https://127.0.0.1:8443/"}},
          "mixed": {"executor": "constant-vus", "duration": "1s",
                    "target": {"url": "http://127.0.0.1:8080/", "requests": [{"url": "/a"}, {"url": "https://127.0.0.1:8443/b"}]}},
          "asked": {"executor": "constant-vus", "duration": "1s", "engine": "qnam"}}})", &why);
    QVERIFY2(s, qPrintable(why));
    auto named = [&](const char *name) -> const ScenarioConfig & {
        return *std::find_if(s->scenarios.cbegin(), s->scenarios.cend(),
                             [&](const ScenarioConfig &c) { return c.name == QLatin1String(name); });
    };
    QCOMPARE(s->engineFor(named("plain")), EngineKind::Native);
    QCOMPARE(s->engineFor(named("tls")), EngineKind::Qnam);
    QCOMPARE(s->engineFor(named("mixed")), EngineKind::Qnam); // one engine per scenario: https anywhere needs TLS
    QCOMPARE(s->engineFor(named("asked")), EngineKind::Qnam);
    // Scenarios in file order are in name order (a JSON object's keys).
    QCOMPARE(s->enginesText(), QStringLiteral("asked: qnam (QNetworkAccessManager), mixed: qnam (QNetworkAccessManager), "
                                              "plain: native (epoll+llhttp), tls: qnam (QNetworkAccessManager)"));
    s->resolveEngines();
    QCOMPARE(named("plain").engine, EngineKind::Native);
    QCOMPARE(named("mixed").engine, EngineKind::Qnam);
    QCOMPARE(named("tls").engine, EngineKind::Qnam);

    s->scenarios = {named("plain")};
    QCOMPARE(s->enginesText(), QStringLiteral("native (epoll+llhttp)")); // one engine: named once
}

QTEST_APPLESS_MAIN(TestScenario)
#include "tst_scenario.moc"
