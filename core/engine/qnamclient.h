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
// Phases, from what QNetworkReply shows. Its signals come from Qt's HTTP thread and arrive
// queued, so each stamp is late by that hop; the phases are built so that none can come out
// shorter than the server took: blocked = send() to the socket starting to connect (0 on a
// kept-alive connection); connecting = connection start to request written (it includes
// writing the request: Qt has no per-reply "connected" signal); sending = 0 (Qt does not show
// when writing starts); waiting = the rest up to the first header (metaDataChanged); receiving =
// first header to finished. So http_req_duration includes Qt's thread hop (0.1–0.5 ms here): use
// the native engine for microsecond work. Byte counts are rebuilt from the parsed request and
// response heads, so they can differ from the wire by a few bytes.
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
    qint64 m_connectStartNs = 0;
    qint64 m_sentNs = 0;
    qint64 m_headersNs = 0;
    quint64 m_requestBytes = 0;
    bool m_timedOut = false;
};

} // namespace loadbench
