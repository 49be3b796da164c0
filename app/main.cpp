// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"
#include "workbenchoptions.h"

#include <QApplication>
#include <QMessageBox>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // Parse before QApplication exists, so --help and usage errors work without a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QString why;
    const auto options = loadbench::WorkbenchOptions::parse(arguments, &why);
    if (!options) {
        std::fprintf(stderr, "loadbench: %s\nTry 'loadbench --help'.\n", qPrintable(why));
        return 2;
    }
    if (options->showHelp) {
        std::fputs(qPrintable(loadbench::WorkbenchOptions::helpText()), stdout);
        return 0;
    }
    if (options->showVersion) {
        std::printf("loadbench %s\n", LOADBENCH_VERSION);
        return 0;
    }

    // Qt aborts with a long platform-plugin message when it finds no display; say it plainly.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fputs("loadbench: no display (DISPLAY and WAYLAND_DISPLAY are unset); run it on a desktop, "
                   "under xvfb-run, or use loadbench-cli for headless runs\n", stderr);
        return 1;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"loadbench"_s);
    QApplication::setApplicationDisplayName(u"Loadbench"_s);
    QApplication::setApplicationVersion(QStringLiteral(LOADBENCH_VERSION));
    QApplication::setOrganizationName(u"Loadbench"_s);
    QApplication::setDesktopFileName(u"loadbench"_s);

    loadbench::MainWindow window;
    window.show();
    if (!window.applyOptions(*options, &why)) {
        std::fprintf(stderr, "loadbench: %s\n", qPrintable(why));
        QMessageBox::warning(&window, QObject::tr("Loadbench"), why);
    }
    return app.exec();
}
