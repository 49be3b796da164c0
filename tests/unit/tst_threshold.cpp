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

QTEST_APPLESS_MAIN(TestThreshold)
#include "tst_threshold.moc"
