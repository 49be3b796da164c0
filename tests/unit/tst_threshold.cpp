// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/threshold.h"

#include <QTest>

using namespace loadbench;

class TestThreshold : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepts_data();
    void accepts();
    void rejects_data();
    void rejects();
    void evaluates_data();
    void evaluates();
    void metricNames();
};

void TestThreshold::accepts_data()
{
    QTest::addColumn<QString>("metric");
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("limit");
    QTest::addRow("p95") << "http_req_duration" << "p(95)<200" << "p(95)" << 200.0;
    QTest::addRow("spaces around operator") << "http_req_duration" << "p(95) < 200" << "p(95)" << 200.0;
    QTest::addRow("trimmed, fractional p") << "http_req_duration" << "  p(99.9)<=500 " << "p(99.9)" << 500.0;
    QTest::addRow("p0") << "http_req_duration" << "p(0)<1" << "p(0)" << 1.0;
    QTest::addRow("p100") << "http_req_duration" << "p(100)<1" << "p(100)" << 1.0;
    QTest::addRow("med") << "http_req_duration" << "med>10" << "med" << 10.0;
    QTest::addRow("avg") << "http_req_waiting" << "avg<300" << "avg" << 300.0;
    QTest::addRow("min") << "iteration_duration" << "min>=0" << "min" << 0.0;
    QTest::addRow("max") << "http_req_duration" << "max<=2000" << "max" << 2000.0;
    QTest::addRow("rate") << "http_req_failed" << "rate<0.01" << "rate" << 0.01;
    QTest::addRow("checks rate") << "checks" << "rate>=0.9" << "rate" << 0.9;
    QTest::addRow("counter count") << "http_reqs" << "count>0" << "count" << 0.0;
    QTest::addRow("counter rate") << "http_reqs" << "rate>100" << "rate" << 100.0;
    QTest::addRow("gauge") << "vus" << "value<5" << "value" << 5.0;
    QTest::addRow("exponent") << "http_req_duration" << "p(95)<1e3" << "p(95)" << 1000.0;
    QTest::addRow("sub-metric") << "http_req_duration{expected_response:true}" << "p(95)<500" << "p(95)" << 500.0;
    QTest::addRow("===") << "http_req_duration" << "max===3" << "max" << 3.0;
    QTest::addRow("p(.5)") << "http_req_duration" << "p(.5)<1" << "p(0.5)" << 1.0;
    // Every built-in metric.
    QTest::addRow("blocked") << "http_req_blocked" << "p(99)<10" << "p(99)" << 10.0;
    QTest::addRow("connecting") << "http_req_connecting" << "max<10" << "max" << 10.0;
    QTest::addRow("tls") << "http_req_tls_handshaking" << "avg<10" << "avg" << 10.0;
    QTest::addRow("sending") << "http_req_sending" << "med<10" << "med" << 10.0;
    QTest::addRow("receiving") << "http_req_receiving" << "min<10" << "min" << 10.0;
    QTest::addRow("scheduled") << "http_req_scheduled_duration" << "p(99.9)<500" << "p(99.9)" << 500.0;
    QTest::addRow("iteration p(99.9)") << "iteration_duration" << "p(99.9)<1500" << "p(99.9)" << 1500.0;
    QTest::addRow("iterations") << "iterations" << "count>=100" << "count" << 100.0;
    QTest::addRow("iterations rate") << "iterations" << "rate>10" << "rate" << 10.0;
    QTest::addRow("dropped count") << "dropped_iterations" << "count==0" << "count" << 0.0;
    QTest::addRow("dropped rate") << "dropped_iterations" << "rate<1" << "rate" << 1.0;
    QTest::addRow("data_sent") << "data_sent" << "count<1e6" << "count" << 1e6;
    QTest::addRow("data_received rate") << "data_received" << "rate>1000" << "rate" << 1000.0;
    QTest::addRow("vus_max") << "vus_max" << "value<=50" << "value" << 50.0;
    // Sub-metrics.
    QTest::addRow("status") << "http_req_duration{status:429}" << "p(95)<10" << "p(95)" << 10.0;
    QTest::addRow("two tags") << "http_req_duration{status:200,scenario:api}" << "p(95)<10" << "p(95)" << 10.0;
    QTest::addRow("spaces and quotes") << "http_req_duration{ status : \"200\" }" << "max<1" << "max" << 1.0;
    QTest::addRow("value with colons") << "http_req_waiting{url:http://127.0.0.1:8080/api}" << "max<1" << "max" << 1.0;
    QTest::addRow("check by name") << "checks{check:status is 200}" << "rate>0.9" << "rate" << 0.9;
    QTest::addRow("counter sub-metric") << "http_reqs{status:500}" << "count<1" << "count" << 1.0;
    QTest::addRow("rate sub-metric") << "http_req_failed{scenario:api}" << "rate<0.01" << "rate" << 0.01;
    QTest::addRow("iterations by scenario") << "iterations{scenario:api}" << "count>0" << "count" << 0.0;
    QTest::addRow("dropped by scenario") << "dropped_iterations{scenario:spike}" << "count<10" << "count" << 10.0;
    QTest::addRow("custom tag") << "http_req_duration{tier:gold}" << "p(90)<100" << "p(90)" << 100.0;
}

void TestThreshold::accepts()
{
    QFETCH(QString, metric);
    QFETCH(QString, expression);
    QFETCH(QString, key);
    QFETCH(double, limit);
    QString why;
    const auto t = Threshold::parse(metric, expression, &why);
    QVERIFY2(t.has_value(), qPrintable(why));
    QCOMPARE(t->aggregationKey(), key);
    QCOMPARE(t->limit, limit);
    QCOMPARE(t->expression, expression.trimmed());
    QCOMPARE(t->metric, metric);
}

void TestThreshold::rejects_data()
{
    QTest::addColumn<QString>("metric");
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("reason");
    QTest::addRow("p(101)") << "http_req_duration" << "p(101)<1" << "outside 0..100";
    QTest::addRow("p(-1)") << "http_req_duration" << "p(-1)<1" << "not a number";
    QTest::addRow("p(NaN)") << "http_req_duration" << "p(NaN)<1" << "not a number";
    QTest::addRow("p(+Inf)") << "http_req_duration" << "p(+Inf)<1" << "not a number";
    QTest::addRow("spaces inside parentheses") << "http_req_duration" << "p( 95 )<200" << "no spaces";
    QTest::addRow("rate on a trend") << "http_req_duration" << "rate<0.01" << "not supported for a trend";
    QTest::addRow("assignment") << "http_req_duration" << "avg=123" << "aggregation operator value";
    QTest::addRow("p95 without parentheses") << "http_req_duration" << "p95<200" << "aggregation operator value";
    QTest::addRow("no value") << "http_req_duration" << "p(95)<" << "aggregation operator value";
    QTest::addRow("no aggregation") << "http_req_duration" << "<200" << "aggregation operator value";
    QTest::addRow("empty") << "http_req_duration" << "" << "empty";
    QTest::addRow("units on the value") << "http_req_duration" << "p(95)<200ms" << "no units";
    QTest::addRow("unknown metric") << "http_req_durations" << "p(95)<200" << "unknown metric";
    QTest::addRow("unknown aggregation") << "http_req_duration" << "mean<200" << "unknown aggregation";
    QTest::addRow("avg on a rate") << "http_req_failed" << "avg<1" << "not supported for a rate";
    QTest::addRow("count on a trend") << "http_req_duration" << "count>0" << "not supported for a trend";
    QTest::addRow("value on a counter") << "http_reqs" << "value>0" << "not supported for a counter";
    QTest::addRow("avg on a counter") << "dropped_iterations" << "avg<1" << "not supported for a counter";
    QTest::addRow("rate on a gauge") << "vus" << "rate<1" << "not supported for a gauge";
    QTest::addRow("p on a rate") << "checks" << "p(95)<1" << "not supported for a rate";
    QTest::addRow("sub-metric: wrong type") << "http_reqs{status:200}" << "p(95)<1" << "not supported for a counter";
    QTest::addRow("unmatched brace") << "http_req_duration{status:200" << "p(95)<200" << "unmatched curly braces";
    QTest::addRow("brace order") << "http_req_duration}status:200{" << "p(95)<200" << "before the opening one";
    QTest::addRow("text after brace") << "http_req_duration{status:200}x" << "p(95)<200" << "does not end with";
    QTest::addRow("tag without value") << "http_req_duration{status}" << "p(95)<200" << "is not key:value";
    QTest::addRow("empty value") << "http_req_duration{status:}" << "p(95)<200" << "is not key:value";
    QTest::addRow("empty braces") << "http_req_duration{}" << "p(95)<200" << "is not key:value";
    QTest::addRow("trailing comma") << "http_req_duration{status:200,}" << "p(95)<200" << "is not key:value";
    QTest::addRow("empty tag name") << "http_req_duration{:200}" << "p(95)<200" << "no tag name";
    QTest::addRow("space before brace") << "http_req_duration {status:200}" << "p(95)<200" << "unknown metric \"http_req_duration \"";
    QTest::addRow("unknown parent") << "http_req_time{status:200}" << "p(95)<200" << "unknown metric \"http_req_time\"";
    QTest::addRow("gauge sub-metric") << "vus{scenario:a}" << "value<5" << "no sub-metrics";
}

void TestThreshold::rejects()
{
    QFETCH(QString, metric);
    QFETCH(QString, expression);
    QFETCH(QString, reason);
    QString why;
    QVERIFY(!Threshold::parse(metric, expression, &why).has_value());
    QVERIFY2(why.contains(reason), qPrintable(why));
    // Every message names the metric and the expression.
    QVERIFY2(why.contains(metric), qPrintable(why));
    QVERIFY2(why.contains(u'"' + expression + u'"'), qPrintable(why));
}

void TestThreshold::evaluates_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<double>("observed");
    QTest::addColumn<bool>("holds");
    QTest::addRow("< holds") << "p(95)<200" << 182.5 << true;
    QTest::addRow("< crossed") << "p(90)<100" << 115.0 << false;
    QTest::addRow("< at the limit") << "p(90)<100" << 100.0 << false;
    QTest::addRow("<= at the limit") << "p(90)<=100" << 100.0 << true;
    QTest::addRow("> holds") << "min>10" << 12.0 << true;
    QTest::addRow(">= crossed") << "min>=10" << 9.0 << false;
    QTest::addRow("== holds") << "max==5" << 5.0 << true;
    QTest::addRow("!= crossed") << "max!=5" << 5.0 << false;
}

void TestThreshold::evaluates()
{
    QFETCH(QString, expression);
    QFETCH(double, observed);
    QFETCH(bool, holds);
    const auto t = Threshold::parse(QStringLiteral("http_req_duration"), expression);
    QVERIFY(t.has_value());
    QCOMPARE(t->holds(observed), holds);
}

void TestThreshold::metricNames()
{
    const auto plain = MetricName::parse(QStringLiteral("http_reqs"));
    QVERIFY(plain);
    QVERIFY(!plain->isSubmetric());
    QCOMPARE(plain->name(), QStringLiteral("http_reqs"));
    QCOMPARE(plain->type, MetricType::Counter);

    // k6 trims spaces, then quotes, around keys and values, and names the sub-metric by its
    // filter as written, trimmed.
    const auto sub = MetricName::parse(QStringLiteral("http_req_duration{ status : \"200\" , scenario:'api' }"));
    QVERIFY(sub);
    QVERIFY(sub->isSubmetric());
    QCOMPARE(sub->parent, QStringLiteral("http_req_duration"));
    QCOMPARE(sub->tags, (QMap<QString, QString>{{QStringLiteral("status"), QStringLiteral("200")},
                                                {QStringLiteral("scenario"), QStringLiteral("api")}}));
    QCOMPARE(sub->name(), QStringLiteral("http_req_duration{status : \"200\" , scenario:'api'}"));
    QVERIFY(sub->sameMetric(*MetricName::parse(QStringLiteral("http_req_duration{scenario:api,status:200}"))));
    QVERIFY(!sub->sameMetric(*MetricName::parse(QStringLiteral("http_req_waiting{scenario:api,status:200}"))));

    // Values keep inner spaces and colons; a value of only spaces passes k6's check and is empty.
    QCOMPARE(MetricName::parse(QStringLiteral("checks{check:status is 200}"))->tags.value(QStringLiteral("check")),
             QStringLiteral("status is 200"));
    QCOMPARE(MetricName::parse(QStringLiteral("http_reqs{url:http://a:1/b}"))->tags.value(QStringLiteral("url")),
             QStringLiteral("http://a:1/b"));
    const auto rootGroup = MetricName::parse(QStringLiteral("http_reqs{group: }"));
    QVERIFY(rootGroup);
    QCOMPARE(rootGroup->tags.value(QStringLiteral("group"), QStringLiteral("missing")), QString());

    QCOMPARE(builtinMetricType(QStringLiteral("checks{check:a}")), MetricType::Rate);
    QCOMPARE(builtinMetricType(QStringLiteral("dropped_iterations")), MetricType::Counter);
    QCOMPARE(builtinMetricType(QStringLiteral("http_req_scheduled_duration")), MetricType::Trend);
    QCOMPARE(builtinMetricType(QStringLiteral("http_req_duration{status")), std::nullopt);
}

QTEST_APPLESS_MAIN(TestThreshold)
#include "tst_threshold.moc"
