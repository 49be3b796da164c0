// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QTimer>
#include <QUrl>

namespace loadbench {

// Runs the bundled loadbench-service as a child process (`loadbench-service --port N`), passes
// its output on line by line and stops it when asked or when destroyed. Never blocks the GUI
// thread except in stopAndWait(), meant for closing the window.
class ServiceLauncher : public QObject
{
    Q_OBJECT
public:
    explicit ServiceLauncher(QObject *parent = nullptr);
    ~ServiceLauncher() override; // stops a service still running (stopAndWait)

    // Where loadbench-service is looked for, first hit wins: $LOADBENCH_SERVICE; next to this
    // executable (installed layout); ../service/ (the build tree: build/*/app/loadbench and
    // build/*/service/loadbench-service); then $PATH. Empty when not found.
    static QString findServiceExecutable();
    // Overrides the search above; empty restores it.
    void setProgram(const QString &path) { m_programOverride = path; }
    QString program() const;

    // Starts the service on 127.0.0.1:port; port 0 picks a free one. Returns false (and emits
    // errorOccurred) when the executable is missing or a service already runs.
    bool start(quint16 port = 0);
    // SIGTERM, then SIGKILL if still running after killAfterMs. Returns at once.
    void stop(int killAfterMs = 3000);
    // SIGTERM, waits up to timeoutMs, then SIGKILL. For closing the window.
    void stopAndWait(int timeoutMs = 3000);

    bool isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    qint64 processId() const { return m_process ? m_process->processId() : 0; }
    // http://127.0.0.1:PORT/api/health of the service started last.
    QUrl healthUrl() const;

    static quint16 freeLoopbackPort();

Q_SIGNALS:
    void started(quint16 port);
    // The service printed its "listening on" line: it is ours that answers on `port` now.
    void listening(quint16 port);
    void logLine(const QString &line);
    void stopped(int exitCode, const QString &description);
    void errorOccurred(const QString &message);

private:
    void onReadyRead();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void flushPartialLine();

    QString m_programOverride;
    QProcess *m_process = nullptr;
    QTimer m_killTimer;
    QByteArray m_partialLine;
    quint16 m_port = 0;
    bool m_stopRequested = false;
};

} // namespace loadbench
