// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/qnamclient.h"

#include "engine/clock.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace loadbench {

namespace {

const QByteArray userAgent = QByteArrayLiteral("loadbench/" LOADBENCH_VERSION);

struct ErrorCode {
    int code;
    const char *text;
};

// k6's codes (lib/netext/httpext/error_codes.go) for what Qt reports.
ErrorCode k6Error(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError: return {1212, "dial: connection refused"};
    case QNetworkReply::HostNotFoundError: return {1101, "lookup: no such host"};
    case QNetworkReply::TimeoutError: return {1050, "request timeout"};
    case QNetworkReply::RemoteHostClosedError: return {1000, "EOF"};
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError: return {1200, "tcp: network error"};
    case QNetworkReply::SslHandshakeFailedError: return {1300, "tls: handshake failed"};
    case QNetworkReply::ProtocolFailure: return {1000, "malformed HTTP response"};
    default: return {1000, "unknown error"};
    }
}

} // namespace

QnamClient::QnamClient(QObject *parent)
    : HttpClient(parent)
    , m_manager(new QNetworkAccessManager(this))
{
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_manager->setAutoDeleteReplies(false);
    m_timeout.setSingleShot(true);
    m_timeout.setTimerType(Qt::PreciseTimer);
    connect(&m_timeout, &QTimer::timeout, this, &QnamClient::onTimeout);
}

QnamClient::~QnamClient()
{
    abort();
}

void QnamClient::resetTimes()
{
    m_startNs = m_sentNs = m_headersNs = 0;
    m_timedOut = false;
}

void QnamClient::send(const TargetConfig &target, qint64 runStartNs)
{
    Q_ASSERT(!m_reply);
    resetTimes();
    m_runStartNs = runStartNs;

    QNetworkRequest request(target.url);
    // One HTTP/1.1 exchange per request, as k6 counts them: no HTTP/2 multiplexing and no
    // redirects followed behind the measurement's back.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent);
    for (const auto &[name, value] : target.headers)
        request.setRawHeader(name, value);

    // Rebuild the request head Qt will write, to count data_sent.
    const QByteArray path = target.url.path(QUrl::FullyEncoded).isEmpty()
                                ? QByteArrayLiteral("/")
                                : target.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    m_requestBytes = quint64(target.method.size() + 1 + path.size() + 11);         // "GET /p HTTP/1.1\r\n"
    m_requestBytes += quint64(8 + target.url.authority().size());                   // "Host: h:p\r\n"
    m_requestBytes += quint64(14 + userAgent.size());                               // "User-Agent: ...\r\n"
    m_requestBytes += 24 + 33 + 27 + 2;                                             // Connection, Accept-Encoding, Accept-Language, blank line
    for (const auto &[name, value] : target.headers)
        m_requestBytes += quint64(name.size() + value.size() + 4);
    if (!target.body.isEmpty())
        m_requestBytes += quint64(target.body.size()) + 18 + quint64(QByteArray::number(target.body.size()).size());

    m_startNs = steadyNowNs();
    if (target.body.isEmpty() && (target.method == "GET" || target.method == "HEAD" || target.method == "DELETE"))
        m_reply = target.method == "GET"    ? m_manager->get(request)
                  : target.method == "HEAD" ? m_manager->head(request)
                                            : m_manager->deleteResource(request);
    else
        m_reply = m_manager->sendCustomRequest(request, target.method, target.body);

    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::requestSent, this, [this] {
        if (!m_sentNs)
            m_sentNs = steadyNowNs();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] {
        if (!m_headersNs)
            m_headersNs = steadyNowNs();
    });
    connect(reply, &QNetworkReply::finished, this, &QnamClient::onFinished);
    m_timeout.start(std::chrono::duration_cast<std::chrono::milliseconds>(target.timeout));
}

void QnamClient::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows, synchronously
}

void QnamClient::abort()
{
    m_timeout.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void QnamClient::onFinished()
{
    m_timeout.stop();
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    const qint64 endNs = steadyNowNs();

    RequestSample s;
    s.startNs = m_startNs - m_runStartNs;
    s.proto = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()
                  ? QStringLiteral("HTTP/2.0")
                  : QStringLiteral("HTTP/1.1");
    const QNetworkReply::NetworkError error = reply->error();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    s.status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;

    const bool gotResponse = s.status > 0 && !m_timedOut;
    if (m_timedOut) {
        s.status = 0;
        s.errorCode = 1050;
        s.error = QStringLiteral("request timeout");
    } else if (s.status == 0) {
        const ErrorCode e = k6Error(error);
        s.errorCode = e.code;
        s.error = QString::fromLatin1(e.text);
    }

    // Phases (see the class comment): measured from send(), never from a queued stamp, so a
    // late stamp can only move time between waiting and receiving, never lose it. A request
    // that never got onto the wire measures 0, as k6 records a refused dial.
    if (m_sentNs || m_timedOut) {
        const qint64 headersNs = std::clamp(m_headersNs ? m_headersNs : endNs, m_startNs, endNs);
        s.waitingNs = headersNs - m_startNs;
        s.receivingNs = endNs - headersNs;
        s.durationNs = s.waitingNs + s.receivingNs;
        s.bytesSent = m_sentNs ? m_requestBytes : 0;
    }

    QByteArray body;
    if (gotResponse) {
        body = reply->readAll();
        quint64 received = quint64(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray().size()) + 15;
        for (const auto &[name, value] : reply->rawHeaderPairs())
            received += quint64(name.size() + value.size() + 4);
        received += 2;
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        received += length.isValid() ? length.toULongLong() : quint64(body.size());
        s.bytesReceived = received;
    }
    s.expected = s.status >= 200 && s.status <= 399;
    reply->deleteLater();
    Q_EMIT finished(s, body);
}

} // namespace loadbench
