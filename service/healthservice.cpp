// SPDX-License-Identifier: GPL-3.0-or-later
#include "healthservice.h"

#include "guardedtcpserver.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace loadbench
{

namespace
{

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    default:
        return "-";
    }
}

// As received (the framer only lets printable ASCII through), so the log and the 404 body
// show what the client sent.
QByteArray requestTarget(const QHttpServerRequest &request)
{
    const QUrl url = request.url();
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return target;
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

HealthService::HealthService(const GuardSettings &settings, int maxConnections,
                             std::shared_ptr<std::atomic<int>> openConnections,
                             const RequestLog &log, QObject *parent)
    : QObject(parent), m_settings(settings), m_maxConnections(maxConnections),
      m_openConnections(std::move(openConnections)), m_log(log), m_http(new QHttpServer(this))
{
    // Built once: the answer never changes, and key order is fixed by QJsonObject's sorting.
    static const QByteArray healthBody =
        compactJson({{u"status"_s, u"ok"_s}, {u"version"_s, QStringLiteral(LOADBENCH_VERSION)}});

    // Responder handlers rather than QHttpServerResponse: HEAD needs the headers without the
    // body, and 6.4's response path would send the body anyway.
    m_http->route(u"/api/health"_s, [this](const QHttpServerRequest &request,
                                           QHttpServerResponder &&responder) {
        const auto method = request.method();
        if (method == QHttpServerRequest::Method::Get ||
            method == QHttpServerRequest::Method::Head) {
            respond(request, responder, QHttpServerResponder::StatusCode::Ok, healthBody);
            return;
        }
        respond(request, responder, QHttpServerResponder::StatusCode::MethodNotAllowed,
                compactJson({{u"error"_s, u"method not allowed"_s}}),
                {{QByteArray("Allow"), QByteArray("GET, HEAD")}});
    });
    m_http->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            respond(request, responder, QHttpServerResponder::StatusCode::NotFound,
                    compactJson({{u"error"_s, u"not found"_s},
                                 {u"path"_s, request.url().path(QUrl::FullyEncoded)}}));
        });
}

bool HealthService::start(qintptr listeningDescriptor)
{
    auto *server =
        new GuardedTcpServer(m_settings, m_maxConnections, m_openConnections, m_log, this);
    if (!server->setSocketDescriptor(listeningDescriptor)) {
        delete server;
        return false;
    }
    server->attachTo(*m_http);
    return true;
}

void HealthService::respond(const QHttpServerRequest &request, QHttpServerResponder &responder,
                            QHttpServerResponder::StatusCode status, const QByteArray &body,
                            const QList<std::pair<QByteArray, QByteArray>> &extraHeaders)
{
    responder.writeStatusLine(status);
    responder.writeHeader("Content-Type", "application/json; charset=utf-8");
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    for (const auto &[name, value] : extraHeaders)
        responder.writeHeader(name, value);
    // The ConnectionGuard closes after such a request; say so, as RFC 9112 §9.6 asks.
    for (const QByteArray &token : request.value("connection").toLower().split(',')) {
        if (token.trimmed() == "close") {
            responder.writeHeader("Connection", "close");
            break;
        }
    }
    if (request.method() == QHttpServerRequest::Method::Head)
        responder.writeBody(QByteArray());
    else
        responder.writeBody(body);
    m_log.write(request.remoteAddress(), methodName(request.method()), requestTarget(request),
                static_cast<int>(status));
}

} // namespace loadbench
