// SPDX-License-Identifier: GPL-3.0-or-later
// The native engine's steady state (issue 4): on a kept-alive connection, a request costs no
// heap allocation on the VU's thread, and neither does a VU's iteration around it. Counted,
// not timed: every operator new on the test's thread is counted while a client sends
// thousands of requests to a plain blocking server on its own thread (which allocates nothing
// per request either, so nothing of Qt's server machinery is in the count).
#include "engine/clock.h"
#include "engine/nativeclient.h"
#include "engine/runner.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

namespace {

thread_local bool t_counting = false;
thread_local long t_allocations = 0;
// Counting on every thread but the one marked: the runner's own (main) thread builds snapshots
// once a second; the worker threads run the VUs and must not allocate per request.
std::atomic<bool> g_countingOthers{false};
std::atomic<long> g_otherAllocations{0};
thread_local bool t_notCounted = false;

} // namespace

// Counting allocator: malloc itself (Qt's containers allocate with malloc, operator new ends
// in it too), forwarding to glibc's own implementation. Not in sanitizer builds, which
// interpose malloc themselves; the test then skips.
#if defined(__SANITIZE_ADDRESS__)
#define LOADBENCH_COUNTS_ALLOCATIONS 0
#else
#define LOADBENCH_COUNTS_ALLOCATIONS 1
extern "C" {
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t size);

static inline void countAllocation()
{
    if (t_counting)
        ++t_allocations;
    if (g_countingOthers.load(std::memory_order_relaxed) && !t_notCounted)
        g_otherAllocations.fetch_add(1, std::memory_order_relaxed);
}

void *malloc(size_t size)
{
    countAllocation();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    countAllocation();
    return __libc_calloc(count, size);
}

void *realloc(void *p, size_t size)
{
    countAllocation();
    return __libc_realloc(p, size);
}
}
#endif

using namespace loadbench;

namespace {

// A keep-alive HTTP/1.1 server on 127.0.0.1 for one connection at a time, with blocking
// sockets and fixed buffers: it answers every request head with the same 200.
class PlainServer
{
public:
    PlainServer()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof a;
        if (::bind(m_listen, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(m_listen, 16) != 0
            || ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&a), &length) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~PlainServer()
    {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        if (m_thread.joinable())
            m_thread.join();
    }
    int port() const { return m_port; }
    long requests() const { return m_requests.load(); }

private:
    void serve()
    {
        static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
                                     "{\"status\":\"ok\"}";
        char buffer[8192];
        while (!m_stop) {
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                return;
            size_t held = 0;
            for (;;) {
                const ssize_t n = ::read(fd, buffer + held, sizeof buffer - held);
                if (n <= 0)
                    break;
                held += size_t(n);
                // Answer every complete head in the buffer (bodiless GETs).
                for (;;) {
                    const char *end = static_cast<const char *>(memmem(buffer, held, "\r\n\r\n", 4));
                    if (!end)
                        break;
                    const size_t used = size_t(end - buffer) + 4;
                    std::memmove(buffer, buffer + used, held - used);
                    held -= used;
                    ++m_requests;
                    if (::write(fd, answer, sizeof answer - 1) < 0)
                        break;
                }
            }
            ::close(fd);
        }
    }

    int m_listen = -1;
    int m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<long> m_requests{0};
};

} // namespace

class TestNativeSteadyState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noAllocationPerRequest_data();
    void noAllocationPerRequest();
    void noAllocationPerIteration_data();
    void noAllocationPerIteration();
};

void TestNativeSteadyState::noAllocationPerRequest_data()
{
    QTest::addColumn<bool>("statusCheck");
    QTest::addRow("no checks") << false;
    QTest::addRow("status check") << true; // the default target's check: it needs no body
}

void TestNativeSteadyState::noAllocationPerRequest()
{
    QFETCH(bool, statusCheck);
    if (!LOADBENCH_COUNTS_ALLOCATIONS)
        QSKIP("the sanitizers count allocations their own way");
    // The counter counts (a test that cannot see an allocation proves nothing): a QByteArray
    // and an operator new, one malloc each.
    t_allocations = 0;
    t_counting = true;
    {
        QByteArray bytes(100, 'x');
        auto *p = static_cast<int *>(::operator new(sizeof(int)));
        ::operator delete(p);
    }
    t_counting = false;
    QCOMPARE(t_allocations, 2L);

    PlainServer server;
    QVERIFY(server.port() > 0);
    TargetConfig target;
    target.url = QUrl(QStringLiteral("http://127.0.0.1:%1/api/health").arg(server.port()));
    target.expectedStatus = statusCheck ? 200 : 0;
    const PlannedRequest request = target.plan().first();

    constexpr int warmUp = 200;   // the connection, the loop's arrays, Qt's first timers
    constexpr int measured = 3000;
    NativeClient client;
    int done = 0;
    int failures = 0;
    long allocations = 0;
    QEventLoop loop;
    const qint64 runStart = steadyNowNs();
    connect(&client, &HttpClient::finished, &client, [&](const RequestSample &sample, const HttpResponse &response) {
        if (sample.status != 200 || sample.errorCode != 0)
            ++failures;
        if (statusCheck && !request.checks.first().passes(CheckedResponse(sample.status, response)))
            ++failures;
        ++done;
        if (done == warmUp) {
            t_allocations = 0;
            t_counting = true;
        }
        if (done == warmUp + measured) {
            t_counting = false;
            allocations = t_allocations;
            loop.quit();
            return;
        }
        client.send(request, runStart);
    });
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit); // a hang fails below, it does not hang ctest
    client.send(request, runStart);
    loop.exec();
    t_counting = false;
    QCOMPARE(done, warmUp + measured);
    QCOMPARE(failures, 0);
    QCOMPARE(server.requests(), long(warmUp + measured));
    qInfo("%ld allocations on the VU's thread over %d requests", allocations, measured);
    // Qt's event loop may allocate now and then (a timer re-armed once); a request may not.
    QVERIFY2(allocations <= measured / 100, qPrintable(QStringLiteral("%1 allocations for %2 requests").arg(allocations).arg(measured)));
}

void TestNativeSteadyState::noAllocationPerIteration_data()
{
    QTest::addColumn<QString>("target");   // the target's fields after its url
    QTest::addColumn<QString>("executor"); // the scenario's fields but engine and duration
    QTest::addRow("constant-vus") << QString() << R"("executor": "constant-vus", "vus": 2)";
    // Think time and arrival-rate starts are deadlines on the native loop, not QTimers (whose
    // start allocates in Qt 6.4).
    // One VU: PlainServer serves one connection at a time.
    QTest::addRow("think time") << R"(, "thinkTime": "200us")" << R"("executor": "constant-vus", "vus": 1)";
    QTest::addRow("constant-arrival-rate")
        << QString() << R"("executor": "constant-arrival-rate", "rate": 2000, "timeUnit": "1s", "preAllocatedVUs": 1)";
}

void TestNativeSteadyState::noAllocationPerIteration()
{
    // The whole VU path on a worker thread: the executor granting iterations, VirtualUser,
    // the native client, the status check, and the worker recording every metric, as a run
    // does it: a 3 s run on one worker thread, counted for one second in its middle on every
    // thread but this one.
    QFETCH(QString, target);
    QFETCH(QString, executor);
    if (!LOADBENCH_COUNTS_ALLOCATIONS)
        QSKIP("the sanitizers count allocations their own way");
    PlainServer server;
    QVERIFY(server.port() > 0);
    QString why;
    const std::optional<Scenario> scenario = Scenario::fromJson(
        QStringLiteral(R"({"target": {"url": "http://127.0.0.1:%1/api/health"%2},
            "scenarios": {"steady": {%3, "duration": "3s", "engine": "native"}},
            "thresholds": {"http_req_duration": ["p(95)<1000"], "http_req_failed": ["rate<0.01"]}})")
            .arg(server.port()).arg(target, executor).toUtf8(), &why);
    QVERIFY2(scenario, qPrintable(why));
    RunOptions options;
    options.workerThreads = 1;
    Runner runner(*scenario, options);
    QSignalSpy finished(&runner, &Runner::finished);
    t_notCounted = true;
    long requestsBefore = 0, requestsAfter = 0;
    QTimer::singleShot(1000, this, [&] {
        requestsBefore = server.requests();
        g_otherAllocations = 0;
        g_countingOthers = true;
    });
    QTimer::singleShot(2000, this, [&] {
        g_countingOthers = false;
        requestsAfter = server.requests();
    });
    runner.start();
    QVERIFY(finished.wait(30'000));
    t_notCounted = false;
    const long requests = requestsAfter - requestsBefore;
    const long allocations = g_otherAllocations.load();
    qInfo("%ld allocations off the runner's thread over %ld requests", allocations, requests);
    QVERIFY2(requests > 500, qPrintable(QString::number(requests)));
    // Nothing lost or counted twice across the once-a-second collections, which swap the
    // worker's metrics under its running requests without a lock.
    const Summary summary = finished.first().first().value<Summary>();
    QCOMPARE(qint64(summary.metrics->httpReqs), qint64(server.requests()));
    QCOMPARE(summary.metrics->trend(TrendMetric::HttpReqDuration).count(), summary.metrics->httpReqs);
    QCOMPARE(summary.metrics->httpReqFailed, 0u);
    // The once-a-second collection allocates a fixed few dozen (49 measured) whatever the rate;
    // one allocation per iteration would be a thousand and more.
    QVERIFY2(allocations <= 64 + requests / 100,
             qPrintable(QStringLiteral("%1 allocations for %2 requests").arg(allocations).arg(requests)));
}

QTEST_GUILESS_MAIN(TestNativeSteadyState)
#include "tst_nativesteadystate.moc"
