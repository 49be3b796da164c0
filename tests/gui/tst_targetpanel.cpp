// SPDX-License-Identifier: GPL-3.0-or-later
// The target panel's Probe and recent targets: Probe sends the scenario's first request as the
// run will (method, headers, body) and shows status, latency and the first bytes, or why there
// was no answer; targets that answered or ran are remembered, most recent first, at most ten,
// and picking one from the Recent menu targets it again.
#include "healthprobe.h"
#include "mainwindow.h"
#include "requestprobe.h"
#include "targetpanel.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace loadbench;
using namespace Qt::StringLiterals;

// Before QApplication: offscreen, and settings in a folder of the test's own.
static QTemporaryDir *settingsDir = nullptr;
static const bool isolated = [] {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    settingsDir = new QTemporaryDir;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(settingsDir->path()));
    return true;
}();

namespace {

// Answers each request with 200 and a JSON body, keeping what it was sent.
class RecordingServer : public QTcpServer
{
public:
    RecordingServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    received += socket->readAll();
                    const qsizetype end = received.indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = received.left(end);
                    const qsizetype at = head.toLower().indexOf("content-length: ");
                    const int length = at < 0 ? 0 : head.mid(at + 16, head.indexOf('\r', at) - at - 16).toInt();
                    if (received.size() < end + 4 + length)
                        return;
                    socket->write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
                                  "Connection: close\r\n\r\n{\"status\":\"ok\"}");
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QByteArray received;
};

} // namespace

class TestTargetPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void probeSendsTheScenariosRequest();
    void probeWithoutAnswerSaysWhy();
    void recentTargetsRememberedAndPicked();
    void requestListShownBesideTheTarget();
};

void TestTargetPanel::initTestCase()
{
    QCoreApplication::setOrganizationName(u"LoadbenchTest"_s);
    QVERIFY(QSettings().fileName().startsWith(settingsDir->path()));
}

void TestTargetPanel::probeSendsTheScenariosRequest()
{
    RecordingServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QUrl url(u"http://127.0.0.1:%1/api/items?x=1"_s.arg(server.serverPort()));
    TargetPanel panel;
    panel.setUrl(url);
    panel.setProbeRequestProvider([url](QString *) -> std::optional<PlannedRequest> {
        TargetConfig target;
        target.url = url;
        target.method = "POST";
        target.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}};
        target.body = R"({"a":1})";
        return target.plan().first();
    });
    QSignalSpy done(panel.requestProbe(), &RequestProbe::finished);
    QTest::mouseClick(panel.probeButton(), Qt::LeftButton);
    QVERIFY(!panel.probeButton()->isEnabled()); // one probe at a time
    QVERIFY(done.wait(10'000));
    QVERIFY(panel.probeButton()->isEnabled());
    const QString shown = panel.probeResult()->text();
    QVERIFY2(shown.startsWith(u"201 Created · "_s) && shown.endsWith(u" ms · 15 B · {\"status\":\"ok\"}"_s), qPrintable(shown));
    // The status light's own GET may come first; the probe is the POST.
    const QByteArray probe = server.received.mid(server.received.indexOf("POST "));
    QVERIFY2(probe.startsWith("POST /api/items?x=1 HTTP/1.1\r\n"), server.received.constData());
    QVERIFY(probe.contains("\r\nAuthorization: Bearer t\r\n"));
    QVERIFY2(probe.contains("\r\n\r\n{\"a\":1}"), probe.constData()); // the status light may ask again after
    QCOMPARE(panel.recentTargets().value(0), url.toString()); // it answered: remembered
}

void TestTargetPanel::probeWithoutAnswerSaysWhy()
{
    QTcpServer closed; // a port that was free a moment ago: nothing listens there now
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    TargetPanel panel;
    panel.setUrl(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    QSignalSpy done(panel.requestProbe(), &RequestProbe::finished);
    panel.probeOnce(); // no provider: a GET of the URL
    QVERIFY(done.wait(10'000));
    const RequestProbe::Result result = done.first().first().value<RequestProbe::Result>();
    QVERIFY(!result.answered);
    QVERIFY2(panel.probeResult()->text().startsWith(u"no answer: Connection refused"_s), qPrintable(panel.probeResult()->text()));
    QVERIFY(panel.probeResult()->styleSheet().contains(u"#c62828"_s));
    QVERIFY(!panel.recentTargets().contains(panel.url().toString()));
    // No URL at all: said, nothing sent.
    panel.setUrl(QUrl());
    panel.probeOnce();
    QCOMPARE(panel.probeResult()->text(), u"Type a URL to probe"_s);
}

void TestTargetPanel::recentTargetsRememberedAndPicked()
{
    QSettings().remove(u"recentTargets"_s);
    TargetPanel panel;
    QVERIFY(!panel.recentButton()->isEnabled());
    for (int i = 0; i < 12; ++i)
        panel.rememberTarget(QUrl(u"http://127.0.0.1:%1/"_s.arg(8000 + i)));
    panel.rememberTarget(QUrl(u"http://127.0.0.1:8005/"_s)); // again: moves to the top, once
    const QStringList recent = panel.recentTargets();
    QCOMPARE(recent.size(), TargetPanel::maxRecentTargets);
    QCOMPARE(recent.first(), u"http://127.0.0.1:8005/"_s);
    QCOMPARE(recent.count(u"http://127.0.0.1:8005/"_s), 1);
    QCOMPARE(recent.value(1), u"http://127.0.0.1:8011/"_s);
    QVERIFY(!recent.contains(u"http://127.0.0.1:8000/"_s)); // the oldest went
    panel.rememberTarget(QUrl(u"not a url"_s));
    QCOMPARE(panel.recentTargets(), recent);

    // The menu lists them; picking one targets it. A new panel (a new session) has them too.
    QVERIFY(panel.recentButton()->isEnabled());
    const QList<QAction *> actions = panel.recentButton()->menu()->actions();
    QCOMPARE(actions.size(), TargetPanel::maxRecentTargets);
    QCOMPARE(actions.value(1)->text(), u"http://127.0.0.1:8011/"_s);
    actions.value(1)->trigger();
    QCOMPARE(panel.url(), QUrl(u"http://127.0.0.1:8011/"_s));
    TargetPanel later;
    QCOMPARE(later.recentTargets(), recent);
    QCOMPARE(later.recentButton()->menu()->actions().size(), TargetPanel::maxRecentTargets);
}

void TestTargetPanel::requestListShownBesideTheTarget()
{
    // A scenario whose iterations send a request list: the panel says so (the URL is only the
    // base they resolve against); a plain GET of the URL says nothing more.
    QTemporaryDir dir;
    const QString list = dir.filePath(u"list.json"_s);
    QFile file(list);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"name": "list", "target": {"url": "http://127.0.0.1:18181/", "requests": [
        {"method": "POST", "url": "/login", "body": "{}"}, {"url": "/items?limit=10"}]}, "vus": 1, "duration": "5s"})");
    file.close();
    MainWindow window;
    QString why;
    QVERIFY2(window.openScenarioFile(list, &why), qPrintable(why));
    QLabel *requests = window.targetPanel()->requestsLabel();
    QVERIFY(!requests->isHidden());
    QCOMPARE(requests->text(), u"Each iteration: 2 requests per iteration: POST /login, GET /items?limit=10"_s);
    // The light asks the list's first GET, not the bare base URL.
    QCOMPARE(window.targetPanel()->probe()->url(), QUrl(u"http://127.0.0.1:18181/items?limit=10"_s));

    const QString plain = dir.filePath(u"plain.json"_s);
    QFile second(plain);
    QVERIFY(second.open(QIODevice::WriteOnly));
    second.write(R"({"name": "plain", "target": {"url": "http://127.0.0.1:18181/api/health"}, "vus": 1, "duration": "5s"})");
    second.close();
    QVERIFY2(window.openScenarioFile(plain, &why), qPrintable(why));
    QVERIFY(requests->isHidden());
    QCOMPARE(window.targetPanel()->probe()->url(), QUrl(u"http://127.0.0.1:18181/api/health"_s));
}

QTEST_MAIN(TestTargetPanel)
#include "tst_targetpanel.moc"
