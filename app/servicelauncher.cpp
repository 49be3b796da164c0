// SPDX-License-Identifier: GPL-3.0-or-later
#include "servicelauncher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>

#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

const QString serviceName = u"loadbench-service"_s;
constexpr qsizetype maxLineBytes = 4096;

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

} // namespace

ServiceLauncher::ServiceLauncher(QObject *parent) : QObject(parent)
{
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (isRunning())
            m_process->kill();
    });
}

ServiceLauncher::~ServiceLauncher()
{
    // Whoever listened may be half destroyed by now: tell nobody, just stop the child.
    blockSignals(true);
    stopAndWait();
}

QString ServiceLauncher::findServiceExecutable()
{
    const QString fromEnvironment = qEnvironmentVariable("LOADBENCH_SERVICE");
    if (!fromEnvironment.isEmpty() && isExecutableFile(fromEnvironment))
        return QFileInfo(fromEnvironment).absoluteFilePath();
    const QDir appDir(QCoreApplication::applicationDirPath());
    const QStringList candidates = {appDir.filePath(serviceName),
                                    appDir.filePath(u"../service/"_s + serviceName)};
    for (const QString &candidate : candidates) {
        if (isExecutableFile(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(serviceName);
}

QString ServiceLauncher::program() const
{
    return m_programOverride.isEmpty() ? findServiceExecutable() : m_programOverride;
}

QUrl ServiceLauncher::healthUrl() const
{
    if (m_port == 0)
        return {};
    return QUrl(u"http://127.0.0.1:%1/api/health"_s.arg(m_port));
}

quint16 ServiceLauncher::freeLoopbackPort()
{
    // The port is free when we look; the service binds it a few milliseconds later. Good enough
    // for a desktop, and the service reports a bind failure in its log if it loses the race.
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

bool ServiceLauncher::start(quint16 port)
{
    if (isRunning()) {
        Q_EMIT errorOccurred(tr("the service already runs on port %1").arg(m_port));
        return false;
    }
    const QString executable = program();
    if (executable.isEmpty() || !isExecutableFile(executable)) {
        Q_EMIT errorOccurred(
            tr("%1 not found: looked in $LOADBENCH_SERVICE, %2, %3 and $PATH")
                .arg(serviceName, QDir::toNativeSeparators(QCoreApplication::applicationDirPath()),
                     QDir::toNativeSeparators(
                         QDir(QCoreApplication::applicationDirPath()).filePath(u"../service"_s))));
        return false;
    }
    if (port == 0)
        port = freeLoopbackPort();
    if (port == 0) {
        Q_EMIT errorOccurred(tr("no free port on 127.0.0.1"));
        return false;
    }

    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOST"_s, u"127.0.0.1"_s);
    // A log line per request would flood the log pane at thousands of requests a second.
    environment.insert(u"APP_ENV"_s, u"production"_s);
    m_process->setProcessEnvironment(environment);
    // The service goes with the workbench even when the workbench is killed or crashes, not
    // only when its window closes: no orphan keeps the port.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ServiceLauncher::onReadyRead);
    connect(m_process, &QProcess::finished, this, &ServiceLauncher::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &ServiceLauncher::onProcessError);
    connect(m_process, &QProcess::started, this, [this] { Q_EMIT started(m_port); });

    m_port = port;
    m_stopRequested = false;
    m_partialLine.clear();
    const QStringList arguments = {u"--port"_s, QString::number(port)};
    Q_EMIT logLine(u"$ "_s + QDir::toNativeSeparators(executable) + u' ' + arguments.join(u' '));
    m_process->start(executable, arguments);
    return true;
}

void ServiceLauncher::stop(int killAfterMs)
{
    if (!isRunning())
        return;
    m_stopRequested = true;
    m_process->terminate();
    m_killTimer.start(killAfterMs);
}

void ServiceLauncher::stopAndWait(int timeoutMs)
{
    if (!isRunning())
        return;
    m_stopRequested = true;
    m_process->terminate();
    if (!m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void ServiceLauncher::onReadyRead()
{
    m_partialLine += m_process->readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        QByteArray line = m_partialLine.left(newline);
        m_partialLine.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        const QString text = QString::fromLocal8Bit(line);
        Q_EMIT logLine(text);
        static const QRegularExpression listeningLine(u"^loadbench-service listening on http://\\S+:(\\d+)"_s);
        if (const auto match = listeningLine.match(text); match.hasMatch())
            Q_EMIT listening(quint16(match.captured(1).toUInt()));
    }
    if (m_partialLine.size() > maxLineBytes)
        flushPartialLine();
}

void ServiceLauncher::flushPartialLine()
{
    if (m_partialLine.isEmpty())
        return;
    Q_EMIT logLine(QString::fromLocal8Bit(m_partialLine));
    m_partialLine.clear();
}

void ServiceLauncher::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_killTimer.stop();
    onReadyRead();
    flushPartialLine();
    QString description;
    if (m_stopRequested)
        description = tr("stopped");
    else if (status == QProcess::CrashExit)
        description = tr("crashed");
    else
        description = tr("exited with code %1").arg(exitCode);
    Q_EMIT logLine(tr("[service %1]").arg(description));
    Q_EMIT stopped(exitCode, description);
}

void ServiceLauncher::onProcessError(QProcess::ProcessError error)
{
    if (error == QProcess::FailedToStart) {
        const QString message = tr("could not start %1: %2").arg(m_process->program(),
                                                                  m_process->errorString());
        Q_EMIT logLine(message);
        Q_EMIT errorOccurred(message);
    }
}

} // namespace loadbench
