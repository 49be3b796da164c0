// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace loadbench::test {

// A raw-TCP HTTP/1.1 server on 127.0.0.1 and a free port, for faults the real service does not
// make: it answers each request with the status, delay and headers a callback chooses, or never
// answers, or closes the connection after answering; it can close connections left idle, and
// it counts connections and requests in flight and keeps what each request said. Runs on the
// thread that created it.
class MockHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Reply {
        int status = 200;
        int delayMs = 0;
        bool never = false; // accept and read the request, never answer
        QByteArray body = QByteArrayLiteral("{\"status\":\"ok\"}");
        QList<QPair<QByteArray, QByteArray>> headers = {}; // more response headers
        bool close = false; // send "Connection: close" and close after answering
        bool reset = false; // instead of answering, reset the connection (TCP RST)
    };
    // A request as it arrived.
    struct Request {
        QByteArray method;
        QByteArray path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        int connection = 0; // 1 for the first connection accepted, ...
        QByteArray header(const QByteArray &name) const;
    };
    using Behaviour = std::function<Reply(int requestIndex)>;

    explicit MockHttpServer(Behaviour behaviour = {}, QObject *parent = nullptr);
    ~MockHttpServer() override;
    bool listen();
    QString url() const;

    // CASES.md BC-03's stall: a request arriving at t in [fromMs, toMs) is answered at toMs,
    // t counted from the first request this server saw.
    void holdWindow(int fromMs, int toMs)
    {
        m_holdFromMs = fromMs;
        m_holdToMs = toMs;
    }

    int connectionsAccepted() const { return m_connectionsAccepted; }
    int requestsSeen() const { return m_requestsSeen; }
    int peakInFlight() const { return m_peakInFlight; }
    const QList<Request> &requests() const { return m_requests; }
    // Close a connection that stayed idle this long after its last answer (0: never), as a
    // server's keep-alive timeout does.
    void setIdleTimeoutMs(int ms) { m_idleTimeoutMs = ms; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Behaviour m_behaviour;
    void armIdleTimer(QTcpSocket *socket);

    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, int> m_connectionNumbers;
    QList<Request> m_requests;
    int m_idleTimeoutMs = 0;
    int m_connectionsAccepted = 0;
    int m_requestsSeen = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    int m_holdFromMs = -1;
    int m_holdToMs = -1;
    QElapsedTimer m_sinceFirstRequest;
};

} // namespace loadbench::test
