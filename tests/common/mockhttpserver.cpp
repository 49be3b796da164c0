// SPDX-License-Identifier: GPL-3.0-or-later
#include "mockhttpserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace loadbench::test {

MockHttpServer::MockHttpServer(Behaviour behaviour, QObject *parent)
    : QObject(parent)
    , m_behaviour(behaviour ? std::move(behaviour) : [](int) { return Reply{}; })
{
    connect(&m_server, &QTcpServer::newConnection, this, &MockHttpServer::onNewConnection);
}

MockHttpServer::~MockHttpServer()
{
    // The sockets die with m_server, after m_buffers: their disconnected() must not reach us.
    const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets)
        socket->disconnect(this);
}

bool MockHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString MockHttpServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/mock").arg(m_server.serverPort());
}

QByteArray MockHttpServer::Request::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void MockHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_connectionsAccepted;
        m_connectionNumbers.insert(socket, m_connectionsAccepted);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            m_connectionNumbers.remove(socket);
            socket->deleteLater();
        });
        armIdleTimer(socket);
    }
}

void MockHttpServer::armIdleTimer(QTcpSocket *socket)
{
    if (m_idleTimeoutMs <= 0)
        return;
    // A generation counter per socket: only the timer armed last may close it.
    const int generation = socket->property("idleGeneration").toInt() + 1;
    socket->setProperty("idleGeneration", generation);
    QPointer<QTcpSocket> guarded(socket);
    QTimer::singleShot(m_idleTimeoutMs, this, [guarded, generation] {
        if (guarded && guarded->property("idleGeneration").toInt() == generation
            && !guarded->property("busy").toBool())
            guarded->disconnectFromHost();
    });
}

void MockHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    qsizetype end;
    while ((end = buffer.indexOf("\r\n\r\n")) >= 0) {
        Request request;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
        }
        const qsizetype length = request.header("Content-Length").toLongLong();
        if (buffer.size() < end + 4 + length)
            return; // the body is still on its way
        request.body = buffer.mid(end + 4, length);
        request.connection = m_connectionNumbers.value(socket);
        buffer.remove(0, end + 4 + length);
        m_requests.append(request);
        Reply reply = m_behaviour(m_requestsSeen++);
        if (!m_sinceFirstRequest.isValid())
            m_sinceFirstRequest.start();
        const qint64 t = m_sinceFirstRequest.elapsed();
        if (t >= m_holdFromMs && t < m_holdToMs)
            reply.delayMs = std::max(reply.delayMs, int(m_holdToMs - t));
        ++m_inFlight;
        m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
        socket->setProperty("busy", true);
        if (reply.never)
            continue;
        QPointer<QTcpSocket> guarded(socket);
        // Precise: a coarse timer may fire 5 % early, and a test may rely on the server taking its time.
        QTimer::singleShot(reply.delayMs, Qt::PreciseTimer, this, [this, guarded, reply] {
            --m_inFlight;
            if (!guarded)
                return;
            if (reply.reset) {
                // SO_LINGER 0 makes close() send RST instead of FIN.
                const linger hard{1, 0};
                ::setsockopt(int(guarded->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
                guarded->abort();
                return;
            }
            QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
            for (const auto &[name, value] : reply.headers)
                head += name + ": " + value + "\r\n";
            if (reply.close)
                head += "Connection: close\r\n";
            guarded->write(head + "\r\n" + reply.body);
            guarded->setProperty("busy", false);
            if (reply.close)
                guarded->disconnectFromHost();
            else
                armIdleTimer(guarded);
        });
    }
}

} // namespace loadbench::test
