// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/histogram.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace loadbench;

namespace {

constexpr qint64 ms = 1'000'000;

// k6's definition on exact data (metrics/sink.go): rank p × (n − 1), linear interpolation.
double exactPercentile(std::vector<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    if (values.empty())
        return 0;
    const double rank = p / 100.0 * double(values.size() - 1);
    const auto lo = size_t(std::floor(rank));
    const auto hi = size_t(std::ceil(rank));
    return double(values[lo]) + (double(values[hi]) - double(values[lo])) * (rank - double(lo));
}

Histogram fromMs(std::initializer_list<double> values)
{
    Histogram h;
    for (double v : values)
        h.record(qint64(std::llround(v * double(ms))));
    return h;
}

bool near(double actualNs, double expectedNs)
{
    return std::abs(actualNs - expectedNs) <= std::max(1000.0, std::abs(expectedNs) * 0.001);
}

} // namespace

class TestHistogram : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void k6PercentileDefinition_data();
    void k6PercentileDefinition();
    void smallSamples();
    void emptyIsZero();
    void randomDataWithinPrecision_data();
    void randomDataWithinPrecision();
    void minMaxAvgExact();
    void mergeEqualsRecordingTogether();
    void resetForgetsEverything();
    void clampsOutOfRange();
};

void TestHistogram::k6PercentileDefinition_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expectedMs");
    // CASES.md BC-01 input A, k6 column.
    QTest::addRow("min") << 0.0 << 12.0;
    QTest::addRow("med") << 50.0 << 27.5;
    QTest::addRow("p90") << 90.0 << 115.0;
    QTest::addRow("p95") << 95.0 << 182.5;
    QTest::addRow("p99") << 99.0 << 236.5;
    QTest::addRow("p99.9") << 99.9 << 248.65;
    QTest::addRow("max") << 100.0 << 250.0;
}

void TestHistogram::k6PercentileDefinition()
{
    QFETCH(double, p);
    QFETCH(double, expectedMs);
    const Histogram h = fromMs({35, 12, 250, 22, 40, 15, 100, 25, 20, 30});
    QVERIFY2(near(h.percentile(p), expectedMs * double(ms)),
             qPrintable(QStringLiteral("p(%1) = %2 ms, expected %3").arg(p).arg(h.percentile(p) / double(ms)).arg(expectedMs)));
    QCOMPARE(h.mean(), 54.9 * double(ms));
}

void TestHistogram::smallSamples()
{
    const Histogram one = fromMs({42});
    for (double p : {0.0, 50.0, 90.0, 95.0, 99.0, 100.0})
        QCOMPARE(one.percentile(p), 42.0 * double(ms));

    const Histogram two = fromMs({10, 20});
    QVERIFY(near(two.percentile(50), 15 * double(ms)));
    QVERIFY(near(two.percentile(90), 19 * double(ms)));
    QVERIFY(near(two.percentile(95), 19.5 * double(ms)));
    QVERIFY(near(two.percentile(99), 19.9 * double(ms)));

    // The versus data: a median equal to the largest value is the off-by-one bug.
    const Histogram three = fromMs({425.656364, 42.800481, 42.923581});
    QVERIFY(near(three.percentile(25), 42.862031 * double(ms)));
    QVERIFY(near(three.percentile(50), 42.923581 * double(ms)));
    QVERIFY(near(three.percentile(90), 349.109807 * double(ms)));
    QVERIFY(near(three.percentile(95), 387.383086 * double(ms)));
    QVERIFY(near(three.percentile(99), 418.001708 * double(ms)));
    QCOMPARE(three.percentile(0), double(three.min()));
    QCOMPARE(three.percentile(100), double(three.max()));
}

void TestHistogram::emptyIsZero()
{
    const Histogram h;
    QCOMPARE(h.count(), 0u);
    QCOMPARE(h.percentile(95), 0.0);
    QCOMPARE(h.mean(), 0.0);
    QCOMPARE(h.min(), 0);
    QCOMPARE(h.max(), 0);
}

void TestHistogram::randomDataWithinPrecision_data()
{
    QTest::addColumn<int>("distribution");
    QTest::addRow("uniform 1µs..10s") << 0;
    QTest::addRow("log-normal around 1ms") << 1;
    QTest::addRow("bimodal 100µs and 2s") << 2;
}

void TestHistogram::randomDataWithinPrecision()
{
    QFETCH(int, distribution);
    QRandomGenerator random(12345 + quint32(distribution));
    std::vector<qint64> values;
    Histogram h;
    for (int i = 0; i < 100'000; ++i) {
        qint64 v = 0;
        switch (distribution) {
        case 0: v = 1'000 + qint64(random.bounded(10'000'000'000.0)); break;
        case 1: v = qint64(std::exp(std::log(1e6) + 1.5 * (random.generateDouble() + random.generateDouble() + random.generateDouble() - 1.5))); break;
        default: v = random.bounded(10) < 9 ? 100'000 + random.bounded(50'000) : 2'000'000'000 + random.bounded(100'000'000); break;
        }
        values.push_back(v);
        h.record(v);
    }
    for (double p : {0.0, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
        const double exact = exactPercentile(values, p);
        const double got = h.percentile(p);
        QVERIFY2(std::abs(got - exact) <= exact * 0.001 + 1.0,
                 qPrintable(QStringLiteral("p(%1): histogram %2 ns, exact %3 ns").arg(p).arg(got, 0, 'f', 1).arg(exact, 0, 'f', 1)));
    }
}

void TestHistogram::minMaxAvgExact()
{
    Histogram h;
    h.record(1'234'567);
    h.record(7'654'321'987);
    h.record(3);
    QCOMPARE(h.min(), 3);
    QCOMPARE(h.max(), 7'654'321'987);
    QCOMPARE(h.sum(), 1'234'567.0 + 7'654'321'987.0 + 3.0);
    QCOMPARE(h.count(), 3u);
}

void TestHistogram::mergeEqualsRecordingTogether()
{
    Histogram a, b, both;
    QRandomGenerator random(7);
    for (int i = 0; i < 5000; ++i) {
        const qint64 v = random.bounded(1'000'000'000);
        (i % 2 ? a : b).record(v);
        both.record(v);
    }
    a.add(b);
    QCOMPARE(a.count(), both.count());
    QCOMPARE(a.min(), both.min());
    QCOMPARE(a.max(), both.max());
    for (double p : {1.0, 50.0, 95.0, 99.0})
        QCOMPARE(a.percentile(p), both.percentile(p));
}

void TestHistogram::resetForgetsEverything()
{
    Histogram h = fromMs({1, 2, 3});
    h.reset();
    QCOMPARE(h.count(), 0u);
    QCOMPARE(h.percentile(50), 0.0);
    h.record(5 * ms);
    QCOMPARE(h.percentile(50), 5.0 * double(ms));
    QCOMPARE(h.min(), 5 * ms);
}

void TestHistogram::clampsOutOfRange()
{
    Histogram h;
    h.record(-5);
    h.record(Histogram::highestTrackableNs * 10);
    QCOMPARE(h.min(), 0);
    QCOMPARE(h.max(), Histogram::highestTrackableNs);
    QCOMPARE(h.count(), 2u);
}

QTEST_APPLESS_MAIN(TestHistogram)
#include "tst_histogram.moc"
