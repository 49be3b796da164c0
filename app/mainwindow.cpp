// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "appresources.h"
#include "engine/clock.h"
#include "analysis/runrecording.h"
#include "engine/runner.h"
#include "output/runfolder.h"
#include "platform/cpuusage.h"
#include "recentlist.h"
#include "reportexporter.h"
#include "runhistorypanel.h"
#include "runpanel.h"
#include "scenarioeditor.h"
#include "servicelauncher.h"
#include "targetpanel.h"
#include "workbenchoptions.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QScreen>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

// "127.0.0.1:8080/api/health": what a phase line needs of a URL.
QString shortUrl(const QUrl &url)
{
    return url.toString(QUrl::RemoveScheme | QUrl::RemoveUserInfo).mid(2);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent),
      m_target(new TargetPanel(this)),
      m_history(new RunHistoryPanel(this)),
      m_editor(new ScenarioEditor(this)),
      m_runPanel(new RunPanel(this))
{
    initAppResources();
    qRegisterMetaType<IntervalSnapshot>();
    qRegisterMetaType<Summary>();
    setWindowIcon(QIcon(u":/icons/loadbench.svg"_s));
    createActions();
    // Probe sends what the run would: the scenario's first request, to the panel's URL.
    m_target->setProbeRequestProvider([this](QString *why) -> std::optional<PlannedRequest> {
        const std::optional<Scenario> scenario = currentScenario(why);
        if (!scenario || scenario->scenarios.isEmpty())
            return std::nullopt;
        const QList<PlannedRequest> plan = scenario->targetFor(scenario->main()).plan();
        return plan.isEmpty() ? std::nullopt : std::optional<PlannedRequest>(plan.first());
    });

    auto *runBox = new QWidget(this);
    auto *runLayout = new QVBoxLayout(runBox);
    runLayout->setContentsMargins(6, 0, 0, 0);
    runLayout->addWidget(m_runPanel);

    // On a small screen the panels scroll rather than squeeze charts below legibility.
    auto scrolling = [this](QWidget *content) {
        auto *area = new QScrollArea(this);
        area->setWidget(content);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        return area;
    };
    // The live run and the runs before it, one tab each: opening a past run shows it in the
    // Run tab as it looked live.
    m_rightTabs = new QTabWidget(this);
    m_rightTabs->setDocumentMode(true);
    m_rightTabs->addTab(scrolling(runBox), tr("&Run"));
    m_rightTabs->addTab(m_history, tr("&History"));
    setRunsFolder(QDir::current().absoluteFilePath(u"runs"_s));
    connect(m_history, &RunHistoryPanel::openRequested, this, [this](const QString &folder) {
        QString why;
        if (!openRecordedRun(folder, &why))
            showError(tr("Cannot open the run"), why);
    });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scrolling(m_editor));
    splitter->addWidget(m_rightTabs);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({600, 800});

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 6, 8, 4);
    layout->addWidget(m_target);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    // 1400 × 900 when the screen has room; never larger than the screen.
    QSize size(1400, 900);
    if (const QScreen *screen = this->screen())
        size = size.boundedTo(screen->availableGeometry().size());
    resize(size);

    connect(m_target, &TargetPanel::message, this, [this](const QString &text, bool isError) {
        if (isError)
            m_runPanel->setPhase(text, RunPanel::Tone::Bad);
        statusBar()->showMessage(text, 10000);
    });
    connect(m_target, &TargetPanel::targetUp, this, &MainWindow::onTargetUp);
    connect(m_editor, &ScenarioEditor::scenarioReplaced, this, [this](const Scenario &scenario) {
        if (m_target->url().isEmpty())
            m_target->setUrl(scenario.target.url);
        updateTitle();
    });
    connect(m_editor, &ScenarioEditor::changed, this, [this] {
        if (!isRunning())
            updateTitle();
        previewPlan();
    });
    connect(m_target, &TargetPanel::urlChanged, this, &MainWindow::previewPlan);
    connect(m_target->serviceLauncher(), &ServiceLauncher::started, this, &MainWindow::updateActions);
    connect(m_target->serviceLauncher(), &ServiceLauncher::stopped, this, &MainWindow::updateActions);

    if (m_target->url().isEmpty())
        m_target->setUrl(m_editor->baseScenario().target.url);
    markSaved(); // the starting scenario is nothing to lose
    updateActions();
    updateTitle();
    previewPlan();
    statusBar()->showMessage(tr("Loadbench %1 · Qt %2").arg(QCoreApplication::applicationVersion(),
                                                            QString::fromLatin1(qVersion())));
}

MainWindow::~MainWindow()
{
    // The runner's destructor aborts and waits for its threads: do it while the window whose
    // slots it calls still exists.
    m_runner.reset();
}

void MainWindow::createActions()
{
    QStyle *s = style();
    m_openAction = new QAction(s->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a scenario JSON file (Ctrl+O)"));
    m_saveAction = new QAction(s->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setToolTip(tr("Save the scenario as JSON (Ctrl+S)"));
    m_saveAsAction = new QAction(tr("Save &As…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    m_exportAction = new QAction(s->standardIcon(QStyle::SP_DirIcon), tr("&Export…"), this);
    m_exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    m_exportAction->setToolTip(tr("Write report.html, latency.svg and summary.json of the last run "
                                  "into a folder (Ctrl+E)"));
    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);

    m_runAction = new QAction(s->standardIcon(QStyle::SP_MediaPlay), tr("&Run"), this);
    m_runAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5)});
    m_runAction->setToolTip(tr("Start the load test (Ctrl+R)"));
    m_stopAction = new QAction(s->standardIcon(QStyle::SP_MediaStop), tr("S&top"), this);
    m_stopAction->setShortcut(Qt::SHIFT | Qt::Key_F5);
    m_stopAction->setToolTip(tr("Stop gracefully; press again to abort (Shift+F5)"));

    // "Undo Drag stage 2", "Redo Apply preset Spike": QUndoStack keeps the text current.
    m_undoAction = m_editor->undoStack()->createUndoAction(this);
    m_undoAction->setIcon(QIcon::fromTheme(u"edit-undo"_s));
    m_undoAction->setShortcuts(QKeySequence::Undo);
    m_redoAction = m_editor->undoStack()->createRedoAction(this);
    m_redoAction->setIcon(QIcon::fromTheme(u"edit-redo"_s));
    m_redoAction->setShortcuts(QKeySequence::Redo);

    m_launchServiceAction = new QAction(tr("&Launch bundled service"), this);
    m_stopServiceAction = new QAction(tr("&Stop service"), this);

    connect(m_openAction, &QAction::triggered, this, &MainWindow::onOpen);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::onSave);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::onSaveAs);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::onExport);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_runAction, &QAction::triggered, this, &MainWindow::startRun);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopRun);
    connect(m_launchServiceAction, &QAction::triggered, this, [this] {
        m_target->launchService(quint16(m_target->portSpin()->value()));
    });
    connect(m_stopServiceAction, &QAction::triggered, m_target, &TargetPanel::stopService);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    updateRecentFiles();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(quitAction);
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_runAction);
    run->addAction(m_stopAction);
    QMenu *service = menuBar()->addMenu(tr("&Service"));
    service->addAction(m_launchServiceAction);
    service->addAction(m_stopServiceAction);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Loadbench"), this, [this] {
        QMessageBox::about(this, tr("About Loadbench"),
                           tr("<h3>Loadbench %1</h3><p>A desktop workbench for HTTP load tests "
                              "that speaks k6's formats.</p><p>GPL-3.0-or-later · Qt %2</p>")
                               .arg(QCoreApplication::applicationVersion(),
                                    QString::fromLatin1(qVersion())));
    });

    m_editor->addToolAction(m_openAction);
    m_editor->addToolAction(m_saveAction);
    m_runPanel->setActions(m_runAction, m_stopAction, m_exportAction);
    connect(m_runPanel, &RunPanel::vusRequested, this, [this](int vus, const QString &scenario) {
        if (isRunning())
            m_runner->setVus(vus, scenario);
    });
}

bool MainWindow::applyOptions(const WorkbenchOptions &options, QString *why)
{
    QString reason;
    if (!options.scenarioFile.isEmpty()) {
        if (!openScenarioFile(options.scenarioFile, &reason)) {
            if (why)
                *why = reason;
            return false;
        }
    } else if (!options.preset.isEmpty()) {
        if (!loadPreset(options.preset, &reason)) {
            if (why)
                *why = reason;
            return false;
        }
    }
    if (!options.url.isEmpty())
        m_target->setUrl(QUrl::fromUserInput(options.url));
    if (options.launchService) {
        m_target->portSpin()->setValue(options.servicePort);
        m_target->launchService(quint16(options.servicePort));
    }
    // What the command line loaded is where the history starts, as a loaded file is.
    m_editor->undoStack()->clear();
    markSaved();
    updateTitle();
    if (options.runAtStart) {
        m_runWhenTargetUp = true;
        m_runPanel->setPhase(tr("Waiting for the target to answer; the run starts then."),
                             RunPanel::Tone::Busy);
        if (m_target->probe()->state() == HealthProbe::State::Up)
            onTargetUp();
    }
    return true;
}

bool MainWindow::loadPreset(const QString &name, QString *why)
{
    QString reason;
    if (!m_editor->loadPreset(name, &reason)) {
        if (why)
            *why = reason;
        return false;
    }
    statusBar()->showMessage(tr("Preset \"%1\" loaded").arg(name), 5000);
    return true;
}

bool MainWindow::openScenarioFile(const QString &path, QString *why)
{
    // Scenario::fromFile's message already starts with the path.
    const auto scenario = Scenario::fromFile(path, why);
    if (!scenario)
        return false;
    m_editor->setScenario(*scenario);
    // A scenario file names its target; a preset only shapes the load.
    if (!scenario->target.url.isEmpty())
        m_target->setUrl(scenario->target.url);
    m_scenarioPath = path;
    m_lastFolder = QFileInfo(path).absolutePath();
    rememberFile(path);
    markSaved();
    updateTitle();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::saveScenarioFile(const QString &path, QString *why)
{
    auto fail = [why](const QString &message) {
        if (why)
            *why = message;
        return false;
    };
    QString reason;
    const auto scenario = currentScenario(&reason);
    if (!scenario)
        return fail(reason);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    file.write(QJsonDocument(scenario->toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return fail(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    m_scenarioPath = path;
    m_lastFolder = QFileInfo(path).absolutePath();
    rememberFile(path);
    markSaved();
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

std::optional<Scenario> MainWindow::currentScenario(QString *why) const
{
    return m_editor->scenario(m_target->url(), why);
}

void MainWindow::onOpen()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open scenario"), m_lastFolder, tr("Scenario JSON (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString why;
    if (!openScenarioFile(path, &why))
        showError(tr("Cannot open the scenario"), why);
}

void MainWindow::onSave()
{
    if (m_scenarioPath.isEmpty()) {
        onSaveAs();
        return;
    }
    QString why;
    if (!saveScenarioFile(m_scenarioPath, &why))
        showError(tr("Cannot save the scenario"), why);
}

void MainWindow::onSaveAs()
{
    QString why;
    const auto scenario = currentScenario(&why);
    if (!scenario) {
        showError(tr("Cannot save the scenario"), why);
        return;
    }
    const QString start = m_scenarioPath.isEmpty()
                              ? QDir(m_lastFolder.isEmpty() ? QDir::currentPath() : m_lastFolder)
                                    .filePath(scenario->name + u".json"_s)
                              : m_scenarioPath;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"), start,
                                                      tr("Scenario JSON (*.json)"));
    if (path.isEmpty())
        return;
    if (!saveScenarioFile(path, &why))
        showError(tr("Cannot save the scenario"), why);
}

bool MainWindow::isRunning() const
{
    return m_runner && m_runner->isRunning();
}

bool MainWindow::startRun()
{
    if (isRunning())
        return false;
    m_runWhenTargetUp = false;
    QString why;
    const auto scenario = currentScenario(&why);
    if (!scenario) {
        m_runPanel->setPhase(tr("Cannot run: %1").arg(why), RunPanel::Tone::Bad);
        Q_EMIT runFailed(why);
        return false;
    }
    // Pinned now, so the run, its files and the panel say which engine ran even where "auto" was asked.
    Scenario resolved = *scenario;
    resolved.resolveEngines();
    m_runner = std::make_unique<Runner>(resolved, ReportExporter::runOptions());
    m_lastServiceCpuNs = -1; // the first snapshot of a run only sets the mark
    m_target->rememberTarget(resolved.target.url);
    connect(m_runner.get(), &Runner::started, this, &MainWindow::onRunnerStarted);
    connect(m_runner.get(), &Runner::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_runner.get(), &Runner::finished, this, &MainWindow::onRunnerFinished);
    connect(m_runner.get(), &Runner::failed, this, &MainWindow::onRunnerFailed);
    connect(m_runner.get(), &Runner::vusChanged, this,
            [this](const QString &, int vus, const QString &message) { m_runPanel->showVuChange(vus, message); });
    m_stopRequests = 0;
    m_stopAction->setText(tr("S&top"));
    m_runPanel->prepare(resolved);
    m_runPanel->setPhase(tr("Starting %1 against %2…").arg(scenario->name, shortUrl(scenario->target.url)),
                         RunPanel::Tone::Busy);
    m_runner->start();
    updateActions();
    return true;
}

void MainWindow::stopRun()
{
    if (!isRunning())
        return;
    ++m_stopRequests;
    m_runner->stop();
    if (m_stopRequests == 1) {
        m_stopAction->setText(tr("A&bort"));
        m_stopAction->setToolTip(tr("Abort the run now, without waiting for requests in flight"));
        m_runPanel->setPhase(tr("Stopping gracefully: no new iterations, waiting for those in "
                                "flight. Press Abort to stop at once."),
                             RunPanel::Tone::Busy);
    } else {
        m_runPanel->setPhase(tr("Aborting…"), RunPanel::Tone::Busy);
    }
    updateActions();
}

void MainWindow::previewPlan()
{
    // What each iteration sends, beside the target, when it is more than a GET of the URL.
    if (const auto scenario = currentScenario(); scenario && !scenario->scenarios.isEmpty()) {
        const TargetConfig &target = scenario->targetFor(scenario->main());
        const bool plain = target.requests.isEmpty() && target.method == "GET" && target.headers.isEmpty() && target.body.isEmpty();
        m_target->setRequestsText(plain ? QString() : target.describe());
        // A request list's base URL may answer nothing useful: the light asks its first GET.
        QUrl light;
        if (!target.requests.isEmpty()) {
            for (const PlannedRequest &request : target.plan()) {
                if (request.method == "GET") {
                    light = request.url;
                    break;
                }
            }
        }
        m_target->setLightUrl(light);
    }
    // Until the first run, the run side shows the plan: planned VUs, duration, thresholds.
    // After it, it keeps showing the last run's results.
    if (m_runner)
        return;
    if (const auto scenario = currentScenario())
        m_runPanel->prepare(*scenario);
}

void MainWindow::onTargetUp()
{
    if (m_runWhenTargetUp && !isRunning())
        startRun();
}

void MainWindow::onRunnerStarted()
{
    const Scenario &scenario = m_runner->scenario();
    m_runPanel->setPhase(tr("Running %1 against %2").arg(scenario.name, shortUrl(scenario.target.url)),
                         RunPanel::Tone::Busy);
    m_runPanel->setVuControlLive(true);
    updateActions();
    Q_EMIT runStarted();
}

void MainWindow::onSnapshot(const IntervalSnapshot &snapshot)
{
    // The launched service's CPU over the same interval: with the generator's, it tells which
    // of the two is the bottleneck when they share the machine.
    // Only when the run targets it: a launched service left idle beside another target says nothing.
    const ServiceLauncher *launcher = m_target->serviceLauncher();
    const QUrl target = m_runner ? m_runner->scenario().target.url : QUrl();
    const bool targetsLaunched = launcher && launcher->isRunning() && target.port() == launcher->port()
                                 && (target.host() == u"localhost"_s || QHostAddress(target.host()).isLoopback());
    const std::optional<qint64> serviceCpu = targetsLaunched ? cpuusage::otherProcessNs(launcher->processId())
                                                             : std::nullopt;
    const qint64 now = steadyNowNs();
    if (serviceCpu && m_lastServiceCpuNs >= 0 && now > m_lastServiceSampleNs)
        m_runPanel->setServiceCpu(cpuusage::coreShare(*serviceCpu - m_lastServiceCpuNs, now - m_lastServiceSampleNs));
    else
        m_runPanel->setServiceCpu(-1);
    m_lastServiceCpuNs = serviceCpu.value_or(-1);
    m_lastServiceSampleNs = now;
    m_runPanel->showSnapshot(snapshot);
    updateTitle(&snapshot);
    Q_EMIT snapshotShown(snapshot);
}

void MainWindow::onRunnerFinished(const Summary &summary)
{
    m_lastSummary = summary;
    m_lastTimeline = m_runner ? m_runner->timeline() : QList<IntervalSnapshot>{};
    m_runPanel->setVuControlLive(false);
    m_runPanel->showSummary(summary);
    const auto thresholds = summary.thresholds.isEmpty() ? summary.evaluateThresholds() : summary.thresholds;
    const bool crossed = std::any_of(thresholds.cbegin(), thresholds.cend(),
                                     [](const ThresholdState &s) { return s.hasData && s.crossed; });
    const QLocale locale;
    const quint64 requests = summary.metrics ? summary.metrics->httpReqs : 0;
    QString text = summary.abortedByThreshold ? tr("Aborted by a threshold")
                   : summary.interrupted      ? tr("Stopped")
                                              : tr("Finished");
    text += tr(" after %1 · %2 requests").arg(RunPanel::formatClock(summary.durationSeconds),
                                              locale.toString(requests));
    const quint64 dropped = summary.metrics ? summary.metrics->droppedIterations : 0;
    if (dropped > 0)
        text += tr(" · %1 iterations dropped").arg(locale.toString(dropped));
    if (!thresholds.isEmpty())
        text += crossed ? tr(" · thresholds crossed") : tr(" · thresholds held");
    // Dropped iterations are load that never reached the service: not a clean green finish.
    const RunPanel::Tone tone = crossed || summary.abortedByThreshold ? RunPanel::Tone::Bad
                                : dropped > 0                        ? RunPanel::Tone::Neutral
                                                                     : RunPanel::Tone::Good;
    m_runPanel->setPhase(text, tone);
    // Every finished run lands in the runs folder, as loadbench-cli's do, for the History tab.
    QStringList errors = summary.outputErrors;
    const QString folder = RunFolder::defaultPath(m_runsFolder, summary.scenario.name, summary.startTime);
    QString why;
    if (ReportExporter::exportRun(folder, summary, m_lastTimeline, &why)) {
        m_lastRunFolder = folder;
        statusBar()->showMessage(tr("Saved in %1").arg(QDir::toNativeSeparators(folder)), 10000);
        m_history->refresh();
    } else {
        errors << why;
    }
    if (!errors.isEmpty())
        showError(tr("Run files incomplete"), tr("The run finished, but these files could not be written whole:\n%1")
                                                  .arg(errors.join(u'\n')));
    m_stopAction->setText(tr("S&top"));
    updateActions();
    updateTitle();
    Q_EMIT runFinished(summary);
}

void MainWindow::onRunnerFailed(const QString &why)
{
    m_runPanel->setPhase(tr("The run could not start: %1").arg(why), RunPanel::Tone::Bad);
    m_runPanel->setVuControlLive(false);
    m_stopAction->setText(tr("S&top"));
    updateActions();
    updateTitle();
    Q_EMIT runFailed(why);
}

void MainWindow::setRunsFolder(const QString &folder)
{
    m_runsFolder = folder;
    m_history->setFolder(folder);
}

bool MainWindow::openRecordedRun(const QString &folder, QString *why)
{
    if (isRunning()) {
        if (why)
            *why = tr("a run is going: stop it first");
        return false;
    }
    std::optional<RunRecording> recording = RunRecording::load(folder, why);
    if (!recording)
        return false;
    // As the run looked live: its per-second snapshots into the charts and cards, then its
    // summary; Export then writes this run.
    Summary summary = recording->summarize();
    const QList<IntervalSnapshot> timeline = recording->timeline(Nanoseconds(0), recording->duration() + Nanoseconds(1));
    m_runPanel->prepare(summary.scenario);
    for (const IntervalSnapshot &snapshot : timeline)
        m_runPanel->showSnapshot(snapshot);
    m_runPanel->showSummary(summary);
    // Short: the phase line sits beside the buttons; the cards carry the numbers.
    m_runPanel->setPhase(tr("Recorded: %1, %2").arg(summary.scenario.name, summary.startTime.toLocalTime().toString(u"d MMM HH:mm"_s)),
                         RunPanel::Tone::Neutral);
    m_lastSummary = summary;
    m_lastTimeline = timeline;
    m_lastRunFolder = folder;
    m_rightTabs->setCurrentIndex(0);
    updateActions();
    Q_EMIT recordedRunOpened(folder);
    return true;
}

void MainWindow::setExportFolderPicker(std::function<QString()> picker)
{
    m_exportFolderPicker = std::move(picker);
}

QString MainWindow::suggestedFolder() const
{
    const QString base = m_lastFolder.isEmpty() ? QDir::currentPath() : m_lastFolder;
    const QString name = m_lastSummary ? m_lastSummary->scenario.name : u"run"_s;
    const QDateTime start = m_lastSummary && m_lastSummary->startTime.isValid()
                                ? m_lastSummary->startTime.toUTC()
                                : QDateTime::currentDateTimeUtc();
    return QDir(base).filePath(u"runs/"_s + start.toString(u"yyyyMMdd'T'HHmmss'Z'"_s) + u'-' + name);
}

void MainWindow::onExport()
{
    if (!m_lastSummary)
        return;
    QString folder;
    if (m_exportFolderPicker) {
        folder = m_exportFolderPicker();
    } else {
        const QString suggested = suggestedFolder();
        QDir().mkpath(QFileInfo(suggested).absolutePath());
        folder = QFileDialog::getExistingDirectory(this, tr("Export the report into a folder"),
                                                   QFileInfo(suggested).absolutePath());
    }
    if (folder.isEmpty())
        return;
    QString why;
    if (!exportReport(folder, &why))
        showError(tr("Export failed"), why);
}

bool MainWindow::exportReport(const QString &folder, QString *why)
{
    QString reason;
    bool ok = false;
    if (!m_lastSummary)
        reason = tr("no run to export yet");
    else
        ok = ReportExporter::exportRun(folder, *m_lastSummary, m_lastTimeline, &reason);
    if (!ok) {
        if (why)
            *why = reason;
        statusBar()->showMessage(tr("Export failed: %1").arg(reason), 10000);
        Q_EMIT exportFailed(reason);
        return false;
    }
    m_lastFolder = folder;
    statusBar()->showMessage(tr("Wrote %1 into %2")
                                 .arg(ReportExporter::fileNames().join(u", "_s),
                                      QDir::toNativeSeparators(folder)),
                             10000);
    Q_EMIT exported(folder);
    return true;
}

void MainWindow::showError(const QString &title, const QString &text)
{
    // Window-modal but not blocking: the live charts keep drawing behind it.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(title + u": "_s + text, 10000);
}

void MainWindow::updateActions()
{
    const bool running = isRunning();
    m_runAction->setEnabled(!running);
    m_stopAction->setEnabled(running);
    m_exportAction->setEnabled(!running && m_lastSummary.has_value());
    m_openAction->setEnabled(!running);
    // The run goes on the plan it started with: editing it meanwhile would show a plan that is
    // not the one being run.
    m_editor->setEnabled(!running);
    QUndoStack *history = m_editor->undoStack();
    m_undoAction->setEnabled(!running && history->canUndo());
    m_redoAction->setEnabled(!running && history->canRedo());
    const bool serviceRunning = m_target->serviceLauncher()->isRunning();
    m_launchServiceAction->setEnabled(!serviceRunning);
    m_stopServiceAction->setEnabled(serviceRunning);
}

void MainWindow::updateTitle(const IntervalSnapshot *snapshot)
{
    QString title = m_editor->nameEdit()->text().trimmed();
    if (title.isEmpty())
        title = tr("untitled");
    if (snapshot) {
        title += tr(" — running %1 / %2")
                     .arg(RunPanel::formatClock(snapshot->elapsedSeconds),
                          RunPanel::formatClock(snapshot->plannedSeconds));
    }
    // "[*]": Qt shows a mark there while the scenario has changes that are not saved.
    setWindowTitle(title + u"[*] — Loadbench"_s);
    setWindowModified(isModified());
}

QStringList MainWindow::recentFiles() const
{
    return RecentList(u"recentScenarios"_s, maxRecentFiles).items();
}

void MainWindow::rememberFile(const QString &path)
{
    RecentList(u"recentScenarios"_s, maxRecentFiles).add(QFileInfo(path).absoluteFilePath());
    updateRecentFiles();
}

void MainWindow::updateRecentFiles()
{
    m_recentMenu->clear();
    const QStringList recent = recentFiles();
    for (const QString &path : recent) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] {
            QString why;
            if (!openScenarioFile(path, &why))
                showError(tr("Cannot open the scenario"), why);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

QByteArray MainWindow::scenarioFingerprint() const
{
    // The design, not where it points: launching the service or typing another URL is no edit
    // of the scenario. A form that does not build a scenario (a field half typed) is a change.
    const auto scenario = m_editor->scenario(QUrl(u"http://fingerprint.invalid/"_s), nullptr);
    return scenario ? QJsonDocument(scenario->toJson()).toJson(QJsonDocument::Compact) : QByteArray("invalid");
}

void MainWindow::markSaved()
{
    m_savedFingerprint = scenarioFingerprint();
    setWindowModified(false);
}

bool MainWindow::isModified() const
{
    return scenarioFingerprint() != m_savedFingerprint;
}

void MainWindow::setClosePrompt(std::function<QMessageBox::StandardButton()> prompt)
{
    m_closePrompt = std::move(prompt);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Unsaved edits are asked about first: Save, Discard, or Cancel (the window stays).
    if (isModified()) {
        const QMessageBox::StandardButton answer =
            m_closePrompt ? m_closePrompt()
                          : QMessageBox::question(this, tr("Save the scenario?"),
                                                  tr("The scenario \"%1\" has changes that are not saved.")
                                                      .arg(m_editor->nameEdit()->text()),
                                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                                  QMessageBox::Save);
        if (answer == QMessageBox::Save) {
            onSave();
            if (isModified()) { // the save was cancelled or failed: nothing is lost by staying
                event->ignore();
                return;
            }
        } else if (answer != QMessageBox::Discard) {
            event->ignore();
            return;
        }
    }
    // Closing ends everything this window started: the run (aborted, its threads joined) and
    // the bundled service.
    m_runWhenTargetUp = false;
    m_runner.reset();
    m_target->stopServiceAndWait();
    event->accept();
}

} // namespace loadbench
