// SPDX-License-Identifier: GPL-3.0-or-later
#include "oddserver.h"

namespace loadbench::test {

namespace {

using Reply = MockHttpServer::Reply;
using Piece = MockHttpServer::Reply::Piece;
using Mode = OddServer::Mode;

// What a response is made of on the wire, so tests can name the bytes each engine counts.
struct Shape {
    qint64 head = 0;
    qint64 body = 0;
    qint64 framing = 0;
};

const QByteArray hello = QByteArrayLiteral("hello");

Reply build(Mode mode, const OddServer::Options &options, Shape *shape)
{
    Reply reply;
    auto rawHead = [&](const QByteArray &head) {
        reply.raw.append(Piece{head});
        shape->head = head.size();
    };
    auto rawBody = [&](const QByteArray &body) {
        reply.raw.append(Piece{body});
        shape->body += body.size();
    };
    switch (mode) {
    case Mode::Chunked:
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
        reply.raw.append(Piece{"2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n"});
        shape->body = 5;
        shape->framing = reply.raw.last().bytes.size() - 5;
        break;
    case Mode::CloseEachResponse:
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
        rawBody(hello);
        reply.close = true;
        break;
    case Mode::Http10:
        rawHead("HTTP/1.0 200 OK\r\nServer: odd\r\n\r\n");
        rawBody(hello);
        reply.close = true;
        break;
    case Mode::NoContent204:
        rawHead("HTTP/1.1 204 No Content\r\nServer: odd\r\n\r\n");
        break;
    case Mode::Informational: {
        // Two interim answers (RFC 9110 15.2) before the real one; the client skips both. They
        // count as framing: on the wire, but neither the answer's head nor its body.
        const QByteArray interim = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </odd.css>; rel=preload\r\n\r\n";
        reply.raw.append(Piece{interim});
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
        rawBody(hello);
        shape->framing = interim.size();
        break;
    }
    case Mode::NotModified304:
        rawHead("HTTP/1.1 304 Not Modified\r\nETag: \"odd\"\r\nContent-Length: 1234\r\n\r\n");
        break;
    case Mode::NotModified304Chunked:
        rawHead("HTTP/1.1 304 Not Modified\r\nETag: \"odd\"\r\nTransfer-Encoding: chunked\r\n\r\n");
        break;
    case Mode::HeadWithLength:
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1234\r\n\r\n");
        break;
    case Mode::BigBody: {
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + QByteArray::number(options.bodyBytes) + "\r\n\r\n");
        constexpr qint64 block = 64 * 1024;
        reply.raw.append(Piece{QByteArray(block, 'x'), 0, options.bodyBytes / block});
        if (options.bodyBytes % block)
            reply.raw.append(Piece{QByteArray(options.bodyBytes % block, 'x')});
        shape->body = options.bodyBytes;
        break;
    }
    case Mode::BigChunked: {
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n"
                "Trailer: X-Odd-Done\r\n\r\n");
        constexpr qint64 chunk = 16 * 1024;
        const QByteArray frame = "4000\r\n" + QByteArray(chunk, 'y') + "\r\n";
        const qint64 whole = options.bodyBytes / chunk;
        Q_ASSERT(whole >= 1);
        reply.raw.append(Piece{frame});
        if (whole > 1)
            reply.raw.append(Piece{frame, options.firstChunkPauseMs, whole - 1});
        qint64 framing = whole * (frame.size() - chunk);
        if (const qint64 rest = options.bodyBytes % chunk) {
            const QByteArray size = QByteArray::number(rest, 16) + "\r\n";
            reply.raw.append(Piece{size + QByteArray(rest, 'y') + "\r\n"});
            framing += size.size() + 2;
        }
        const QByteArray last = "0\r\nX-Odd-Done: yes\r\n\r\n";
        reply.raw.append(Piece{last});
        shape->body = options.bodyBytes;
        shape->framing = framing + last.size();
        break;
    }
    case Mode::ResetBeforeResponse:
        reply.reset = true;
        break;
    case Mode::ResetMidBody:
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n");
        rawBody(hello);
        reply.reset = true;
        break;
    case Mode::NeverAnswer:
        reply.never = true;
        break;
    case Mode::TrickleHeaders: {
        const QList<QByteArray> lines = {"HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "Server: odd\r\n",
                                         "X-Slow-1: 1\r\n", "X-Slow-2: 2\r\n", "Content-Length: 5\r\n", "\r\n"};
        for (qsizetype i = 0; i < lines.size(); ++i) {
            reply.raw.append(Piece{lines[i], i == 0 ? 0 : options.trickleStepMs});
            shape->head += lines[i].size();
        }
        rawBody(hello);
        break;
    }
    case Mode::IdleClose:
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
        rawBody(hello);
        break;
    case Mode::ShortBody:
        rawHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n");
        rawBody(hello);
        reply.close = true;
        break;
    case Mode::NoLengthKeepOpen:
        rawHead("HTTP/1.1 200 OK\r\nServer: odd\r\n\r\n");
        rawBody(hello);
        break;
    case Mode::TwoDigitStatus:
        rawHead("HTTP/1.1 42 Odd\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
        rawBody(hello);
        break;
    }
    return reply;
}

} // namespace

MockHttpServer::Reply OddServer::reply(Mode mode, const Options &options)
{
    Shape shape;
    return build(mode, options, &shape);
}

QString OddServer::name(Mode mode)
{
    switch (mode) {
    case Mode::Chunked: return QStringLiteral("chunked");
    case Mode::CloseEachResponse: return QStringLiteral("connection-close");
    case Mode::Http10: return QStringLiteral("http/1.0");
    case Mode::NoContent204: return QStringLiteral("204");
    case Mode::Informational: return QStringLiteral("1xx");
    case Mode::NotModified304: return QStringLiteral("304");
    case Mode::NotModified304Chunked: return QStringLiteral("304-chunked");
    case Mode::HeadWithLength: return QStringLiteral("head-with-length");
    case Mode::BigBody: return QStringLiteral("big-body");
    case Mode::BigChunked: return QStringLiteral("big-chunked");
    case Mode::ResetBeforeResponse: return QStringLiteral("reset");
    case Mode::ResetMidBody: return QStringLiteral("reset-mid-body");
    case Mode::NeverAnswer: return QStringLiteral("never");
    case Mode::TrickleHeaders: return QStringLiteral("trickle");
    case Mode::IdleClose: return QStringLiteral("idle-close");
    case Mode::ShortBody: return QStringLiteral("short-body");
    case Mode::NoLengthKeepOpen: return QStringLiteral("no-length-open");
    case Mode::TwoDigitStatus: return QStringLiteral("two-digit-status");
    }
    return {};
}

OddServer::OddServer(Mode mode, const QHostAddress &address, const Options &options)
{
    Shape shape;
    m_reply = build(mode, options, &shape);
    m_headBytes = shape.head;
    m_bodyBytes = shape.body;
    m_framingBytes = shape.framing;
    m_thread.setObjectName(QStringLiteral("odd ") + name(mode));
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    m_thread.start();
    // The server is made, listens and dies in its own thread, where its sockets live.
    QMetaObject::invokeMethod(
        m_anchor,
        [&] {
            const Reply reply = m_reply;
            m_server = new MockHttpServer([reply](int) { return reply; });
            if (mode == Mode::IdleClose)
                m_server->setIdleTimeoutMs(options.idleCloseMs);
            m_listening = m_server->listen(address);
            m_url = m_server->url(QStringLiteral("/odd"));
        },
        Qt::BlockingQueuedConnection);
}

OddServer::~OddServer()
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this] { delete m_server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_anchor;
}

} // namespace loadbench::test
