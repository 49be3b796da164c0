// SPDX-License-Identifier: GPL-3.0-or-later
// Recomputes real k6 runs (tests/fixtures/k6.tar.gz, from ../shared/fixtures/k6) from their
// --out json lines and checks our summary.json against k6's own --summary-export: same keys,
// same counts, percentiles within 0.1 % or 1 µs, same threshold verdicts.
#include "metrics/summary.h"
#include "output/summaryjson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
};

// Replays a results.jsonl into a MetricSet the way our engine records samples.
Recomputed replay(const QString &run, const QStringList &trendStats)
{
    Recomputed r;
    r.expected = readJson(fixture(run + QStringLiteral("-summary.json")));
    auto metrics = std::make_shared<MetricSet>();
    Scenario scenario;
    scenario.scenarios.append(ScenarioConfig{});
    scenario.summaryTrendStats = trendStats;
    int vusLast = 0, vusMin = -1, vusMax = 0, vusMaxConfigured = 0;

    QFile f(fixture(run + QStringLiteral("-results.jsonl")));
    if (!f.open(QIODevice::ReadOnly))
        return r;
    while (!f.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
        const QString metric = line.value(QLatin1String("metric")).toString();
        const QJsonObject data = line.value(QLatin1String("data")).toObject();
        if (line.value(QLatin1String("type")).toString() == QLatin1String("Metric")) {
            for (const QJsonValue &t : data.value(QLatin1String("thresholds")).toArray())
                scenario.thresholds.append(*Threshold::parse(metric, t.toString()));
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
        if (metric == QLatin1String("iteration_duration"))
            continue; // counted by the iterations points
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
    r.summary.scenario = scenario;
    r.summary.metrics = metrics;
    const QJsonObject reqs = r.expected.value(QLatin1String("metrics")).toObject().value(QLatin1String("http_reqs")).toObject();
    r.summary.durationSeconds = reqs.value(QLatin1String("count")).toDouble() / reqs.value(QLatin1String("rate")).toDouble();
    r.summary.vus = vusLast;
    r.summary.vusMin = vusMin;
    r.summary.vusMax = vusMax;
    r.summary.vusMaxConfigured = vusMaxConfigured;
    r.summary.thresholds = r.summary.evaluateThresholds();
    return r;
}

} // namespace

class TestK6Fixtures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryMatchesK6_data();
    void summaryMatchesK6();
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

QTEST_APPLESS_MAIN(TestK6Fixtures)
#include "tst_k6fixtures.moc"
