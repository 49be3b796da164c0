// SPDX-License-Identifier: GPL-3.0-or-later
#include "mockhttpserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace loadbench::test {

MockHttpServer::MockHttpServer(Behaviour behaviour, QObject *parent)
    : QObject(parent)
    , m_behaviour(behaviour ? std::move(behaviour) : [](int) { return Reply{}; })
{
    connect(&m_server, &QTcpServer::newConnection, this, &MockHttpServer::onNewConnection);
}

MockHttpServer::~MockHttpServer()
{
    // The sockets die with m_server, after m_buffers: their disconnected() must not reach us.
    const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets)
        socket->disconnect(this);
}

bool MockHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString MockHttpServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/mock").arg(m_server.serverPort());
}

void MockHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_connectionsAccepted;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void MockHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    qsizetype end;
    // Bodiless requests only: each ends at the blank line.
    while ((end = buffer.indexOf("\r\n\r\n")) >= 0) {
        buffer.remove(0, end + 4);
        Reply reply = m_behaviour(m_requestsSeen++);
        if (!m_sinceFirstRequest.isValid())
            m_sinceFirstRequest.start();
        const qint64 t = m_sinceFirstRequest.elapsed();
        if (t >= m_holdFromMs && t < m_holdToMs)
            reply.delayMs = std::max(reply.delayMs, int(m_holdToMs - t));
        ++m_inFlight;
        m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
        if (reply.never)
            continue;
        QPointer<QTcpSocket> guarded(socket);
        QTimer::singleShot(reply.delayMs, this, [this, guarded, reply] {
            --m_inFlight;
            if (!guarded)
                return;
            guarded->write("HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\nContent-Type: application/json\r\n"
                           "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n" + reply.body);
        });
    }
}

} // namespace loadbench::test
