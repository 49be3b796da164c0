// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/nativeclient.h"

#include "engine/clock.h"
#include "engine/hostresolver.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loadbench {

namespace {

NativeClient *clientOf(llhttp_t *parser)
{
    return static_cast<NativeClient *>(parser->data);
}

bool isIdempotent(const QByteArray &method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE" || method == "PUT"
           || method == "DELETE";
}

// At most this many reads for one socket per wake-up, so a fast 10 MB body cannot keep the
// loop from the other connections of its thread.
constexpr int readsPerWakeup = 16;

} // namespace

const llhttp_settings_t NativeClient::parserSettings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = &NativeClient::onMessageBegin;
    s.on_header_field = &NativeClient::onHeaderField;
    s.on_header_value = &NativeClient::onHeaderValue;
    s.on_header_value_complete = &NativeClient::onHeaderValueComplete;
    s.on_headers_complete = &NativeClient::onHeadersComplete;
    s.on_body = &NativeClient::onBody;
    s.on_message_complete = &NativeClient::onMessageComplete;
    return s;
}();

NativeClient::NativeClient(QObject *parent)
    : HttpClient(parent)
    , m_loop(NativeLoop::acquire())
{
    llhttp_init(&m_parser, HTTP_RESPONSE, &parserSettings);
    m_parser.data = this;
}

NativeClient::~NativeClient()
{
    abort();
    closeConnection();
    NativeLoop::release(m_loop);
}

void NativeClient::send(const PlannedRequest &request, qint64 runStartNs)
{
    Q_ASSERT(!m_inFlight);
    m_inSend = true;
    m_inFlight = true;
    m_request = &request;
    m_runStartNs = runStartNs;
    m_wire = request.wire.isEmpty() ? http1Request(request) : request.wire; // shared, not copied
    m_keepBody = m_keepHeaders = false;
    for (const Check &check : request.checks) {
        m_keepBody = m_keepBody || check.kind == Check::Kind::BodyContains || check.kind == Check::Kind::JsonEquals;
        m_keepHeaders = m_keepHeaders || check.kind == Check::Kind::HeaderPresent;
    }
    if (!m_response.body.isEmpty())
        m_response.body.resize(0);
    if (!m_response.headers.isEmpty())
        m_response.headers.clear();
    m_retried = false;
    m_openedConnection = false;
    m_written = 0;
    m_connectStartNs = m_readyNs = m_sentNs = m_firstByteNs = 0;
    m_bytesReceived = 0;
    m_startNs = steadyNowNs();
    m_requestDeadlineNs = m_startNs + request.timeout.count();
    m_dialDeadlineNs = 0;

    // One connection per VU, as k6 keeps one per host: a request list that moves to another
    // host or port closes it and opens one there.
    if (m_fd >= 0 && (request.url.port(80) != m_connectedPort || request.url.host() != m_connectedHost))
        closeConnection();
    if (m_fd >= 0) {
        m_reused = true;
        m_readyNs = m_startNs;
        startWriting();
    } else {
        m_reused = false;
        openConnection();
    }
    if (m_inFlight)
        armTimer();
    m_inSend = false;
}

void NativeClient::armTimer()
{
    qint64 deadline = m_requestDeadlineNs;
    if (m_state == State::Connecting && m_dialDeadlineNs && m_dialDeadlineNs < deadline)
        deadline = m_dialDeadlineNs;
    if (!isScheduled() || deadlineNs() != deadline)
        m_loop->schedule(this, deadline);
}

void NativeClient::openConnection()
{
    QString why;
    const std::optional<ResolvedAddress> address = HostResolver::resolve(m_request->url, &why);
    if (!address) {
        fail(why.contains(u"no such host") ? 1101 : 1100, why, true);
        return;
    }
    m_fd = ::socket(address->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        // Out of descriptors, most likely: k6 reports a failed dial under 1210.
        fail(1210, QStringLiteral("dial: %1").arg(QString::fromLocal8Bit(strerror(errno))), true);
        return;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_openedConnection = true;
    m_connectedHost = m_request->url.host();
    m_connectedPort = m_request->url.port(80);
    m_connectStartNs = steadyNowNs();
    m_dialDeadlineNs = m_dialTimeout.count() > 0 ? m_connectStartNs + qint64(m_dialTimeout.count()) * 1'000'000 : 0;
    m_state = State::Connecting;
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address->address), address->length) == 0) {
        m_loop->watch(m_fd, EPOLLIN, this);
        onConnected();
        return;
    }
    if (errno != EINPROGRESS) {
        const int error = errno;
        closeConnection();
        fail(error == ECONNREFUSED ? 1212 : 1210,
             error == ECONNREFUSED ? QStringLiteral("dial: connection refused")
                                   : QStringLiteral("dial: %1").arg(QString::fromLocal8Bit(strerror(error))),
             true);
        return;
    }
    m_loop->watch(m_fd, EPOLLOUT, this);
    m_writeWatched = true;
}

void NativeClient::onConnected()
{
    m_readyNs = steadyNowNs();
    if (m_readyNs <= m_connectStartNs)
        m_readyNs = m_connectStartNs + 1; // a connection was opened: connecting is > 0
    m_dialDeadlineNs = 0;
    startWriting();
}

void NativeClient::startWriting()
{
    m_state = State::Sending;
    m_written = 0;
    m_complete = false;
    m_informational = false;
    m_badStatus = false;
    m_status = 0;
    llhttp_init(&m_parser, HTTP_RESPONSE, &parserSettings);
    m_parser.data = this;
    writeMore();
}

void NativeClient::writeMore()
{
    while (m_written < m_wire.size()) {
        const ssize_t n = ::send(m_fd, m_wire.constData() + m_written, size_t(m_wire.size() - m_written), MSG_NOSIGNAL);
        if (n > 0) {
            m_written += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_writeWatched) {
                m_loop->rewatch(m_fd, EPOLLIN | EPOLLOUT, this);
                m_writeWatched = true;
            }
            return;
        }
        onConnectionLost(errno);
        return;
    }
    m_sentNs = steadyNowNs();
    m_state = State::Receiving;
    if (m_writeWatched) {
        m_loop->rewatch(m_fd, EPOLLIN, this);
        m_writeWatched = false;
    }
}

void NativeClient::onEvents(std::uint32_t events)
{
    switch (m_state) {
    case State::Connecting: {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            closeConnection();
            if (error == ECONNREFUSED || error == 0)
                fail(1212, QStringLiteral("dial: connection refused"), true);
            else if (error == ETIMEDOUT)
                fail(1211, QStringLiteral("dial: i/o timeout"), true);
            else
                fail(1210, QStringLiteral("dial: %1").arg(QString::fromLocal8Bit(strerror(error))), true);
            return;
        }
        m_loop->rewatch(m_fd, EPOLLIN, this);
        m_writeWatched = false;
        onConnected();
        return;
    }
    case State::Sending:
        if (events & EPOLLOUT)
            writeMore();
        // The server may answer (or close) before it read the whole request.
        if (m_state == State::Sending && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            readResponse();
        return;
    case State::Receiving:
        readResponse();
        return;
    case State::Idle:
        readWhileIdle();
        return;
    }
}

void NativeClient::readWhileIdle()
{
    // Between requests the only news a server sends is that it closed (or reset) the
    // connection; anything else is not a response to anything, and the connection is dropped.
    char byte;
    const ssize_t n = ::recv(m_fd, &byte, 1, MSG_PEEK);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    closeConnection();
}

void NativeClient::readResponse()
{
    char *buffer = m_loop->readBuffer();
    for (int reads = 0; reads < readsPerWakeup; ++reads) {
        const ssize_t n = ::read(m_fd, buffer, NativeLoop::readBufferSize);
        if (n > 0) {
            if (!m_firstByteNs)
                m_firstByteNs = steadyNowNs();
            m_bytesReceived += quint64(n);
            const llhttp_errno_t rc = llhttp_execute(&m_parser, buffer, size_t(n));
            if (m_complete) {
                succeed();
                return;
            }
            if (rc != HPE_OK) {
                closeConnection();
                fail(1000, m_badStatus ? QStringLiteral("malformed HTTP status code \"%1\"").arg(m_status)
                                       : QStringLiteral("malformed HTTP response: %1").arg(QString::fromLatin1(llhttp_get_error_reason(&m_parser))),
                     false);
                return;
            }
            if (size_t(n) < NativeLoop::readBufferSize)
                return; // drained: level-triggered epoll calls again when more arrives
            continue;
        }
        if (n == 0) {
            onEndOfStream();
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        onConnectionLost(errno);
        return;
    }
}

void NativeClient::onEndOfStream()
{
    // A body that runs to the connection's end (HTTP/1.0, no length) is complete now.
    if (m_bytesReceived > 0 && !m_complete && llhttp_message_needs_eof(&m_parser)) {
        const llhttp_errno_t rc = llhttp_finish(&m_parser);
        if (m_complete) {
            m_keepAlive = false;
            succeed();
            return;
        }
        if (rc != HPE_OK) {
            closeConnection();
            fail(1000, QStringLiteral("unexpected EOF"), false);
            return;
        }
    }
    onConnectionLost(0);
}

void NativeClient::onConnectionLost(int error)
{
    closeConnection();
    // The server dropped a kept-alive connection as this request went out (an idle close
    // racing the request): Go's transport, and so k6, send it again once on a new connection.
    if (m_reused && m_bytesReceived == 0 && !m_retried && isIdempotent(m_request->method)) {
        m_retried = true;
        m_reused = false;
        m_sentNs = 0;
        openConnection();
        if (m_inFlight)
            armTimer();
        return;
    }
    if (error == ECONNRESET)
        fail(1220, QStringLiteral("read: connection reset by peer"), false);
    else if (error == EPIPE)
        fail(1201, QStringLiteral("write: broken pipe"), false);
    else if (error == 0)
        fail(1000, m_bytesReceived == 0 ? QStringLiteral("EOF") : QStringLiteral("unexpected EOF"), false);
    else
        fail(1200, QStringLiteral("read: %1").arg(QString::fromLocal8Bit(strerror(error))), false);
}

void NativeClient::closeConnection()
{
    if (m_fd < 0)
        return;
    m_loop->unwatch(m_fd, this);
    ::close(m_fd);
    m_fd = -1;
    m_writeWatched = false;
    m_state = State::Idle;
}

void NativeClient::onTimer()
{
    if (!m_inFlight)
        return;
    const qint64 now = steadyNowNs();
    if (m_state == State::Connecting && m_dialDeadlineNs && now >= m_dialDeadlineNs && m_dialDeadlineNs < m_requestDeadlineNs) {
        closeConnection();
        fail(1211, QStringLiteral("dial: i/o timeout"), true);
        return;
    }
    if (now < m_requestDeadlineNs) {
        armTimer();
        return;
    }
    closeConnection();
    fail(1050, QStringLiteral("request timeout"), false);
}

void NativeClient::fail(int errorCode, const QString &error, bool dialFailure)
{
    const qint64 end = steadyNowNs();
    RequestSample &s = m_sample;
    s = RequestSample();
    s.errorCode = errorCode;
    s.error = error;
    if (!dialFailure && errorCode == 1050) {
        // Cut by the timeout, which runs from send(): so does this duration.
        const qint64 sent = m_sentNs ? m_sentNs : end;
        const qint64 first = m_firstByteNs ? std::max(m_firstByteNs, sent) : end;
        s.sendingNs = sent - m_startNs;
        s.waitingNs = first - sent;
        s.receivingNs = end - first;
    } else if (!dialFailure && m_readyNs) {
        const qint64 sent = m_sentNs ? m_sentNs : end;
        const qint64 first = m_firstByteNs ? std::max(m_firstByteNs, sent) : end;
        s.sendingNs = sent - m_readyNs;
        s.waitingNs = first - sent;
        s.receivingNs = end - first;
    }
    s.durationNs = s.sendingNs + s.waitingNs + s.receivingNs;
    if (m_readyNs && !dialFailure) {
        s.blockedNs = m_readyNs - m_startNs;
        if (m_openedConnection)
            s.connectingNs = m_readyNs - m_connectStartNs;
    }
    s.bytesSent = quint64(m_written); // what reached the socket, whole or in part
    s.bytesReceived = m_bytesReceived;
    m_response.body.resize(0);
    m_response.headers.clear();
    deliver();
}

void NativeClient::succeed()
{
    const qint64 end = steadyNowNs();
    if (!m_sentNs) {
        // The server answered before it read the whole request (a 413, say): the rest of the
        // request would be read as the next one's, so the connection goes.
        m_sentNs = m_firstByteNs ? m_firstByteNs : end;
        m_keepAlive = false;
    }
    if (!m_keepAlive)
        closeConnection();
    else
        m_state = State::Idle;
    RequestSample &s = m_sample;
    s = RequestSample();
    s.status = m_status;
    s.proto = m_httpMinor == 0 ? QStringLiteral("HTTP/1.0") : QStringLiteral("HTTP/1.1");
    s.expected = m_request->expectedStatuses.contains(m_status);
    if (m_status >= 400)
        s.errorCode = 1000 + m_status;
    const qint64 first = std::max(m_firstByteNs, m_sentNs);
    s.sendingNs = m_sentNs - m_readyNs;
    s.waitingNs = first - m_sentNs;
    s.receivingNs = end - first;
    s.durationNs = s.sendingNs + s.waitingNs + s.receivingNs;
    s.blockedNs = m_readyNs - m_startNs;
    if (m_openedConnection)
        s.connectingNs = m_readyNs - m_connectStartNs;
    s.bytesSent = quint64(m_written);
    s.bytesReceived = m_bytesReceived;
    deliver();
}

void NativeClient::deliver()
{
    m_loop->cancel(static_cast<NativeLoop::Timer *>(this));
    const PlannedRequest &request = *m_request;
    RequestSample &s = m_sample;
    s.startNs = m_startNs - m_runStartNs;
    s.method = request.methodText;
    s.url = request.urlText;
    s.name = request.name;
    s.tags = request.tags;
    s.retries = m_retried ? 1 : 0;
    if (m_inSend) {
        // Never answer inside send(): the caller is still in it.
        m_loop->defer(this);
        return;
    }
    m_inFlight = false;
    m_request = nullptr;
    Q_EMIT finished(m_sample, m_response);
}

void NativeClient::runDeferred()
{
    if (!m_inFlight)
        return;
    m_inFlight = false;
    m_request = nullptr;
    Q_EMIT finished(m_sample, m_response);
}

void NativeClient::abort()
{
    m_loop->cancel(static_cast<NativeLoop::Timer *>(this));
    m_loop->cancel(static_cast<NativeLoop::Deferred *>(this));
    if (!m_inFlight)
        return;
    m_inFlight = false;
    m_request = nullptr;
    // The connection's state is unknown (a response may be half read): start afresh.
    closeConnection();
}

// llhttp callbacks ------------------------------------------------------------------------

int NativeClient::onMessageBegin(llhttp_t *parser)
{
    NativeClient *c = clientOf(parser);
    c->m_headerField.resize(0);
    c->m_headerValue.resize(0);
    return 0;
}

int NativeClient::onHeaderField(llhttp_t *parser, const char *at, size_t length)
{
    NativeClient *c = clientOf(parser);
    if (c->m_keepHeaders && !c->m_informational) {
        if (!c->m_headerValue.isEmpty()) {
            c->m_headerField.resize(0);
            c->m_headerValue.resize(0);
        }
        c->m_headerField.append(at, qsizetype(length));
    }
    return 0;
}

int NativeClient::onHeaderValue(llhttp_t *parser, const char *at, size_t length)
{
    NativeClient *c = clientOf(parser);
    if (c->m_keepHeaders)
        c->m_headerValue.append(at, qsizetype(length));
    return 0;
}

int NativeClient::onHeaderValueComplete(llhttp_t *parser)
{
    NativeClient *c = clientOf(parser);
    if (c->m_keepHeaders) {
        c->m_response.headers.append({c->m_headerField, c->m_headerValue});
        c->m_headerField.resize(0);
        c->m_headerValue.resize(0);
    }
    return 0;
}

int NativeClient::onHeadersComplete(llhttp_t *parser)
{
    NativeClient *c = clientOf(parser);
    c->m_status = llhttp_get_status_code(parser);
    // llhttp 8 takes any run of digits ("HTTP/1.1 0 OK", "HTTP/1.1 2000"); Go's transport, and
    // so k6, wants three and reports the rest as malformed. A status 0 would also read as a
    // network error without one.
    if (c->m_status < 100 || c->m_status > 999) {
        c->m_badStatus = true;
        return -1;
    }
    c->m_httpMinor = llhttp_get_http_major(parser) == 1 ? llhttp_get_http_minor(parser) : 1;
    // 1xx (but 101) precede the answer; 204, 304 and answers to HEAD have no body whatever
    // their Content-Length or Transfer-Encoding say. 1: "no body, go on to the next message".
    if (c->m_status >= 100 && c->m_status < 200 && c->m_status != 101) {
        c->m_informational = true;
        c->m_response.headers.clear();
        return 1;
    }
    if (c->m_status == 204 || c->m_status == 304 || c->m_request->method == "HEAD")
        return 1;
    return 0;
}

int NativeClient::onBody(llhttp_t *parser, const char *at, size_t length)
{
    NativeClient *c = clientOf(parser);
    if (c->m_keepBody) {
        const qsizetype room = c->m_bodyBudget - c->m_response.body.size();
        if (room > 0)
            c->m_response.body.append(at, std::min(room, qsizetype(length)));
    }
    return 0;
}

int NativeClient::onMessageComplete(llhttp_t *parser)
{
    NativeClient *c = clientOf(parser);
    if (c->m_informational) {
        c->m_informational = false; // the real answer follows on the same stream
        c->m_status = 0;
        return 0;
    }
    c->m_keepAlive = llhttp_should_keep_alive(parser) != 0;
    c->m_complete = true;
    return HPE_PAUSED; // whatever follows in the buffer is no answer to this request
}

} // namespace loadbench
