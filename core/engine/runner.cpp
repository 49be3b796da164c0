// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runner.h"

#include "engine/runcontroller.h"

#include <QThread>

namespace loadbench {

Runner::Runner(Scenario scenario, RunOptions options, QObject *parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
    , m_options(std::move(options))
{
    qRegisterMetaType<loadbench::IntervalSnapshot>();
    qRegisterMetaType<loadbench::Summary>();
}

Runner::~Runner()
{
    if (m_controller) {
        QMetaObject::invokeMethod(m_controller, &RunController::abort, Qt::QueuedConnection);
        // The controller finishes on its own thread; then the thread can go.
        m_controller->disconnect(this);
        QMetaObject::invokeMethod(m_controller, [thread = m_thread] { thread->quit(); }, Qt::QueuedConnection);
    }
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void Runner::start()
{
    if (m_running || m_thread)
        return;
    m_running = true;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("loadbench-runner"));
    m_controller = new RunController(m_scenario, m_options);
    m_controller->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_controller, &QObject::deleteLater);
    connect(m_thread, &QThread::started, m_controller, &RunController::start);
    connect(m_controller, &RunController::started, this, &Runner::started);
    connect(m_controller, &RunController::snapshotReady, this, &Runner::onSnapshot);
    connect(m_controller, &RunController::finished, this, &Runner::onFinished);
    connect(m_controller, &RunController::vusChanged, this, &Runner::vusChanged);
    connect(m_controller, &RunController::failed, this, [this](const QString &why) {
        m_running = false;
        m_thread->quit();
        m_controller = nullptr;
        Q_EMIT failed(why);
    });
    m_thread->start();
}

void Runner::stop()
{
    if (!m_running || !m_controller)
        return;
    ++m_stopRequests;
    if (m_stopRequests == 1)
        QMetaObject::invokeMethod(m_controller, &RunController::stopGracefully, Qt::QueuedConnection);
    else
        QMetaObject::invokeMethod(m_controller, &RunController::abort, Qt::QueuedConnection);
}

void Runner::setVus(int vus, const QString &scenario)
{
    if (!m_running || !m_controller) {
        Q_EMIT vusChanged(scenario, -1, QStringLiteral("no run is going; VUs unchanged"));
        return;
    }
    QMetaObject::invokeMethod(m_controller, [controller = m_controller, vus, scenario] { controller->setVus(vus, scenario); },
                              Qt::QueuedConnection);
}

void Runner::onSnapshot(const IntervalSnapshot &snapshot)
{
    m_timeline.append(snapshot);
    Q_EMIT snapshotReady(snapshot);
}

void Runner::onFinished(const Summary &summary)
{
    m_running = false;
    m_thread->quit();
    m_thread->wait();
    m_controller = nullptr; // deleted with the thread's finished()
    Q_EMIT finished(summary);
}

} // namespace loadbench
