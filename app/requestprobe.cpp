// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestprobe.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace loadbench {

QString RequestProbe::Result::text() const
{
    if (!answered)
        return QObject::tr("no answer: %1 · %2 ms").arg(reason).arg(milliseconds, 0, 'f', 1);
    QString line = QObject::tr("%1 %2 · %3 ms · %4 B").arg(status).arg(reason).arg(milliseconds, 0, 'f', 1).arg(bytes);
    if (!preview.isEmpty())
        line += u" · "_s + preview;
    return line;
}

RequestProbe::RequestProbe(QObject *parent)
    : QObject(parent), m_manager(new QNetworkAccessManager(this))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_reply) {
            m_timedOut = true;
            m_reply->abort(); // finished() follows
        }
    });
}

void RequestProbe::send(const PlannedRequest &planned)
{
    if (m_reply) {
        QNetworkReply *old = m_reply;
        m_reply = nullptr;
        old->disconnect(this);
        old->abort();
        old->deleteLater();
    }
    QNetworkRequest request(planned.url);
    // As the run will send it: no cache, no redirect followed, its own headers.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept-Encoding", "identity");
    for (const auto &[name, value] : planned.headers)
        request.setRawHeader(name, value);
    m_timedOut = false;
    m_clock.start();
    m_reply = planned.body.isEmpty() ? m_manager->sendCustomRequest(request, planned.method)
                                     : m_manager->sendCustomRequest(request, planned.method, planned.body);
    connect(m_reply, &QNetworkReply::finished, this, &RequestProbe::onFinished);
    m_timeout.start(timeout);
}

void RequestProbe::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    m_timeout.stop();
    reply->deleteLater();
    Result r;
    r.milliseconds = double(m_clock.nsecsElapsed()) / 1e6;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        r.reason = m_timedOut ? tr("timed out after %1 s").arg(timeout.count() / 1000) : reply->errorString();
        Q_EMIT finished(r);
        return;
    }
    r.answered = true;
    r.status = status.toInt();
    r.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QByteArray body = reply->readAll();
    r.bytes = body.size();
    // Printable ASCII only: a binary body must not turn the label into noise.
    QString preview;
    for (const char c : body.left(previewBytes))
        preview += (c >= 0x20 && c < 0x7f) ? QChar(QLatin1Char(c)) : (c == '\n' || c == '\r' || c == '\t' ? u' ' : u'·');
    if (body.size() > previewBytes)
        preview += u'…';
    r.preview = preview.simplified();
    Q_EMIT finished(r);
}

} // namespace loadbench
