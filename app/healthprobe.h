// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace loadbench {

// Asks the target (its origin and path, no query) every 2 s whether it answers: 2xx/3xx is up,
// any error or 4xx/5xx is down, no URL or no answer yet is unknown. Asynchronous: one request at
// a time, each bounded by a timeout, so the GUI thread never waits on the network.
class HealthProbe : public QObject
{
    Q_OBJECT
public:
    enum class State { Unknown, Up, Down };
    Q_ENUM(State)

    explicit HealthProbe(QObject *parent = nullptr);

    // Starts probing the new URL at once; an empty or invalid URL stops probing (Unknown).
    void setUrl(const QUrl &url);
    QUrl url() const { return m_url; }
    // For a service that is starting: until it first answers or `grace` has passed, failures
    // are retried quickly and reported as Unknown ("starting…") rather than Down.
    void expectStartup(std::chrono::milliseconds grace);
    void setInterval(std::chrono::milliseconds interval);

    State state() const { return m_state; }
    QString description() const { return m_description; }

    static QUrl probeUrl(const QUrl &url);

public Q_SLOTS:
    void probeNow();

Q_SIGNALS:
    void stateChanged(loadbench::HealthProbe::State state, const QString &description);

private:
    void onReplyFinished();
    void report(State state, const QString &description);
    void scheduleNext();

    QNetworkAccessManager *m_manager;
    QTimer m_timer;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_requestClock;
    QElapsedTimer m_startupClock;
    std::chrono::milliseconds m_startupGrace{0};
    std::chrono::milliseconds m_interval{2000};
    QUrl m_url;
    State m_state = State::Unknown;
    QString m_description;
};

} // namespace loadbench
