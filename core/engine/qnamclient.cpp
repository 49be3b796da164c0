// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/qnamclient.h"

#include "engine/clock.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <utility>

namespace loadbench {

namespace {

const QByteArray userAgent = QByteArrayLiteral("loadbench/" LOADBENCH_VERSION);

struct ErrorCode {
    int code;
    QString text;
};

// k6's codes and texts (lib/netext/httpext/error_codes.go) for what Qt reports.
ErrorCode k6Error(QNetworkReply *reply)
{
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError: return {1212, QStringLiteral("dial: connection refused")};
    case QNetworkReply::HostNotFoundError: return {1101, QStringLiteral("lookup: no such host")};
    case QNetworkReply::TimeoutError: return {1050, QStringLiteral("request timeout")};
    case QNetworkReply::RemoteHostClosedError: return {1000, QStringLiteral("EOF")};
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError: return {1200, QStringLiteral("tcp: ") + reply->errorString()};
    case QNetworkReply::SslHandshakeFailedError: return {1300, QStringLiteral("tls: ") + reply->errorString()};
    case QNetworkReply::ProtocolFailure: return {1000, QStringLiteral("malformed HTTP response")};
    default: return {1000, reply->errorString()};
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
    m_dialTimer.setSingleShot(true);
    connect(&m_dialTimer, &QTimer::timeout, this, &QnamClient::onDialTimeout);
}

QnamClient::~QnamClient()
{
    abort();
}

void QnamClient::resetTimes()
{
    m_startNs = m_connectStartNs = m_encryptedNs = m_sentNs = m_headersNs = 0;
    m_aborted = Abort::None;
}

void QnamClient::send(const PlannedRequest &planned, qint64 runStartNs)
{
    Q_ASSERT(!m_reply);
    resetTimes();
    m_runStartNs = runStartNs;
    m_method = planned.methodText;
    m_url = planned.urlText;
    m_name = planned.name;
    m_tags = planned.tags;
    m_expectedStatuses = planned.expectedStatuses;
    m_keepBody = std::any_of(planned.checks.cbegin(), planned.checks.cend(), [](const Check &check) {
        return check.kind == Check::Kind::BodyContains || check.kind == Check::Kind::JsonEquals;
    });
    m_bodyBytes = 0;
    m_body.clear();

    QNetworkRequest request(planned.url);
    // One HTTP/1.1 exchange per request, as k6 counts them: no HTTP/2 multiplexing and no
    // redirects followed behind the measurement's back.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // Headers Qt would otherwise choose from its build (Accept-Encoding: zstd, br, ...) and the
    // system locale (Accept-Language) are set here, so that data_sent is exact and the server
    // sees what the native engine sends: an uncompressed body, whatever the locale.
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent);
    request.setRawHeader("Accept-Encoding", "identity");
    request.setRawHeader("Accept-Language", "*");
    for (const auto &[name, value] : planned.headers)
        request.setRawHeader(name, value);

    // The request head Qt will write, rebuilt to count data_sent: the request line, Host, the
    // headers above (the request's own replacing ours), Connection: Keep-Alive and the two
    // cache headers AlwaysNetwork adds, Content-Length for a body, the blank line, the body.
    const QUrl &url = planned.url;
    const QByteArray path = url.path(QUrl::FullyEncoded).isEmpty()
                                ? QByteArrayLiteral("/")
                                : url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    m_requestBytes = quint64(planned.method.size() + 1 + path.size() + 11); // "GET /p HTTP/1.1\r\n"
    m_requestBytes += quint64(8 + url.authority(QUrl::RemoveUserInfo | QUrl::FullyEncoded).size()); // "Host: h:p\r\n"
    for (const QByteArray &name : request.rawHeaderList())
        m_requestBytes += quint64(name.size() + request.rawHeader(name).size() + 4);
    if (!request.hasRawHeader("Connection"))
        m_requestBytes += 24;                                             // "Connection: Keep-Alive\r\n"
    if (!request.hasRawHeader("Cache-Control"))
        m_requestBytes += 25;                                             // "Cache-Control: no-cache\r\n"
    if (!request.hasRawHeader("Pragma"))
        m_requestBytes += 18;                                             // "Pragma: no-cache\r\n"
    if (!planned.body.isEmpty() && !request.hasRawHeader("Content-Length"))
        m_requestBytes += 18 + quint64(QByteArray::number(planned.body.size()).size()); // "Content-Length: n\r\n"
    m_requestBytes += 2 + quint64(planned.body.size());

    m_startNs = steadyNowNs();
    const QByteArray &method = planned.method;
    if (planned.body.isEmpty() && (method == "GET" || method == "HEAD" || method == "DELETE"))
        m_reply = method == "GET"    ? m_manager->get(request)
                  : method == "HEAD" ? m_manager->head(request)
                                     : m_manager->deleteResource(request);
    else
        m_reply = m_manager->sendCustomRequest(request, method, planned.body);

    // Each stamp is the signal's arrival, never earlier than the event (see the class comment).
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this] {
        if (!m_connectStartNs) {
            m_connectStartNs = steadyNowNs();
            if (m_dialTimeout.count() > 0)
                m_dialTimer.start(m_dialTimeout);
        }
    });
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::encrypted, this, [this] {
        if (!m_encryptedNs)
            m_encryptedNs = steadyNowNs();
        m_dialTimer.stop();
    });
#endif
    connect(reply, &QNetworkReply::requestSent, this, [this] {
        if (!m_sentNs)
            m_sentNs = steadyNowNs();
        m_dialTimer.stop();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] {
        if (!m_headersNs)
            m_headersNs = steadyNowNs();
    });
    // The body is taken as it arrives: kept up to the budget when a check reads it, counted
    // and dropped otherwise, so a 50 MB answer costs no 50 MB; the bounded read buffer makes
    // Qt's HTTP thread wait for this one instead of buffering it all.
    reply->setReadBufferSize(256 * 1024);
    connect(reply, &QNetworkReply::readyRead, this, [this] {
        if (m_reply)
            takeBody(m_reply);
    });
    connect(reply, &QNetworkReply::finished, this, &QnamClient::onFinished);
    m_timeout.start(std::chrono::duration_cast<std::chrono::milliseconds>(planned.timeout));
}

void QnamClient::takeBody(QNetworkReply *reply)
{
    if (m_keepBody) {
        const qint64 room = m_bodyBudget - m_body.size();
        if (room > 0) {
            const QByteArray part = reply->read(std::min(room, reply->bytesAvailable()));
            m_body += part;
            m_bodyBytes += part.size();
        }
    }
    m_bodyBytes += std::max<qint64>(0, reply->skip(reply->bytesAvailable()));
}

void QnamClient::onTimeout()
{
    if (!m_reply)
        return;
    m_aborted = Abort::Timeout;
    m_reply->abort(); // finished() follows, synchronously
}

void QnamClient::onDialTimeout()
{
    if (!m_reply || m_sentNs || m_encryptedNs)
        return;
    m_aborted = Abort::DialTimeout;
    m_reply->abort();
}

void QnamClient::abort()
{
    m_timeout.stop();
    m_dialTimer.stop();
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
    m_dialTimer.stop();
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    const qint64 endNs = steadyNowNs();

    RequestSample s;
    s.startNs = m_startNs - m_runStartNs;
    s.method = m_method;
    s.url = m_url;
    s.name = m_name;
    s.tags = m_tags;
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    s.status = statusAttribute.isValid() && m_aborted == Abort::None ? statusAttribute.toInt() : 0;

    // Qt takes any number for a status ("HTTP/1.1 42", "HTTP/1.1 2000"); Go's transport, and so
    // k6 and the native engine, want three digits and call the rest malformed.
    const int shownStatus = s.status;
    const bool badStatus = s.status != 0 && (s.status < 100 || s.status > 999);
    if (badStatus)
        s.status = 0;

    if (badStatus) {
        s.errorCode = 1000;
        s.error = QStringLiteral("malformed HTTP status code \"%1\"").arg(shownStatus);
    } else if (m_aborted == Abort::Timeout) {
        s.errorCode = 1050;
        s.error = QStringLiteral("request timeout");
    } else if (m_aborted == Abort::DialTimeout) {
        s.errorCode = 1211;
        s.error = QStringLiteral("dial: i/o timeout");
    } else if (s.status == 0) {
        const ErrorCode e = k6Error(reply);
        s.errorCode = e.code;
        s.error = e.text;
    } else if (s.status >= 400) {
        s.errorCode = 1000 + s.status; // k6's error_code for HTTP errors; no error text
    }
    if (s.status > 0) {
        s.proto = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()
                      ? QStringLiteral("HTTP/2.0")
                      : QStringLiteral("HTTP/1.1");
    }
    s.expected = s.status > 0 && m_expectedStatuses.contains(s.status);

    // Phases (see the class comment). Each boundary is clamped between its neighbours, so the
    // three phases add up to the duration whatever order or batch the signals came in.
    if (m_sentNs) {
        const qint64 sentNs = std::clamp(m_sentNs, m_startNs, endNs);
        const qint64 headersNs = m_headersNs ? std::clamp(m_headersNs, sentNs, endNs) : endNs;
        s.sendingNs = sentNs - m_startNs;
        s.waitingNs = headersNs - sentNs;
        s.receivingNs = endNs - headersNs;
        s.durationNs = s.sendingNs + s.waitingNs + s.receivingNs;
        s.bytesSent = m_requestBytes;
        if (m_connectStartNs) {
            const qint64 readyNs = std::clamp(m_encryptedNs ? m_encryptedNs : sentNs, m_startNs, sentNs);
            s.blockedNs = readyNs - m_startNs;
            s.connectingNs = readyNs - std::clamp(m_connectStartNs, m_startNs, readyNs);
        }
    }

    HttpResponse response;
    if (s.status > 0) {
        takeBody(reply);
        response.body = std::exchange(m_body, QByteArray());
        response.headers = reply->rawHeaderPairs();
        quint64 received = quint64(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray().size()) + 15;
        for (const auto &[name, value] : response.headers)
            received += quint64(name.size() + value.size() + 4);
        received += 2;
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        const bool bodiless = m_method == u"HEAD" || s.status == 204 || s.status == 304;
        if (length.isValid() && !bodiless && quint64(m_bodyBytes) < length.toULongLong()) {
            // The connection ended inside the body (a close or a reset): Qt reports the short
            // body as a success; k6 reports Go's io.ErrUnexpectedEOF.
            received += quint64(m_bodyBytes);
            s.status = 0;
            s.proto.clear();
            s.expected = false;
            s.errorCode = 1000;
            s.error = QStringLiteral("unexpected EOF");
            response = HttpResponse();
        } else {
            received += length.isValid() && !bodiless ? length.toULongLong() : quint64(m_bodyBytes);
        }
        s.bytesReceived = received;
    }
    reply->deleteLater();
    Q_EMIT finished(s, response);
}

} // namespace loadbench
