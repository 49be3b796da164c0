// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/hostresolver.h"

#include <QHash>
#include <QMutex>
#include <QUrl>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstring>

namespace loadbench {

namespace {

struct Cache {
    QMutex mutex;
    QHash<QString, ResolvedAddress> byHost; // "host" -> the first address, port left 0
    QHash<QString, QString> failures;       // "host" -> why it did not resolve
};

Cache &cache()
{
    static Cache instance;
    return instance;
}

void setPort(ResolvedAddress &a, int port)
{
    if (a.family == AF_INET)
        reinterpret_cast<sockaddr_in *>(&a.address)->sin_port = htons(quint16(port));
    else
        reinterpret_cast<sockaddr_in6 *>(&a.address)->sin6_port = htons(quint16(port));
}

std::optional<ResolvedAddress> literal(const QByteArray &host)
{
    ResolvedAddress a;
    auto *v4 = reinterpret_cast<sockaddr_in *>(&a.address);
    if (inet_pton(AF_INET, host.constData(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        a.family = AF_INET;
        a.length = sizeof(sockaddr_in);
        return a;
    }
    auto *v6 = reinterpret_cast<sockaddr_in6 *>(&a.address);
    if (inet_pton(AF_INET6, host.constData(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        a.family = AF_INET6;
        a.length = sizeof(sockaddr_in6);
        return a;
    }
    return std::nullopt;
}

} // namespace

std::optional<ResolvedAddress> HostResolver::resolve(const QUrl &url, QString *why)
{
    return resolve(url.host(), url.port(80), why);
}

std::optional<ResolvedAddress> HostResolver::resolve(const QString &host, int port, QString *why)
{
    const QByteArray name = host.toLatin1(); // QUrl::host() is ACE-encoded and bracket-free
    if (auto a = literal(name)) {
        setPort(*a, port);
        return a;
    }
    Cache &c = cache();
    {
        QMutexLocker lock(&c.mutex);
        const auto it = c.byHost.constFind(host);
        if (it != c.byHost.constEnd()) {
            ResolvedAddress a = *it;
            setPort(a, port);
            return a;
        }
        const auto failed = c.failures.constFind(host);
        if (failed != c.failures.constEnd()) {
            if (why)
                *why = *failed;
            return std::nullopt;
        }
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo *found = nullptr;
    const int rc = getaddrinfo(name.constData(), nullptr, &hints, &found);
    if (rc != 0 || !found) {
        // k6's texts: 1101 "lookup: no such host"; anything else is 1100 with the resolver's words.
        const QString reason = rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_FAIL
                                   ? QStringLiteral("lookup: no such host")
                                   : QStringLiteral("lookup: %1").arg(QString::fromLocal8Bit(gai_strerror(rc)));
        if (why)
            *why = reason;
        if (found)
            freeaddrinfo(found);
        QMutexLocker lock(&c.mutex);
        c.failures.insert(host, reason);
        return std::nullopt;
    }
    ResolvedAddress a;
    std::memcpy(&a.address, found->ai_addr, found->ai_addrlen);
    a.length = found->ai_addrlen;
    a.family = found->ai_family;
    freeaddrinfo(found);
    {
        QMutexLocker lock(&c.mutex);
        c.byHost.insert(host, a);
    }
    setPort(a, port);
    return a;
}

void HostResolver::clearCache()
{
    Cache &c = cache();
    QMutexLocker lock(&c.mutex);
    c.byHost.clear();
    c.failures.clear();
}

} // namespace loadbench
