// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QTcpServer>

#include <atomic>
#include <functional>
#include <memory>

class QTcpSocket;

namespace loadbench::test {

// A raw-TCP HTTP/1.1 server on 127.0.0.1 (or ::1) and a free port, for faults the real service
// does not make: it answers each request with the status, delay and headers a callback chooses,
// or with raw bytes written verbatim (any framing, paced or streamed), or never answers, or
// closes or resets the connection after answering; it can close connections left idle, and it
// counts connections and requests in flight and keeps what each request said. Runs on the
// thread that created it (OddServer runs one on a thread of its own); the counters and
// requests() may be read from any thread.
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
        // Raw bytes written verbatim instead of the response built from the fields above: each
        // piece after its own delay, `repeat` times in a row as fast as the client reads (a big
        // body never sits in memory whole). With `close`, the connection is closed (FIN) after
        // the last piece, with `reset` reset (RST) 50 ms after it; "Connection: close" is the
        // pieces' business.
        struct Piece {
            QByteArray bytes;
            int delayMs = 0;
            qint64 repeat = 1;
        };
        QList<Piece> raw = {};
        // What the response puts on the wire, in bytes (0 for a reset without raw pieces).
        qint64 wireBytes() const;
    };
    // A request as it arrived.
    struct Request {
        QByteArray method;
        QByteArray path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        int connection = 0; // 1 for the first connection accepted, ...
        qint64 wireBytes = 0; // the request as it came over the wire: head and body
        QByteArray header(const QByteArray &name) const;
    };
    using Behaviour = std::function<Reply(int requestIndex)>;

    explicit MockHttpServer(Behaviour behaviour = {}, QObject *parent = nullptr);
    ~MockHttpServer() override;
    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost));
    // http://127.0.0.1:PORT/mock, or http://[::1]:PORT/mock on IPv6; `path` replaces /mock.
    QString url(const QString &path = QStringLiteral("/mock")) const;

    // CASES.md BC-03's stall: a request arriving at t in [fromMs, toMs) is answered at toMs,
    // t counted from the first request this server saw.
    void holdWindow(int fromMs, int toMs)
    {
        m_holdFromMs = fromMs;
        m_holdToMs = toMs;
    }

    int connectionsAccepted() const { return m_connectionsAccepted; }
    // Connections that carried at least one request: connectionsAccepted() without probes
    // (loadbench-cli connects once before the run to name an unreachable target).
    int connectionsWithRequests() const;
    int requestsSeen() const { return m_requestsSeen; }
    int peakInFlight() const { return m_peakInFlight; }
    // Bytes written to clients so far, over every connection.
    qint64 bytesWritten() const { return m_bytesWritten; }
    QList<Request> requests() const
    {
        const QMutexLocker lock(&m_requestsMutex);
        return m_requests;
    }
    // Close a connection that stayed idle this long after its last answer (0: never), as a
    // server's keep-alive timeout does.
    void setIdleTimeoutMs(int ms) { m_idleTimeoutMs = ms; }

private:
    struct Writer; // a raw reply being written
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Reply &reply);
    void writeRaw(QTcpSocket *socket);
    void finishReply(QTcpSocket *socket, const Reply &reply);

    QTcpServer m_server;
    Behaviour m_behaviour;
    void armIdleTimer(QTcpSocket *socket);

    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, int> m_connectionNumbers;
    QHash<QTcpSocket *, std::shared_ptr<Writer>> m_writers;
    mutable QMutex m_requestsMutex;
    QList<Request> m_requests;
    QHostAddress m_address;
    int m_idleTimeoutMs = 0;
    std::atomic<int> m_connectionsAccepted = 0;
    std::atomic<int> m_requestsSeen = 0;
    int m_inFlight = 0;
    std::atomic<int> m_peakInFlight = 0;
    std::atomic<qint64> m_bytesWritten = 0;
    int m_holdFromMs = -1;
    int m_holdToMs = -1;
    QElapsedTimer m_sinceFirstRequest;
};

} // namespace loadbench::test
