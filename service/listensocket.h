// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>

namespace loadbench
{

// Listening sockets made by hand, because QTcpServer::listen() cannot set SO_REUSEPORT:
// one socket per thread on the same address and port, and the kernel spreads connections.
class ListenSockets
{
public:
    ListenSockets() = default;
    ~ListenSockets(); // closes whatever was not taken
    ListenSockets(const ListenSockets &) = delete;
    ListenSockets &operator=(const ListenSockets &) = delete;

    // count sockets on host:port; port 0: the first gets a free port and the others share it.
    // SO_REUSEPORT only when count > 1, so a single instance can't silently share its port
    // with another process. On failure returns false and a message such as
    // "cannot listen on 127.0.0.1:8080: address already in use".
    bool open(const QHostAddress &host, quint16 port, int count, QString *error);

    quint16 port() const { return m_port; }
    // Hands the descriptor over: the caller's QTcpServer owns it from now on.
    qintptr take(int index);

private:
    QList<qintptr> m_descriptors;
    quint16 m_port = 0;
};

} // namespace loadbench
