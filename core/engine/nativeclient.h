// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/httpclient.h"
#include "engine/nativeloop.h"

#include <llhttp.h>

#include <chrono>

namespace loadbench {

// HttpClient on a non-blocking socket of its own, driven by the thread's NativeLoop (epoll)
// and parsed with llhttp: HTTP/1.1 (and 1.0 servers) over IPv4 and IPv6, plain http:// only.
// One connection per VU, kept alive across requests as a k6 VU keeps it (a request to another
// host or port than the previous one closes it and opens one there).
//
// Per request in the steady state (a kept-alive connection, a Content-Length or chunked
// answer) it makes one send() and one read() per response buffer and allocates nothing: the
// request's bytes were formatted once by TargetConfig::plan() (PlannedRequest::wire), the
// response is parsed in the loop's shared read buffer, and the body and headers are kept only
// when a check of the request looks at them (and then at most bodyBudget bytes of body: the
// rest is read and counted, not kept).
//
// Timings are k6's, from the steady clock at the moments the socket calls return:
// - http_req_blocked: from send() until a connection is ready to write (the connect, when one
//   was opened; a few ns on a kept-alive connection);
// - http_req_connecting: from socket() to the connect's completion, on requests that opened a
//   connection (> 0 exactly then), else 0;
// - http_req_sending: from the connection being ready to the last request byte written;
// - http_req_waiting: from there to the first response byte read;
// - http_req_receiving: from there to the end of the response;
// - http_req_duration = sending + waiting + receiving; http_req_tls_handshaking is always 0.
// A request cut by its timeout (1050) measures from send(), blocked included, so its duration
// is never shorter than the timeout; one that never got a connection (refused, lookup, dial
// timeout) measures 0 in every phase, as k6 records a failed dial.
//
// Connection handling, as Go's transport (k6) does it: a response that says Connection: close,
// an HTTP/1.0 answer without keep-alive, or a close-delimited body ends the connection and the
// next request opens a new one (counted in http_req_connecting). While idle the socket stays
// watched, so a server's idle close is seen and the connection dropped quietly. A request on a
// reused connection that the server closed or reset before answering a byte is sent once more
// on a fresh connection if its method is idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE);
// the sample then counts one request with `retries` = 1, never two.
// Errors carry k6's codes and texts: 1101 lookup, 1211 dial timeout (30 s), 1212 refused, 1050
// request timeout, 1220 "read: connection reset by peer", 1201 "write: broken pipe", 1000 "EOF"
// (closed before a byte) and "unexpected EOF" (closed inside a response), 1000 "malformed HTTP
// response" for what llhttp rejects; 1000 + status for 4xx/5xx answers, as k6.
class NativeClient : public HttpClient, private NativeLoop::Watcher, private NativeLoop::Timer,
                     private NativeLoop::Deferred
{
    Q_OBJECT
public:
    explicit NativeClient(QObject *parent = nullptr);
    ~NativeClient() override;

    void send(const PlannedRequest &request, qint64 runStartNs) override;
    void abort() override;

    bool isConnected() const { return m_fd >= 0; }

private:
    enum class State { Idle, Connecting, Sending, Receiving };

    void onEvents(std::uint32_t events) override;
    void onTimer() override;
    void runDeferred() override; // delivers a result that send() itself produced

    void openConnection();
    void onConnected();
    void startWriting();
    void writeMore();
    void readResponse();
    void readWhileIdle();
    void onEndOfStream();
    void onConnectionLost(int error); // 0: the server closed (EOF)
    void closeConnection();
    void armTimer();
    void fail(int errorCode, const QString &error, bool dialFailure);
    void succeed();
    void deliver();

    static int onMessageBegin(llhttp_t *parser);
    static int onHeaderField(llhttp_t *parser, const char *at, size_t length);
    static int onHeaderValue(llhttp_t *parser, const char *at, size_t length);
    static int onHeaderValueComplete(llhttp_t *parser);
    static int onHeadersComplete(llhttp_t *parser);
    static int onBody(llhttp_t *parser, const char *at, size_t length);
    static int onMessageComplete(llhttp_t *parser);
    static const llhttp_settings_t parserSettings;

    NativeLoop *m_loop;
    int m_fd = -1;
    QString m_connectedHost; // where m_fd goes
    int m_connectedPort = 0;
    State m_state = State::Idle;
    bool m_inFlight = false;
    bool m_inSend = false;       // a result now must wait for deferred delivery
    bool m_reused = false;       // this request runs on a connection an earlier one used
    bool m_openedConnection = false;
    bool m_retried = false;
    bool m_writeWatched = false; // EPOLLOUT is on
    bool m_keepBody = false;
    bool m_keepHeaders = false;
    bool m_informational = false; // parsing a 1xx head, which precedes the real answer
    bool m_badStatus = false;     // the status line's code is not 100-999: a malformed answer
    bool m_complete = false;
    bool m_keepAlive = true;
    bool m_delivering = false;

    const PlannedRequest *m_request = nullptr;
    QByteArray m_wire;
    qsizetype m_written = 0;
    qint64 m_runStartNs = 0;
    qint64 m_startNs = 0;
    qint64 m_connectStartNs = 0;
    qint64 m_readyNs = 0;
    qint64 m_sentNs = 0;
    qint64 m_firstByteNs = 0;
    qint64 m_requestDeadlineNs = 0;
    qint64 m_dialDeadlineNs = 0;
    quint64 m_bytesReceived = 0;

    llhttp_t m_parser;
    int m_status = 0;
    int m_httpMinor = 1;
    QByteArray m_headerField;
    QByteArray m_headerValue;

    RequestSample m_sample;
    HttpResponse m_response;
};

} // namespace loadbench
