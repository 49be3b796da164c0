// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionguard.h"
#include "requestlog.h"

#include <QHttpServer>
#include <QList>
#include <QObject>

#include <utility>

#include <atomic>
#include <memory>

namespace loadbench
{

// One event loop's worth of service: a QHttpServer with the routes, fed by a GuardedTcpServer
// on a listening socket made elsewhere. Create it in the thread that will run it.
//   GET/HEAD /api/health  200 {"status":"ok","version":"0.1.0"}
//   other methods there   405, Allow: GET, HEAD
//   anything else         404 {"error":"not found","path":"/x"}
class HealthService : public QObject
{
    Q_OBJECT

public:
    HealthService(const GuardSettings &settings, int maxConnections,
                  std::shared_ptr<std::atomic<int>> openConnections, const RequestLog &log,
                  QObject *parent = nullptr);

    // Takes ownership of a listening descriptor. False if Qt refuses it.
    bool start(qintptr listeningDescriptor);

private:
    void respond(const QHttpServerRequest &request, QHttpServerResponder &responder,
                 QHttpServerResponder::StatusCode status, const QByteArray &body,
                 const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {});

    GuardSettings m_settings;
    int m_maxConnections;
    std::shared_ptr<std::atomic<int>> m_openConnections;
    RequestLog m_log;
    QHttpServer *m_http; // a child, so moveToThread() takes it along
};

} // namespace loadbench
