// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "healthprobe.h"

#include <QGroupBox>
#include <QTimer>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

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

    ServiceLauncher *serviceLauncher() const { return m_launcher; }
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

    QLineEdit *m_urlEdit;
    StatusLight *m_light;
    QSpinBox *m_portSpin;
    QPushButton *m_launchButton;
    QPushButton *m_stopButton;
    QLabel *m_serviceState;
    QPlainTextEdit *m_log;
    ServiceLauncher *m_launcher;
    HealthProbe *m_probe;
    QTimer m_urlDebounce;
};

} // namespace loadbench
