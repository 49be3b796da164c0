// SPDX-License-Identifier: GPL-3.0-or-later
#include "healthprobe.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace loadbench {

namespace {

constexpr auto requestTimeout = 1500ms;
constexpr auto startupRetry = 200ms;

QString shortError(QNetworkReply::NetworkError error, const QString &fallback)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QObject::tr("connection refused");
    case QNetworkReply::HostNotFoundError:
        return QObject::tr("host not found");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QObject::tr("no answer within %1 s").arg(double(requestTimeout.count()) / 1000.0);
    case QNetworkReply::RemoteHostClosedError:
        return QObject::tr("connection closed by the server");
    case QNetworkReply::SslHandshakeFailedError:
        return QObject::tr("TLS handshake failed");
    default:
        return fallback;
    }
}

} // namespace

HealthProbe::HealthProbe(QObject *parent)
    : QObject(parent), m_manager(new QNetworkAccessManager(this))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HealthProbe::probeNow);
    m_description = tr("no target");
}

QUrl HealthProbe::probeUrl(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
}

void HealthProbe::setUrl(const QUrl &url)
{
    if (m_reply) {
        // A late answer from the previous URL must not colour the light of this one. It is left
        // to finish (bounded by its timeout): aborting a reply whose error is already queued
        // makes QNAM report the error twice.
        m_reply->disconnect(this);
        if (m_reply->isFinished())
            m_reply->deleteLater();
        else
            connect(m_reply, &QNetworkReply::finished, m_reply, &QObject::deleteLater);
        m_reply.clear();
    }
    m_url = url;
    m_startupGrace = 0ms;
    const bool usable = url.isValid() && !url.host().isEmpty()
                        && (url.scheme() == u"http"_s || url.scheme() == u"https"_s);
    if (!usable) {
        m_timer.stop();
        report(State::Unknown, url.isEmpty() ? tr("no target") : tr("not an http(s) URL"));
        return;
    }
    report(State::Unknown, tr("checking…"));
    probeNow();
}

void HealthProbe::expectStartup(std::chrono::milliseconds grace)
{
    m_startupGrace = grace;
    m_startupClock.start();
    report(State::Unknown, tr("starting…"));
}

void HealthProbe::setInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
}

void HealthProbe::probeNow()
{
    if (m_reply || !m_url.isValid() || m_url.host().isEmpty())
        return;
    m_timer.stop();
    QNetworkRequest request(probeUrl(m_url));
    // 3xx counts as up; following it would probe another URL than the one shown.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(requestTimeout.count()));
    request.setHeader(QNetworkRequest::UserAgentHeader, u"loadbench-probe"_s);
    m_requestClock.start();
    m_reply = m_manager->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &HealthProbe::onReplyFinished);
}

void HealthProbe::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply.clear();
    if (!reply)
        return;
    reply->deleteLater();
    const qint64 elapsedMs = m_requestClock.elapsed();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    const QString reason =
        QString::fromLatin1(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());

    State state;
    QString description;
    if (status >= 200 && status < 400) {
        state = State::Up;
        description = u"%1 %2 · %3 ms"_s.arg(status).arg(reason).arg(elapsedMs);
        m_startupGrace = 0ms;
    } else {
        state = State::Down;
        description = status > 0 ? tr("HTTP %1 %2").arg(status).arg(reason).trimmed()
                                 : shortError(reply->error(), reply->errorString());
    }

    const bool starting = m_startupGrace > 0ms && m_startupClock.elapsed() < m_startupGrace.count();
    if (state == State::Down && starting) {
        report(State::Unknown, tr("starting…"));
        m_timer.start(startupRetry);
        return;
    }
    report(state, description);
    scheduleNext();
}

void HealthProbe::scheduleNext()
{
    m_timer.start(m_interval);
}

void HealthProbe::report(State state, const QString &description)
{
    if (state == m_state && description == m_description)
        return;
    m_state = state;
    m_description = description;
    Q_EMIT stateChanged(state, description);
}

} // namespace loadbench
