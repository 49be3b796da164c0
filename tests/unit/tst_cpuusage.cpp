// SPDX-License-Identifier: GPL-3.0-or-later
// CPU time for the generator-saturation check: a thread's clock read from another thread
// grows with the work that thread does, not with the time it sleeps; /proc/PID/stat lines are
// parsed however odd the command name; a process that is gone reads as unknown.
#include "platform/cpuusage.h"

#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace loadbench;

class TestCpuUsage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void threadClockCountsWorkNotSleep();
    void statLinesParsed_data();
    void statLinesParsed();
    void otherProcesses();
};

void TestCpuUsage::threadClockCountsWorkNotSleep()
{
    // Two threads for the same wall time: one spins until it has used 50 ms of CPU by its own
    // clock, one sleeps. Read from this thread, the spinner's clock shows >= 50 ms, the
    // sleeper's far less.
    std::atomic<bool> ready{false}, done{false};
    clockid_t busyClock{}, idleClock{};
    std::atomic<int> noted{0};
    std::thread busy([&] {
        busyClock = cpuusage::currentThreadClock();
        ++noted;
        const qint64 start = *cpuusage::threadNs(busyClock);
        while (*cpuusage::threadNs(busyClock) - start < 50'000'000) {
        }
        while (!done)
            std::this_thread::yield();
    });
    std::thread idle([&] {
        idleClock = cpuusage::currentThreadClock();
        ++noted;
        while (!done)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    while (noted < 2)
        std::this_thread::yield();
    const qint64 busyStart = *cpuusage::threadNs(busyClock);
    const qint64 idleStart = *cpuusage::threadNs(idleClock);
    QTRY_VERIFY_WITH_TIMEOUT(*cpuusage::threadNs(busyClock) - busyStart >= 45'000'000, 10'000);
    const qint64 idleUsed = *cpuusage::threadNs(idleClock) - idleStart;
    const qint64 busyUsed = *cpuusage::threadNs(busyClock) - busyStart;
    done = true;
    busy.join();
    idle.join();
    QVERIFY2(idleUsed < busyUsed / 4, qPrintable(QStringLiteral("idle %1 ns, busy %2 ns").arg(idleUsed).arg(busyUsed)));
    QVERIFY(cpuusage::processNs() >= busyUsed);
}

void TestCpuUsage::statLinesParsed_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<qint64>("ticks"); // -1: not a stat line
    const QByteArray tail = " S 1 2 3 4 5 6 7 8 9 10 120 30 0 0 20 0 3 0 100 200 300\n";
    QTest::addRow("plain") << QByteArray("4242 (loadbench-servi)" + tail) << qint64(150);
    QTest::addRow("spaces and parentheses in the name") << QByteArray("7 (a (b) c)" + tail) << qint64(150);
    QTest::addRow("empty") << QByteArray() << qint64(-1);
    QTest::addRow("cut short") << QByteArray("7 (x) S 1 2 3") << qint64(-1);
    QTest::addRow("not numbers") << QByteArray("7 (x) S 1 2 3 4 5 6 7 8 9 10 aa bb 0") << qint64(-1);
}

void TestCpuUsage::statLinesParsed()
{
    QFETCH(QByteArray, line);
    QFETCH(qint64, ticks);
    const std::optional<qint64> parsed = cpuusage::statCpuTicks(line);
    if (ticks < 0)
        QVERIFY(!parsed);
    else
        QCOMPARE(parsed.value_or(-1), ticks);
}

void TestCpuUsage::otherProcesses()
{
    // This process through /proc agrees in kind; a child that exited and was reaped is gone.
    QVERIFY(cpuusage::otherProcessNs(::getpid()).has_value());
    QVERIFY(!cpuusage::otherProcessNs(0));
    QVERIFY(!cpuusage::otherProcessNs(-5));
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    QVERIFY(child > 0);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(!cpuusage::otherProcessNs(child));
}

QTEST_GUILESS_MAIN(TestCpuUsage)
#include "tst_cpuusage.moc"
