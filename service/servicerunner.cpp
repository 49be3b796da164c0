// SPDX-License-Identifier: GPL-3.0-or-later
#include "servicerunner.h"

#include "healthservice.h"
#include "listensocket.h"
#include "platform/signalwatcher.h"

#include <QCoreApplication>
#include <QThread>

#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace loadbench
{

namespace
{

void printLine(FILE *stream, const QString &line)
{
    const QByteArray bytes = (line + u'\n').toLocal8Bit();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

// The connection cap only protects us if the descriptor limit lies above it: with the usual
// soft limit of 1024, accept() would fail first.
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int runService(const ServiceConfig &config)
{
    raiseDescriptorLimit();

    ListenSockets sockets;
    QString error;
    if (!sockets.open(config.host, config.port, config.threads, &error)) {
        printLine(stderr, u"loadbench-service: "_s + error);
        return 1;
    }

    SignalWatcher signalWatcher;
    if (!signalWatcher.isValid()) {
        printLine(stderr, u"loadbench-service: cannot watch SIGINT/SIGTERM"_s);
        return 1;
    }
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested,
                     QCoreApplication::instance(), &QCoreApplication::quit);

    GuardSettings settings;
    settings.idleTimeoutMs = config.idleTimeoutMs;
    settings.headerTimeoutMs = config.headerTimeoutMs;
    const RequestLog log(config.development);
    const auto openConnections = std::make_shared<std::atomic<int>>(0);

    // The main thread serves too, so THREADS=1 means no extra thread at all.
    HealthService mainService(settings, config.maxConnections, openConnections, log);
    if (!mainService.start(sockets.take(0))) {
        printLine(stderr, u"loadbench-service: cannot serve on "_s + config.url(sockets.port()));
        return 1;
    }
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 1; i < config.threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(u"service-%1"_s.arg(i));
        auto *service = new HealthService(settings, config.maxConnections, openConnections, log);
        service->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, service, &QObject::deleteLater);
        thread->start();
        bool started = false;
        const qintptr descriptor = sockets.take(i);
        // Created in its own thread, so its sockets' notifiers belong to that event loop.
        QMetaObject::invokeMethod(
            service, [service, descriptor, &started] { started = service->start(descriptor); },
            Qt::BlockingQueuedConnection);
        threads.push_back(std::move(thread));
        if (!started) {
            printLine(stderr,
                      u"loadbench-service: cannot serve on "_s + config.url(sockets.port()));
            for (const auto &running : threads) {
                running->quit();
                running->wait();
            }
            return 1;
        }
    }

    printLine(stdout,
              u"loadbench-service listening on %1 (APP_ENV=%2, threads=%3)"_s.arg(
                  config.url(sockets.port()), config.appEnv(), QString::number(config.threads)));

    const int exitCode = QCoreApplication::exec();
    for (const auto &thread : threads) {
        thread->quit();
        thread->wait();
    }
    return exitCode;
}

} // namespace loadbench
