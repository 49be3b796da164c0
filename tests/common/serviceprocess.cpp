// SPDX-License-Identifier: GPL-3.0-or-later
#include "serviceprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace loadbench::test {

ServiceProcess::~ServiceProcess()
{
    stop();
}

bool ServiceProcess::start(QString *why, const QStringList &extraArguments)
{
    const QString program = qEnvironmentVariable("LOADBENCH_SERVICE");
    if (program.isEmpty()) {
        *why = QStringLiteral("LOADBENCH_SERVICE is not set (run the test through ctest)");
        return false;
    }
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(program, QStringList{QStringLiteral("--port"), QStringLiteral("0")} + extraArguments);
    if (!m_process.waitForStarted(5000)) {
        *why = program + QStringLiteral(": ") + m_process.errorString();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral(R"(listening on http://\S+:(\d+))"));
    QByteArray output;
    const QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(100);
        output += m_process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
    }
    *why = QStringLiteral("the service did not report its port: ") + QString::fromUtf8(output + m_process.readAllStandardError());
    return false;
}

void ServiceProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

QString ServiceProcess::healthUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/api/health").arg(m_port);
}

Finished runProgram(const QString &program, const QStringList &arguments, const QString &workingDir,
                    int timeoutMs)
{
    QProcess process;
    process.setWorkingDirectory(workingDir);
    process.start(program, arguments);
    Finished f;
    if (!process.waitForStarted(5000)) {
        f.err = process.errorString();
        return f;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        f.crashed = true;
    }
    f.exitCode = process.exitCode();
    f.crashed = f.crashed || process.exitStatus() == QProcess::CrashExit;
    f.out = QString::fromUtf8(process.readAllStandardOutput());
    f.err = QString::fromUtf8(process.readAllStandardError());
    return f;
}

} // namespace loadbench::test
