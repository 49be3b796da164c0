// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace loadbench {

// The `loadbench` command line. Parsed apart from the window so tests can check it, and so
// `make run` can open the workbench with the service launched and a preset loaded.
struct WorkbenchOptions {
    bool launchService = false; // --launch-service[=PORT]
    int servicePort = 0;        // 0: the service gets a free loopback port
    QString preset;             // --preset NAME
    QString scenarioFile;       // --scenario FILE
    QString url;                // --url URL: attach to a running service
    bool runAtStart = false;    // --run: start the run once the target answers
    bool showHelp = false;
    bool showVersion = false;

    // `arguments` as QCoreApplication::arguments(), program name first. On a usage error returns
    // nullopt and *why says what is wrong.
    static std::optional<WorkbenchOptions> parse(const QStringList &arguments, QString *why);
    static QString helpText();
};

} // namespace loadbench
