// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QObject>
#include <QTimer>

namespace loadbench {

class HttpClient;
class Worker;
struct RequestSample;

// One k6 VU: loops iterations (request, checks, think time) on its own connection until asked
// to stop. A stop lets the current iteration finish within a grace period, then interrupts it.
class VirtualUser : public QObject
{
    Q_OBJECT
public:
    VirtualUser(int id, const Scenario &scenario, qint64 runStartNs, Worker *worker);
    ~VirtualUser() override;

    int id() const { return m_id; }
    void start();
    void requestStop(qint64 graceNs);
    void cancelStop();
    void interrupt();
    bool isStopping() const { return m_stopRequested; }

Q_SIGNALS:
    void stopped(int id);

private:
    void beginIteration();
    void onResponse(const RequestSample &sample, const QByteArray &body);
    void endIteration();

    int m_id;
    const Scenario &m_scenario;
    qint64 m_runStartNs;
    Worker *m_worker;
    HttpClient *m_client;
    QTimer m_thinkTimer;
    QTimer m_graceTimer;
    qint64 m_iterationStartNs = 0;
    quint64 m_iterationBytesSent = 0;
    quint64 m_iterationBytesReceived = 0;
    bool m_stopRequested = false;
    bool m_running = false;
};

} // namespace loadbench
