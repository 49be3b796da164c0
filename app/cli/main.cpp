// SPDX-License-Identifier: GPL-3.0-or-later
#include "clireport.h"
#include "clirun.h"
#include "platform/signalwatcher.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("loadbench-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LOADBENCH_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    loadbench::CliOptions options;
    QString why;
    QString help;
    if (app.arguments().value(1) == QLatin1String("report")) {
        loadbench::ReportOptions report;
        const int parsed = loadbench::CliReport::parseArguments(app.arguments().mid(1), &report, &why, &help);
        if (parsed != loadbench::ExitOk)
            err << "loadbench-cli: " << why << Qt::endl;
        else if (!help.isEmpty())
            out << help << Qt::flush;
        return parsed != loadbench::ExitOk || !help.isEmpty() ? parsed : loadbench::CliReport::run(report, out, err);
    }
    const int parsed = loadbench::CliRun::parseArguments(app.arguments().mid(1), &options, &why, &help);
    if (parsed != loadbench::ExitOk) {
        err << "loadbench-cli: " << why << Qt::endl;
        return parsed;
    }
    if (!help.isEmpty()) {
        out << help << Qt::flush;
        return loadbench::ExitOk;
    }

    loadbench::CliRun run(out, err);
    loadbench::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &loadbench::SignalWatcher::terminationRequested, &run, &loadbench::CliRun::interrupt);
    QObject::connect(&run, &loadbench::CliRun::finished, &app, &QCoreApplication::exit);
    run.start(options);
    return app.exec();
}
