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
// Phases, from what QNetworkReply shows: blocked = send() to the socket starting to connect
// (or, on a kept-alive connection, to the request being written); connecting = connection start
// to request written (includes writing the request: Qt has no "connected" signal per reply);
// sending = 0 (Qt does not show when writing starts); waiting = request written to the first
// header parsed (metaDataChanged); receiving = first header to finished. Byte counts are rebuilt
// from the parsed request and response heads, so they can differ from the wire by a few bytes.
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
