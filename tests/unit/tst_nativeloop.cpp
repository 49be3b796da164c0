// SPDX-License-Identifier: GPL-3.0-or-later
// NativeLoop, the native engine's per-thread epoll loop: its deadline heap fires timers in
// order and forgets cancelled ones (a request that completes removes its timeout), deferred
// calls run after the current batch and never starve Qt's own events, a watcher that closes
// its descriptor gets no stale event, and HTTP/1.1 request bytes are formatted as sent.
#include "engine/clock.h"
#include "engine/nativeloop.h"
#include "scenario/target.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

using namespace loadbench;

namespace {

struct Recorder final : NativeLoop::Timer {
    QList<int> *fired = nullptr;
    int id = 0;
    void onTimer() override { fired->append(id); }
};

// Notes the steady time it fired at.
struct Stamp final : NativeLoop::Timer {
    qint64 firedNs = 0;
    void onTimer() override { firedNs = steadyNowNs(); }
};

struct Counter final : NativeLoop::Deferred {
    NativeLoop *loop = nullptr;
    int runs = 0;
    bool again = false; // queue itself again each time: must not spin inside one turn
    void runDeferred() override
    {
        ++runs;
        if (again)
            loop->defer(this);
    }
};

struct SocketWatcher final : NativeLoop::Watcher {
    int events = 0;
    std::function<void()> onEvent;
    void onEvents(std::uint32_t) override
    {
        ++events;
        if (onEvent)
            onEvent();
    }
};

} // namespace

class TestNativeLoop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timersFireInDeadlineOrder();
    void subMillisecondDeadlinesNeverFireEarly();
    void cancelledTimersNeverFire();
    void rescheduleMovesATimer();
    void deferredRunsLaterAndYields();
    void closedWatcherGetsNoStaleEvent();
    void oneLoopPerThread();
    void http1Request();
};

void TestNativeLoop::timersFireInDeadlineOrder()
{
    NativeLoop *loop = NativeLoop::acquire();
    QList<int> fired;
    std::vector<Recorder> timers(200);
    const qint64 now = steadyNowNs();
    QList<int> expected;
    // Shuffled deadlines 10..209 ms out: they must fire sorted.
    QList<int> order;
    for (int i = 0; i < 200; ++i)
        order << i;
    std::shuffle(order.begin(), order.end(), *QRandomGenerator::global());
    for (int i : order) {
        timers[size_t(i)].fired = &fired;
        timers[size_t(i)].id = i;
        loop->schedule(&timers[size_t(i)], now + (10 + i) * 1'000'000LL);
    }
    for (int i = 0; i < 200; ++i)
        expected << i;
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 200, 5000);
    QCOMPARE(fired, expected);
    for (const Recorder &t : timers)
        QVERIFY(!t.isScheduled());
    NativeLoop::release(loop);
}

void TestNativeLoop::subMillisecondDeadlinesNeverFireEarly()
{
    // Deadlines are kept to the nanosecond (a timerfd in the epoll set), not rounded to Qt's
    // milliseconds: deadlines 37 µs apart each fire, in order, never before their time; one
    // already past fires at the next turn.
    NativeLoop *loop = NativeLoop::acquire();
    std::vector<Stamp> stamps(40);
    const qint64 start = steadyNowNs();
    QList<qint64> deadlines;
    for (size_t i = 0; i < stamps.size(); ++i) {
        const qint64 at = i == 0 ? start - 1'000'000 : start + qint64(i) * 37'000;
        deadlines << at;
        loop->schedule(&stamps[i], at);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(stamps.begin(), stamps.end(), [](const Stamp &s) { return s.firedNs != 0; }), 5000);
    for (size_t i = 0; i < stamps.size(); ++i) {
        QVERIFY2(stamps[i].firedNs >= deadlines[qsizetype(i)],
                 qPrintable(QStringLiteral("timer %1 fired %2 ns early").arg(i).arg(deadlines[qsizetype(i)] - stamps[i].firedNs)));
        if (i > 0)
            QVERIFY(stamps[i].firedNs >= stamps[i - 1].firedNs);
    }
    NativeLoop::release(loop);
}

void TestNativeLoop::cancelledTimersNeverFire()
{
    NativeLoop *loop = NativeLoop::acquire();
    QList<int> fired;
    std::vector<Recorder> timers(100);
    const qint64 now = steadyNowNs();
    for (int i = 0; i < 100; ++i) {
        timers[size_t(i)].fired = &fired;
        timers[size_t(i)].id = i;
        loop->schedule(&timers[size_t(i)], now + (20 + (i * 37) % 100) * 1'000'000LL);
    }
    // Cancel the odd ones, from the middle of the heap as much as from its top.
    for (int i = 1; i < 100; i += 2)
        loop->cancel(&timers[size_t(i)]);
    QTest::qWait(250);
    QCOMPARE(fired.size(), 50);
    for (int id : std::as_const(fired))
        QVERIFY2(id % 2 == 0, qPrintable(QString::number(id)));
    for (int i = 1; i < fired.size(); ++i)
        QVERIFY(timers[size_t(fired[i - 1])].deadlineNs() <= timers[size_t(fired[i])].deadlineNs());
    NativeLoop::release(loop);
}

void TestNativeLoop::rescheduleMovesATimer()
{
    NativeLoop *loop = NativeLoop::acquire();
    QList<int> fired;
    Recorder early, late;
    early.fired = late.fired = &fired;
    early.id = 1;
    late.id = 2;
    const qint64 now = steadyNowNs();
    loop->schedule(&early, now + 30'000'000);
    loop->schedule(&late, now + 60'000'000);
    loop->schedule(&early, now + 90'000'000); // later now: fires after `late`
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 2, 2000);
    QCOMPARE(fired, (QList<int>{2, 1}));
    // A deadline never fires early, even though the Qt timer counts whole milliseconds.
    const qint64 start = steadyNowNs();
    loop->schedule(&early, start + 5'500'000);
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 3, 2000);
    NativeLoop::release(loop);
}

void TestNativeLoop::deferredRunsLaterAndYields()
{
    NativeLoop *loop = NativeLoop::acquire();
    Counter once;
    once.loop = loop;
    loop->defer(&once);
    loop->defer(&once); // queued once only
    QCOMPARE(once.runs, 0); // never inside the caller
    QTRY_COMPARE(once.runs, 1);
    QTest::qWait(20);
    QCOMPARE(once.runs, 1);

    // A call that queues itself again runs once per turn of the loop: Qt's timers still fire.
    Counter spinning;
    spinning.loop = loop;
    spinning.again = true;
    loop->defer(&spinning);
    bool timerFired = false;
    QTimer::singleShot(10, this, [&] { timerFired = true; });
    QTRY_VERIFY_WITH_TIMEOUT(timerFired, 2000);
    QVERIFY(spinning.runs > 1);
    loop->cancel(&spinning);
    const int runs = spinning.runs;
    QTest::qWait(20);
    QCOMPARE(spinning.runs, runs);
    NativeLoop::release(loop);
}

void TestNativeLoop::closedWatcherGetsNoStaleEvent()
{
    NativeLoop *loop = NativeLoop::acquire();
    int a[2], b[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, a), 0);
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, b), 0);
    SocketWatcher first, second;
    QVERIFY(loop->watch(a[0], EPOLLIN, &first));
    QVERIFY(loop->watch(b[0], EPOLLIN, &second));
    // Both readable in one batch; whichever runs first unwatches the other, which must then
    // not be called with the event already collected for it.
    first.onEvent = [&] {
        loop->unwatch(a[0], &first);
        loop->unwatch(b[0], &second);
    };
    second.onEvent = [&] {
        loop->unwatch(b[0], &second);
        loop->unwatch(a[0], &first);
    };
    QCOMPARE(::write(a[1], "x", 1), 1);
    QCOMPARE(::write(b[1], "x", 1), 1);
    QTRY_COMPARE(first.events + second.events, 1);
    QTest::qWait(20);
    QCOMPARE(first.events + second.events, 1);
    for (int fd : {a[0], a[1], b[0], b[1]})
        ::close(fd);
    NativeLoop::release(loop);
}

void TestNativeLoop::oneLoopPerThread()
{
    NativeLoop *mine = NativeLoop::acquire();
    QCOMPARE(NativeLoop::current(), mine);
    QCOMPARE(NativeLoop::acquire(), mine);
    NativeLoop *theirs = nullptr;
    NativeLoop *theirsCurrentAfterRelease = mine;
    QThread *thread = QThread::create([&] {
        theirs = NativeLoop::acquire();
        NativeLoop::release(theirs);
        theirsCurrentAfterRelease = NativeLoop::current();
    });
    thread->start();
    QVERIFY(thread->wait(5000));
    delete thread;
    QVERIFY(theirs && theirs != mine);
    QCOMPARE(theirsCurrentAfterRelease, nullptr);
    NativeLoop::release(mine);
    QCOMPARE(NativeLoop::current(), mine);
    NativeLoop::release(mine);
    QCOMPARE(NativeLoop::current(), nullptr);
}

void TestNativeLoop::http1Request()
{
    TargetConfig target;
    target.url = QUrl(QStringLiteral("http://[::1]:8080/api/items?page=2&q=a%20b#frag"));
    target.method = "POST";
    target.headers = {{"Content-Type", "application/json"}};
    target.body = R"({"a":1})";
    const PlannedRequest p = target.plan().first();
    QCOMPARE(p.wire, QByteArray("POST /api/items?page=2&q=a%20b HTTP/1.1\r\n"
                                "Host: [::1]:8080\r\n"
                                "User-Agent: loadbench/" LOADBENCH_VERSION "\r\n"
                                "Accept-Encoding: identity\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: 7\r\n"
                                "\r\n"
                                R"({"a":1})"));
    // No path: "/"; the request's own User-Agent and Accept-Encoding replace ours; a bodiless
    // GET has no length.
    target.url = QUrl(QStringLiteral("http://example.test"));
    target.method = "GET";
    target.body.clear();
    target.headers = {{"user-agent", "k6/0.47"}, {"accept-encoding", "gzip"}};
    QCOMPARE(target.plan().first().wire,
             QByteArray("GET / HTTP/1.1\r\nHost: example.test\r\nuser-agent: k6/0.47\r\naccept-encoding: gzip\r\n\r\n"));
    // A bodiless POST says so, as Go does.
    target.method = "POST";
    target.headers.clear();
    QVERIFY(target.plan().first().wire.contains("\r\nContent-Length: 0\r\n"));
}

QTEST_GUILESS_MAIN(TestNativeLoop)
#include "tst_nativeloop.moc"
