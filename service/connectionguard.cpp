// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionguard.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace loadbench
{

namespace
{

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 501: // RFC 9110 §15.6.2 reason phrase
        return "Not Implemented";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const GuardSettings &settings,
                                 std::shared_ptr<std::atomic<int>> openConnections,
                                 const RequestLog &log)
    : QObject(socket), m_socket(socket), m_settings(settings),
      m_openConnections(std::move(openConnections)), m_log(log), m_framer(settings.framing)
{
    // Unbounded by default: Qt would pull a flood into memory before anyone looked at it.
    m_socket->setReadBufferSize(m_settings.readBufferBytes);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onDeadline);
    // Connected before Qt sees the socket, so this slot runs first on every readyRead.
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ConnectionGuard::onBytesWritten);
    arm(Deadline::Idle, m_settings.idleTimeoutMs);
}

ConnectionGuard::~ConnectionGuard()
{
    m_openConnections->fetch_sub(1, std::memory_order_relaxed);
}

void ConnectionGuard::attachAfterHttpServer()
{
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyReadHandled);
}

void ConnectionGuard::onReadyRead()
{
    if (m_closing) {
        // Whatever still arrives after our last answer is not for Qt.
        discardUnread();
        return;
    }
    // Qt reads inside a transaction: bytesAvailable() and peek() start where it stopped.
    const qint64 available = m_socket->bytesAvailable();
    if (available > m_validatedUnread) {
        const QByteArray unread = m_socket->peek(available);
        const bool wasAtBoundary = m_framer.atRequestBoundary();
        const qint64 completedBefore = m_framer.completedRequests();
        const RequestFramer::Rejection rejection =
            m_framer.feed(QByteArrayView(unread).sliced(m_validatedUnread));
        if (rejection) {
            reject(rejection.status, rejection.reason);
            return;
        }
        m_validatedUnread = available;
        // Only when no earlier request of this read awaits Qt's answer, which would come after.
        if (m_framer.takeContinueRequest() && m_framer.completedRequests() == completedBefore)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        if (m_framer.atRequestBoundary())
            arm(Deadline::Idle, m_settings.idleTimeoutMs);
        else if (wasAtBoundary || m_framer.completedRequests() != completedBefore)
            arm(Deadline::Request, m_settings.headerTimeoutMs); // a new request began
    }
    if (m_socket->bytesToWrite() > m_settings.maxUnsentBytes) {
        discardUnread();
        m_closing = true;
        m_socket->abort();
    }
}

void ConnectionGuard::onReadyReadHandled()
{
    if (m_closing)
        return;
    m_validatedUnread = m_socket->bytesAvailable();
    // Qt 6.4 ignores Connection: close; its answers are written by now, so close after them.
    if (m_framer.closeRequested())
        startClosing();
}

void ConnectionGuard::onBytesWritten()
{
    if (m_closing) {
        shutdownWriteIfFlushed();
        return;
    }
    // The keep-alive countdown starts when the last answer has gone out, not when it was queued.
    if (m_deadline == Deadline::Idle)
        arm(Deadline::Idle, m_settings.idleTimeoutMs);
}

void ConnectionGuard::onDeadline()
{
    switch (m_deadline) {
    case Deadline::Idle:
        startClosing();
        break;
    case Deadline::Request:
        reject(408, "request not received in time");
        break;
    case Deadline::Linger:
        m_socket->abort();
        break;
    }
}

void ConnectionGuard::reject(int status, const QByteArray &reason)
{
    // Drop the unread bytes so Qt's parser never sees the offending request.
    discardUnread();
    m_log.write(m_socket->peerAddress(), m_framer.method(), m_framer.target(), status);

    const QByteArray body = QJsonDocument(QJsonObject{{u"error"_s, QString::fromLatin1(reason)}})
                                .toJson(QJsonDocument::Compact);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                          "\r\nContent-Type: application/json; charset=utf-8"
                          "\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    response += body;
    m_socket->write(response);
    startClosing();
}

void ConnectionGuard::startClosing()
{
    if (m_closing)
        return;
    m_closing = true;
    discardUnread();
    arm(Deadline::Linger, m_settings.lingerMs);
    m_socket->flush();
    shutdownWriteIfFlushed();
}

void ConnectionGuard::discardUnread()
{
    // Qt's parser may hold a transaction open, which would keep discarded bytes in memory.
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->read(m_socket->bytesAvailable());
    m_validatedUnread = 0;
}

void ConnectionGuard::shutdownWriteIfFlushed()
{
    // A lingering close, as nginx does: closing with unread input would send a reset that can
    // destroy our answer in the client's buffers before it reads it. So send FIN once the
    // answer is out, keep reading and discarding, and let the client close (or the deadline).
    if (m_writeShutDown || m_socket->bytesToWrite() > 0 ||
        m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_writeShutDown = true;
    ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
}

void ConnectionGuard::arm(Deadline deadline, int ms)
{
    m_deadline = deadline;
    m_timer.start(ms);
}

} // namespace loadbench
