// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mockhttpserver.h"

#include <QHostAddress>
#include <QThread>

namespace loadbench::test {

// How an OddServer's answers are sized and paced.
struct OddServerOptions {
    qint64 bodyBytes = 10'000'000; // BigBody, BigChunked
    int firstChunkPauseMs = 0;     // BigChunked: the pause after the first chunk
    int trickleStepMs = 50;        // TrickleHeaders: between the head's lines
    int idleCloseMs = 200;         // IdleClose
};

// A server that answers the way real servers sometimes do and clients often get wrong (CASES.md
// BC-15, BC-16; issue 4's odd servers): every request on it gets the same odd answer. It is a
// MockHttpServer on a thread of its own, so a test that blocks its own thread (a synchronous
// wait, a busy loop, an engine that stalls) cannot starve the server and turn a client's bug
// into a server's. Listens on a free port of 127.0.0.1 or ::1; counts connections, requests
// and bytes so tests can tell a reused connection from a new one.
class OddServer
{
public:
    enum class Mode {
        Chunked,              // 200, Transfer-Encoding: chunked, "hello" in two chunks; kept alive
        CloseEachResponse,    // 200, Content-Length: 5, Connection: close, then FIN
        Http10,               // HTTP/1.0 200, no length: the body ends with the connection (FIN)
        NoContent204,         // 204, no body, no length; kept alive
        Informational,        // 100 Continue and 103 Early Hints, then 200 with "hello"; kept alive
        NotModified304,       // 304 carrying Content-Length: 1234 (of the body it would have), no body
        NotModified304Chunked,// 304 carrying Transfer-Encoding: chunked, no body bytes at all
        HeadWithLength,       // for HEAD: 200 with Content-Length: 1234 and no body; kept alive
        BigBody,              // 200, Content-Length: bodyBytes, streamed; kept alive
        BigChunked,           // 200 chunked, bodyBytes in 16 KiB chunks, pause after the first, a trailer
        ResetBeforeResponse,  // reads the request, then RST (SO_LINGER 0) without a byte
        ResetMidBody,         // sends the head and half the body of Content-Length: 10, then RST
        NeverAnswer,          // reads the request and never answers: a request timeout
        TrickleHeaders,       // the head one line every trickleStepMs, then the body
        IdleClose,            // 200 kept alive, but closes (FIN) a connection idle for idleCloseMs
        ShortBody,            // Content-Length: 10, sends 5 bytes, closes: an unexpected EOF
        NoLengthKeepOpen,     // HTTP/1.1 200, no length, stays open (wrk#287): only a timeout ends it
        TwoDigitStatus,       // "HTTP/1.1 42 Odd" with a body: a malformed status line
    };
    using Options = OddServerOptions;

    explicit OddServer(Mode mode, const QHostAddress &address = QHostAddress(QHostAddress::LocalHost),
                       const Options &options = Options());
    ~OddServer();
    OddServer(const OddServer &) = delete;
    OddServer &operator=(const OddServer &) = delete;

    bool isListening() const { return m_listening; }
    // http://127.0.0.1:PORT/odd or http://[::1]:PORT/odd.
    QString url() const { return m_url; }

    int connectionsAccepted() const { return m_server->connectionsAccepted(); }
    int connectionsWithRequests() const { return m_server->connectionsWithRequests(); }
    int requestsSeen() const { return m_server->requestsSeen(); }
    qint64 bytesWritten() const { return m_server->bytesWritten(); }
    QList<MockHttpServer::Request> requests() const { return m_server->requests(); }

    // The answer every request gets, as MockHttpServer writes it.
    static MockHttpServer::Reply reply(Mode mode, const Options &options = Options());
    static QString name(Mode mode); // "chunked", "http/1.0", ... for test rows
    // One response's size on the wire, head and framing included (0 when nothing is sent).
    qint64 responseWireBytes() const { return m_reply.wireBytes(); }
    // The body as a client sees it once the framing is removed (chunks joined).
    qint64 bodyBytes() const { return m_bodyBytes; }
    // Bytes on the wire that are neither the head nor the body: chunk sizes, their CRLFs, the
    // last chunk and the trailer.
    qint64 framingBytes() const { return m_framingBytes; } // chunk framing, trailer, interim 1xx answers
    // The response head, status line to the blank line.
    qint64 headBytes() const { return m_headBytes; }

private:
    QThread m_thread;
    QObject *m_anchor = nullptr; // lives in m_thread: where calls into the server go
    MockHttpServer *m_server = nullptr;
    MockHttpServer::Reply m_reply;
    bool m_listening = false;
    QString m_url;
    qint64 m_bodyBytes = 0;
    qint64 m_framingBytes = 0;
    qint64 m_headBytes = 0;
};

} // namespace loadbench::test
