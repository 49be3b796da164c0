// SPDX-License-Identifier: GPL-3.0-or-later
// Thresholds and sub-metrics end to end without a network: synthetic samples into MetricSet,
// Summary's verdicts, summary.json's shape (CASES.md BC-05 A, BC-09 A, BC-10) and the text
// summary's layout against real k6 output (tests/fixtures/k6.tar.gz).
#include "metrics/summary.h"
#include "output/summaryjson.h"
#include "output/textsummary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace loadbench;

namespace {

constexpr qint64 ms = 1'000'000;

Threshold threshold(const QString &metric, const QString &expression)
{
    QString why;
    const std::optional<Threshold> t = Threshold::parse(metric, expression, &why);
    if (!t)
        qFatal("%s", qPrintable(why));
    return *t;
}

Scenario scenarioWith(const QList<Threshold> &thresholds, const QString &name = QStringLiteral("default"))
{
    Scenario s;
    ScenarioConfig c;
    c.name = name;
    s.scenarios.append(c);
    s.thresholds = thresholds;
    return s;
}

RequestSample request(qint64 durationNs, int status, const QString &scenario = QString())
{
    RequestSample r;
    r.durationNs = durationNs;
    r.waitingNs = durationNs / 2;
    r.status = status;
    r.expected = status >= 200 && status < 400;
    r.proto = QStringLiteral("HTTP/1.1");
    r.method = QStringLiteral("GET");
    r.url = QStringLiteral("http://127.0.0.1:8080/api/health");
    r.name = r.url;
    r.scenario = scenario;
    return r;
}

// A finished run's summary over the given metrics.
Summary finished(const Scenario &scenario, std::shared_ptr<MetricSet> metrics, double seconds = 10)
{
    Summary s;
    s.scenario = scenario;
    s.metrics = std::move(metrics);
    s.durationSeconds = seconds;
    s.vus = s.vusMin = s.vusMax = s.vusMaxConfigured = 1;
    s.thresholds = s.evaluateThresholds();
    return s;
}

const ThresholdState *stateOf(const Summary &s, const QString &metric, const QString &expression)
{
    for (const ThresholdState &t : s.thresholds) {
        if (t.metric == metric && t.expression == expression)
            return &t;
    }
    return nullptr;
}

// Our histogram's precision (3 significant digits, as tst_histogram): 0.1 % or 1 µs.
bool near(double gotMs, double expectedMs)
{
    return std::abs(gotMs - expectedMs) <= std::max(0.001, std::abs(expectedMs) * 0.001);
}

QString fixture(const QString &name)
{
    return QStringLiteral(LOADBENCH_K6_FIXTURES "/") + name;
}

// Replays a k6 --out json file into a Summary the way our engine records samples.
Summary replay(const QString &run, const QStringList &trendStats)
{
    auto metrics = std::make_shared<MetricSet>();
    Scenario scenario = scenarioWith({});
    scenario.summaryTrendStats = trendStats;
    int vusLast = 0, vusMin = -1, vusMax = 0, vusMaxConfigured = 0;
    QFile f(fixture(run + QStringLiteral("-results.jsonl")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    while (!f.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
        const QString metric = line.value(QLatin1String("metric")).toString();
        const QJsonObject data = line.value(QLatin1String("data")).toObject();
        if (line.value(QLatin1String("type")).toString() == QLatin1String("Metric")) {
            for (const QJsonValue &t : data.value(QLatin1String("thresholds")).toArray())
                scenario.thresholds.append(threshold(metric, t.toString()));
            continue;
        }
        const double value = data.value(QLatin1String("value")).toDouble();
        const QJsonObject tags = data.value(QLatin1String("tags")).toObject();
        const auto ns = qint64(std::llround(value * 1e6));
        bool isTrend = false;
        for (int i = 0; i < trendMetricCount; ++i) {
            if (trendMetricName(TrendMetric(i)) == metric) {
                metrics->trend(TrendMetric(i)).record(ns);
                isTrend = true;
            }
        }
        if (metric == QLatin1String("http_req_duration") && tags.value(QLatin1String("expected_response")) == QLatin1String("true"))
            metrics->trend(TrendMetric::HttpReqDurationExpected).record(ns);
        if (isTrend)
            continue;
        if (metric == QLatin1String("http_reqs"))
            metrics->httpReqs += quint64(value);
        else if (metric == QLatin1String("http_req_failed"))
            metrics->httpReqFailed += value != 0 ? 1 : 0;
        else if (metric == QLatin1String("iterations"))
            metrics->iterations += quint64(value);
        else if (metric == QLatin1String("data_sent"))
            metrics->dataSent += quint64(value);
        else if (metric == QLatin1String("data_received"))
            metrics->dataReceived += quint64(value);
        else if (metric == QLatin1String("checks"))
            metrics->recordCheck(tags.value(QLatin1String("check")).toString(), value != 0);
        else if (metric == QLatin1String("vus")) {
            vusLast = int(value);
            vusMin = vusMin < 0 ? vusLast : std::min(vusMin, vusLast);
            vusMax = std::max(vusMax, vusLast);
        } else if (metric == QLatin1String("vus_max"))
            vusMaxConfigured = int(value);
    }
    QFile summaryFile(fixture(run + QStringLiteral("-summary.json")));
    summaryFile.open(QIODevice::ReadOnly);
    const QJsonObject reqs = QJsonDocument::fromJson(summaryFile.readAll()).object()
                                 .value(QLatin1String("metrics")).toObject().value(QLatin1String("http_reqs")).toObject();
    Summary s = finished(scenario, metrics,
                         reqs.value(QLatin1String("count")).toDouble() / reqs.value(QLatin1String("rate")).toDouble());
    s.vus = vusLast;
    s.vusMin = vusMin;
    s.vusMax = vusMax;
    s.vusMaxConfigured = vusMaxConfigured;
    return s;
}

// The metric lines of a k6 end-of-test summary: "   ✓ name.....: data".
QStringList metricLines(const QString &text)
{
    static const QRegularExpression line(QStringLiteral(R"(^   (  )?[ ✓✗] \S.*\.{3,}: )"));
    QStringList out;
    for (const QString &l : text.split(u'\n')) {
        if (line.match(l).hasMatch())
            out << l;
    }
    return out;
}

} // namespace

class TestSummary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void submetricRecordsMatchingSamplesOnly();
    void submetricThresholds();
    void checksAndIterationsCarryScenarioAndCheckTags();
    void countersAndRatesOfSubmetrics();
    void droppedIterations();
    void mergeKeepsSubmetrics();
    void bc05FailuresAndExpectedResponses();
    void bc09NoDataIsCrossed();
    void bc10LegacyExportShape();
    void exportListsSubmetricsWithThresholds();
    void textSummaryLayoutMatchesK6_data();
    void textSummaryLayoutMatchesK6();
    void textSummaryIndentsSubmetrics();
    void textHeaderTarget();
    void engineInExportTextAndHeader();
    void generatorSaturation();
};

void TestSummary::submetricRecordsMatchingSamplesOnly()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration{status:429}"), QStringLiteral("p(95)<10")),
                                            threshold(QStringLiteral("http_req_duration{ status : \"429\" }"), QStringLiteral("max<10")),
                                            threshold(QStringLiteral("http_req_waiting{status:200,method:GET}"), QStringLiteral("avg<1000"))});
    MetricSet m = MetricSet::forScenario(scenario);
    // The two spellings of {status:429} share one sink.
    QCOMPARE(m.submetricSpecs().size(), 2);
    for (int i = 0; i < 10; ++i)
        m.recordRequest(request((i % 2 ? 2 : 200) * ms, i % 2 ? 429 : 200));
    const SubmetricSink *limited = m.submetric(*MetricName::parse(QStringLiteral("http_req_duration{status:429}")));
    QVERIFY(limited);
    QCOMPARE(limited->trend->count(), 5u);
    QCOMPARE(limited->trend->max(), 2 * ms);
    const SubmetricSink *ok = m.submetric(*MetricName::parse(QStringLiteral("http_req_waiting{method:GET,status:200}")));
    QVERIFY(ok);
    QCOMPARE(ok->trend->count(), 5u);
    QCOMPARE(ok->trend->min(), 100 * ms); // the waiting phase, not the duration
    QCOMPARE(m.trend(TrendMetric::HttpReqDuration).count(), 10u);

    // reset() empties the sinks and keeps the sub-metrics.
    m.reset();
    QCOMPARE(m.submetricSpecs().size(), 2);
    QCOMPARE(limited->trend->count(), 0u);
}

void TestSummary::submetricThresholds()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration{status:429}"), QStringLiteral("p(95)<10")),
                                            threshold(QStringLiteral("http_req_duration{status:200}"), QStringLiteral("p(95)<10")),
                                            threshold(QStringLiteral("http_req_duration{scenario:api}"), QStringLiteral("avg>0")),
                                            threshold(QStringLiteral("http_req_duration{scenario:api}"), QStringLiteral("max<1"))},
                                           QStringLiteral("api"));
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    for (int i = 0; i < 4; ++i)
        m->recordRequest(request(i % 2 ? 2 * ms : 200 * ms, i % 2 ? 429 : 200)); // scenario from the set's default
    const Summary s = finished(scenario, m);
    QCOMPARE(s.value(QStringLiteral("http_req_duration{status:429}"), QStringLiteral("p(95)")), 2.0);
    QCOMPARE(s.value(QStringLiteral("http_req_duration{status:200}"), QStringLiteral("avg")), 200.0);
    QCOMPARE(s.value(QStringLiteral("http_req_duration{scenario:api}"), QStringLiteral("count")), 4.0);
    QVERIFY(!stateOf(s, QStringLiteral("http_req_duration{status:429}"), QStringLiteral("p(95)<10"))->crossed);
    QVERIFY(stateOf(s, QStringLiteral("http_req_duration{status:200}"), QStringLiteral("p(95)<10"))->crossed);
    QVERIFY(!stateOf(s, QStringLiteral("http_req_duration{scenario:api}"), QStringLiteral("avg>0"))->crossed);
    QVERIFY(stateOf(s, QStringLiteral("http_req_duration{scenario:api}"), QStringLiteral("max<1"))->crossed);
    // A sub-metric the set never recorded reads as empty: no data.
    QVERIFY(!s.hasData(QStringLiteral("http_req_duration{status:503}")));
    QCOMPARE(s.value(QStringLiteral("http_req_duration{status:503}"), QStringLiteral("p(95)")), 0.0);
    QCOMPARE(s.value(QStringLiteral("http_req_duration{status"), QStringLiteral("p(95)")), std::nullopt);
}

void TestSummary::checksAndIterationsCarryScenarioAndCheckTags()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("checks{check:status is 200}"), QStringLiteral("rate>0.9")),
                                            threshold(QStringLiteral("checks{scenario:api}"), QStringLiteral("rate>0.9")),
                                            threshold(QStringLiteral("iterations{scenario:api}"), QStringLiteral("count==2")),
                                            threshold(QStringLiteral("iteration_duration{scenario:web}"), QStringLiteral("max<50")),
                                            threshold(QStringLiteral("iteration_duration{team:core}"), QStringLiteral("max<50"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    m->recordCheck(QStringLiteral("status is 200"), true, QStringLiteral("api"));
    m->recordCheck(QStringLiteral("status is 200"), true, QStringLiteral("web"));
    m->recordCheck(QStringLiteral("body contains ok"), false, QStringLiteral("api"));
    m->recordIteration(10 * ms, QStringLiteral("api"));
    m->recordIteration(20 * ms, QStringLiteral("api"));
    m->recordIteration(30 * ms, QStringLiteral("web"), {{QStringLiteral("team"), QStringLiteral("core")}});
    const Summary s = finished(scenario, m);
    QCOMPARE(s.value(QStringLiteral("checks{check:status is 200}"), QStringLiteral("passes")), 2.0);
    QCOMPARE(s.value(QStringLiteral("checks{check:status is 200}"), QStringLiteral("rate")), 1.0);
    QCOMPARE(s.value(QStringLiteral("checks{scenario:api}"), QStringLiteral("rate")), 0.5);
    QCOMPARE(s.value(QStringLiteral("checks"), QStringLiteral("rate")), 2.0 / 3.0);
    QCOMPARE(s.value(QStringLiteral("iterations{scenario:api}"), QStringLiteral("count")), 2.0);
    QCOMPARE(s.value(QStringLiteral("iteration_duration{scenario:web}"), QStringLiteral("max")), 30.0);
    QCOMPARE(s.value(QStringLiteral("iteration_duration{team:core}"), QStringLiteral("avg")), 30.0);
    QVERIFY(!stateOf(s, QStringLiteral("checks{check:status is 200}"), QStringLiteral("rate>0.9"))->crossed);
    QVERIFY(stateOf(s, QStringLiteral("checks{scenario:api}"), QStringLiteral("rate>0.9"))->crossed);
    QVERIFY(!stateOf(s, QStringLiteral("iterations{scenario:api}"), QStringLiteral("count==2"))->crossed);
    QVERIFY(!stateOf(s, QStringLiteral("iteration_duration{scenario:web}"), QStringLiteral("max<50"))->crossed);
}

void TestSummary::countersAndRatesOfSubmetrics()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_reqs{status:500}"), QStringLiteral("count<1")),
                                            threshold(QStringLiteral("http_reqs{expected_response:false}"), QStringLiteral("rate<=1")),
                                            threshold(QStringLiteral("http_req_failed{name:slow}"), QStringLiteral("rate>0.5")),
                                            threshold(QStringLiteral("http_req_failed{error_code:1212}"), QStringLiteral("rate==1")),
                                            threshold(QStringLiteral("data_received{scenario:default}"), QStringLiteral("count>0")),
                                            threshold(QStringLiteral("http_reqs{url:http://127.0.0.1:8080/api/health}"), QStringLiteral("count==3")),
                                            threshold(QStringLiteral("http_reqs{tier:gold}"), QStringLiteral("count==1"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    RequestSample slow = request(300 * ms, 503);
    slow.name = QStringLiteral("slow");
    slow.bytesReceived = 100;
    slow.tags.insert(QStringLiteral("tier"), QStringLiteral("gold"));
    m->recordRequest(slow);
    RequestSample refused = request(0, 0);
    refused.errorCode = 1212;
    refused.error = QStringLiteral("dial: connection refused");
    refused.proto.clear();
    m->recordRequest(refused);
    RequestSample fine = request(5 * ms, 200);
    fine.bytesReceived = 50;
    m->recordRequest(fine);
    const Summary s = finished(scenario, m, 2);
    // No 500s: a counter with no events is 0, which holds.
    QVERIFY(s.hasData(QStringLiteral("http_reqs{status:500}")));
    QVERIFY(!stateOf(s, QStringLiteral("http_reqs{status:500}"), QStringLiteral("count<1"))->crossed);
    QCOMPARE(s.value(QStringLiteral("http_reqs{expected_response:false}"), QStringLiteral("count")), 2.0);
    QCOMPARE(s.value(QStringLiteral("http_reqs{expected_response:false}"), QStringLiteral("rate")), 1.0); // per second
    QCOMPARE(s.value(QStringLiteral("http_req_failed{name:slow}"), QStringLiteral("rate")), 1.0);
    QCOMPARE(s.value(QStringLiteral("http_req_failed{error_code:1212}"), QStringLiteral("passes")), 1.0);
    QCOMPARE(s.value(QStringLiteral("data_received{scenario:default}"), QStringLiteral("count")), 150.0);
    QCOMPARE(s.value(QStringLiteral("http_reqs{url:http://127.0.0.1:8080/api/health}"), QStringLiteral("count")), 3.0);
    QCOMPARE(s.value(QStringLiteral("http_reqs{tier:gold}"), QStringLiteral("count")), 1.0);
    QVERIFY(!s.thresholdsCrossed());
}

void TestSummary::droppedIterations()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("dropped_iterations"), QStringLiteral("count<5")),
                                            threshold(QStringLiteral("dropped_iterations{scenario:spike}"), QStringLiteral("count==0"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    for (int i = 0; i < 3; ++i)
        m->recordDropped(QStringLiteral("steady"));
    const Summary s = finished(scenario, m, 3);
    QCOMPARE(s.value(QStringLiteral("dropped_iterations"), QStringLiteral("count")), 3.0);
    QCOMPARE(s.value(QStringLiteral("dropped_iterations"), QStringLiteral("rate")), 1.0);
    QVERIFY(!s.thresholdsCrossed());
    const QJsonObject metrics = summaryToJson(s).value(QLatin1String("metrics")).toObject();
    QCOMPARE(metrics.value(QLatin1String("dropped_iterations")).toObject().value(QLatin1String("count")).toDouble(), 3.0);
    QVERIFY(metrics.contains(QLatin1String("dropped_iterations{scenario:spike}")));
    QVERIFY(textSummary(s).contains(QStringLiteral("✓ dropped_iterations....")));

    // Without drops and without a threshold, k6 does not list it.
    const Summary none = finished(scenarioWith({}), std::make_shared<MetricSet>());
    QVERIFY(!summaryToJson(none).value(QLatin1String("metrics")).toObject().contains(QLatin1String("dropped_iterations")));
}

void TestSummary::mergeKeepsSubmetrics()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration{status:200}"), QStringLiteral("p(95)<10")),
                                            threshold(QStringLiteral("checks{check:a}"), QStringLiteral("rate>0"))});
    // As the runner does: workers record into sets built for the scenario; the interval and
    // cumulative sets start empty and take over the list.
    MetricSet worker1 = MetricSet::forScenario(scenario);
    MetricSet worker2 = MetricSet::forScenario(scenario);
    worker1.recordRequest(request(1 * ms, 200));
    worker2.recordRequest(request(3 * ms, 200));
    worker2.recordCheck(QStringLiteral("a"), false);
    MetricSet interval;
    interval.add(worker1);
    interval.add(worker2);
    MetricSet cumulative;
    cumulative.add(interval);
    const MetricName ok = *MetricName::parse(QStringLiteral("http_req_duration{status:200}"));
    QCOMPARE(cumulative.submetric(ok)->trend->count(), 2u);
    QCOMPARE(cumulative.submetric(*MetricName::parse(QStringLiteral("checks{check:a}")))->fails, 1u);

    // A set with other sub-metrics: matched by what they select, the rest added.
    MetricSet other(SubmetricSpec::fromThresholds({threshold(QStringLiteral("http_req_duration{ status:200 }"), QStringLiteral("max<1")),
                                                   threshold(QStringLiteral("http_reqs{status:200}"), QStringLiteral("count>0"))}));
    other.recordRequest(request(2 * ms, 200));
    cumulative.add(other);
    QCOMPARE(cumulative.submetricSpecs().size(), 3);
    QCOMPARE(cumulative.submetric(ok)->trend->count(), 3u);
    QCOMPARE(cumulative.submetric(*MetricName::parse(QStringLiteral("http_reqs{status:200}")))->count, 1u);
}

void TestSummary::bc05FailuresAndExpectedResponses()
{
    // CASES.md BC-05 A: 429 after 2 ms for requests 1-3 of every 4, 200 after 200 ms for every 4th.
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration"), QStringLiteral("p(75)<100")),
                                            threshold(QStringLiteral("http_req_duration{expected_response:true}"), QStringLiteral("med==200"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    for (int i = 1; i <= 100; ++i)
        m->recordRequest(i % 4 ? request(2 * ms, 429) : request(200 * ms, 200));
    Summary s = finished(scenario, m);
    s.scenario.summaryTrendStats = {QStringLiteral("avg"), QStringLiteral("med"), QStringLiteral("p(75)"),
                                    QStringLiteral("p(90)"), QStringLiteral("p(95)"), QStringLiteral("count")};
    auto v = [&](const QString &metric, const QString &stat) { return s.value(metric, stat).value_or(-1); };
    const QString all = QStringLiteral("http_req_duration");
    const QString expected = QStringLiteral("http_req_duration{expected_response:true}");
    // Counts, rates and averages are exact; percentiles within the histogram's precision.
    QCOMPARE(v(QStringLiteral("http_reqs"), QStringLiteral("count")), 100.0);
    QCOMPARE(v(QStringLiteral("http_req_failed"), QStringLiteral("rate")), 0.75);
    QCOMPARE(v(all, QStringLiteral("avg")), 51.5);
    QCOMPARE(v(expected, QStringLiteral("count")), 25.0);
    QCOMPARE(v(expected, QStringLiteral("avg")), 200.0);
    const QList<std::tuple<QString, QString, double>> percentiles{
        {all, QStringLiteral("med"), 2}, {all, QStringLiteral("p(75)"), 51.5}, {all, QStringLiteral("p(90)"), 200},
        {all, QStringLiteral("p(95)"), 200}, {expected, QStringLiteral("med"), 200}, {expected, QStringLiteral("p(95)"), 200}};
    for (const auto &[metric, stat, want] : percentiles)
        QVERIFY2(near(v(metric, stat), want), qPrintable(QStringLiteral("%1 %2 = %3").arg(metric, stat).arg(v(metric, stat))));
    // The built-in sub-metric needs no sink of its own.
    QVERIFY(m->submetricSpecs().isEmpty());
    QVERIFY(stateOf(s, all, QStringLiteral("p(75)<100"))->crossed == false);
    QVERIFY(!stateOf(s, expected, QStringLiteral("med==200"))->crossed);
    const QJsonObject exported = summaryToJson(s).value(QLatin1String("metrics")).toObject().value(expected).toObject();
    QCOMPARE(exported.value(QLatin1String("count")).toDouble(), 25.0);
    QCOMPARE(exported.value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("med==200"), false}}));
}

void TestSummary::bc09NoDataIsCrossed()
{
    // CASES.md BC-09 A: every request answered 500, no check ever ran.
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("checks"), QStringLiteral("rate>=0.9")),
                                            threshold(QStringLiteral("http_req_duration{expected_response:true}"), QStringLiteral("p(95)<500"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    for (int i = 0; i < 20; ++i)
        m->recordRequest(request(5 * ms, 500));
    const Summary s = finished(scenario, m);
    QCOMPARE(s.thresholds.size(), 2);
    for (const ThresholdState &t : s.thresholds) {
        QVERIFY2(!t.hasData, qPrintable(t.metric));
        QVERIFY2(t.crossed, qPrintable(t.metric));
    }
    QVERIFY(s.thresholdsCrossed());
    const QJsonObject json = summaryToJson(s);
    const QJsonObject metrics = json.value(QLatin1String("metrics")).toObject();
    // Both listed although empty (k6 lists metrics with thresholds), both marked crossed.
    QCOMPARE(metrics.value(QLatin1String("checks")).toObject().value(QLatin1String("thresholds")).toObject(),
             (QJsonObject{{QStringLiteral("rate>=0.9"), true}}));
    const QJsonObject expected = metrics.value(QLatin1String("http_req_duration{expected_response:true}")).toObject();
    QCOMPARE(expected.value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("p(95)<500"), true}}));
    QCOMPARE(expected.value(QLatin1String("p(95)")).toDouble(), 0.0); // never NaN
    const QJsonArray states = json.value(QLatin1String("loadbench")).toObject().value(QLatin1String("thresholds")).toArray();
    QCOMPARE(states.size(), 2);
    for (const QJsonValue &state : states) {
        QCOMPARE(state.toObject().value(QLatin1String("ok")), QJsonValue(false));
        QCOMPARE(state.toObject().value(QLatin1String("hasData")), QJsonValue(false));
    }
    const QString text = textSummary(s);
    QVERIFY2(text.contains(QStringLiteral("   ✗ checks.")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("     ✗ { expected_response:true }.")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("crossed for lack of samples (k6 would skip them):\n       checks: rate>=0.9\n")), qPrintable(text));
}

void TestSummary::bc10LegacyExportShape()
{
    // CASES.md BC-10: the BC-01 latencies, 3 failed and 7 good requests.
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration"), QStringLiteral("p(95)<200")),
                                            threshold(QStringLiteral("http_req_duration"), QStringLiteral("p(90)<100")),
                                            threshold(QStringLiteral("http_req_failed"), QStringLiteral("rate<0.1"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    const QList<int> latencies{35, 12, 250, 22, 40, 15, 100, 25, 20, 30};
    for (qsizetype i = 0; i < latencies.size(); ++i)
        m->recordRequest(request(latencies[i] * ms, i < 3 ? 503 : 200));
    const Summary s = finished(scenario, m);
    const QJsonObject metrics = summaryToJson(s).value(QLatin1String("metrics")).toObject();
    const QJsonObject duration{{QStringLiteral("avg"), 54.9}, {QStringLiteral("min"), 12}, {QStringLiteral("med"), 27.5},
                               {QStringLiteral("max"), 250}, {QStringLiteral("p(90)"), 115}, {QStringLiteral("p(95)"), 182.5},
                               {QStringLiteral("thresholds"), QJsonObject{{QStringLiteral("p(95)<200"), false},
                                                                          {QStringLiteral("p(90)<100"), true}}}};
    const QJsonObject gotDuration = metrics.value(QLatin1String("http_req_duration")).toObject();
    QCOMPARE(gotDuration.keys(), duration.keys());
    for (const QString &key : duration.keys()) {
        if (key == QLatin1String("thresholds"))
            QCOMPARE(gotDuration.value(key), duration.value(key));
        else
            QVERIFY2(near(gotDuration.value(key).toDouble(), duration.value(key).toDouble()), qPrintable(key));
    }
    const QJsonObject failed{{QStringLiteral("passes"), 3}, {QStringLiteral("fails"), 7}, {QStringLiteral("value"), 0.3},
                             {QStringLiteral("thresholds"), QJsonObject{{QStringLiteral("rate<0.1"), true}}}};
    QCOMPARE(metrics.value(QLatin1String("http_req_failed")).toObject(), failed);
    QVERIFY(s.thresholdsCrossed());
}

void TestSummary::exportListsSubmetricsWithThresholds()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration{status:200}"), QStringLiteral("p(95)<500")),
                                            threshold(QStringLiteral("http_req_duration{ status:429 }"), QStringLiteral("max<1")),
                                            threshold(QStringLiteral("checks{check:status is 200}"), QStringLiteral("rate>0.99"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    m->recordRequest(request(20 * ms, 200));
    m->recordCheck(QStringLiteral("status is 200"), true);
    const Summary s = finished(scenario, m);
    const QJsonObject metrics = summaryToJson(s).value(QLatin1String("metrics")).toObject();
    const QJsonObject ok = metrics.value(QLatin1String("http_req_duration{status:200}")).toObject();
    QCOMPARE(ok.value(QLatin1String("max")).toDouble(), 20.0);
    QCOMPARE(ok.value(QLatin1String("thresholds")).toObject(), (QJsonObject{{QStringLiteral("p(95)<500"), false}}));
    // k6 names a sub-metric by its filter as written, spaces around it trimmed.
    QCOMPARE(metrics.value(QLatin1String("http_req_duration{status:429}")).toObject().value(QLatin1String("thresholds")).toObject(),
             (QJsonObject{{QStringLiteral("max<1"), true}}));
    const QJsonObject check = metrics.value(QLatin1String("checks{check:status is 200}")).toObject();
    QCOMPARE(check.value(QLatin1String("passes")).toDouble(), 1.0);
    QCOMPARE(check.value(QLatin1String("value")).toDouble(), 1.0);
    // Sub-metrics without thresholds, and the open model's trend without samples, are not listed.
    for (const QString &key : metrics.keys()) {
        if (key.contains(u'{'))
            QVERIFY2(key.contains(QLatin1String("status")) || key.contains(QLatin1String("check")) || key.contains(QLatin1String("expected_response")), qPrintable(key));
    }
    QVERIFY(!metrics.contains(QLatin1String("http_req_scheduled_duration")));

    // The open model's trend once it has samples.
    RequestSample late = request(10 * ms, 200);
    late.scheduleLagNs = 90 * ms;
    m->recordRequest(late);
    const Summary open = finished(scenario, m);
    QCOMPARE(summaryToJson(open).value(QLatin1String("metrics")).toObject().value(QLatin1String("http_req_scheduled_duration"))
                 .toObject().value(QLatin1String("max")).toDouble(), 100.0);
    QVERIFY(textSummary(open).contains(QStringLiteral("     http_req_scheduled_duration....")));
}

void TestSummary::textSummaryLayoutMatchesK6_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<QStringList>("trendStats");
    QTest::addRow("smoke") << "smoke" << Scenario::defaultSummaryTrendStats();
    QTest::addRow("load") << "load" << QStringList{QStringLiteral("min"), QStringLiteral("med"), QStringLiteral("avg"), QStringLiteral("p(95)"), QStringLiteral("p(99)"), QStringLiteral("max")};
    QTest::addRow("refused") << "refused" << Scenario::defaultSummaryTrendStats();
}

void TestSummary::textSummaryLayoutMatchesK6()
{
    QFETCH(QString, run);
    QFETCH(QStringList, trendStats);
    const Summary s = replay(run, trendStats);
    QFile f(fixture(run + QStringLiteral("-stdout.txt")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList k6 = metricLines(QString::fromUtf8(f.readAll()));
    const QStringList ours = metricLines(textSummary(s));
    QVERIFY(!k6.isEmpty());
    QCOMPARE(ours.size(), k6.size());
    // Our histogram keeps 3 significant digits, so a humanized value may differ in its last
    // digit (465.17µs against 465.1µs); everything else is k6's layout: marks, indents, names,
    // leaders, and each column where k6 puts it when the values have k6's widths.
    static const QRegularExpression number(QStringLiteral(R"(\d+(\.\d+)?)"));
    for (qsizetype i = 0; i < k6.size(); ++i) {
        const QString k6Head = k6[i].left(k6[i].indexOf(QLatin1String(": ")) + 2);
        QCOMPARE(ours[i].left(k6Head.size()), k6Head);
        QString k6Shape = k6[i], ourShape = ours[i];
        k6Shape.replace(number, QStringLiteral("#"));
        ourShape.replace(number, QStringLiteral("#"));
        k6Shape.replace(QRegularExpression(QStringLiteral(" +")), QStringLiteral(" "));
        ourShape.replace(QRegularExpression(QStringLiteral(" +")), QStringLiteral(" "));
        QCOMPARE(ourShape, k6Shape);
    }
    // Where our numbers print as k6's, the lines are identical, trailing spaces included.
    int identical = 0;
    for (qsizetype i = 0; i < k6.size(); ++i)
        identical += ours[i] == k6[i] ? 1 : 0;
    if (qEnvironmentVariableIsSet("LOADBENCH_DUMP_SUMMARY")) {
        for (qsizetype i = 0; i < k6.size(); ++i)
            qDebug("k6  |%s|\nours|%s|", qPrintable(k6[i]), qPrintable(ours[i]));
    }
    QVERIFY2(identical >= k6.size() / 2, qPrintable(QStringLiteral("%1 of %2 lines identical").arg(identical).arg(k6.size())));
}

void TestSummary::textSummaryIndentsSubmetrics()
{
    const Scenario scenario = scenarioWith({threshold(QStringLiteral("http_req_duration{status:200}"), QStringLiteral("p(95)<500")),
                                            threshold(QStringLiteral("http_req_failed"), QStringLiteral("rate<0.01")),
                                            threshold(QStringLiteral("checks{check:status is 200}"), QStringLiteral("rate>0.99"))});
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(scenario));
    m->recordRequest(request(20 * ms, 200));
    m->recordCheck(QStringLiteral("status is 200"), true);
    m->recordIteration(25 * ms);
    const Summary s = finished(scenario, m);
    const QStringList lines = metricLines(textSummary(s));
    QStringList names;
    for (const QString &l : lines)
        names << l.left(l.indexOf(QLatin1String(".."))).remove(QRegularExpression(QStringLiteral("^ +[✓✗]? ")));
    QCOMPARE(names, (QStringList{QStringLiteral("checks"), QStringLiteral("{ check:status is 200 }"),
                                 QStringLiteral("data_received"), QStringLiteral("data_sent"), QStringLiteral("http_req_blocked"),
                                 QStringLiteral("http_req_connecting"), QStringLiteral("http_req_duration"),
                                 QStringLiteral("{ expected_response:true }"), QStringLiteral("{ status:200 }"),
                                 QStringLiteral("http_req_failed"), QStringLiteral("http_req_receiving"), QStringLiteral("http_req_sending"),
                                 QStringLiteral("http_req_tls_handshaking"), QStringLiteral("http_req_waiting"),
                                 QStringLiteral("http_reqs"), QStringLiteral("iteration_duration"), QStringLiteral("iterations"),
                                 QStringLiteral("vus"), QStringLiteral("vus_max")}));
    // Sub-metrics sit two columns in, the mark after the indent; leaders end in one column.
    QVERIFY(lines[1].startsWith(QStringLiteral("     ✓ { check:status is 200 }.")));
    QVERIFY(lines[7].startsWith(QStringLiteral("       { expected_response:true }.")));
    // A parent without thresholds of its own has no mark.
    QVERIFY(lines[6].startsWith(QStringLiteral("     http_req_duration.")));
    QVERIFY(lines[8].startsWith(QStringLiteral("     ✓ { status:200 }.")));
    const qsizetype colon = lines[0].indexOf(QLatin1String(": "));
    for (const QString &l : lines)
        QCOMPARE(l.indexOf(QLatin1String(": ")), colon);
}

void TestSummary::textHeaderTarget()
{
    // The header's target line says what an iteration sends: one request, or the list.
    QString why;
    auto scenario = Scenario::fromJson(QByteArray(
        "{\"target\": {\"url\": \"http://127.0.0.1:8080/\", \"requests\": [{\"method\": \"POST\", \"url\": \"/login\"},"
        " {\"url\": \"/items\"}, {\"url\": \"/items/1\"}]}, \"vus\": 1, \"duration\": \"1s\"}"), &why);
    QVERIFY2(scenario, qPrintable(why));
    QString header = textScenarioHeader(*scenario, QStringLiteral("s.json"), QString());
    QVERIFY2(header.contains(QLatin1String("        target: 3 requests per iteration: POST /login, GET /items, GET /items/1\n")),
             qPrintable(header));
    scenario->target.requests.append(RequestConfig{});
    scenario->target.requests.last().url = QStringLiteral("/logout");
    header = textScenarioHeader(*scenario, QStringLiteral("s.json"), QString());
    QVERIFY2(header.contains(QStringLiteral("        target: 4 requests per iteration: POST /login, GET /items, GET /items/1, …\n")),
             qPrintable(header));
    scenario->target.requests.clear();
    scenario->target.url = QUrl(QStringLiteral("http://user:secret@127.0.0.1:8080/health"));
    header = textScenarioHeader(*scenario, QStringLiteral("s.json"), QString());
    QVERIFY2(header.contains(QLatin1String("        target: GET http://user@127.0.0.1:8080/health\n")), qPrintable(header));
}

void TestSummary::engineInExportTextAndHeader()
{
    QString why;
    auto scenario = Scenario::fromJson(QByteArray(
        "{\"target\": {\"url\": \"http://127.0.0.1:8080/\"}, \"scenarios\": {"
        " \"api\": {\"executor\": \"constant-vus\", \"duration\": \"1s\"},"
        " \"web\": {\"executor\": \"constant-vus\", \"duration\": \"1s\", \"engine\": \"qnam\"}}}"), &why);
    QVERIFY2(scenario, qPrintable(why));
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(*scenario));
    m->recordRequest(request(5 * ms, 200));
    Summary s = finished(*scenario, m);
    s.workerThreads = 2;

    // summary.json: the engine that ran each scenario, resolved (auto → native for http://).
    QJsonObject about = summaryToJson(s).value(QLatin1String("loadbench")).toObject();
    QCOMPARE(about.value(QLatin1String("engine")).toString(), QStringLiteral("native+qnam"));
    QCOMPARE(about.value(QLatin1String("engines")).toObject(),
             (QJsonObject{{QStringLiteral("api"), QStringLiteral("native")}, {QStringLiteral("web"), QStringLiteral("qnam")}}));
    QCOMPARE(about.value(QLatin1String("workerThreads")).toInt(), 2);

    // The end summary's last line, and the header before the run.
    QVERIFY2(textSummary(s).endsWith(QStringLiteral(
                 "\n     engine: api: native (epoll+llhttp), web: qnam (QNetworkAccessManager), 2 worker threads\n")),
             qPrintable(textSummary(s)));
    const QString header = textScenarioHeader(*scenario, QStringLiteral("s.json"), QString(), 1);
    QVERIFY2(header.startsWith(QStringLiteral("     execution: local (loadbench " LOADBENCH_VERSION ", 1 worker thread)\n"
                                              "        engine: api: native (epoll+llhttp), web: qnam (QNetworkAccessManager)\n")),
             qPrintable(header));

    // One engine: one word; an engine name left in Summary::engine (the runner's, older runs)
    // defers to the scenario.
    s.scenario.scenarios.removeLast();
    s.engine = QStringLiteral("qnam");
    s.workerThreads = 0;
    about = summaryToJson(s).value(QLatin1String("loadbench")).toObject();
    QCOMPARE(about.value(QLatin1String("engine")).toString(), QStringLiteral("native"));
    QVERIFY(!about.contains(QLatin1String("workerThreads"))); // not known
    QVERIFY(textSummary(s).endsWith(QStringLiteral("\n     engine: native (epoll+llhttp)\n")));

    // Results Loadbench did not run keep their label and name no engine of ours.
    s.engine = QStringLiteral("k6 results");
    about = summaryToJson(s).value(QLatin1String("loadbench")).toObject();
    QCOMPARE(about.value(QLatin1String("engine")).toString(), QStringLiteral("k6 results"));
    QVERIFY(!about.contains(QLatin1String("engines")));
    QVERIFY(textSummary(s).endsWith(QStringLiteral("\n     engine: k6 results\n")));
}

void TestSummary::generatorSaturation()
{
    // Not measured (a recorded run, k6 results): nothing said. Measured: summary.json's
    // loadbench.generator; saturated seconds: one warning line in the end summary.
    QString why;
    auto scenario = Scenario::fromJson(QByteArray("{\"target\": {\"url\": \"http://127.0.0.1:8080/\"}, \"vus\": 1, \"duration\": \"1s\"}"), &why);
    QVERIFY2(scenario, qPrintable(why));
    auto m = std::make_shared<MetricSet>(MetricSet::forScenario(*scenario));
    m->recordRequest(request(5 * ms, 200));
    Summary s = finished(*scenario, m);
    QVERIFY(!summaryToJson(s).value(QLatin1String("loadbench")).toObject().contains(QLatin1String("generator")));
    QVERIFY(!textSummary(s).contains(QLatin1String("saturated")));

    s.peakWorkerCores = 0.4321;
    QCOMPARE(summaryToJson(s).value(QLatin1String("loadbench")).toObject().value(QLatin1String("generator")).toObject(),
             (QJsonObject{{QStringLiteral("peakWorkerCpu"), 0.432}, {QStringLiteral("saturatedSeconds"), 0.0}}));
    QVERIFY(!textSummary(s).contains(QLatin1String("saturated")));

    s.peakWorkerCores = 0.994;
    s.generatorSaturatedSeconds = 12.04;
    QCOMPARE(summaryToJson(s).value(QLatin1String("loadbench")).toObject().value(QLatin1String("generator")).toObject(),
             (QJsonObject{{QStringLiteral("peakWorkerCpu"), 0.994}, {QStringLiteral("saturatedSeconds"), 12.0}}));
    QVERIFY2(textSummary(s).contains(QStringLiteral("\n     the generator was saturated for 12.0 s (a worker thread at 99 % of a core): "
                                                   "latencies then include its own queueing")),
             qPrintable(textSummary(s)));
    // The snapshot's own verdict, at the threshold the summary counts with.
    IntervalSnapshot snapshot;
    QVERIFY(!snapshot.generatorSaturated()); // -1: not measured
    snapshot.busiestWorkerCores = 0.94;
    QVERIFY(!snapshot.generatorSaturated());
    snapshot.busiestWorkerCores = IntervalSnapshot::saturatedWorkerCores;
    QVERIFY(snapshot.generatorSaturated());
}

QTEST_APPLESS_MAIN(TestSummary)
#include "tst_summary.moc"
