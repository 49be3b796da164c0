// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <sys/socket.h>

#include <optional>

class QUrl;

namespace loadbench {

// A socket address the native engine connects to.
struct ResolvedAddress {
    sockaddr_storage address{};
    socklen_t length = 0;
    int family = AF_UNSPEC;
};

// Host names resolved once per process, before a run (RunController::start) or on a
// connection's first use, then served from a cache (failures too, for the rest of the run): a name lookup inside the measured loop
// would time the resolver, and k6 too resolves once per VU and caches. Literal IPv4 and IPv6
// addresses ("[::1]") need no lookup. Thread-safe; the lock is taken only when a connection
// opens, never per request on a kept-alive one.
class HostResolver
{
public:
    // The address of `url`'s host and port (80 by default); nullopt and `why` (k6's lookup
    // error text) when the name does not resolve.
    static std::optional<ResolvedAddress> resolve(const QUrl &url, QString *why = nullptr);
    static std::optional<ResolvedAddress> resolve(const QString &host, int port, QString *why = nullptr);
    // Forgets every answer, failures included (a run starts with fresh lookups).
    static void clearCache();
};

} // namespace loadbench
