// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/metricset.h"
#include "scenario/scenario.h"

#include <QObject>

#include <chrono>

namespace loadbench {

// One VU's HTTP connection: sends one request at a time and reports what it measured. An
// implementation (QnamClient, later the native engine's) keeps its connection alive across
// requests, as a k6 VU does. Lives and is used in one worker thread.
class HttpClient : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~HttpClient() override = default;

    // Starts the request; `finished` follows exactly once unless abort() comes first.
    // `runStartNs` is the steady-clock start of the run, so samples carry their start offset.
    // The sample comes with k6's tags set (method, url, name, status, expected, proto, error,
    // errorCode, the request's tags); the scenario and the schedule lag are the caller's.
    virtual void send(const PlannedRequest &request, qint64 runStartNs) = 0;
    // Drops the request in flight without reporting it (an interrupted iteration).
    virtual void abort() = 0;

    // k6 gives up on a TCP connect after 30 s (error 1211) unless the request timeout is shorter.
    static constexpr std::chrono::milliseconds defaultDialTimeout{30'000};
    void setDialTimeout(std::chrono::milliseconds timeout) { m_dialTimeout = timeout; }

    // The most body bytes kept for a check to read; the rest of a larger body is read and
    // counted in data_received, not kept, so one 1 GB answer cannot take 1 GB per VU.
    static constexpr qsizetype defaultBodyBudget = 16 * 1024 * 1024;
    void setBodyBudget(qsizetype bytes) { m_bodyBudget = bytes; }
    qsizetype bodyBudget() const { return m_bodyBudget; }

Q_SIGNALS:
    // `response` is what checks look at; status 0 and an error code on network errors.
    void finished(const loadbench::RequestSample &sample, const loadbench::HttpResponse &response);

protected:
    std::chrono::milliseconds m_dialTimeout = defaultDialTimeout;
    qsizetype m_bodyBudget = defaultBodyBudget;
};

// The client of the engine `engine` runs on (Native or Qnam; Auto resolves as
// Scenario::engineFor() does, from the requests' URLs).
HttpClient *createHttpClient(EngineKind engine, const QList<PlannedRequest> &plan, QObject *parent = nullptr);

} // namespace loadbench
