// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/target.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace loadbench {

// One request sent by hand before a run ("Probe"): the scenario's first request, as it will go
// out (method, headers, body), answered with its status, latency and the first bytes of the
// response, so a wrong path, a missing header or a 401 shows before the load starts.
class RequestProbe : public QObject
{
    Q_OBJECT
public:
    struct Result {
        bool answered = false; // an HTTP answer came back, whatever its status
        int status = 0;
        QString reason;        // "OK", or the network error when !answered
        double milliseconds = 0;
        qint64 bytes = 0;      // the body's size
        QString preview;       // its first bytes, printable characters only
        QString text() const;  // one line: "200 OK · 1.3 ms · 15 B · {"status":"ok"}"
    };

    static constexpr int previewBytes = 120;
    static constexpr std::chrono::milliseconds timeout{10'000};

    explicit RequestProbe(QObject *parent = nullptr);

    // Sends it; a probe still in flight is dropped. finished() follows once.
    void send(const PlannedRequest &request);
    bool isBusy() const { return !m_reply.isNull(); }

Q_SIGNALS:
    void finished(const loadbench::RequestProbe::Result &result);

private:
    void onFinished();

    QNetworkAccessManager *m_manager;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_clock;
    QTimer m_timeout;
    bool m_timedOut = false;
};

} // namespace loadbench

Q_DECLARE_METATYPE(loadbench::RequestProbe::Result)
