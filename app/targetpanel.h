// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "healthprobe.h"
#include "requestprobe.h"

#include <QGroupBox>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace loadbench {

class ServiceLauncher;
class StatusLight;

// Where the load goes: a URL typed by hand (a service already running) or the bundled
// loadbench-service launched on a port, with its log lines, and a light that says whether the
// target answers.
class TargetPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit TargetPanel(QWidget *parent = nullptr);

    // The URL as typed; "host:port/path" without a scheme means http.
    QUrl url() const;
    void setUrl(const QUrl &url);

    // Launches the bundled service (port 0: a free one) and targets its /api/health.
    bool launchService(quint16 port);
    void stopService();
    // Blocks up to timeoutMs: for closing the window.
    void stopServiceAndWait(int timeoutMs = 3000);

    // The request the Probe button sends: the scenario's first, as the run will send it (set by
    // the main window); without one, or when it cannot be built, a GET of the URL.
    using ProbeRequestProvider = std::function<std::optional<PlannedRequest>(QString *why)>;
    void setProbeRequestProvider(ProbeRequestProvider provider) { m_probeRequest = std::move(provider); }
    void probeOnce();

    // Recent targets, most recent first (at most maxRecentTargets), kept in QSettings.
    static constexpr int maxRecentTargets = 10;
    void rememberTarget(const QUrl &url);
    QStringList recentTargets() const;

    ServiceLauncher *serviceLauncher() const { return m_launcher; }
    RequestProbe *requestProbe() const { return m_requestProbe; }
    QPushButton *probeButton() const { return m_probeButton; }
    QLabel *probeResult() const { return m_probeResult; }
    QToolButton *recentButton() const { return m_recentButton; }
    // What each iteration sends when it is more than a GET of the URL (a request list, another
    // method, headers or a body), from the scenario: "2 requests per iteration: POST /login, …".
    // The URL field then holds the base the requests resolve against.
    void setRequestsText(const QString &text);
    // What the status light asks instead of the URL field: the scenario's first GET when its
    // iterations send a request list (the base URL alone may well be a 404); empty: the field.
    void setLightUrl(const QUrl &url);
    QLabel *requestsLabel() const { return m_requests; }
    HealthProbe *probe() const { return m_probe; }
    StatusLight *statusLight() const { return m_light; }
    QLineEdit *urlEdit() const { return m_urlEdit; }
    QSpinBox *portSpin() const { return m_portSpin; }
    QPushButton *launchButton() const { return m_launchButton; }
    QPushButton *stopButton() const { return m_stopButton; }
    QPlainTextEdit *logView() const { return m_log; }

Q_SIGNALS:
    void urlChanged(const QUrl &url);
    // The target answered after being down or unknown.
    void targetUp();
    void message(const QString &text, bool isError);

private:
    void onUrlEdited();
    void onProbeStateChanged(HealthProbe::State state, const QString &description);
    void onServiceStarted(quint16 port);
    void onServiceStopped(int exitCode, const QString &description);
    void appendLog(const QString &line);
    void updateServiceButtons();
    void updateRecentMenu();

    QLineEdit *m_urlEdit;
    StatusLight *m_light;
    QSpinBox *m_portSpin;
    QPushButton *m_launchButton;
    QPushButton *m_stopButton;
    QLabel *m_serviceState;
    QPlainTextEdit *m_log;
    ServiceLauncher *m_launcher;
    HealthProbe *m_probe;
    RequestProbe *m_requestProbe;
    QPushButton *m_probeButton;
    QLabel *m_probeResult;
    QLabel *m_requests;
    QUrl m_lightUrl;
    QToolButton *m_recentButton;
    ProbeRequestProvider m_probeRequest;
    QTimer m_urlDebounce;
};

} // namespace loadbench
