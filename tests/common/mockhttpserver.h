// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace loadbench::test {

// A raw-TCP HTTP/1.1 server on 127.0.0.1 and a free port, for faults the real service does not
// make: it answers each request with the status and delay a callback chooses, or never answers,
// and counts connections and requests in flight. Runs on the thread that created it.
class MockHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Reply {
        int status = 200;
        int delayMs = 0;
        bool never = false; // accept and read the request, never answer
        QByteArray body = QByteArrayLiteral("{\"status\":\"ok\"}");
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

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Behaviour m_behaviour;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_connectionsAccepted = 0;
    int m_requestsSeen = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    int m_holdFromMs = -1;
    int m_holdToMs = -1;
    QElapsedTimer m_sinceFirstRequest;
};

} // namespace loadbench::test
