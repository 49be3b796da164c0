// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/httpclient.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace loadbench {

// HttpClient on QNetworkAccessManager: HTTP/1.1 and HTTPS the Qt way. Each client owns its own
// manager, because Qt 6.4 lets one manager open only 6 connections per host: sharing one
// would hide a client-side queue inside the measured latency.
//
// Phases. QNetworkReply's signals come from Qt's HTTP thread and arrive queued, each late by
// an unknown hop, often several in one batch; splitting a request by them can make it look
// shorter than the server took (seen: 15 µs for a 100 µs loopback connect + response). So
// http_req_duration runs from send() to finished, and includes Qt's thread hops (0.1–0.5 ms
// here) and, on a request that had to open a connection, the TCP connect; http_req_waiting runs
// to the first header (metaDataChanged) and http_req_receiving from there; http_req_blocked,
// _connecting and _sending are 0, because Qt cannot show them reliably. The native engine
// measures every phase. Byte counts are rebuilt from the parsed request and response heads,
// so they can differ from the wire by a few bytes.
class QnamClient : public HttpClient
{
    Q_OBJECT
public:
    explicit QnamClient(QObject *parent = nullptr);
    ~QnamClient() override;

    void send(const TargetConfig &target, qint64 runStartNs) override;
    void abort() override;

private:
    void onFinished();
    void onTimeout();
    void resetTimes();

    QNetworkAccessManager *m_manager = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
    qint64 m_runStartNs = 0;
    qint64 m_startNs = 0;
    qint64 m_sentNs = 0;
    qint64 m_headersNs = 0;
    quint64 m_requestBytes = 0;
    bool m_timedOut = false;
};

} // namespace loadbench
