// SPDX-License-Identifier: GPL-3.0-or-later
#include "targetpanel.h"

#include "recentlist.h"
#include "servicelauncher.h"
#include "statuslight.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QMenu>
#include <QSpinBox>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace loadbench {

namespace {

constexpr int maxLogLines = 500;

QUrl urlFromText(const QString &typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return {};
    return QUrl(text.contains(u"://"_s) ? text : u"http://"_s + text, QUrl::StrictMode);
}

} // namespace

TargetPanel::TargetPanel(QWidget *parent)
    : QGroupBox(tr("Target"), parent),
      m_urlEdit(new QLineEdit(this)),
      m_light(new StatusLight(this)),
      m_portSpin(new QSpinBox(this)),
      m_launchButton(new QPushButton(tr("Launch bundled service"), this)),
      m_stopButton(new QPushButton(tr("Stop service"), this)),
      m_serviceState(new QLabel(this)),
      m_log(new QPlainTextEdit(this)),
      m_launcher(new ServiceLauncher(this)),
      m_probe(new HealthProbe(this)),
      m_requestProbe(new RequestProbe(this)),
      m_probeButton(new QPushButton(tr("Probe"), this)),
      m_probeResult(new QLabel(this)),
      m_requests(new QLabel(this)),
      m_recentButton(new QToolButton(this))
{
    m_urlEdit->setPlaceholderText(tr("http://127.0.0.1:8080/api/health"));
    m_urlEdit->setClearButtonEnabled(true);
    m_urlEdit->setToolTip(tr("The URL each virtual user requests. Type the URL of a service that "
                             "runs already, or launch the bundled one."));
    m_light->setMinimumWidth(190);

    m_portSpin->setRange(0, 65535);
    m_portSpin->setSpecialValueText(tr("any free"));
    m_portSpin->setValue(0);
    m_portSpin->setToolTip(tr("Port for the bundled service on 127.0.0.1; \"any free\" lets "
                              "Loadbench pick one."));
    m_stopButton->setEnabled(false);
    m_serviceState->setText(tr("not running"));
    m_serviceState->setStyleSheet(u"color: palette(mid);"_s);

    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(maxLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("Service log"));
    m_log->setFixedHeight(QFontMetrics(m_log->font()).lineSpacing() * 4 + 12);
    m_log->setMinimumWidth(360);

    m_probeButton->setToolTip(tr("Send the scenario's first request once, as the run will send it "
                                 "(method, headers, body), and show the answer"));
    m_probeResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_probeResult->setWordWrap(true);
    m_probeResult->setStyleSheet(u"color: palette(dark);"_s);
    m_recentButton->setText(tr("Recent"));
    m_recentButton->setToolTip(tr("Targets used before"));
    m_recentButton->setPopupMode(QToolButton::InstantPopup);
    m_recentButton->setMenu(new QMenu(m_recentButton));
    updateRecentMenu();

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_urlEdit, 1);
    urlRow->addWidget(m_recentButton);
    urlRow->addWidget(m_probeButton);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    grid->addWidget(new QLabel(tr("URL"), this), 0, 0);
    grid->addLayout(urlRow, 0, 1, 1, 4);
    grid->addWidget(m_light, 0, 5);
    grid->addWidget(new QLabel(tr("Port"), this), 1, 0);
    grid->addWidget(m_portSpin, 1, 1);
    grid->addWidget(m_launchButton, 1, 2);
    grid->addWidget(m_stopButton, 1, 3);
    grid->addWidget(m_serviceState, 1, 4, 1, 2);
    grid->addWidget(m_probeResult, 2, 1, 1, 5);
    m_requests->setWordWrap(true);
    m_requests->setToolTip(tr("From the scenario file: what each iteration sends. The URL above is the base its "
                              "requests resolve against; Probe sends the first of them."));
    m_requests->hide();
    grid->addWidget(m_requests, 3, 1, 1, 5);
    grid->setColumnStretch(4, 1);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(grid, 3);
    layout->addWidget(m_log, 2);

    m_urlDebounce.setSingleShot(true);
    m_urlDebounce.setInterval(400);
    connect(m_urlEdit, &QLineEdit::textEdited, &m_urlDebounce, qOverload<>(&QTimer::start));
    connect(m_urlEdit, &QLineEdit::editingFinished, this, [this] {
        if (m_urlDebounce.isActive()) {
            m_urlDebounce.stop();
            onUrlEdited();
        }
    });
    connect(&m_urlDebounce, &QTimer::timeout, this, &TargetPanel::onUrlEdited);
    connect(m_probe, &HealthProbe::stateChanged, this, &TargetPanel::onProbeStateChanged);
    connect(m_probeButton, &QPushButton::clicked, this, &TargetPanel::probeOnce);
    connect(m_requestProbe, &RequestProbe::finished, this, [this](const RequestProbe::Result &result) {
        m_probeButton->setEnabled(true);
        m_probeResult->setText(result.text());
        const bool good = result.answered && result.status < 400;
        m_probeResult->setStyleSheet(good ? u"color: palette(dark);"_s : u"color: #c62828;"_s);
        if (result.answered)
            rememberTarget(url());
    });

    connect(m_launchButton, &QPushButton::clicked, this,
            [this] { launchService(quint16(m_portSpin->value())); });
    connect(m_stopButton, &QPushButton::clicked, this, &TargetPanel::stopService);
    connect(m_launcher, &ServiceLauncher::started, this, &TargetPanel::onServiceStarted);
    connect(m_launcher, &ServiceLauncher::listening, this, [this] {
        m_urlDebounce.stop();
        m_urlEdit->setText(m_launcher->healthUrl().toString());
        onUrlEdited();
        m_probe->expectStartup(5s);
    });
    connect(m_launcher, &ServiceLauncher::stopped, this, &TargetPanel::onServiceStopped);
    connect(m_launcher, &ServiceLauncher::logLine, this, &TargetPanel::appendLog);
    connect(m_launcher, &ServiceLauncher::errorOccurred, this, [this](const QString &why) {
        appendLog(why);
        Q_EMIT message(why, true);
        updateServiceButtons();
    });
}

QUrl TargetPanel::url() const
{
    return urlFromText(m_urlEdit->text());
}

void TargetPanel::setUrl(const QUrl &url)
{
    m_urlDebounce.stop();
    m_urlEdit->setText(url.toString());
    onUrlEdited();
}

bool TargetPanel::launchService(quint16 port)
{
    const bool ok = m_launcher->start(port);
    updateServiceButtons();
    // The URL follows the service only once it says it listens: a launch that fails (port in
    // use) must not point the workbench at whatever else answers on that port.
    if (ok)
        m_serviceState->setText(tr("starting on port %1…").arg(m_launcher->port()));
    return ok;
}

void TargetPanel::stopService()
{
    m_launcher->stop();
}

void TargetPanel::stopServiceAndWait(int timeoutMs)
{
    m_launcher->stopAndWait(timeoutMs);
}

void TargetPanel::onUrlEdited()
{
    const QUrl target = url();
    const QUrl asked = m_lightUrl.isEmpty() ? target : m_lightUrl;
    if (m_probe->url() != asked || m_probe->state() == HealthProbe::State::Unknown)
        m_probe->setUrl(asked);
    Q_EMIT urlChanged(target);
}

void TargetPanel::onProbeStateChanged(HealthProbe::State state, const QString &description)
{
    static constexpr StatusLight::Light lights[] = {StatusLight::Light::Unknown,
                                                    StatusLight::Light::Good,
                                                    StatusLight::Light::Bad};
    const bool wasUp = m_light->light() == StatusLight::Light::Good;
    m_light->setStatus(lights[int(state)], description);
    if (state == HealthProbe::State::Up && !wasUp)
        Q_EMIT targetUp();
}

void TargetPanel::onServiceStarted(quint16 port)
{
    m_serviceState->setText(
        tr("running on port %1 (pid %2)").arg(port).arg(m_launcher->processId()));
    updateServiceButtons();
}

void TargetPanel::onServiceStopped(int, const QString &description)
{
    m_serviceState->setText(tr("service %1").arg(description));
    updateServiceButtons();
    // The light would otherwise stay green for up to one probe interval.
    if (m_probe->url() == m_launcher->healthUrl())
        m_probe->probeNow();
}

void TargetPanel::appendLog(const QString &line)
{
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    m_log->appendPlainText(line);
    if (atBottom)
        bar->setValue(bar->maximum());
}

void TargetPanel::updateServiceButtons()
{
    const bool running = m_launcher->isRunning();
    m_launchButton->setEnabled(!running);
    m_portSpin->setEnabled(!running);
    m_stopButton->setEnabled(running);
}

void TargetPanel::setRequestsText(const QString &text)
{
    m_requests->setText(text.isEmpty() ? QString() : tr("Each iteration: %1").arg(text));
    m_requests->setVisible(!text.isEmpty());
}

void TargetPanel::setLightUrl(const QUrl &url)
{
    if (url == m_lightUrl)
        return;
    m_lightUrl = url;
    const QUrl asked = m_lightUrl.isEmpty() ? this->url() : m_lightUrl;
    if (m_probe->url() != asked)
        m_probe->setUrl(asked);
}

void TargetPanel::probeOnce()
{
    const QUrl target = url();
    if (!target.isValid() || target.host().isEmpty()) {
        m_probeResult->setText(tr("Type a URL to probe"));
        m_probeResult->setStyleSheet(u"color: #c62828;"_s);
        return;
    }
    QString why;
    std::optional<PlannedRequest> request = m_probeRequest ? m_probeRequest(&why) : std::nullopt;
    if (!request) {
        // The scenario cannot be built yet (a field being typed): its URL alone still probes.
        TargetConfig plain;
        plain.url = target;
        request = plain.plan().first();
    }
    m_probeButton->setEnabled(false);
    m_probeResult->setText(tr("%1 %2 …").arg(QString::fromLatin1(request->method), request->url.toString()));
    m_probeResult->setStyleSheet(u"color: palette(dark);"_s);
    m_requestProbe->send(*request);
}

QStringList TargetPanel::recentTargets() const
{
    return RecentList(u"recentTargets"_s, maxRecentTargets).items();
}

void TargetPanel::rememberTarget(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return;
    RecentList(u"recentTargets"_s, maxRecentTargets).add(url.toString());
    updateRecentMenu();
}

void TargetPanel::updateRecentMenu()
{
    QMenu *menu = m_recentButton->menu();
    menu->clear();
    const QStringList recent = recentTargets();
    for (const QString &text : recent) {
        menu->addAction(text, this, [this, text] {
            m_urlDebounce.stop();
            m_urlEdit->setText(text);
            onUrlEdited();
        });
    }
    m_recentButton->setEnabled(!recent.isEmpty());
}

} // namespace loadbench
