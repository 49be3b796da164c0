// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace loadbench
{

// A strict, streaming HTTP/1.1 request validator (RFC 9110/9112) that sees every byte of a
// connection before Qt 6.4's lenient parser does. It only frames and checks: it keeps no
// request, just the current line (at most maxHeadBytes), so memory per connection is bounded.
// Whatever it accepts, Qt's http_parser frames the same way, so nothing can be smuggled past it.
// Sizes in bytes.
class RequestFramer
{
public:
    struct Limits {
        qsizetype maxRequestLineBytes = 8 * 1024; // 414 beyond
        qsizetype maxHeadBytes = 16 * 1024;       // request line + fields + CRLFs; 431 beyond
        int maxFields = 100;                      // 431 beyond
        qint64 maxBodyBytes = 8 * 1024;           // no route takes a body; 413 beyond
        // Head, body and chunk framing together: Qt 6.4 buffers a request whole until it is
        // complete, and tiny chunks with long extensions would multiply the body. 413 beyond.
        qint64 maxRequestWireBytes = 64 * 1024;
    };

    // A rejection: the status to answer (then close) and a short reason for the body and log.
    struct Rejection {
        int status = 0; // 0: nothing wrong so far
        QByteArray reason;
        explicit operator bool() const { return status != 0; }
    };

    RequestFramer() = default;
    explicit RequestFramer(const Limits &limits) : m_limits(limits) {}

    // Feeds the connection's next bytes. After a rejection the framer stays rejected.
    Rejection feed(QByteArrayView bytes);

    // True between requests: no byte of an unfinished request has been seen.
    bool atRequestBoundary() const;
    // How many requests were complete and valid so far.
    qint64 completedRequests() const { return m_completed; }
    // A completed request asked for the connection to close (Connection: close or HTTP/1.0).
    bool closeRequested() const { return m_closeRequested; }
    // True once per request whose head said "Expect: 100-continue" and whose body is still to
    // come: the caller may send "100 Continue" (Qt 6.4 never does, so clients stall).
    bool takeContinueRequest()
    {
        const bool pending = m_continuePending;
        m_continuePending = false;
        return pending;
    }
    // Method and target of the request being read or last read, for the log.
    QByteArray method() const { return m_method; }
    QByteArray target() const { return m_target; }

private:
    enum class State {
        RequestLine,
        Fields,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers
    };

    Rejection reject(int status, const char *reason);
    Rejection takeLine(QByteArrayView line); // one complete line, CRLF stripped
    Rejection onRequestLine(QByteArrayView line);
    Rejection onField(QByteArrayView line, bool trailer);
    Rejection onHeadComplete();
    Rejection onChunkSize(QByteArrayView line);
    void finishRequest();
    qsizetype lineLimit() const;

    Limits m_limits;
    Rejection m_rejection;
    State m_state = State::RequestLine;
    QByteArray m_line;         // the unfinished line
    qsizetype m_headBytes = 0; // of the current head (or trailer section)
    int m_fields = 0;
    qint64 m_bodyRemaining = 0; // in the fixed body or the current chunk
    qint64 m_bodyTotal = 0;
    qint64 m_requestWireBytes = 0; // of the current request, everything since its first byte
    qint64 m_completed = 0;
    bool m_closeRequested = false;
    bool m_continuePending = false;

    // The head being read.
    QByteArray m_method;
    QByteArray m_target;
    bool m_http10 = false;
    int m_hostCount = 0;
    int m_contentLengthCount = 0;
    qint64 m_contentLength = 0;
    QByteArray m_transferEncoding; // all Transfer-Encoding values, comma-joined, lower case
    bool m_hasTransferEncoding = false;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    bool m_hasUpgrade = false;
    bool m_expectContinue = false;
};

} // namespace loadbench
