// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionguard.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>

#include <atomic>
#include <memory>

class QAbstractHttpServer;

namespace loadbench
{

// The QTcpServer handed to QAbstractHttpServer::bind(): caps open connections (shared by every
// thread's server), puts a ConnectionGuard on each accepted socket, and keeps accepting after
// a transient accept() error, where QTcpServer would pause for good.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    GuardedTcpServer(const GuardSettings &settings, int maxConnections,
                     std::shared_ptr<std::atomic<int>> openConnections, const RequestLog &log,
                     QObject *parent = nullptr);

    // Binds to the HTTP server; afterwards each guard gets its second hook behind Qt's slots.
    void attachTo(QAbstractHttpServer &httpServer);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void onNewConnectionHandled();

    GuardSettings m_settings;
    int m_maxConnections;
    std::shared_ptr<std::atomic<int>> m_openConnections;
    RequestLog m_log;
    QList<QPointer<ConnectionGuard>> m_awaitingHook;
};

} // namespace loadbench
