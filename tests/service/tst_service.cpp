// SPDX-License-Identifier: GPL-3.0-or-later
// Starts the real loadbench-service (path in LOADBENCH_SERVICE, set by ctest) on port 0 and
// talks to it over loopback with raw bytes, so every header and every close is visible.
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;

namespace
{

constexpr int kStartTimeoutMs = 10000;
constexpr int kAnswerTimeoutMs = 5000;

// A literal with NUL bytes inside, which QByteArray(const char *) would cut.
template <qsizetype N> QByteArray raw(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

const QByteArray kHealthBody = R"({"status":"ok","version":"0.1.0"})";
const QByteArray kHealthGet = "GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n";

struct Response {
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key == name)
                return value;
        return {};
    }
    int headerCount(const QByteArray &name) const
    {
        int count = 0;
        for (const auto &header : headers)
            count += header.first == name ? 1 : 0;
        return count;
    }
};

// Takes one complete response off the front of buffer; bodyless for HEAD and 1xx.
std::optional<Response> takeResponse(QByteArray &buffer, bool headRequest = false)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    Response response;
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.first().startsWith("HTTP/1."))
        return std::nullopt;
    response.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        response.headers.append(
            {lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed()});
    }
    qsizetype length = 0;
    if (!headRequest && response.status >= 200)
        length = response.header("content-length").toLongLong();
    if (buffer.size() < headEnd + 4 + length)
        return std::nullopt;
    response.body = buffer.mid(headEnd + 4, length);
    buffer.remove(0, headEnd + 4 + length);
    return response;
}

// A loopback connection to the service with blocking helpers bounded by deadlines.
class Client
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(kAnswerTimeoutMs);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(kAnswerTimeoutMs);
    }
    // Reads until count responses are complete; fewer if the server closes or time runs out.
    QList<Response> responses(int count, bool headRequest = false, int timeoutMs = kAnswerTimeoutMs)
    {
        QList<Response> result;
        QDeadlineTimer deadline(timeoutMs);
        while (result.size() < count) {
            if (auto response = takeResponse(m_buffer, headRequest)) {
                result.append(*response);
                continue;
            }
            if (!readMore(deadline))
                break;
        }
        return result;
    }
    // Everything until the server closes the connection; false if it does not in time.
    bool readUntilClosed(int timeoutMs = kAnswerTimeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (readMore(deadline)) {
        }
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    QByteArray &buffer() { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }

private:
    bool readMore(const QDeadlineTimer &deadline)
    {
        if (m_socket.state() != QAbstractSocket::ConnectedState) {
            m_buffer += m_socket.readAll();
            return false;
        }
        const bool ready = m_socket.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
        m_buffer += m_socket.readAll();
        return ready;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

// The service as a child process in its own temporary working directory, so no stray .env in
// the build tree can change what a test sees.
class Service
{
public:
    Service()
    {
        m_environment = QProcessEnvironment::systemEnvironment();
        for (const QString &key : {u"HOST"_s, u"PORT"_s, u"APP_ENV"_s, u"THREADS"_s})
            m_environment.remove(key);
        m_process.setWorkingDirectory(m_directory.path());
    }
    ~Service()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(kAnswerTimeoutMs);
        }
    }

    void setEnv(const QString &key, const QString &value) { m_environment.insert(key, value); }
    void writeDotEnv(const QByteArray &content)
    {
        QFile file(m_directory.filePath(u".env"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    void launch(const QStringList &arguments)
    {
        m_process.setProcessEnvironment(m_environment);
        m_process.start(qEnvironmentVariable("LOADBENCH_SERVICE"), arguments);
    }
    // Starts and waits for the "listening on" line; port() then holds the real port.
    bool start(const QStringList &arguments)
    {
        launch(arguments);
        QDeadlineTimer deadline(kStartTimeoutMs);
        static const QRegularExpression listening(
            uR"(^loadbench-service listening on http://(\S+):(\d+) \(APP_ENV=(\w+), threads=(\d+)\)\n)"_s);
        while (!deadline.hasExpired()) {
            const auto match = listening.match(QString::fromUtf8(m_stdout));
            if (match.hasMatch()) {
                m_port = static_cast<quint16>(match.captured(2).toUInt());
                m_listeningLine = match.captured(0).trimmed();
                m_stdout.remove(0, match.capturedLength(0));
                return true;
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
            m_stdout += m_process.readAllStandardOutput();
        }
        return false;
    }
    // Waits for exit; false if it does not exit in time.
    bool waitForExit(int timeoutMs = kAnswerTimeoutMs)
    {
        const bool finished =
            m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
        m_stdout += m_process.readAllStandardOutput();
        return finished;
    }
    // Waits until stdout holds text, beyond the listening line.
    bool waitForOutput(const QByteArray &text, int timeoutMs = kAnswerTimeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!m_stdout.contains(text) && !deadline.hasExpired() &&
               m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
            m_stdout += m_process.readAllStandardOutput();
        }
        return m_stdout.contains(text);
    }

    quint16 port() const { return m_port; }
    QString listeningLine() const { return m_listeningLine; }
    QByteArray standardOutput() const { return m_stdout; }
    QByteArray standardError() { return m_process.readAllStandardError(); }
    QProcess &process() { return m_process; }

private:
    QTemporaryDir m_directory;
    QProcessEnvironment m_environment;
    QProcess m_process;
    QByteArray m_stdout;
    QString m_listeningLine;
    quint16 m_port = 0;
};

} // namespace

class TestService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void getHealth();
    void headHealth();
    void unknownPath();
    void wrongMethod_data();
    void wrongMethod();
    void dotEnvFromWorkingDirectory();
    void environmentOverridesDotEnv();
    void flagOverridesEnvironment();
    void badValue_data();
    void badValue();
    void portInUse();
    void portInUseByAnotherThreadedService();
    void terminationSignal_data();
    void terminationSignal();
    void pipelinedRequests();
    void connectThenHealthy();
    void hugeHeader();
    void malformed_data();
    void malformed();
    void splitRequestStillValidated();
    void expectContinue();
    void ipv6Host();
    void connectionClose();
    void idleConnectionClosed();
    void slowRequestTimesOut();
    void connectionCap();
    void twoThreads();

private:
    // A service on a free port, production, with extra flags.
    std::unique_ptr<Service> startService(const QStringList &extra = {});
    void expectHealthy(quint16 port);
};

void TestService::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("LOADBENCH_SERVICE"))
        QSKIP("LOADBENCH_SERVICE is not set: run through ctest, which points it at the binary");
    QVERIFY2(QFileInfo(qEnvironmentVariable("LOADBENCH_SERVICE")).isExecutable(),
             qPrintable(qEnvironmentVariable("LOADBENCH_SERVICE")));
}

std::unique_ptr<Service> TestService::startService(const QStringList &extra)
{
    auto service = std::make_unique<Service>();
    if (!service->start(QStringList{u"--port"_s, u"0"_s} + extra)) {
        qWarning("service did not start: %s", service->standardError().constData());
        return nullptr;
    }
    return service;
}

void TestService::expectHealthy(quint16 port)
{
    Client client;
    QVERIFY(client.connectTo(port));
    client.send(kHealthGet);
    const QList<Response> responses = client.responses(1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 200);
    QCOMPARE(responses.first().body, kHealthBody);
}

void TestService::getHealth()
{
    const auto service = startService();
    QVERIFY(service);
    QCOMPARE(
        service->listeningLine(),
        u"loadbench-service listening on http://127.0.0.1:%1 (APP_ENV=production, threads=1)"_s.arg(
            service->port()));
    QVERIFY(service->port() != 0);

    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send(kHealthGet);
    const QList<Response> responses = client.responses(1);
    QCOMPARE(responses.size(), 1);
    const Response &response = responses.first();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(response.headerCount("content-type"), 1);
    QCOMPARE(response.header("content-length"), QByteArray::number(kHealthBody.size()));
    QCOMPARE(response.body, kHealthBody);
    QVERIFY(client.buffer().isEmpty()); // nothing after the body
    // Keep-alive: the same connection answers again.
    client.send(kHealthGet);
    QCOMPARE(client.responses(1).value(0).status, 200);
    // Production is silent.
    QVERIFY(service->standardOutput().isEmpty());
}

void TestService::headHealth()
{
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    // A GET right behind the HEAD: if HEAD sent a body, the second status line would not
    // start where the first head ends.
    client.send("HEAD /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n" + kHealthGet);
    const QList<Response> head = client.responses(1, true);
    QCOMPARE(head.size(), 1);
    QCOMPARE(head.first().status, 200);
    QCOMPARE(head.first().header("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(head.first().header("content-length"), QByteArray::number(kHealthBody.size()));
    const QList<Response> get = client.responses(1);
    QCOMPARE(get.size(), 1);
    QCOMPARE(get.first().status, 200);
    QCOMPARE(get.first().body, kHealthBody);
}

void TestService::unknownPath()
{
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n"
                "GET /api/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                "GET /a\"b\\c HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const QList<Response> responses = client.responses(3);
    QCOMPARE(responses.size(), 3);
    QCOMPARE(responses.at(0).status, 404);
    QCOMPARE(responses.at(0).header("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(responses.at(0).body, QByteArray(R"({"error":"not found","path":"/x"})"));
    QCOMPARE(responses.at(1).status, 404);
    QCOMPARE(responses.at(1).body, QByteArray(R"({"error":"not found","path":"/api/healthz"})"));
    // Whatever the path holds, the body stays valid JSON naming it.
    QCOMPARE(responses.at(2).status, 404);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(responses.at(2).body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(document.object().value(u"error"_s).toString(), u"not found"_s);
    QVERIFY(document.object().value(u"path"_s).toString().startsWith(u"/a"_s));
}

void TestService::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("POST") << QByteArray("POST");
    QTest::newRow("PUT") << QByteArray("PUT");
    QTest::newRow("DELETE") << QByteArray("DELETE");
    QTest::newRow("OPTIONS") << QByteArray("OPTIONS");
}

void TestService::wrongMethod()
{
    QFETCH(QByteArray, method);
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send(method + " /api/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi");
    const QList<Response> responses = client.responses(1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 405);
    QCOMPARE(responses.first().header("allow"), QByteArray("GET, HEAD"));
    QVERIFY(!QJsonDocument::fromJson(responses.first().body).isNull());
}

void TestService::dotEnvFromWorkingDirectory()
{
    Service service;
    service.writeDotEnv("# comment\nPORT=0\nAPP_ENV=development\n");
    QVERIFY2(service.start({}), service.standardError().constData());
    QVERIFY2(service.listeningLine().endsWith(u"(APP_ENV=development, threads=1)"_s),
             qPrintable(service.listeningLine()));
    expectHealthy(service.port());
    QVERIFY2(service.waitForOutput("\"GET /api/health\" 200\n"), service.standardOutput());
}

void TestService::environmentOverridesDotEnv()
{
    Service service;
    service.writeDotEnv("PORT=0\nAPP_ENV=development\nTHREADS=1\n");
    service.setEnv(u"APP_ENV"_s, u"production"_s);
    service.setEnv(u"THREADS"_s, u"2"_s);
    QVERIFY2(service.start({}), service.standardError().constData());
    QVERIFY2(service.listeningLine().endsWith(u"(APP_ENV=production, threads=2)"_s),
             qPrintable(service.listeningLine()));
    expectHealthy(service.port());
}

void TestService::flagOverridesEnvironment()
{
    // A busy port in the environment would make the start fail unless --port wins.
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Service service;
    service.writeDotEnv("APP_ENV=production\n");
    service.setEnv(u"PORT"_s, QString::number(occupant.serverPort()));
    service.setEnv(u"APP_ENV"_s, u"production"_s);
    QVERIFY2(service.start({u"--port"_s, u"0"_s, u"--env"_s, u"development"_s}),
             service.standardError().constData());
    QVERIFY(service.port() != occupant.serverPort());
    QVERIFY2(service.listeningLine().endsWith(u"(APP_ENV=development, threads=1)"_s),
             qPrintable(service.listeningLine()));
    expectHealthy(service.port());
}

void TestService::badValue_data()
{
    QTest::addColumn<QByteArray>("dotEnv");
    QTest::addColumn<QString>("envKey");
    QTest::addColumn<QString>("envValue");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");

    QTest::newRow("PORT in .env") << QByteArray("PORT=abc\n") << QString() << QString()
                                  << QStringList()
                                  << QByteArray("PORT from .env: \"abc\" is not a port (0-65535)");
    QTest::newRow("APP_ENV in environment")
        << QByteArray() << u"APP_ENV"_s << u"staging"_s << QStringList()
        << QByteArray("APP_ENV from the environment: \"staging\" is not production or development");
    QTest::newRow("THREADS in environment")
        << QByteArray() << u"THREADS"_s << u"0"_s << QStringList()
        << QByteArray("THREADS from the environment: \"0\" is not a thread count (1-64)");
    QTest::newRow("HOST in .env") << QByteArray("HOST=example.org\n") << QString() << QString()
                                  << QStringList()
                                  << QByteArray(
                                         "HOST from .env: \"example.org\" is not an IP address");
    QTest::newRow("--port") << QByteArray() << QString() << QString()
                            << QStringList{u"--port"_s, u"70000"_s}
                            << QByteArray("--port: \"70000\" is not a port (0-65535)");
    QTest::newRow("--env") << QByteArray() << QString() << QString()
                           << QStringList{u"--env"_s, u"staging"_s}
                           << QByteArray("--env: \"staging\" is not production or development");
    QTest::newRow("unknown flag") << QByteArray() << QString() << QString()
                                  << QStringList{u"--bogus"_s} << QByteArray("bogus");
    QTest::newRow(".env syntax") << QByteArray("PORT 8080\n") << QString() << QString()
                                 << QStringList() << QByteArray(".env line 1: expected KEY=VALUE");
}

void TestService::badValue()
{
    QFETCH(QByteArray, dotEnv);
    QFETCH(QString, envKey);
    QFETCH(QString, envValue);
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);

    Service service;
    if (!dotEnv.isEmpty())
        service.writeDotEnv(dotEnv);
    if (!envKey.isEmpty())
        service.setEnv(envKey, envValue);
    service.launch(arguments);
    QVERIFY(service.waitForExit());
    QCOMPARE(service.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(service.process().exitCode(), 2);
    const QByteArray standardError = service.standardError();
    QVERIFY2(standardError.startsWith("loadbench-service: "), standardError.constData());
    QVERIFY2(standardError.contains(message), standardError.constData());
    QCOMPARE(standardError.count('\n'), 1);
    QVERIFY(service.standardOutput().isEmpty());
}

void TestService::portInUse()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Service service;
    service.launch({u"--port"_s, QString::number(occupant.serverPort())});
    QVERIFY(service.waitForExit());
    QCOMPARE(service.process().exitCode(), 1);
    QCOMPARE(service.standardError(), "loadbench-service: cannot listen on 127.0.0.1:" +
                                          QByteArray::number(occupant.serverPort()) +
                                          ": address already in use\n");
    QVERIFY(service.standardOutput().isEmpty());
}

void TestService::portInUseByAnotherThreadedService()
{
    // SO_REUSEPORT must not let a second service silently share the first one's port.
    Service first;
    QVERIFY(first.start({u"--port"_s, u"0"_s, u"--threads"_s, u"2"_s}));
    Service second;
    second.launch({u"--port"_s, QString::number(first.port()), u"--threads"_s, u"2"_s});
    QVERIFY(second.waitForExit());
    QCOMPARE(second.process().exitCode(), 1);
    QCOMPARE(second.standardError(), "loadbench-service: cannot listen on 127.0.0.1:" +
                                         QByteArray::number(first.port()) +
                                         ": address already in use\n");
}

void TestService::terminationSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringList();
    QTest::newRow("SIGINT") << int(SIGINT) << QStringList();
    QTest::newRow("SIGTERM, 3 threads") << int(SIGTERM) << QStringList{u"--threads"_s, u"3"_s};
}

void TestService::terminationSignal()
{
    QFETCH(int, signalNumber);
    QFETCH(QStringList, arguments);
    const auto service = startService(arguments);
    QVERIFY(service);
    // An open keep-alive connection must not hold the exit up.
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send(kHealthGet);
    QCOMPARE(client.responses(1).value(0).status, 200);

    QElapsedTimer elapsed;
    elapsed.start();
    QCOMPARE(::kill(static_cast<pid_t>(service->process().processId()), signalNumber), 0);
    QVERIFY(service->waitForExit());
    QVERIFY2(elapsed.elapsed() < 2000, QByteArray::number(elapsed.elapsed()).constData());
    QCOMPARE(service->process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(service->process().exitCode(), 0);
    QVERIFY(service->standardOutput().isEmpty());
    QCOMPARE(service->standardError(), QByteArray());
}

void TestService::pipelinedRequests()
{
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send(kHealthGet + "GET /second HTTP/1.1\r\nHost: localhost\r\n\r\n" + kHealthGet);
    const QList<Response> responses = client.responses(3);
    QCOMPARE(responses.size(), 3);
    QCOMPARE(responses.at(0).status, 200);
    QCOMPARE(responses.at(0).body, kHealthBody);
    QCOMPARE(responses.at(1).status, 404); // in order: the second answer is the second request's
    QCOMPARE(responses.at(2).status, 200);
    QVERIFY(client.buffer().isEmpty());
}

void TestService::connectThenHealthy()
{
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send("CONNECT / HTTP/1.1\r\n\r\n");
    QVERIFY(client.readUntilClosed());
    if (!client.buffer().isEmpty()) {
        const auto response = takeResponse(client.buffer());
        QVERIFY(response);
        QVERIFY2(response->status >= 400, QByteArray::number(response->status).constData());
    }
    QElapsedTimer elapsed;
    elapsed.start();
    expectHealthy(service->port());
    QVERIFY(elapsed.elapsed() < 1000);
    QCOMPARE(service->process().state(), QProcess::Running);
}

void TestService::hugeHeader()
{
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " +
                QByteArray(64 * 1024, 'a') + "\r\n\r\n");
    // The service reads and drops the rest before closing, so the 431 is not lost to a reset.
    QVERIFY(client.readUntilClosed());
    const QList<Response> responses = client.responses(2);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 431);
    QCOMPARE(service->process().state(), QProcess::Running);
    expectHealthy(service->port());
}

void TestService::malformed_data()
{
    // From shared/cases/MALFORMED.md: each is answered with the status, then closed.
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    const QByteArray get = "GET /api/health HTTP/1.1\r\n";
    const QByteArray post = "POST /api/health HTTP/1.1\r\nHost: x\r\n";
    QTest::newRow("M01 no Host") << get + "\r\n" << 400;
    QTest::newRow("M02 two Host") << get + "Host: a\r\nHost: b\r\n\r\n" << 400;
    QTest::newRow("M03 space before colon") << get + "Host : x\r\n\r\n" << 400;
    QTest::newRow("M04 obs-fold") << get + "Host: x\r\nX-A: a\r\n  folded\r\n\r\n" << 400;
    QTest::newRow("M05 bare CR") << get + "Host: x\r\nX-A: a\rb\r\n\r\n" << 400;
    QTest::newRow("M06 NUL in value") << get + raw("Host: x\r\nX-A: a\0b\r\n\r\n") << 400;
    QTest::newRow("M07 NUL in target")
        << raw("GET /api\0health HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("M07 non-ASCII target")
        << QByteArray("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("M08 invalid method") << QByteArray("G(T / HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("M08 unknown method") << QByteArray("FOO / HTTP/1.1\r\nHost: x\r\n\r\n") << 501;
    QTest::newRow("M09 bad version") << QByteArray("GET / HTTP/1.x\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("M09 HTTP/9.9") << QByteArray("GET / HTTP/9.9\r\nHost: x\r\n\r\n") << 505;
    QTest::newRow("M10 long request line")
        << "GET /" + QByteArray(100 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"
        << 414;
    QByteArray manyFields = get + "Host: x\r\n";
    for (int i = 0; i < 10000; ++i)
        manyFields += "X-" + QByteArray::number(i) + ": a\r\n";
    QTest::newRow("M12 10000 fields") << manyFields + "\r\n" << 431;
    QTest::newRow("M14 Content-Length abc") << post + "Content-Length: abc\r\n\r\n" << 400;
    QTest::newRow("M14 Content-Length -1") << post + "Content-Length: -1\r\n\r\n" << 400;
    QTest::newRow("M15 Content-Length overflow")
        << post + "Content-Length: 1000000000000000000000\r\n\r\n"
        << 400;
    QTest::newRow("M16 two Content-Length")
        << post + "Content-Length: 2\r\nContent-Length: 7\r\n\r\nab" << 400;
    QTest::newRow("M17 CL+TE smuggling")
        << post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x "
                  "HTTP/1.1\r\nHost: x\r\n\r\n"
        << 400;
    QTest::newRow("M18 chunked not last")
        << post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"
        << 400;
    QTest::newRow("M19 unknown coding") << post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"
                                        << 501;
    QTest::newRow("M20 chunk size zz")
        << post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n"
        << 400;
    QTest::newRow("M20 chunk size overflow")
        << post + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n"
        << 400;
    QTest::newRow("M21 64 MiB body announced") << post + "Content-Length: 67108864\r\n\r\n" << 413;
    QTest::newRow("M22 10^12 body announced") << post + "Content-Length: 1000000000000\r\n\r\n"
                                              << 413;
    QTest::newRow("M25 TLS ClientHello")
        << raw("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03") << 400;
    QTest::newRow("M26 HTTP/0.9") << QByteArray("GET /api/health\r\n\r\n") << 400;
    QTest::newRow("M27 bare LF") << QByteArray("GET /api/health HTTP/1.1\nHost: x\n\n") << 400;
    QByteArray tinyChunks = post + "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 200; ++i)
        tinyChunks += "1;ext=" + QByteArray(400, 'e') + "\r\nx\r\n";
    QTest::newRow("chunk framing flood") << tinyChunks + "0\r\n\r\n" << 413;
    QTest::newRow("body over limit") << post + "Content-Length: 9000\r\n\r\n" << 413;
    QTest::newRow("upgrade") << get + "Host: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                             << 501;
}

void TestService::malformed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send(request);
    QVERIFY2(client.readUntilClosed(), "the service kept the connection open");
    const QList<Response> responses = client.responses(2);
    QCOMPARE(responses.size(), 1); // never a second, smuggled answer
    QCOMPARE(responses.first().status, status);
    QCOMPARE(responses.first().header("connection"), QByteArray("close"));
    expectHealthy(service->port());
}

void TestService::splitRequestStillValidated()
{
    // The guard validates what Qt has not read yet; if its bookkeeping ran in the wrong order
    // around Qt's slot, the tail of a request arriving in a later read would slip through.
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send(kHealthGet +
                "GET /api/health HTTP/1.1\r\nHost: a\r\nX-Pad: " + QByteArray(200, 'p') + "\r\n");
    QCOMPARE(client.responses(1).value(0).status, 200); // the first part has been read
    client.send("Host: b\r\n\r\n");
    QVERIFY(client.readUntilClosed());
    const QList<Response> responses = client.responses(1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 400);
}

void TestService::expectContinue()
{
    const auto service = startService();
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    client.send("POST /api/health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                "Content-Length: 10\r\n\r\n");
    const QList<Response> interim = client.responses(1, false, 1000);
    QCOMPARE(interim.size(), 1);
    QCOMPARE(interim.first().status, 100);
    client.send("0123456789");
    const QList<Response> answer = client.responses(1);
    QCOMPARE(answer.size(), 1);
    QCOMPARE(answer.first().status, 405);
}

void TestService::ipv6Host()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHostIPv6, 0))
        QSKIP("no IPv6 loopback on this machine");
    probe.close();
    const auto service = startService({u"--host"_s, u"::1"_s});
    QVERIFY(service);
    QVERIFY2(service->listeningLine().startsWith(
                 u"loadbench-service listening on http://[::1]:%1 "_s.arg(service->port())),
             qPrintable(service->listeningLine()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHostIPv6, service->port());
    QVERIFY(socket.waitForConnected(kAnswerTimeoutMs));
    socket.write(kHealthGet);
    QVERIFY(socket.waitForReadyRead(kAnswerTimeoutMs));
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200 OK\r\n"));
}

void TestService::connectionClose()
{
    const auto service = startService();
    QVERIFY(service);
    for (const QByteArray &request :
         {QByteArray("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
          QByteArray("GET /api/health HTTP/1.0\r\n\r\n")}) {
        Client client;
        QVERIFY(client.connectTo(service->port()));
        client.send(request);
        QVERIFY2(client.readUntilClosed(), request.constData());
        const QList<Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().body, kHealthBody);
    }
}

void TestService::idleConnectionClosed()
{
    const auto service = startService({u"--idle-timeout-ms"_s, u"300"_s});
    QVERIFY(service);
    // Silent from the start, and idle after an answer: both are closed by the service.
    Client silent;
    QVERIFY(silent.connectTo(service->port()));
    Client served;
    QVERIFY(served.connectTo(service->port()));
    served.send(kHealthGet);
    QCOMPARE(served.responses(1).value(0).status, 200);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(silent.readUntilClosed(5000));
    QVERIFY(silent.buffer().isEmpty());
    QVERIFY(served.readUntilClosed(5000));
    QVERIFY(served.buffer().isEmpty());
    QVERIFY2(elapsed.elapsed() < 3000, QByteArray::number(elapsed.elapsed()).constData());
}

void TestService::slowRequestTimesOut()
{
    const auto service =
        startService({u"--header-timeout-ms"_s, u"400"_s, u"--idle-timeout-ms"_s, u"60000"_s});
    QVERIFY(service);
    Client client;
    QVERIFY(client.connectTo(service->port()));
    // Slow-loris: each byte within the idle timeout, the head never complete.
    client.send("GET /api/health HTTP/1.1\r\nHo");
    QElapsedTimer elapsed;
    elapsed.start();
    while (elapsed.elapsed() < 5000 && client.socket().state() == QAbstractSocket::ConnectedState) {
        client.send("s");
        client.socket().waitForReadyRead(100);
        client.buffer() += client.socket().readAll();
    }
    QVERIFY(client.readUntilClosed(1000));
    QVERIFY2(elapsed.elapsed() < 3000, QByteArray::number(elapsed.elapsed()).constData());
    const QList<Response> responses = client.responses(1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 408);
}

void TestService::connectionCap()
{
    const auto service = startService({u"--max-connections"_s, u"2"_s});
    QVERIFY(service);
    auto first = std::make_unique<Client>();
    Client second;
    for (Client *client : {first.get(), &second}) {
        QVERIFY(client->connectTo(service->port()));
        client->send(kHealthGet);
        QCOMPARE(client->responses(1).value(0).status, 200);
    }
    Client third;
    QVERIFY(third.connectTo(service->port())); // the kernel accepts; the service closes at once
    third.send(kHealthGet);
    QVERIFY(third.readUntilClosed());
    QVERIFY(!third.buffer().startsWith("HTTP/1.1 200"));

    // A slot comes free once a connection goes.
    first.reset();
    // Retried because the service notices the close asynchronously; each try is a real
    // connection, so QTRY's final re-evaluation would take a slot of its own.
    bool served = false;
    for (QDeadlineTimer deadline(5000); !served && !deadline.hasExpired();) {
        Client client;
        if (client.connectTo(service->port())) {
            client.send(kHealthGet);
            served = client.responses(1, false, 500).value(0).status == 200;
        }
    }
    QVERIFY(served);
}

void TestService::twoThreads()
{
    const auto service = startService({u"--threads"_s, u"2"_s});
    QVERIFY(service);
    QVERIFY(service->listeningLine().endsWith(u"threads=2)"_s));
    // Many connections, so the kernel's SO_REUSEPORT hash hands some to each socket.
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 32; ++i) {
        clients.push_back(std::make_unique<Client>());
        QVERIFY(clients.back()->connectTo(service->port()));
        clients.back()->send(kHealthGet);
    }
    for (const auto &client : clients) {
        const QList<Response> responses = client->responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().body, kHealthBody);
    }
}

QTEST_GUILESS_MAIN(TestService)
#include "tst_service.moc"
