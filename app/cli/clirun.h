// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/runner.h"

#include <QObject>
#include <QTextStream>

#include <memory>
#include <optional>

class QSocketNotifier;

namespace loadbench {

// k6's exit codes, so CI scripts written for k6 read ours the same way.
enum ExitCode {
    ExitOk = 0,
    ExitError = 1,              // the run happened but its files could not be written
    ExitThresholdsCrossed = 99,
    ExitInvalidConfig = 104,
    ExitInterrupted = 105,
};

struct CliOptions {
    QString scenarioPath;
    QString urlOverride;
    QString resultsJsonlPath;   // --out json=PATH
    QString summaryExportPath;  // --summary-export PATH
    QString reportDir;          // --report-dir DIR; empty: runs/<UTC time>-<scenario>/
    std::optional<EngineKind> engine; // --engine: every scenario's engine; unset: each scenario's own
    int workerThreads = 0;      // --threads N: worker event loops; 0: one per core
    bool quiet = false;
};

// `loadbench-cli run`: loads and validates the scenario, names an unreachable target, runs it
// with a progress line a second, prints k6's end-of-test summary, writes the run folder and
// returns k6's exit code. Parses its own arguments so tests can drive it in-process.
class CliRun : public QObject
{
    Q_OBJECT
public:
    CliRun(QTextStream &out, QTextStream &err, QObject *parent = nullptr);

    // Parses `arguments` (argv without the program name). On a usage error returns
    // ExitInvalidConfig with the message in `why`; on --help returns ExitOk with `helpText` set.
    static int parseArguments(const QStringList &arguments, CliOptions *options, QString *why, QString *helpText);

    // Starts the run; `finished(exitCode)` follows.
    void start(const CliOptions &options);
    // As Ctrl-C: the first asks for a graceful stop, the second aborts.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onSnapshot(const IntervalSnapshot &snapshot);
    void onFinished(const Summary &summary);
    void probeTarget(const QUrl &url);
    bool checkOutputs(QString *why) const;
    void watchStdinForVus();
    void onStdinReadable();

    QTextStream &m_out;
    QTextStream &m_err;
    CliOptions m_options;
    std::unique_ptr<Runner> m_runner;
    QSocketNotifier *m_stdin = nullptr; // externally-controlled: `vus N` lines
    QByteArray m_stdinBuffer;
    int m_interrupts = 0;
};

} // namespace loadbench
