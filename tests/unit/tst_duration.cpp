// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/duration.h"

#include <QJsonValue>
#include <QTest>

using namespace loadbench;

class TestDuration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesGood_data();
    void parsesGood();
    void rejectsBad_data();
    void rejectsBad();
    void numberMeansMilliseconds();
    void formatsLikeGo_data();
    void formatsLikeGo();
    void roundTrips();
};

void TestDuration::parsesGood_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("ms");
    QTest::addRow("1m30s") << "1m30s" << 90'000.0;
    QTest::addRow("1.5m") << "1.5m" << 90'000.0;
    QTest::addRow("500ms") << "500ms" << 500.0;
    QTest::addRow("1.5s") << "1.5s" << 1'500.0;
    QTest::addRow("1h2m3.5s") << "1h2m3.5s" << 3'723'500.0;
    QTest::addRow("bare number") << "90" << 90.0;
    QTest::addRow("2d") << "2d" << 172'800'000.0;
    QTest::addRow("1d12h") << "1d12h" << 129'600'000.0;
    QTest::addRow("0s") << "0s" << 0.0;
    QTest::addRow("0") << "0" << 0.0;
    QTest::addRow("2h") << "2h" << 7'200'000.0;
    QTest::addRow("30s") << "30s" << 30'000.0;
    QTest::addRow("250us") << "250us" << 0.25;
    QTest::addRow("250µs") << QStringLiteral("250µs") << 0.25;
    QTest::addRow("100ns") << "100ns" << 0.0001;
}

void TestDuration::parsesGood()
{
    QFETCH(QString, text);
    QFETCH(double, ms);
    QString why;
    const auto d = parseDuration(QStringView(text), &why);
    QVERIFY2(d.has_value(), qPrintable(why));
    QCOMPARE(toMilliseconds(*d), ms);
}

void TestDuration::rejectsBad_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::addRow("no unit after last number") << "1m30" << "unit";
    QTest::addRow("space") << "5 s" << "unit";
    QTest::addRow("10sec") << "10sec" << "unknown unit";
    QTest::addRow("abc") << "abc" << "number";
    QTest::addRow("empty") << "" << "not a duration";
    QTest::addRow("negative") << "-5s" << "0 or more";
    QTest::addRow("negative number") << "-5" << "0 or more";
    QTest::addRow("1x") << "1x" << "unit";
    QTest::addRow("1e13 ms") << "1e13" << "longer than 8760h0m0s";
    QTest::addRow("366 days") << "366d" << "longer than 8760h0m0s";
    QTest::addRow("999999999999h") << "999999999999h" << "longer than";
    QTest::addRow("many hours") << "99999999999999h" << "longer than";
}

void TestDuration::rejectsBad()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    QString why;
    QVERIFY(!parseDuration(QStringView(text), &why).has_value());
    QVERIFY2(why.contains(u'"' + text + u'"'), qPrintable(why));
    QVERIFY2(why.contains(reason), qPrintable(why));
}

void TestDuration::numberMeansMilliseconds()
{
    QCOMPARE(parseDuration(QJsonValue(90)).value(), std::chrono::milliseconds(90));
    QCOMPARE(parseDuration(QJsonValue(QStringLiteral("2s"))).value(), std::chrono::seconds(2));
    QString why;
    QVERIFY(!parseDuration(QJsonValue(true), &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!parseDuration(QJsonValue(-1)));
    QVERIFY(!parseDuration(QJsonValue(1e13), &why));
    QVERIFY2(why.contains(QLatin1String("longer than 8760h0m0s")), qPrintable(why));
    // The limit itself is accepted, in either syntax.
    QCOMPARE(parseDuration(QJsonValue(365.0 * 86400e3)).value(), maxAcceptedDuration);
    QCOMPARE(parseDuration(QStringView(u"365d")).value(), maxAcceptedDuration);
}

void TestDuration::formatsLikeGo_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::addRow("90000") << qint64(90'000) << "1m30s";
    QTest::addRow("500") << qint64(500) << "500ms";
    QTest::addRow("1500") << qint64(1'500) << "1.5s";
    QTest::addRow("0") << qint64(0) << "0s";
    QTest::addRow("2h") << qint64(7'200'000) << "2h0m0s";
    QTest::addRow("30s") << qint64(30'000) << "30s";
}

void TestDuration::formatsLikeGo()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(formatDuration(std::chrono::milliseconds(ms)), text);
}

void TestDuration::roundTrips()
{
    for (qint64 ms : {1LL, 999LL, 1'000LL, 61'500LL, 3'600'000LL, 86'400'000LL, 123'456'789LL}) {
        const QString text = formatDuration(std::chrono::milliseconds(ms));
        QCOMPARE(parseDuration(QStringView(text)).value(), std::chrono::milliseconds(ms));
    }
}

QTEST_APPLESS_MAIN(TestDuration)
#include "tst_duration.moc"
