// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QObject>
#include <QTimer>

namespace loadbench {

class HttpClient;
class Worker;
struct RequestSample;

// One k6 VU: loops iterations on its own connection until asked to stop. An iteration sends
// the target's requests in order, each followed by its checks and its think time. A stop lets
// the current iteration (all its requests) finish within a grace period, then interrupts it.
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
    void sendRequest();
    void onResponse(const RequestSample &sample, const HttpResponse &response);
    void afterThink();
    void endIteration();

    int m_id;
    const Scenario &m_scenario;
    qint64 m_runStartNs;
    Worker *m_worker;
    HttpClient *m_client;
    QList<PlannedRequest> m_plan; // what one iteration sends
    qsizetype m_step = 0;         // the request of the iteration in flight or thinking
    QTimer m_thinkTimer;
    QTimer m_graceTimer;
    qint64 m_iterationStartNs = 0;
    quint64 m_iterationBytesSent = 0;
    quint64 m_iterationBytesReceived = 0;
    bool m_stopRequested = false;
    bool m_running = false;
};

} // namespace loadbench
