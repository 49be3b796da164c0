// SPDX-License-Identifier: GPL-3.0-or-later
#include "listensocket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace loadbench
{

namespace
{

constexpr int kBacklog = 1024;

QString endpoint(const QHostAddress &host, quint16 port)
{
    const QString address = host.protocol() == QAbstractSocket::IPv6Protocol
                                ? u'[' + host.toString() + u']'
                                : host.toString();
    return address + u':' + QString::number(port);
}

QString describeErrno(int error)
{
    switch (error) {
    case EADDRINUSE:
        return u"address already in use"_s;
    case EADDRNOTAVAIL:
        return u"address not available on this machine"_s;
    case EACCES:
        return u"permission denied"_s;
    default:
        return QString::fromLocal8Bit(std::strerror(error));
    }
}

} // namespace

ListenSockets::~ListenSockets()
{
    for (const qintptr descriptor : std::as_const(m_descriptors))
        if (descriptor >= 0)
            ::close(static_cast<int>(descriptor));
}

qintptr ListenSockets::take(int index)
{
    const qintptr descriptor = m_descriptors.at(index);
    m_descriptors[index] = -1;
    return descriptor;
}

bool ListenSockets::open(const QHostAddress &host, quint16 port, int count, QString *error)
{
    sockaddr_storage address{};
    socklen_t addressLength = 0;
    const bool ipv6 = host.protocol() == QAbstractSocket::IPv6Protocol;
    if (ipv6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
        in6->sin6_family = AF_INET6;
        const Q_IPV6ADDR bytes = host.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        in6->sin6_scope_id = host.scopeId().toUInt();
        addressLength = sizeof(sockaddr_in6);
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&address);
        in4->sin_family = AF_INET;
        in4->sin_addr.s_addr = htonl(host.toIPv4Address());
        addressLength = sizeof(sockaddr_in);
    }

    m_port = port;
    if (count > 1 && port != 0) {
        // SO_REUSEPORT would silently join another process's group on this port and split its
        // traffic: a plain bind first proves the port is free.
        if (ipv6)
            reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port = htons(port);
        else
            reinterpret_cast<sockaddr_in *>(&address)->sin_port = htons(port);
        const int probe = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int on = 1;
        ::setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        const bool free = probe >= 0
                          && ::bind(probe, reinterpret_cast<sockaddr *>(&address), addressLength) == 0;
        const int bindErrno = errno;
        if (probe >= 0)
            ::close(probe);
        if (!free) {
            *error = u"cannot listen on "_s + endpoint(host, port) + u": "_s + describeErrno(bindErrno);
            return false;
        }
    }
    for (int i = 0; i < count; ++i) {
        if (ipv6)
            reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port = htons(m_port);
        else
            reinterpret_cast<sockaddr_in *>(&address)->sin_port = htons(m_port);

        const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            *error = u"cannot create a socket: "_s + describeErrno(errno);
            return false;
        }
        m_descriptors.append(fd);
        const int on = 1;
        // SO_REUSEADDR as QTcpServer sets it: a restart must not wait out TIME_WAIT.
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (count > 1 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
            *error = u"cannot set SO_REUSEPORT: "_s + describeErrno(errno);
            return false;
        }
        if (::bind(fd, reinterpret_cast<sockaddr *>(&address), addressLength) != 0 ||
            ::listen(fd, kBacklog) != 0) {
            *error =
                u"cannot listen on "_s + endpoint(host, m_port) + u": "_s + describeErrno(errno);
            return false;
        }
        if (m_port == 0) {
            sockaddr_storage bound{};
            socklen_t boundLength = sizeof bound;
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&bound), &boundLength);
            m_port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port
                                : reinterpret_cast<sockaddr_in *>(&bound)->sin_port);
        }
    }
    return true;
}

} // namespace loadbench
