// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>

namespace loadbench::test {

// The real loadbench-service as a child process on 127.0.0.1 and a free port (port 0), for
// tests that need a live target. The executable comes from $LOADBENCH_SERVICE (set by ctest).
class ServiceProcess
{
public:
    ~ServiceProcess();
    // Starts it and waits for its "listening on" line; false with the reason in `why`.
    bool start(QString *why, const QStringList &extraArguments = {});
    void stop();
    quint16 port() const { return m_port; }
    QString healthUrl() const;

private:
    QProcess m_process;
    quint16 m_port = 0;
};

// Runs a program to completion (bounded), collecting its output.
struct Finished {
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
};
Finished runProgram(const QString &program, const QStringList &arguments, const QString &workingDir,
                    int timeoutMs);

} // namespace loadbench::test
