// SPDX-License-Identifier: GPL-3.0-or-later
#include "serviceconfig.h"
#include "servicerunner.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcessEnvironment>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"loadbench-service"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(LOADBENCH_VERSION));

    QString envFileText;
    QFile envFile(u".env"_s);
    if (envFile.exists()) {
        if (!envFile.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "loadbench-service: cannot read .env: %s\n",
                         qPrintable(envFile.errorString()));
            return 2;
        }
        envFileText = QString::fromUtf8(envFile.readAll());
    }
    QHash<QString, QString> environment;
    const QProcessEnvironment processEnvironment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : processEnvironment.keys())
        environment.insert(key, processEnvironment.value(key));

    const loadbench::ServiceConfigResult result =
        loadbench::loadServiceConfig(QCoreApplication::arguments(), envFileText, environment);
    if (result.action == loadbench::ServiceConfigResult::Action::Exit) {
        std::fputs(result.stdoutText.toLocal8Bit().constData(), stdout);
        std::fputs(result.stderrText.toLocal8Bit().constData(), stderr);
        return result.exitCode;
    }
    return loadbench::runService(result.config);
}
