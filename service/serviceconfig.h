// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace loadbench
{

// Everything the service needs to start, resolved once from .env, the environment and the
// command line (later sources win), then passed by value: no global configuration.
struct ServiceConfig {
    QHostAddress host{QHostAddress::LocalHost};
    quint16 port = 8080;      // 0 asks the kernel for a free port
    bool development = false; // APP_ENV=development: one log line per request on stdout
    int threads = 1;          // 1-64, one event loop and one HTTP server each
    // Limits Qt 6.4's HTTP server lacks (see shared/cases/MALFORMED.md).
    int idleTimeoutMs = 15000;   // keep-alive: no request in progress
    int headerTimeoutMs = 10000; // from a request's first byte to its last
    int maxConnections = 1024;   // open connections over all threads

    // "http://127.0.0.1:8080", IPv6 hosts in brackets; port as given (call with the real one).
    QString url(quint16 actualPort) const;
    QString appEnv() const;
};

// What loading the configuration decided: run, or print something and exit with a code.
struct ServiceConfigResult {
    enum class Action { Run, Exit };
    Action action = Action::Run;
    ServiceConfig config;
    int exitCode = 0;
    QString stdoutText; // --help, --version
    QString stderrText; // one line naming the source and key of a bad value
};

// Pure: reads no file and no process state, so tests and main() share it.
// envFileText is the content of .env (empty if absent); environment holds the process variables.
ServiceConfigResult loadServiceConfig(const QStringList &arguments, const QString &envFileText,
                                      const QHash<QString, QString> &environment);

} // namespace loadbench
