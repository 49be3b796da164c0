// SPDX-License-Identifier: GPL-3.0-or-later
#include "mockhttpserver.h"

#include <QPointer>
#include <QSet>
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

bool MockHttpServer::listen(const QHostAddress &address)
{
    m_address = address;
    // Qt's default backlog (50) and pending queue (30) would make a burst of connects (BC-04's
    // 300 VUs) wait for SYN retransmits, a second each: the server's queue, not the client's.
    m_server.setListenBacklogSize(4096);
    m_server.setMaxPendingConnections(4096);
    return m_server.listen(address, 0);
}

QString MockHttpServer::url(const QString &path) const
{
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + m_address.toString() + QLatin1Char(']')
                             : m_address.toString();
    return QStringLiteral("http://%1:%2%3").arg(host).arg(m_server.serverPort()).arg(path);
}

namespace {

QByteArray builtResponse(const MockHttpServer::Reply &reply)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\nContent-Type: application/json\r\n"
                      "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    if (reply.close)
        head += "Connection: close\r\n";
    return head + "\r\n" + reply.body;
}

} // namespace

qint64 MockHttpServer::Reply::wireBytes() const
{
    if (raw.isEmpty())
        return reset ? 0 : builtResponse(*this).size();
    qint64 total = 0;
    for (const Piece &piece : raw)
        total += piece.bytes.size() * piece.repeat;
    return total;
}

// A raw reply on its way out: the next piece, how often it is still to be written, and whether
// its delay has passed.
struct MockHttpServer::Writer {
    Reply reply;
    qsizetype piece = 0;
    qint64 left = 0;
    bool waited = false;
    bool waiting = false; // the piece's delay is running: bytesWritten must not start another
};

int MockHttpServer::connectionsWithRequests() const
{
    const QMutexLocker lock(&m_requestsMutex);
    QSet<int> used;
    for (const Request &request : m_requests)
        used.insert(request.connection);
    return int(used.size());
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
            m_writers.remove(socket);
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
        request.wireBytes = end + 4 + length;
        if (qEnvironmentVariableIsSet("LOADBENCH_MOCK_DUMP"))
            qInfo("mock server read %lld bytes: %s", request.wireBytes, buffer.left(end + 4 + length).constData());
        buffer.remove(0, end + 4 + length);
        {
            const QMutexLocker lock(&m_requestsMutex);
            m_requests.append(request);
        }
        Reply reply = m_behaviour(m_requestsSeen++);
        if (!m_sinceFirstRequest.isValid())
            m_sinceFirstRequest.start();
        const qint64 t = m_sinceFirstRequest.elapsed();
        if (t >= m_holdFromMs && t < m_holdToMs)
            reply.delayMs = std::max(reply.delayMs, int(m_holdToMs - t));
        ++m_inFlight;
        m_peakInFlight = std::max(m_peakInFlight.load(), m_inFlight);
        socket->setProperty("busy", true);
        if (reply.never)
            continue;
        QPointer<QTcpSocket> guarded(socket);
        // Precise: a coarse timer may fire 5 % early, and a test may rely on the server taking its time.
        QTimer::singleShot(reply.delayMs, Qt::PreciseTimer, this, [this, guarded, reply] {
            --m_inFlight;
            if (guarded)
                answer(guarded, reply);
        });
    }
}

void MockHttpServer::answer(QTcpSocket *socket, const Reply &reply)
{
    if (reply.raw.isEmpty()) {
        if (!reply.reset) {
            const QByteArray response = builtResponse(reply);
            m_bytesWritten += response.size();
            socket->write(response);
        }
        finishReply(socket, reply);
        return;
    }
    auto writer = std::make_shared<Writer>();
    writer->reply = reply;
    writer->left = reply.raw.first().repeat;
    m_writers.insert(socket, writer);
    // Paced by the client: more goes out as the socket's buffer drains.
    if (!socket->property("paced").toBool()) {
        socket->setProperty("paced", true);
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] { writeRaw(socket); });
    }
    writeRaw(socket);
}

void MockHttpServer::writeRaw(QTcpSocket *socket)
{
    const std::shared_ptr<Writer> writer = m_writers.value(socket);
    if (!writer)
        return;
    constexpr qint64 highWater = 256 * 1024;
    while (writer->piece < writer->reply.raw.size()) {
        const Reply::Piece &piece = writer->reply.raw.at(writer->piece);
        if (piece.delayMs > 0 && !writer->waited) {
            if (writer->waiting)
                return;
            writer->waiting = true;
            QPointer<QTcpSocket> guarded(socket);
            QTimer::singleShot(piece.delayMs, Qt::PreciseTimer, this, [this, guarded, writer] {
                writer->waiting = false;
                writer->waited = true;
                if (guarded)
                    writeRaw(guarded);
            });
            return;
        }
        while (writer->left > 0) {
            if (socket->bytesToWrite() > highWater)
                return; // bytesWritten brings us back
            socket->write(piece.bytes);
            m_bytesWritten += piece.bytes.size();
            --writer->left;
        }
        ++writer->piece;
        writer->waited = false;
        if (writer->piece < writer->reply.raw.size())
            writer->left = writer->reply.raw.at(writer->piece).repeat;
    }
    m_writers.remove(socket);
    finishReply(socket, writer->reply);
}

void MockHttpServer::finishReply(QTcpSocket *socket, const Reply &reply)
{
    if (reply.reset) {
        QPointer<QTcpSocket> guarded(socket);
        auto reset = [guarded] {
            if (!guarded)
                return;
            // SO_LINGER 0 makes close() send RST instead of FIN.
            const linger hard{1, 0};
            ::setsockopt(int(guarded->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            guarded->abort();
        };
        // After raw bytes, let them reach the client before the RST does.
        if (reply.raw.isEmpty())
            reset();
        else
            QTimer::singleShot(50, this, reset);
        return;
    }
    socket->setProperty("busy", false);
    if (reply.close)
        socket->disconnectFromHost();
    else
        armIdleTimer(socket);
}

} // namespace loadbench::test
