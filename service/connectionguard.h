// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "requestframer.h"
#include "requestlog.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

class QTcpSocket;

namespace loadbench
{

// Limits one connection must keep. Durations in milliseconds, sizes in bytes.
struct GuardSettings {
    int idleTimeoutMs = 15000;          // no request in progress, nothing being written
    int headerTimeoutMs = 10000;        // first byte of a request to its last: slow-loris bound
    int lingerMs = 2000;                // lingering close: after our last answer, before a reset
    qint64 maxUnsentBytes = 256 * 1024; // a client that pipelines but never reads
    // Qt reads at most this much ahead; above the framer's maxRequestWireBytes, or Qt could
    // wait for the rest of a request that no longer fits.
    qint64 readBufferBytes = 128 * 1024;
    RequestFramer::Limits framing;
};

// Watches one accepted socket on behalf of Qt 6.4's QHttpServer, which has no limits of its own:
// every received byte passes the strict RequestFramer before Qt reads it; a rejected request is
// answered here (4xx/5xx, Connection: close) and never reaches Qt. Also arms the idle and
// request deadlines and closes after "Connection: close". Child of the socket, so it lives
// exactly as long as the connection and gives its slot back to the shared counter when it goes.
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    // openConnections was already incremented for this socket; the destructor decrements it.
    ConnectionGuard(QTcpSocket *socket, const GuardSettings &settings,
                    std::shared_ptr<std::atomic<int>> openConnections, const RequestLog &log);
    ~ConnectionGuard() override;

    // Call once Qt's server has connected its own readyRead slot, so ours runs after it.
    void attachAfterHttpServer();

private:
    enum class Deadline { Idle, Request, Linger };

    void onReadyRead();        // before Qt: validate the bytes Qt is about to read
    void onReadyReadHandled(); // after Qt: note what it left unread, honour Connection: close
    void onBytesWritten();
    void onDeadline();
    void reject(int status, const QByteArray &reason);
    void startClosing();
    void discardUnread();
    void shutdownWriteIfFlushed();
    void arm(Deadline deadline, int ms);

    QTcpSocket *m_socket;
    GuardSettings m_settings;
    std::shared_ptr<std::atomic<int>> m_openConnections;
    RequestLog m_log;
    RequestFramer m_framer;
    QTimer m_timer;
    Deadline m_deadline = Deadline::Idle;
    qint64 m_validatedUnread = 0; // validated bytes Qt has not read yet
    bool m_closing = false;
    bool m_writeShutDown = false;
};

} // namespace loadbench
