// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/summary.h"

#include <QFile>
#include <QSysInfo>
#include <QTest>
#include <QThread>

using namespace loadbench;

class TestMachineInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void currentDescribesThisMachine();
    void memoryMatchesProcMeminfo();
    void oneLine_data();
    void oneLine();
};

void TestMachineInfo::currentDescribesThisMachine()
{
    const MachineInfo info = MachineInfo::current();
    QVERIFY(!info.cpuModel.isEmpty());
    QCOMPARE(info.cores, QThread::idealThreadCount());
    QVERIFY(info.cores > 0);
    QCOMPARE(info.os, QSysInfo::prettyProductName());
    QCOMPARE(info.qtVersion, QString::fromLatin1(qVersion()));
    QCOMPARE(info.hostName, QSysInfo::machineHostName());

    const QString line = info.oneLine();
    QVERIFY(line.startsWith(info.cpuModel + QStringLiteral(", ")));
    QVERIFY(line.contains(QStringLiteral("%1 core").arg(info.cores)));
    QVERIFY(line.endsWith(QStringLiteral(", Qt ") + info.qtVersion));
    QVERIFY(!line.contains(QStringLiteral(", , ")));
}

void TestMachineInfo::memoryMatchesProcMeminfo()
{
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (!meminfo.open(QIODevice::ReadOnly))
        QSKIP("no /proc/meminfo on this system");
    qint64 kib = 0;
    for (const QByteArray &line : meminfo.readAll().split('\n')) {
        if (line.startsWith("MemTotal:"))
            kib = line.mid(9).trimmed().split(' ').first().toLongLong();
    }
    QVERIFY(kib > 0);
    QCOMPARE(MachineInfo::current().memoryBytes, kib * 1024);

    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        const QByteArray text = cpuinfo.readAll();
        const qsizetype at = text.indexOf("model name");
        if (at >= 0) {
            const qsizetype colon = text.indexOf(':', at);
            const QByteArray model =
                text.mid(colon + 1, text.indexOf('\n', colon) - colon - 1).simplified();
            QCOMPARE(MachineInfo::current().cpuModel, QString::fromUtf8(model));
        }
    }
}

void TestMachineInfo::oneLine_data()
{
    QTest::addColumn<QString>("cpu");
    QTest::addColumn<int>("cores");
    QTest::addColumn<qint64>("memory");
    QTest::addColumn<QString>("os");
    QTest::addColumn<QString>("qt");
    QTest::addColumn<QString>("expected");
    const QString debian = QStringLiteral("Debian GNU/Linux 12 (bookworm)");
    QTest::addRow("all")
        << QStringLiteral("AMD EPYC 7B13") << 2 << qint64(25'275'871'232) << debian
        << QStringLiteral("6.4.2")
        << QStringLiteral(
               "AMD EPYC 7B13, 2 cores, 23.5 GiB RAM, Debian GNU/Linux 12 (bookworm), Qt 6.4.2");
    QTest::addRow("one core") << QStringLiteral("ARMv8") << 1 << (qint64(1) << 30) << QString()
                              << QString() << QStringLiteral("ARMv8, 1 core, 1.0 GiB RAM");
    QTest::addRow("unknown memory")
        << QString() << 8 << qint64(0) << debian << QStringLiteral("6.4.2")
        << QStringLiteral("8 cores, Debian GNU/Linux 12 (bookworm), Qt 6.4.2");
    QTest::addRow("nothing") << QString() << 0 << qint64(0) << QString() << QString() << QString();
}

void TestMachineInfo::oneLine()
{
    QFETCH(QString, cpu);
    QFETCH(int, cores);
    QFETCH(qint64, memory);
    QFETCH(QString, os);
    QFETCH(QString, qt);
    QFETCH(QString, expected);
    MachineInfo info;
    info.cpuModel = cpu;
    info.cores = cores;
    info.memoryBytes = memory;
    info.os = os;
    info.qtVersion = qt;
    info.hostName = QStringLiteral("secret-host");
    QCOMPARE(info.oneLine(), expected);
}

QTEST_APPLESS_MAIN(TestMachineInfo)
#include "tst_machineinfo.moc"
