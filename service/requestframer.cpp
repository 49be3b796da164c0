// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestframer.h"

#include <QList>

#include <cstring>

namespace loadbench
{

namespace
{

constexpr qsizetype kMaxChunkLineBytes = 1024;

bool isTchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text)
        if (!isTchar(c))
            return false;
    return true;
}

// field-vchar / obs-text plus SP and HTAB: no NUL, no CTL, no DEL (RFC 9110 §5.5).
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmedOws(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

QList<QByteArray> commaTokens(QByteArrayView value)
{
    QList<QByteArray> tokens;
    for (const QByteArray &part : QByteArray(value.data(), value.size()).split(','))
        tokens.append(trimmedOws(part).toByteArray().toLower());
    return tokens;
}

// Methods Qt's http_parser knows and a health service could meaningfully answer (405 or 404).
// Anything else would reach Qt as a parse error (it drops the connection without a word) or,
// for CONNECT, as a tunnel: answer 501 ourselves.
bool isServedMethod(QByteArrayView method)
{
    static const char *const methods[] = {"GET",    "HEAD",    "POST",  "PUT",
                                          "DELETE", "OPTIONS", "PATCH", "TRACE"};
    for (const char *known : methods)
        if (method == QByteArrayView(known))
            return true;
    return false;
}

} // namespace

RequestFramer::Rejection RequestFramer::reject(int status, const char *reason)
{
    m_rejection = Rejection{status, QByteArray(reason)};
    return m_rejection;
}

bool RequestFramer::atRequestBoundary() const
{
    return !m_rejection && m_state == State::RequestLine && m_line.isEmpty();
}

qsizetype RequestFramer::lineLimit() const
{
    switch (m_state) {
    case State::RequestLine:
        return m_limits.maxRequestLineBytes;
    case State::Fields:
    case State::Trailers:
        return m_limits.maxHeadBytes - m_headBytes;
    default:
        return kMaxChunkLineBytes;
    }
}

RequestFramer::Rejection RequestFramer::feed(QByteArrayView bytes)
{
    qsizetype pos = 0;
    while (!m_rejection && pos < bytes.size()) {
        if (m_state == State::FixedBody || m_state == State::ChunkData) {
            const qint64 take = std::min<qint64>(m_bodyRemaining, bytes.size() - pos);
            m_requestWireBytes += take;
            pos += take;
            m_bodyRemaining -= take;
            if (m_bodyRemaining == 0) {
                if (m_state == State::FixedBody)
                    finishRequest();
                else
                    m_state = State::ChunkDataEnd;
            }
            continue;
        }

        const char *newline = static_cast<const char *>(
            std::memchr(bytes.data() + pos, '\n', static_cast<size_t>(bytes.size() - pos)));
        if (!newline) {
            m_requestWireBytes += bytes.size() - pos;
            m_line.append(bytes.sliced(pos));
            pos = bytes.size();
            if (m_line.size() > lineLimit()) {
                if (m_state == State::RequestLine)
                    return reject(414, "request line too long");
                if (m_state == State::Fields || m_state == State::Trailers)
                    return reject(431, "request header fields too large");
                return reject(400, "invalid chunk size line");
            }
            // Binary garbage and TLS handshakes show themselves in the first bytes: answer
            // now instead of buffering up to the line limit.
            if (m_state == State::RequestLine) {
                for (qsizetype i = 0; i < m_line.size() && m_line.at(i) != ' '; ++i) {
                    const bool pendingCr = m_line.at(i) == '\r' && i == m_line.size() - 1;
                    if (!pendingCr && !isTchar(m_line.at(i)))
                        return reject(400, "invalid method");
                }
            }
            break;
        }

        const qsizetype end = newline - bytes.data();
        m_requestWireBytes += end + 1 - pos;
        QByteArrayView line = bytes.sliced(pos, end - pos);
        if (!m_line.isEmpty()) {
            m_line.append(line);
            line = m_line;
        }
        pos = end + 1;
        const Rejection rejection = takeLine(line);
        m_line.clear();
        if (rejection)
            return rejection;
    }
    return m_rejection;
}

RequestFramer::Rejection RequestFramer::takeLine(QByteArrayView line)
{
    const bool inHead =
        m_state == State::RequestLine || m_state == State::Fields || m_state == State::Trailers;
    if (m_state == State::RequestLine && line.size() > m_limits.maxRequestLineBytes)
        return reject(414, "request line too long");
    if (inHead) {
        m_headBytes += line.size() + 1;
        if (m_headBytes > m_limits.maxHeadBytes)
            return reject(431, "request header fields too large");
    } else if (line.size() > kMaxChunkLineBytes) {
        return reject(400, "invalid chunk size line");
    }
    if (m_requestWireBytes > m_limits.maxRequestWireBytes)
        return reject(413, "request too large");
    // Bare LF is a MAY (RFC 9112 §2.2); refusing it everywhere keeps framing unambiguous.
    if (!line.endsWith('\r'))
        return reject(400, "line not terminated by CRLF");
    line.chop(1);
    if (line.contains('\r'))
        return reject(400, "bare CR");

    switch (m_state) {
    case State::RequestLine:
        return onRequestLine(line);
    case State::Fields:
        return onField(line, false);
    case State::Trailers:
        return onField(line, true);
    case State::ChunkSize:
        return onChunkSize(line);
    case State::ChunkDataEnd:
        if (!line.isEmpty())
            return reject(400, "chunk longer than its size");
        m_state = State::ChunkSize;
        return {};
    case State::FixedBody:
    case State::ChunkData:
        break;
    }
    return {};
}

RequestFramer::Rejection RequestFramer::onRequestLine(QByteArrayView line)
{
    // RFC 9112 §2.2: ignore empty lines before a request line (some clients add one after a body).
    if (line.isEmpty())
        return {};

    m_method.clear();
    m_target.clear();
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (firstSpace < 0 || secondSpace < 0)
        return reject(400, "malformed request line");
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);
    m_method = method.toByteArray();
    m_target = target.first(std::min<qsizetype>(target.size(), 200)).toByteArray();

    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(version.at(5)) ||
        version.at(6) != '.' || !isDigit(version.at(7)))
        return reject(400, "malformed HTTP version");
    if (!isToken(method))
        return reject(400, "invalid method");
    if (target.isEmpty())
        return reject(400, "invalid request target");
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '#')
            return reject(400, "invalid request target");
    }
    const bool originForm = target.startsWith('/');
    const bool asteriskForm = target == QByteArrayView("*") && method == QByteArrayView("OPTIONS");
    const QByteArray lowerTarget =
        target.first(std::min<qsizetype>(target.size(), 8)).toByteArray().toLower();
    const bool absoluteForm =
        lowerTarget.startsWith("http://") || lowerTarget.startsWith("https://");
    if (!originForm && !asteriskForm && !absoluteForm)
        return reject(400, "invalid request target");
    if (version.at(5) != '1')
        return reject(505, "HTTP version not supported");
    if (!isServedMethod(method))
        return reject(501, "unknown method");

    m_http10 = version.at(7) == '0';
    m_hostCount = 0;
    m_contentLengthCount = 0;
    m_contentLength = 0;
    m_transferEncoding.clear();
    m_hasTransferEncoding = false;
    m_connectionClose = false;
    m_connectionKeepAlive = false;
    m_hasUpgrade = false;
    m_expectContinue = false;
    m_fields = 0;
    m_state = State::Fields;
    return {};
}

RequestFramer::Rejection RequestFramer::onField(QByteArrayView line, bool trailer)
{
    if (line.isEmpty()) {
        if (trailer) {
            finishRequest();
            return {};
        }
        return onHeadComplete();
    }
    if (line.front() == ' ' || line.front() == '\t')
        return reject(400, "obsolete line folding");
    if (++m_fields > m_limits.maxFields)
        return reject(431, "too many header fields");
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return reject(400, "invalid header field name");
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    if (!isFieldValue(value))
        return reject(400, "invalid header field value");
    const QByteArray name = line.first(colon).toByteArray().toLower();

    if (trailer) {
        // Qt's parser would act on these even in a trailer; nothing legitimate sends them there.
        if (name == "content-length" || name == "transfer-encoding" || name == "host" ||
            name == "connection" || name == "upgrade")
            return reject(400, "framing field in trailer");
        return {};
    }

    if (name == "host") {
        ++m_hostCount;
    } else if (name == "content-length") {
        // Even identical duplicates: llhttp refuses them, and one rule is easier to trust.
        if (++m_contentLengthCount > 1)
            return reject(400, "duplicate Content-Length");
        if (value.isEmpty() || value.size() > 18)
            return reject(400, "invalid Content-Length");
        qint64 length = 0;
        for (const char c : value) {
            if (c < '0' || c > '9')
                return reject(400, "invalid Content-Length");
            length = length * 10 + (c - '0');
        }
        m_contentLength = length;
    } else if (name == "transfer-encoding") {
        if (m_hasTransferEncoding)
            m_transferEncoding.append(',');
        m_transferEncoding.append(value.toByteArray().toLower());
        m_hasTransferEncoding = true;
    } else if (name == "connection") {
        for (const QByteArray &token : commaTokens(value)) {
            m_connectionClose = m_connectionClose || token == "close";
            m_connectionKeepAlive = m_connectionKeepAlive || token == "keep-alive";
        }
    } else if (name == "upgrade") {
        m_hasUpgrade = true;
    } else if (name == "expect") {
        m_expectContinue = value.toByteArray().toLower() == "100-continue";
    }
    return {};
}

RequestFramer::Rejection RequestFramer::onHeadComplete()
{
    if (m_http10 ? m_hostCount > 1 : m_hostCount != 1)
        return reject(400, "exactly one Host header required");
    // Qt 6.4 turns an upgrade into a silent disconnect or a WebSocket hand-over; we offer none.
    if (m_hasUpgrade)
        return reject(501, "protocol upgrade not supported");

    bool chunked = false;
    if (m_hasTransferEncoding) {
        if (m_contentLengthCount > 0)
            return reject(400, "both Content-Length and Transfer-Encoding");
        if (m_http10)
            return reject(400, "Transfer-Encoding in HTTP/1.0");
        const QList<QByteArray> codings = commaTokens(m_transferEncoding);
        for (const QByteArray &coding : codings) {
            if (coding != "chunked" && coding != "gzip" && coding != "x-gzip" &&
                coding != "deflate" && coding != "compress" && coding != "x-compress")
                return reject(501, "unsupported transfer coding");
        }
        if (codings.count("chunked") != 1 || codings.constLast() != "chunked")
            return reject(400, "chunked must be the final transfer coding");
        if (codings.size() > 1)
            return reject(501, "unsupported transfer coding");
        chunked = true;
    } else if (m_contentLength > m_limits.maxBodyBytes) {
        return reject(413, "content too large");
    }

    // We never send Keep-Alive for HTTP/1.0, so such a client expects the close.
    m_connectionClose = m_connectionClose || m_http10;
    m_bodyTotal = 0;
    m_continuePending = m_expectContinue && !m_http10 && (chunked || m_contentLength > 0);
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (m_contentLength > 0) {
        m_bodyRemaining = m_contentLength;
        m_state = State::FixedBody;
    } else {
        finishRequest();
    }
    return {};
}

RequestFramer::Rejection RequestFramer::onChunkSize(QByteArrayView line)
{
    qsizetype digits = 0;
    qint64 size = 0;
    while (digits < line.size()) {
        const char c = line.at(digits);
        int value = -1;
        if (c >= '0' && c <= '9')
            value = c - '0';
        else if (c >= 'a' && c <= 'f')
            value = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            value = c - 'A' + 10;
        if (value < 0)
            break;
        size = size * 16 + value;
        if (++digits > 8)
            return reject(400, "invalid chunk size");
    }
    if (digits == 0)
        return reject(400, "invalid chunk size");
    const QByteArrayView extension = trimmedOws(line.sliced(digits));
    if (!extension.isEmpty() && (extension.front() != ';' || !isFieldValue(extension)))
        return reject(400, "invalid chunk extension");
    m_bodyTotal += size;
    if (m_bodyTotal > m_limits.maxBodyBytes)
        return reject(413, "content too large");
    if (size == 0) {
        m_headBytes = 0;
        m_fields = 0;
        m_state = State::Trailers;
    } else {
        m_bodyRemaining = size;
        m_state = State::ChunkData;
    }
    return {};
}

void RequestFramer::finishRequest()
{
    ++m_completed;
    m_continuePending = false;
    m_requestWireBytes = 0;
    m_closeRequested = m_closeRequested || m_connectionClose;
    m_headBytes = 0;
    m_fields = 0;
    m_state = State::RequestLine;
}

} // namespace loadbench
