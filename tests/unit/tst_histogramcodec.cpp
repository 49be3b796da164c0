// SPDX-License-Identifier: GPL-3.0-or-later
// The persisted histogram: lossless (bucket for bucket, count/min/max/sum bit for bit), compact,
// and a cut or damaged byte string is an error, never a wrong histogram.
#include "metrics/histogramcodec.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace loadbench;

namespace {

bool sameHistogram(const Histogram &a, const Histogram &b, QString *why)
{
    auto fail = [&](const QString &what) {
        *why = what;
        return false;
    };
    if (a.count() != b.count())
        return fail(QStringLiteral("count %1 vs %2").arg(a.count()).arg(b.count()));
    if (a.min() != b.min() || a.max() != b.max())
        return fail(QStringLiteral("min/max differ"));
    const double sa = a.sum(), sb = b.sum();
    if (std::memcmp(&sa, &sb, sizeof(double)) != 0)
        return fail(QStringLiteral("sum %1 vs %2").arg(sa, 0, 'g', 17).arg(sb, 0, 'g', 17));
    const auto ba = a.nonEmptyBuckets(), bb = b.nonEmptyBuckets();
    if (ba.size() != bb.size())
        return fail(QStringLiteral("%1 vs %2 buckets").arg(ba.size()).arg(bb.size()));
    for (size_t i = 0; i < ba.size(); ++i) {
        if (ba[i].highestValueNs != bb[i].highestValueNs || ba[i].count != bb[i].count)
            return fail(QStringLiteral("bucket %1 differs").arg(i));
    }
    for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
        if (a.percentile(p) != b.percentile(p))
            return fail(QStringLiteral("p(%1) differs").arg(p));
    }
    return true;
}

// Latency-like values: a log-normal body around `medianNs` plus a few outliers up to 1 h.
Histogram randomHistogram(QRandomGenerator &rng, int samples, double medianNs)
{
    Histogram h;
    for (int i = 0; i < samples; ++i) {
        const double u1 = std::max(1e-12, rng.generateDouble()), u2 = rng.generateDouble();
        const double normal = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
        qint64 v = qint64(medianNs * std::exp(0.6 * normal));
        if (rng.bounded(1000) == 0)
            v = qint64(rng.bounded(Histogram::highestTrackableNs + 1000)); // clamps at 1 h
        h.recordMany(v, rng.bounded(100) == 0 ? quint64(rng.bounded(1, 50)) : 1);
    }
    return h;
}

} // namespace

class TestHistogramCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void varints();
    void emptyRoundTrip();
    void randomRoundTrip_data();
    void randomRoundTrip();
    void concatenatedHistograms();
    void mergeAfterDecodeEqualsMergeBefore();
    void cutBytesAreAnErrorAtEveryLength();
    void inconsistentBytesAreAnError();
    void compactForAnIntervalOfRequests();
};

void TestHistogramCodec::varints()
{
    QByteArray bytes;
    const quint64 values[] = {0, 1, 127, 128, 300, 16383, 16384, quint64(1) << 35, ~quint64(0)};
    for (quint64 v : values)
        varint::append(bytes, v);
    qsizetype pos = 0;
    for (quint64 v : values) {
        quint64 read = 0;
        QVERIFY(varint::read(bytes, pos, &read));
        QCOMPARE(read, v);
    }
    QCOMPARE(pos, bytes.size());
    quint64 dummy = 0;
    QVERIFY(!varint::read(bytes, pos, &dummy));
    QByteArray endless(11, char(0xff));
    pos = 0;
    QVERIFY(!varint::read(endless, pos, &dummy));
}

void TestHistogramCodec::emptyRoundTrip()
{
    const QByteArray bytes = HistogramCodec::encode(Histogram());
    QCOMPARE(bytes.size(), 1);
    Histogram out;
    out.record(5);
    qsizetype pos = 0;
    QVERIFY(HistogramCodec::decode(bytes, pos, out));
    QCOMPARE(out.count(), quint64(0));
    QCOMPARE(pos, qsizetype(1));
}

void TestHistogramCodec::randomRoundTrip_data()
{
    QTest::addColumn<int>("samples");
    QTest::addColumn<double>("medianNs");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("one sample") << 1 << 250'000.0 << 1u;
    QTest::newRow("small values, 1 ns buckets") << 500 << 900.0 << 2u;
    QTest::newRow("100 loopback requests") << 100 << 300'000.0 << 3u;
    QTest::newRow("3000 requests") << 3000 << 2'000'000.0 << 4u;
    QTest::newRow("50000 seconds-long") << 50'000 << 3e9 << 5u;
    for (quint32 seed = 10; seed < 30; ++seed)
        QTest::addRow("random %u", seed) << int(QRandomGenerator(seed).bounded(1, 20'000))
                                         << std::pow(10.0, 2 + QRandomGenerator(seed * 7).generateDouble() * 8) << seed;
}

void TestHistogramCodec::randomRoundTrip()
{
    QFETCH(int, samples);
    QFETCH(double, medianNs);
    QFETCH(quint32, seed);
    QRandomGenerator rng(seed);
    const Histogram h = randomHistogram(rng, samples, medianNs);
    const QByteArray bytes = HistogramCodec::encode(h);
    Histogram out;
    out.record(42); // decode replaces what was there
    qsizetype pos = 0;
    QString why;
    QVERIFY2(HistogramCodec::decode(bytes, pos, out, &why), qPrintable(why));
    QCOMPARE(pos, bytes.size());
    QVERIFY2(sameHistogram(h, out, &why), qPrintable(why));
    QCOMPARE(HistogramCodec::encode(out), bytes); // and back to the same bytes
}

void TestHistogramCodec::concatenatedHistograms()
{
    QRandomGenerator rng(99);
    std::vector<Histogram> hs;
    QByteArray bytes;
    for (int i = 0; i < 5; ++i) {
        hs.push_back(randomHistogram(rng, i * 300, 1e6 * (i + 1)));
        HistogramCodec::encode(hs.back(), bytes);
    }
    qsizetype pos = 0;
    for (const Histogram &h : hs) {
        Histogram out;
        QString why;
        QVERIFY2(HistogramCodec::decode(bytes, pos, out, &why), qPrintable(why));
        QVERIFY2(sameHistogram(h, out, &why), qPrintable(why));
    }
    QCOMPARE(pos, bytes.size());
}

void TestHistogramCodec::mergeAfterDecodeEqualsMergeBefore()
{
    QRandomGenerator rng(7);
    Histogram a = randomHistogram(rng, 2000, 1e6), b = randomHistogram(rng, 3000, 5e6);
    Histogram merged = a;
    merged.add(b);
    Histogram da, db;
    qsizetype pa = 0, pb = 0;
    QVERIFY(HistogramCodec::decode(HistogramCodec::encode(a), pa, da));
    QVERIFY(HistogramCodec::decode(HistogramCodec::encode(b), pb, db));
    da.add(db);
    QString why;
    QVERIFY2(sameHistogram(merged, da, &why), qPrintable(why));
}

void TestHistogramCodec::cutBytesAreAnErrorAtEveryLength()
{
    QRandomGenerator rng(3);
    const QByteArray bytes = HistogramCodec::encode(randomHistogram(rng, 400, 1e6));
    for (qsizetype n = 0; n < bytes.size(); ++n) {
        Histogram out;
        qsizetype pos = 0;
        QString why;
        QVERIFY2(!HistogramCodec::decode(bytes.left(n), pos, out, &why), qPrintable(QString::number(n)));
        QVERIFY(!why.isEmpty());
        QCOMPARE(out.count(), quint64(0));
        QVERIFY(out.nonEmptyBuckets().empty());
    }
}

void TestHistogramCodec::inconsistentBytesAreAnError()
{
    Histogram h;
    h.record(1000);
    h.record(2000);
    QByteArray bytes = HistogramCodec::encode(h);
    // count says 3, the buckets hold 2.
    QByteArray wrongCount = bytes;
    wrongCount[0] = 3;
    Histogram out;
    qsizetype pos = 0;
    QString why;
    QVERIFY(!HistogramCodec::decode(wrongCount, pos, out, &why));
    QVERIFY2(why.contains(QLatin1String("count")), qPrintable(why));
    QVERIFY(out.nonEmptyBuckets().empty());
    // Any single flipped byte: an error or a self-consistent histogram, never a crash.
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        QByteArray flipped = bytes;
        flipped[i] = char(flipped[i] ^ 0x5a);
        pos = 0;
        if (HistogramCodec::decode(flipped, pos, out)) {
            quint64 total = 0;
            for (const auto &b : out.nonEmptyBuckets())
                total += b.count;
            QCOMPARE(total, out.count());
        }
    }
}

void TestHistogramCodec::compactForAnIntervalOfRequests()
{
    // One second at 3000 req/s around 2 ms: about a byte per occupied bucket, ~3 bytes a sample
    // at most before compression.
    QRandomGenerator rng(11);
    const Histogram h = randomHistogram(rng, 3000, 2e6);
    const QByteArray bytes = HistogramCodec::encode(h);
    qInfo("3000 samples, %zu buckets: %lld bytes (%lld compressed)", h.nonEmptyBuckets().size(),
          qlonglong(bytes.size()), qlonglong(qCompress(bytes, 9).size()));
    QVERIFY(bytes.size() < 3 * 3000);
}

QTEST_APPLESS_MAIN(TestHistogramCodec)
#include "tst_histogramcodec.moc"
