// SPDX-License-Identifier: GPL-3.0-or-later
// QnamClient alone against loopback servers: the phases add up, connecting shows exactly the
// new connections, and failures carry k6's status, error and error_code.
#include "engine/clock.h"
#include "engine/qnamclient.h"
#include "mockhttpserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

using namespace loadbench;
using namespace loadbench::test;
using namespace std::chrono_literals;

namespace {

PlannedRequest get(const QString &url, Nanoseconds timeout = 10s)
{
    TargetConfig target;
    target.url = QUrl(url);
    target.timeout = timeout;
    return target.plan().first();
}

// Sends one request and waits for its sample.
RequestSample exchange(QnamClient &client, const PlannedRequest &request, HttpResponse *response = nullptr,
                       int waitMs = 15'000)
{
    QSignalSpy spy(&client, &HttpClient::finished);
    client.send(request, steadyNowNs());
    if (!spy.wait(waitMs))
        qFatal("no answer within %d ms", waitMs);
    if (response)
        *response = spy.first().at(1).value<HttpResponse>();
    return spy.first().first().value<RequestSample>();
}

QString phases(const RequestSample &s)
{
    return QStringLiteral("duration %1 = sending %2 + waiting %3 + receiving %4; blocked %5, connecting %6")
        .arg(s.durationNs).arg(s.sendingNs).arg(s.waitingNs).arg(s.receivingNs).arg(s.blockedNs).arg(s.connectingNs);
}

void verifyAddsUp(const RequestSample &s)
{
    QVERIFY2(s.sendingNs >= 0 && s.waitingNs >= 0 && s.receivingNs >= 0, qPrintable(phases(s)));
    QVERIFY2(s.sendingNs + s.waitingNs + s.receivingNs == s.durationNs, qPrintable(phases(s)));
    // Blocked and connecting are parts of sending (Qt's duration starts at send()).
    QVERIFY2(s.connectingNs <= s.blockedNs && s.blockedNs <= s.sendingNs, qPrintable(phases(s)));
    QCOMPARE(s.tlsHandshakingNs, 0);
}

// A port with nothing listening: bind one, then let it go.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

Q_DECLARE_METATYPE(loadbench::RequestSample)
Q_DECLARE_METATYPE(loadbench::HttpResponse)

class TestQnamClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void phasesAddUpAndConnectingMarksNewConnections();
    void connectionCloseOpensANewConnection();
    void idleCloseByTheServerIsNoError();
    void waitingHoldsTheServersTime();
    void httpErrorHasK6Code();
    void refusedConnection();
    void unknownHost();
    void requestTimeout();
    void dialTimeout();
    void resetByPeer();
};

void TestQnamClient::initTestCase()
{
    qRegisterMetaType<RequestSample>();
    qRegisterMetaType<HttpResponse>();
}

void TestQnamClient::phasesAddUpAndConnectingMarksNewConnections()
{
    MockHttpServer server;
    QVERIFY(server.listen());
    QnamClient client;
    const PlannedRequest request = get(server.url());
    QList<RequestSample> samples;
    for (int i = 0; i < 5; ++i)
        samples << exchange(client, request);
    QCOMPARE(server.connectionsAccepted(), 1);
    qInfo("new connection: %s", qPrintable(phases(samples[0])));
    qInfo("kept alive:     %s", qPrintable(phases(samples[1])));
    for (int i = 0; i < samples.size(); ++i) {
        const RequestSample &s = samples[i];
        verifyAddsUp(s);
        QCOMPARE(s.status, 200);
        QVERIFY(s.expected);
        QCOMPARE(s.proto, QStringLiteral("HTTP/1.1"));
        QCOMPARE(s.errorCode, 0);
        QCOMPARE(s.method, QStringLiteral("GET"));
        QCOMPARE(s.url, server.url());
        QCOMPARE(s.name, server.url());
        // Only the first request opened the kept-alive connection.
        if (i == 0) {
            QVERIFY2(s.connectingNs > 0, qPrintable(phases(s)));
            QVERIFY2(s.blockedNs > 0, qPrintable(phases(s)));
        } else {
            QVERIFY2(s.connectingNs == 0 && s.blockedNs == 0, qPrintable(phases(s)));
        }
    }
}

void TestQnamClient::connectionCloseOpensANewConnection()
{
    // CASES.md BC-15 C: the server answers request 2 with Connection: close and closes; request
    // 3 opens a new connection (connecting > 0 again) and nothing is an error.
    MockHttpServer server([](int i) {
        MockHttpServer::Reply reply;
        reply.close = i == 1;
        return reply;
    });
    QVERIFY(server.listen());
    QnamClient client;
    const PlannedRequest request = get(server.url());
    QList<RequestSample> samples;
    for (int i = 0; i < 4; ++i)
        samples << exchange(client, request);
    QCOMPARE(server.connectionsAccepted(), 2);
    const QList<bool> newConnection = {true, false, true, false};
    for (int i = 0; i < samples.size(); ++i) {
        verifyAddsUp(samples[i]);
        QCOMPARE(samples[i].status, 200);
        QCOMPARE(samples[i].errorCode, 0);
        QVERIFY2((samples[i].connectingNs > 0) == newConnection[i], qPrintable(QString::number(i) + u' ' + phases(samples[i])));
    }
    QCOMPARE(server.requests().at(2).connection, 2);
}

void TestQnamClient::idleCloseByTheServerIsNoError()
{
    // CASES.md BC-15 A, scaled down: the server closes connections idle for 300 ms; a request
    // after a 700 ms pause needs a new connection, one after 50 ms reuses it. No failures.
    MockHttpServer server;
    server.setIdleTimeoutMs(300);
    QVERIFY(server.listen());
    QnamClient client;
    const PlannedRequest request = get(server.url());
    const RequestSample first = exchange(client, request);
    QTest::qWait(700);
    const RequestSample second = exchange(client, request);
    QTest::qWait(50);
    const RequestSample third = exchange(client, request);
    for (const RequestSample &s : {first, second, third}) {
        verifyAddsUp(s);
        QCOMPARE(s.status, 200);
        QCOMPARE(s.errorCode, 0);
    }
    QCOMPARE(server.connectionsAccepted(), 2);
    QVERIFY(first.connectingNs > 0);
    QVERIFY2(second.connectingNs > 0, qPrintable(phases(second)));
    QCOMPARE(third.connectingNs, 0);
}

void TestQnamClient::waitingHoldsTheServersTime()
{
    // The server's 100 ms lands in waiting: a late or batched signal may move time into an
    // earlier phase, never out of the request.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 100}; });
    QVERIFY(server.listen());
    QnamClient client;
    for (int i = 0; i < 3; ++i) {
        const RequestSample s = exchange(client, get(server.url()));
        verifyAddsUp(s);
        QVERIFY2(s.durationNs >= 100'000'000, qPrintable(phases(s)));
        QVERIFY2(s.sendingNs + s.waitingNs >= 100'000'000, qPrintable(phases(s)));
    }
}

void TestQnamClient::httpErrorHasK6Code()
{
    MockHttpServer server([](int) {
        MockHttpServer::Reply reply{429, 0};
        reply.headers = {{"Retry-After", "1"}};
        return reply;
    });
    QVERIFY(server.listen());
    QnamClient client;
    HttpResponse response;
    PlannedRequest request = get(server.url());
    // A check on the body keeps it; without one the body is counted and dropped.
    request.checks.append(Check{Check::Kind::BodyContains, QString(), 0, QStringLiteral("ok"), {}});
    RequestSample s = exchange(client, request, &response);
    verifyAddsUp(s);
    QCOMPARE(s.status, 429);
    QVERIFY(!s.expected);
    QCOMPARE(s.errorCode, 1429); // k6: 1000 + status, and no error text
    QVERIFY(s.error.isEmpty());
    QCOMPARE(s.proto, QStringLiteral("HTTP/1.1"));
    QVERIFY(std::any_of(response.headers.begin(), response.headers.end(),
                        [](const auto &h) { return h.first == "Retry-After" && h.second == "1"; }));
    QCOMPARE(response.body, QByteArray("{\"status\":\"ok\"}"));
    const quint64 withBody = s.bytesReceived;
    s = exchange(client, get(server.url()), &response);
    QCOMPARE(s.status, 429);
    QVERIFY(response.body.isEmpty());
    QCOMPARE(s.bytesReceived, withBody);
}

void TestQnamClient::refusedConnection()
{
    QnamClient client;
    const QString url = QStringLiteral("http://127.0.0.1:%1/x").arg(closedPort());
    const RequestSample s = exchange(client, get(url));
    QCOMPARE(s.status, 0);
    QVERIFY(!s.expected);
    QCOMPARE(s.errorCode, 1212);
    QCOMPARE(s.error, QStringLiteral("dial: connection refused"));
    QVERIFY(s.proto.isEmpty());
    QCOMPARE(s.url, url);
    // Never on the wire: every phase 0, as k6 records a failed dial.
    QCOMPARE(s.durationNs, 0);
    QCOMPARE(s.blockedNs + s.connectingNs + s.sendingNs + s.waitingNs + s.receivingNs, 0);
    QCOMPARE(s.bytesSent, 0u);
}

void TestQnamClient::unknownHost()
{
    QnamClient client;
    const RequestSample s = exchange(client, get(QStringLiteral("http://nonexistent.invalid/")), nullptr, 30'000);
    QCOMPARE(s.status, 0);
    QCOMPARE(s.errorCode, 1101);
    QCOMPARE(s.error, QStringLiteral("lookup: no such host"));
    QCOMPARE(s.durationNs, 0);
}

void TestQnamClient::requestTimeout()
{
    // CASES.md BC-06 A, one request: the server reads the request and never answers.
    MockHttpServer server([](int) { return MockHttpServer::Reply{200, 0, true}; });
    QVERIFY(server.listen());
    QnamClient client;
    const RequestSample s = exchange(client, get(server.url(), 2s));
    verifyAddsUp(s);
    QCOMPARE(s.status, 0);
    QVERIFY(!s.expected);
    QCOMPARE(s.errorCode, 1050);
    QCOMPARE(s.error, QStringLiteral("request timeout"));
    QVERIFY(s.proto.isEmpty());
    QVERIFY2(s.durationNs >= 2'000'000'000 && s.durationNs < 2'600'000'000, qPrintable(phases(s)));
    QCOMPARE(s.receivingNs, 0); // no response byte: the wait runs to the timeout
    QVERIFY2(s.waitingNs > 1'900'000'000, qPrintable(phases(s)));
}

void TestQnamClient::dialTimeout()
{
    // A listening socket whose accept queue is full and never drained: the kernel drops
    // further SYNs, so a connect hangs, as against a black-holed host. k6's dial timeout
    // (30 s, shortened here) ends it with 1211 before the request timeout.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
    QVERIFY(::listen(fd, 0) == 0);
    socklen_t length = sizeof address;
    QVERIFY(::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0);
    const quint16 port = ntohs(address.sin_port);
    // Fill the queue (backlog 0 still admits one, and the kernel may admit one more).
    QList<int> fillers;
    for (int i = 0; i < 3; ++i) {
        const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ::connect(c, reinterpret_cast<sockaddr *>(&address), sizeof address);
        fillers << c;
    }
    QTest::qWait(100);

    QnamClient client;
    client.setDialTimeout(500ms);
    const RequestSample s = exchange(client, get(QStringLiteral("http://127.0.0.1:%1/").arg(port), 10s));
    for (int c : fillers)
        ::close(c);
    ::close(fd);
    if (s.errorCode == 0)
        QSKIP("this kernel accepted the connection despite the full backlog");
    QCOMPARE(s.status, 0);
    QCOMPARE(s.errorCode, 1211);
    QCOMPARE(s.error, QStringLiteral("dial: i/o timeout"));
    QCOMPARE(s.durationNs, 0);
}

void TestQnamClient::resetByPeer()
{
    // The server resets the connection instead of answering. Qt reports a reset like a close
    // (RemoteHostClosedError), after retrying once on a new connection as it does for an
    // idempotent request: k6's 1000 "EOF", never a success.
    MockHttpServer server([](int) {
        MockHttpServer::Reply reply;
        reply.reset = true;
        return reply;
    });
    QVERIFY(server.listen());
    QnamClient client;
    const RequestSample s = exchange(client, get(server.url()));
    qInfo("reset: %d %s after %d requests on %d connections", s.errorCode, qPrintable(s.error), server.requestsSeen(),
          server.connectionsAccepted());
    QCOMPARE(s.status, 0);
    QVERIFY(!s.expected);
    QCOMPARE(s.errorCode, 1000);
    QCOMPARE(s.error, QStringLiteral("EOF"));
    verifyAddsUp(s);
}

QTEST_GUILESS_MAIN(TestQnamClient)
#include "tst_qnamclient.moc"
