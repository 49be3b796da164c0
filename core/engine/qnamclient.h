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
// would hide a client-side queue inside the measurement.
//
// Timings. QNAM runs HTTP in its own thread; QNetworkReply's signals reach the VU's thread
// queued, each late by a thread hop (tens of µs when the VU's thread is idle) and, when that
// thread is busy, several in one batch. A signal's arrival time is therefore never earlier
// than the event it reports, but can be much later; splitting a request by arrival times
// alone once made requests look shorter than the server took (15 µs for a ~100 µs request).
// So the measurement is built to fail only in the safe direction:
// - http_req_duration runs from send() to the arrival of finished(): never shorter than the
//   exchange, and longer by about one thread hop. Unlike k6 it also contains, on a request
//   that opened its connection, the DNS lookup, TCP connect and TLS handshake, because Qt
//   gives no moment between them and the request's write that could be subtracted safely.
// - The three phases cut [send(), finished()] at the arrival of requestSent and
//   metaDataChanged (each clamped between its neighbours), so
//   http_req_sending + _waiting + _receiving == http_req_duration exactly, as in k6. A late
//   or batched signal moves time into the earlier phase (receiving into waiting, waiting into
//   sending); no time is lost or counted twice.
// - http_req_sending runs from send() to requestSent: Qt's hop to its HTTP thread, a new
//   connection if one was needed, the write, and the hop back.
// - http_req_waiting runs to metaDataChanged (the response head parsed): the server's time
//   plus the network; http_req_receiving from there to finished (the body).
// - http_req_blocked and _connecting are > 0 only on a request that opened a new connection
//   (Qt emits socketStartedConnecting then). As in k6, blocked runs from the request's start
//   until the connection is usable and includes the DNS lookup, the connect and the TLS
//   handshake; connecting runs from socketStartedConnecting until the connection is usable.
//   Qt signals no "connected" moment: on http:// "usable" is requestSent, so both include the
//   write of the request; on https:// it is encrypted(). On a reused connection both are 0
//   (k6 shows a few µs of pool lookup there). connecting is the gap between two arrivals, so
//   its size is only approximate: on loopback the connect is over before the VU's thread
//   wakes, both signals arrive in one batch and it shows a few µs; a busy VU thread can
//   stretch or shrink it. Whether it is > 0 is exact: it marks every new connection.
// - http_req_tls_handshaking is 0: Qt signals no moment between TCP connected and the start
//   of the TLS handshake, so the handshake is inside http_req_connecting (and blocked).
// - A request that never reached the wire (refused, DNS failure, a timeout while connecting)
//   measures 0 in every phase, as k6 records a failed dial.
// Errors carry k6's codes: 1212 refused, 1101 lookup failed (Qt reports every failed lookup
// alike, so k6's 1100 never appears), 1211 when the TCP connect takes longer than k6's dial
// timeout (30 s), 1050 request timeout, 1000 + status for a 4xx/5xx response, 1000 for the
// rest with Qt's text. Qt reports a connection reset by the peer and a clean close alike
// (RemoteHostClosedError); both are reported as k6 reports an early close: 1000 "EOF". When
// that happens before any response byte, Qt first resends the request once on a new
// connection, unseen: the server then counts two requests where http_reqs counts one.
// `proto` is HTTP/1.1 or HTTP/2.0: Qt does not expose an HTTP/1.0 response's version. Byte
// counts are rebuilt from the parsed request and response heads, so they can differ from the
// wire by a few bytes.
class QnamClient : public HttpClient
{
    Q_OBJECT
public:
    explicit QnamClient(QObject *parent = nullptr);
    ~QnamClient() override;

    void send(const PlannedRequest &request, qint64 runStartNs) override;
    void abort() override;

private:
    void onFinished();
    // Reads what has arrived of the body: kept up to the budget if a check needs it, counted.
    void takeBody(QNetworkReply *reply);
    void onTimeout();
    void onDialTimeout();
    void resetTimes();

    QNetworkAccessManager *m_manager = nullptr;
    QPointer<QNetworkReply> m_reply;
    // The request's tags, for its sample (implicitly shared: copying is cheap).
    QString m_method;
    QString m_url;
    QString m_name;
    QMap<QString, QString> m_tags;
    ExpectedStatuses m_expectedStatuses;
    QTimer m_timeout;
    QTimer m_dialTimer;
    qint64 m_runStartNs = 0;
    // Steady-clock arrival times of the reply's signals (0: not seen).
    qint64 m_startNs = 0;
    qint64 m_connectStartNs = 0;
    qint64 m_encryptedNs = 0;
    qint64 m_sentNs = 0;
    qint64 m_headersNs = 0;
    quint64 m_requestBytes = 0;
    bool m_keepBody = false; // a check reads the body; else it is counted and dropped as it comes
    QByteArray m_body;       // what is kept of it: at most bodyBudget() bytes
    qint64 m_bodyBytes = 0;  // all of it, kept or not
    enum class Abort { None, Timeout, DialTimeout } m_aborted = Abort::None;
};

} // namespace loadbench
