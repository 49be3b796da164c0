// SPDX-License-Identifier: GPL-3.0-or-later
#include "guardedtcpserver.h"

#include <QAbstractHttpServer>
#include <QTcpSocket>
#include <QTimer>

#include <unistd.h>

namespace loadbench
{

namespace
{
constexpr int kAcceptRetryMs = 100;
}

GuardedTcpServer::GuardedTcpServer(const GuardSettings &settings, int maxConnections,
                                   std::shared_ptr<std::atomic<int>> openConnections,
                                   const RequestLog &log, QObject *parent)
    : QTcpServer(parent), m_settings(settings), m_maxConnections(maxConnections),
      m_openConnections(std::move(openConnections)), m_log(log)
{
    // EMFILE and friends pass once connections close; QTcpServer would stop accepting forever.
    connect(this, &QTcpServer::acceptError, this,
            [this] { QTimer::singleShot(kAcceptRetryMs, this, &QTcpServer::resumeAccepting); });
}

void GuardedTcpServer::attachTo(QAbstractHttpServer &httpServer)
{
    httpServer.bind(this);
    // Qt 6.4 connects to newConnection inside bind(); connecting after it runs this after Qt's
    // handler, when Qt has connected its readyRead slot to the new sockets.
    connect(this, &QTcpServer::newConnection, this, &GuardedTcpServer::onNewConnectionHandled);
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    // Refusing by closing at once costs nothing; a 503 would need the very buffers we protect.
    if (m_openConnections->fetch_add(1, std::memory_order_relaxed) >= m_maxConnections) {
        m_openConnections->fetch_sub(1, std::memory_order_relaxed);
        ::close(static_cast<int>(socketDescriptor));
        return;
    }
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        m_openConnections->fetch_sub(1, std::memory_order_relaxed);
        ::close(static_cast<int>(socketDescriptor));
        delete socket;
        return;
    }
    m_awaitingHook.append(new ConnectionGuard(socket, m_settings, m_openConnections, m_log));
    addPendingConnection(socket);
}

void GuardedTcpServer::onNewConnectionHandled()
{
    for (const QPointer<ConnectionGuard> &guard : std::as_const(m_awaitingHook)) {
        if (guard)
            guard->attachAfterHttpServer();
    }
    m_awaitingHook.clear();
}

} // namespace loadbench
