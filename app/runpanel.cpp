// SPDX-License-Identifier: GPL-3.0-or-later
#include "runpanel.h"

#include "livecharts.h"
#include "metriccard.h"
#include "thresholdstatemodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

QColor toneColor(RunPanel::Tone tone)
{
    switch (tone) {
    case RunPanel::Tone::Busy:
        return QColor(0x15, 0x65, 0xc0);
    case RunPanel::Tone::Good:
        return QColor(0x1b, 0x7f, 0x37);
    case RunPanel::Tone::Bad:
        return QColor(0xc6, 0x28, 0x28);
    case RunPanel::Tone::Neutral:
        break;
    }
    return {};
}

QString formatRate(double perSecond)
{
    const QLocale locale;
    if (perSecond >= 100)
        return locale.toString(perSecond, 'f', 0);
    return locale.toString(perSecond, 'f', 1);
}

QString formatPercent(double fraction)
{
    return QLocale().toString(fraction * 100, 'f', fraction > 0 && fraction < 0.001 ? 3 : 2) + u" %"_s;
}

} // namespace

QString RunPanel::formatMs(double ms)
{
    const QLocale locale;
    if (ms >= 1000)
        return locale.toString(ms / 1000, 'f', 2) + u" s"_s;
    if (ms >= 100)
        return locale.toString(ms, 'f', 0) + u" ms"_s;
    if (ms >= 10)
        return locale.toString(ms, 'f', 1) + u" ms"_s;
    return locale.toString(ms, 'f', 2) + u" ms"_s;
}

QString RunPanel::formatClock(double seconds)
{
    const qint64 total = qint64(seconds + 0.5);
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return u"%1:%2:%3"_s.arg(h).arg(m, 2, 10, QChar(u'0')).arg(s, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(m).arg(s, 2, 10, QChar(u'0'));
}

namespace {

// The engines a scenario runs on, by their short names: "native", "qnam", "native+qnam".
QString engineNames(const Scenario &scenario)
{
    QStringList names;
    for (const ScenarioConfig &config : scenario.scenarios) {
        const QString name = engineName(scenario.engineFor(config));
        if (!names.contains(name))
            names << name;
    }
    return names.join(u'+');
}

} // namespace

RunPanel::RunPanel(QWidget *parent)
    : QWidget(parent),
      m_runButton(new QToolButton(this)),
      m_stopButton(new QToolButton(this)),
      m_exportButton(new QToolButton(this)),
      m_phase(new QLabel(this)),
      m_engine(new QLabel(this)),
      m_cpu(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_requestsCard(new MetricCard(tr("Requests / s"), this)),
      m_latencyCard(new MetricCard(tr("Latency p95"), this)),
      m_errorsCard(new MetricCard(tr("Errors"), this)),
      m_vusCard(new MetricCard(tr("Virtual users"), this)),
      m_elapsedCard(new MetricCard(tr("Elapsed / planned"), this)),
      m_charts(new LiveCharts(this)),
      m_thresholdModel(new ThresholdStateModel(this)),
      m_thresholdView(new QTableView(this)),
      m_errorsView(new QTableWidget(0, 2, this)),
      m_verdict(new QLabel(this)),
      m_vuControl(new QWidget(this)),
      m_vuSlider(new QSlider(Qt::Horizontal, m_vuControl)),
      m_vuSpin(new QSpinBox(m_vuControl)),
      m_vuMessage(new QLabel(m_vuControl)),
      m_vuDebounce(new QTimer(this))
{
    for (QToolButton *button : {m_runButton, m_stopButton, m_exportButton}) {
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setMinimumWidth(90);
    }
    QFont phaseFont = font();
    phaseFont.setBold(true);
    m_phase->setFont(phaseFont);
    m_phase->setWordWrap(true);
    // However long a message (a path in an error), it wraps in the room the row leaves: it
    // must never widen the panel and push the cards and charts out of view.
    m_phase->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_phase->setMinimumWidth(120);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(160);
    m_progress->setToolTip(tr("Elapsed share of the planned duration"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_runButton);
    controls->addWidget(m_stopButton);
    controls->addWidget(m_exportButton);
    controls->addSpacing(12);
    controls->addWidget(m_phase, 1);
    m_engine->setStyleSheet(u"color: palette(dark);"_s);
    controls->addWidget(m_engine);
    controls->addWidget(m_progress);

    // externally-controlled: the VU count, changed while the run goes. A drag sends one request
    // when it rests, not one per pixel.
    auto *vuLabel = new QLabel(tr("VUs"), m_vuControl);
    vuLabel->setFont(phaseFont);
    m_vuSlider->setToolTip(tr("VUs of the externally-controlled scenario, changed while it runs"));
    m_vuSpin->setToolTip(m_vuSlider->toolTip());
    m_vuSlider->setPageStep(10);
    m_vuMessage->setStyleSheet(u"color: palette(dark);"_s);
    m_vuDebounce->setSingleShot(true);
    m_vuDebounce->setInterval(150);
    auto *vuRow = new QHBoxLayout(m_vuControl);
    vuRow->setContentsMargins(0, 0, 0, 0);
    vuRow->addWidget(vuLabel);
    vuRow->addWidget(m_vuSlider, 2);
    vuRow->addWidget(m_vuSpin);
    vuRow->addWidget(m_vuMessage, 3);
    connect(m_vuSlider, &QSlider::valueChanged, m_vuSpin, &QSpinBox::setValue);
    connect(m_vuSpin, &QSpinBox::valueChanged, m_vuSlider, &QSlider::setValue);
    connect(m_vuSpin, &QSpinBox::valueChanged, m_vuDebounce, qOverload<>(&QTimer::start));
    connect(m_vuDebounce, &QTimer::timeout, this, [this] {
        if (m_vuSpin->isEnabled())
            Q_EMIT vusRequested(m_vuSpin->value(), m_vuScenario);
    });
    m_vuControl->hide();

    auto *cards = new QHBoxLayout;
    cards->setSpacing(8);
    for (MetricCard *card : {m_requestsCard, m_latencyCard, m_errorsCard, m_vusCard, m_elapsedCard})
        cards->addWidget(card, 1);

    m_thresholdView->setModel(m_thresholdModel);
    m_thresholdView->setSelectionMode(QAbstractItemView::NoSelection);
    m_thresholdView->setFocusPolicy(Qt::NoFocus);
    m_thresholdView->verticalHeader()->hide();
    m_thresholdView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_thresholdView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_thresholdView->horizontalHeader()->setSectionResizeMode(ThresholdStateModel::MetricColumn,
                                                               QHeaderView::ResizeToContents);
    m_thresholdView->setFixedHeight((fontMetrics().height() + 6) * 4
                                    + m_thresholdView->horizontalHeader()->sizeHint().height() + 4);
    auto *thresholdTitle = new QLabel(tr("Thresholds"), this);
    thresholdTitle->setFont(phaseFont);
    auto *thresholdHeader = new QHBoxLayout;
    thresholdHeader->addWidget(thresholdTitle);
    thresholdHeader->addWidget(m_verdict, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_vuControl);
    layout->addLayout(cards);
    m_cpu->setWordWrap(true);
    m_cpu->setToolTip(tr("CPU used by Loadbench itself (the whole process, and its busiest worker thread) and by "
                         "the service it launched, in cores: 1.0 is one core busy all the time. A worker thread "
                         "near 100 % cannot send on time, and the latencies then include its own queueing."));
    layout->addWidget(m_cpu);
    layout->addWidget(m_charts, 1);
    layout->addLayout(thresholdHeader);
    m_errorsView->setHorizontalHeaderLabels({tr("Failed"), tr("Error")});
    m_errorsView->setSelectionMode(QAbstractItemView::NoSelection);
    m_errorsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_errorsView->setFocusPolicy(Qt::NoFocus);
    m_errorsView->verticalHeader()->hide();
    m_errorsView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_errorsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_errorsView->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_errorsView->setFixedHeight(m_thresholdView->height());
    m_errorsView->setToolTip(tr("Failed requests by kind, whole run so far: k6's error codes, or the HTTP status"));
    m_errorsView->hide();
    auto *tables = new QHBoxLayout;
    tables->addWidget(m_thresholdView, 3);
    tables->addWidget(m_errorsView, 2);
    layout->addLayout(tables);

    setPhase(tr("Ready. Pick a target and a profile, then press Run."));
    prepare(Scenario{});
}

void RunPanel::setActions(QAction *run, QAction *stop, QAction *exportReport)
{
    m_runButton->setDefaultAction(run);
    m_stopButton->setDefaultAction(stop);
    m_exportButton->setDefaultAction(exportReport);
}

void RunPanel::setPhase(const QString &text, Tone tone)
{
    m_phase->setText(text);
    m_phase->setToolTip(text);
    const QColor color = toneColor(tone);
    m_phase->setStyleSheet(color.isValid() ? u"color: %1;"_s.arg(color.name()) : QString());
}

void RunPanel::prepare(const Scenario &scenario)
{
    m_plannedSeconds = scenario.scenarios.isEmpty() ? 0 : toSeconds(scenario.plannedDuration());
    m_charts->reset(scenario);
    m_thresholdModel->setThresholds(scenario.thresholds);
    m_progress->setValue(0);
    m_cpu->clear();
    m_serviceCores = -1;
    showErrors({});
    // Short beside the phase line (which must not wrap); the tooltip has the whole story.
    m_engine->setText(scenario.scenarios.isEmpty() ? QString() : tr("Engine: %1").arg(engineNames(scenario)));
    m_engine->setToolTip(tr("%1\nThe engine sends the requests; its own overhead is inside every latency shown")
                             .arg(scenario.enginesText()));
    const QString none = u"–"_s;
    m_requestsCard->setValue(none);
    m_latencyCard->setValue(none);
    m_errorsCard->setValue(none);
    m_errorsCard->setAccent({});
    m_vusCard->setValue(none);
    m_elapsedCard->setValue(u"0:00"_s, tr("of %1").arg(formatClock(m_plannedSeconds)));
    updateVerdict(false);

    m_vuScenario.clear();
    for (const ScenarioConfig &config : scenario.scenarios) {
        if (config.executor != ExecutorType::ExternallyControlled)
            continue;
        m_vuScenario = config.name;
        const QSignalBlocker blockSlider(m_vuSlider), blockSpin(m_vuSpin);
        m_vuSlider->setRange(0, config.maxVus());
        m_vuSpin->setRange(0, config.maxVus());
        m_vuSlider->setValue(config.vus);
        m_vuSpin->setValue(config.vus);
        m_vuMessage->setText(tr("scenario \"%1\": %2 VUs at the start, up to maxVUs %3")
                                 .arg(config.name).arg(config.vus).arg(config.maxVus()));
        break;
    }
    m_vuControl->setVisible(!m_vuScenario.isEmpty());
    setVuControlLive(false);
}

void RunPanel::setVuControlLive(bool live)
{
    m_vuDebounce->stop();
    m_vuSlider->setEnabled(live);
    m_vuSpin->setEnabled(live);
}

void RunPanel::showVuChange(int vus, const QString &message)
{
    if (vus >= 0 && vus != m_vuSpin->value()) {
        // The runner clamped the request: show what runs.
        const QSignalBlocker blockSlider(m_vuSlider), blockSpin(m_vuSpin);
        m_vuSlider->setValue(vus);
        m_vuSpin->setValue(vus);
    }
    m_vuMessage->setText(message);
}

void RunPanel::showErrors(const QList<QPair<QString, quint64>> &errors)
{
    const QLocale locale;
    m_errorsView->setRowCount(int(errors.size()));
    for (int row = 0; row < errors.size(); ++row) {
        auto *count = new QTableWidgetItem(locale.toString(errors[row].second));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_errorsView->setItem(row, 0, count);
        auto *kind = new QTableWidgetItem(errors[row].first);
        kind->setToolTip(errors[row].first);
        m_errorsView->setItem(row, 1, kind);
    }
    m_errorsView->setVisible(!errors.isEmpty());
}

void RunPanel::showCpu(const IntervalSnapshot &snapshot)
{
    if (snapshot.generatorCores < 0) {
        m_cpu->clear();
        return;
    }
    QString text = tr("Generator CPU %1 cores").arg(snapshot.generatorCores, 0, 'f', 2);
    if (snapshot.busiestWorkerCores >= 0)
        text += tr(" (busiest worker thread %1 %)").arg(qRound(snapshot.busiestWorkerCores * 100));
    if (m_serviceCores >= 0)
        text += tr(" · service CPU %1 cores").arg(m_serviceCores, 0, 'f', 2);
    if (snapshot.generatorSaturated()) {
        text += tr(" — the generator is saturated: latencies now include its own queueing, not only the "
                   "service's (fewer VUs, more worker threads, or the native engine)");
        m_cpu->setStyleSheet(u"color: #c62828; font-weight: bold;"_s);
    } else {
        m_cpu->setStyleSheet(u"color: palette(dark);"_s);
    }
    m_cpu->setText(text);
}

void RunPanel::showSnapshot(const IntervalSnapshot &snapshot)
{
    m_charts->addSnapshot(snapshot);
    showCpu(snapshot);
    showErrors(snapshot.errorsByKind);
    const QLocale locale;
    m_requestsCard->setValue(formatRate(snapshot.requestsPerSecond),
                             tr("%1 in total").arg(locale.toString(snapshot.totalRequests)));
    if (snapshot.requests > 0) {
        // In the open model the tail from the schedule is what users waited (BC-03).
        const QString detail = snapshot.scheduledP99Ms >= 0
                                   ? tr("p99 %1\nfrom schedule %2").arg(formatMs(snapshot.p99Ms), formatMs(snapshot.scheduledP99Ms))
                                   : tr("p99 %1").arg(formatMs(snapshot.p99Ms));
        m_latencyCard->setValue(formatMs(snapshot.p95Ms), detail);
    }
    const double totalRate = snapshot.totalRequests
                                 ? double(snapshot.totalFailed) / double(snapshot.totalRequests)
                                 : 0.0;
    QString errorsDetail = tr("%1 of requests").arg(formatPercent(totalRate));
    if (snapshot.totalDroppedIterations > 0)
        errorsDetail += tr("\n%1 iterations dropped").arg(locale.toString(snapshot.totalDroppedIterations));
    m_errorsCard->setValue(locale.toString(snapshot.totalFailed), errorsDetail);
    m_errorsCard->setAccent(snapshot.totalFailed > 0 || snapshot.totalDroppedIterations > 0 ? QColor(0xc6, 0x28, 0x28)
                                                                                            : QColor());
    m_vusCard->setValue(QString::number(snapshot.vus),
                        tr("planned %1").arg(snapshot.plannedVus));
    const double planned = snapshot.plannedSeconds > 0 ? snapshot.plannedSeconds : m_plannedSeconds;
    m_elapsedCard->setValue(formatClock(snapshot.elapsedSeconds), tr("of %1").arg(formatClock(planned)));
    if (planned > 0)
        m_progress->setValue(int(qBound(0.0, snapshot.elapsedSeconds / planned, 1.0) * 1000));
    if (!snapshot.thresholds.isEmpty())
        m_thresholdModel->setStates(snapshot.thresholds);
    updateVerdict(false);
}

void RunPanel::showSummary(const Summary &summary)
{
    const QLocale locale;
    const double requests = summary.value(u"http_reqs"_s, u"count"_s).value_or(0);
    const double rate = summary.value(u"http_reqs"_s, u"rate"_s).value_or(0);
    m_requestsCard->setValue(formatRate(rate),
                             tr("avg · %1 in total").arg(locale.toString(qint64(requests))));
    if (const auto p95 = summary.value(u"http_req_duration"_s, u"p(95)"_s); p95 && requests > 0) {
        const double p50 = summary.value(u"http_req_duration"_s, u"med"_s).value_or(0);
        const double p99 = summary.value(u"http_req_duration"_s, u"p(99)"_s).value_or(0);
        // The open model keeps its tail from the schedule in the end state too (BC-03).
        const bool scheduled = summary.metrics && summary.metrics->trend(TrendMetric::HttpReqScheduledDuration).count() > 0;
        const auto scheduledP99 = scheduled ? summary.value(u"http_req_scheduled_duration"_s, u"p(99)"_s) : std::nullopt;
        m_latencyCard->setValue(formatMs(*p95), scheduledP99 ? tr("run p99 %1\nfrom schedule %2").arg(formatMs(p99), formatMs(*scheduledP99))
                                                             : tr("run p99 %1").arg(formatMs(p99)));
        m_latencyCard->setToolTip(tr("Whole run: p50 %1, p95 %2, p99 %3")
                                      .arg(formatMs(p50), formatMs(*p95), formatMs(p99)));
    }
    QList<QPair<QString, quint64>> errors;
    if (summary.metrics) {
        for (auto it = summary.metrics->errors.cbegin(); it != summary.metrics->errors.cend(); ++it)
            errors.append({it.key(), it.value()});
        std::stable_sort(errors.begin(), errors.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    }
    showErrors(errors);
    const quint64 failed = summary.metrics ? summary.metrics->httpReqFailed : 0;
    const quint64 dropped = summary.metrics ? summary.metrics->droppedIterations : 0;
    const double failedRate = requests > 0 ? double(failed) / requests : 0.0;
    QString errorsDetail = tr("%1 of requests").arg(formatPercent(failedRate));
    // Iterations that never ran are load the service never got: said as loudly at the end as
    // during the run.
    if (dropped > 0)
        errorsDetail += tr("\n%1 iterations dropped").arg(locale.toString(dropped));
    m_errorsCard->setValue(locale.toString(failed), errorsDetail);
    m_errorsCard->setAccent(failed > 0 || dropped > 0 ? QColor(0xc6, 0x28, 0x28) : QColor());
    m_vusCard->setValue(QString::number(summary.vusMax), tr("max of %1").arg(summary.vusMaxConfigured));
    m_elapsedCard->setValue(formatClock(summary.durationSeconds),
                            summary.interrupted ? tr("stopped early") : tr("of %1").arg(formatClock(m_plannedSeconds)));
    if (!summary.interrupted)
        m_progress->setValue(m_progress->maximum());
    m_thresholdModel->setStates(summary.thresholds.isEmpty() && !summary.scenario.thresholds.isEmpty()
                                    ? summary.evaluateThresholds()
                                    : summary.thresholds);
    QString engine = summary.hasForeignEngine() || summary.scenario.scenarios.isEmpty() ? summary.engine
                                                                                         : engineNames(summary.scenario);
    if (!engine.isEmpty()) {
        QString threads;
        if (summary.workerThreads > 0)
            threads = summary.workerThreads == 1 ? tr(", 1 thread") : tr(", %1 threads").arg(summary.workerThreads);
        m_engine->setText(tr("Ran on %1%2").arg(engine, threads));
        m_engine->setToolTip(tr("Ran on %1%2").arg(summary.enginesText(),
                                                  summary.workerThreads > 0 ? tr(" with %n worker thread(s)", nullptr, summary.workerThreads)
                                                                            : QString()));
    }
    updateVerdict(true);
}

void RunPanel::updateVerdict(bool final)
{
    const int rows = m_thresholdModel->rowCount();
    const int crossed = m_thresholdModel->crossedCount();
    QString text;
    QColor color;
    if (rows == 0) {
        text = tr("none set");
    } else if (crossed > 0) {
        text = tr("%n crossed", nullptr, crossed);
        color = toneColor(Tone::Bad);
    } else {
        int withData = 0;
        for (int row = 0; row < rows; ++row)
            withData += m_thresholdModel->stateAt(row) != ThresholdStateModel::State::Waiting;
        if (withData == 0 && !final) {
            text = tr("waiting for data");
        } else {
            text = final ? tr("all %n held", nullptr, rows) : tr("all holding so far");
            color = toneColor(Tone::Good);
        }
    }
    m_verdict->setText(text);
    m_verdict->setStyleSheet(color.isValid() ? u"color: %1; font-weight: bold;"_s.arg(color.name())
                                             : u"color: palette(dark);"_s);
}

} // namespace loadbench
