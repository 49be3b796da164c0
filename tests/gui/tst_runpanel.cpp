// SPDX-License-Identifier: GPL-3.0-or-later
// The run panel's end state: an arrival-rate run that dropped iterations keeps saying so, and
// keeps its tail from the schedule, after the run ends (not only while it goes).
#include "guitest.h"
#include "livecharts.h"
#include "metriccard.h"
#include "runpanel.h"

#include <QChartView>
#include <QCheckBox>
#include <QLabel>
#include <QLineSeries>
#include <QTableWidget>
#include <QValueAxis>
#include <QTest>

using namespace loadbench;
using namespace Qt::StringLiterals;

class TestRunPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endStateKeepsDropsAndScheduleTail();
    void longPhaseTextDoesNotWidenThePanel();
    void thresholdLimitsDrawnOnTheirCharts();
    void errorsGroupedByKind();
    void latencyPerSecondOrWholeRun();
};

void TestRunPanel::endStateKeepsDropsAndScheduleTail()
{
    QString why;
    const auto scenario = Scenario::fromJson(R"({"target": {"url": "http://127.0.0.1:1/"}, "scenarios": {"a": {
        "executor": "constant-arrival-rate", "rate": 50, "duration": "15s", "preAllocatedVUs": 5}}})", &why);
    QVERIFY2(scenario, qPrintable(why));
    auto metrics = std::make_shared<MetricSet>(MetricSet::forScenario(*scenario));
    for (int i = 0; i < 75; ++i) {
        RequestSample sample;
        sample.durationNs = 700'000;
        sample.status = 200;
        sample.expected = true;
        sample.scheduleLagNs = 2'000'000;
        sample.scenario = u"a"_s;
        metrics->recordRequest(sample);
    }
    metrics->recordDropped(u"a"_s, 675);
    Summary summary;
    summary.scenario = *scenario;
    summary.metrics = metrics;
    summary.durationSeconds = 16;

    RunPanel panel;
    panel.prepare(*scenario);
    panel.showSummary(summary);
    QCOMPARE(panel.errorsCard()->value(), u"0"_s); // no request failed…
    QVERIFY2(panel.errorsCard()->detail().contains(u"675 iterations dropped"_s), qPrintable(panel.errorsCard()->detail()));
    QVERIFY2(panel.latencyCard()->detail().contains(u"from schedule"_s), qPrintable(panel.latencyCard()->detail()));

    // A closed-model run without drops says neither.
    auto clean = std::make_shared<MetricSet>(MetricSet::forScenario(*scenario));
    RequestSample sample;
    sample.durationNs = 700'000;
    sample.status = 200;
    sample.expected = true;
    clean->recordRequest(sample);
    summary.metrics = clean;
    panel.showSummary(summary);
    QVERIFY(!panel.errorsCard()->detail().contains(u"dropped"_s));
    QVERIFY(!panel.latencyCard()->detail().contains(u"from schedule"_s));
}

void TestRunPanel::longPhaseTextDoesNotWidenThePanel()
{
    RunPanel panel;
    panel.setPhase(u"Ready"_s);
    const int width = panel.minimumSizeHint().width();
    panel.setPhase(u"Cannot run: Scenario: scenarios.average_load.duration: \"0s\": must be greater than 0; "
                   "/a/very/long/path/without/any/space/to/break/at/whatsoever/scenario.json"_s,
                   RunPanel::Tone::Bad);
    QCOMPARE(panel.minimumSizeHint().width(), width);
    QVERIFY(panel.phaseLabel()->toolTip().startsWith(u"Cannot run"_s)); // whole in the tooltip
}

void TestRunPanel::thresholdLimitsDrawnOnTheirCharts()
{
    QString why;
    const auto scenario = Scenario::fromJson(R"({"target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "10s",
        "thresholds": {"http_req_duration": ["p(95)<2", "p(99)<500"], "http_reqs": ["rate>50"], "http_req_failed": ["rate<0.01"]}})", &why);
    QVERIFY2(scenario, qPrintable(why));
    LiveCharts charts;
    charts.reset(*scenario);
    const QList<QLineSeries *> lines = charts.thresholdSeries();
    QCOMPARE(lines.size(), 3); // http_req_failed's rate has no chart of its own
    IntervalSnapshot s;
    s.elapsedSeconds = 1;
    s.intervalSeconds = 1;
    s.requests = 100;
    s.requestsPerSecond = 100;
    s.p50Ms = 0.5;
    s.p95Ms = 1;
    s.p99Ms = 1.5;
    charts.addSnapshot(s);
    auto valueAxis = [](QLineSeries *series) {
        return qobject_cast<QValueAxis *>(series->attachedAxes().value(1));
    };
    // Near the data: drawn, the axis reaching it.
    QCOMPARE(lines[0]->name(), u"p(95)&lt;2"_s); // escaped: the legend reads rich text
    QCOMPARE(lines[0]->points().value(0).y(), 2.0);
    QCOMPARE(lines[0]->count(), 2);
    QVERIFY(valueAxis(lines[0])->max() >= 2);
    // Far above it: off the axis, and said.
    QCOMPARE(lines[1]->name(), u"p(99)&lt;500 (above the chart)"_s);
    QVERIFY(valueAxis(lines[1])->max() < 500);
    QCOMPARE(lines[2]->name(), u"rate&gt;50"_s);
    QCOMPARE(lines[2]->points().value(1).y(), 50.0);
    // A new plan without thresholds: none left.
    charts.reset(Scenario::fromJson(R"({"target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "10s"})", nullptr).value());
    QVERIFY(charts.thresholdSeries().isEmpty());
}

void TestRunPanel::errorsGroupedByKind()
{
    RunPanel panel;
    IntervalSnapshot s;
    s.elapsedSeconds = 1;
    s.intervalSeconds = 1;
    panel.showSnapshot(s);
    QVERIFY(panel.errorsView()->isHidden()); // nothing failed: no panel
    s.errorsByKind = {{u"1212 dial: connection refused"_s, 40}, {u"status 503"_s, 3}};
    panel.showSnapshot(s);
    QVERIFY(!panel.errorsView()->isHidden());
    QCOMPARE(panel.errorsView()->rowCount(), 2);
    QCOMPARE(panel.errorsView()->item(0, 0)->text(), u"40"_s);
    QCOMPARE(panel.errorsView()->item(0, 1)->text(), u"1212 dial: connection refused"_s);
    QCOMPARE(panel.errorsView()->item(1, 1)->text(), u"status 503"_s);

    // The end state lists them from the summary, the most frequent first.
    QString why;
    const auto scenario = Scenario::fromJson(R"({"target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "1s"})", &why);
    QVERIFY2(scenario, qPrintable(why));
    auto metrics = std::make_shared<MetricSet>(MetricSet::forScenario(*scenario));
    for (int i = 0; i < 5; ++i) {
        RequestSample failedSample;
        failedSample.errorCode = i < 4 ? 1050 : 1212;
        failedSample.error = i < 4 ? u"request timeout"_s : u"dial: connection refused"_s;
        metrics->recordRequest(failedSample);
    }
    Summary summary;
    summary.scenario = *scenario;
    summary.metrics = metrics;
    panel.showSummary(summary);
    QCOMPARE(panel.errorsView()->rowCount(), 2);
    QCOMPARE(panel.errorsView()->item(0, 0)->text(), u"4"_s);
    QVERIFY2(panel.errorsView()->item(0, 1)->text().contains(u"request timeout"_s), qPrintable(panel.errorsView()->item(0, 1)->text()));
    panel.prepare(*scenario); // a new run: gone
    QVERIFY(panel.errorsView()->isHidden());
}

void TestRunPanel::latencyPerSecondOrWholeRun()
{
    LiveCharts charts;
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    IntervalSnapshot s;
    s.intervalSeconds = 1;
    s.requests = 10;
    const double perSecond[] = {1, 3}, wholeRun[] = {1, 2};
    for (int i = 0; i < 2; ++i) {
        s.elapsedSeconds = i + 1;
        s.totalRequests = quint64(10 * (i + 1));
        s.p95Ms = perSecond[i];
        s.cumulativeP95Ms = wholeRun[i];
        charts.addSnapshot(s);
    }
    auto ys = [&] {
        QList<double> y;
        for (const QPointF &p : charts.p95Series()->points())
            y << p.y();
        return y;
    };
    QCOMPARE(ys(), (QList<double>{1, 3}));
    QTest::mouseClick(charts.cumulativeBox(), Qt::LeftButton, {}, QPoint(5, charts.cumulativeBox()->height() / 2));
    QVERIFY(charts.isCumulative());
    QCOMPARE(ys(), (QList<double>{1, 2}));
    QCOMPARE(charts.latencyView()->chart()->title(), u"Latency, whole run so far"_s);
    charts.setCumulative(false);
    QVERIFY(!charts.cumulativeBox()->isChecked());
    QCOMPARE(ys(), (QList<double>{1, 3}));
}

QTEST_MAIN(TestRunPanel)
#include "tst_runpanel.moc"
