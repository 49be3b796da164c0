// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"
#include "scenario/scenario.h"

#include <QList>
#include <QMainWindow>
#include <QMessageBox>

#include <functional>
#include <memory>
#include <optional>

class QAction;

class QMenu;
class QTabWidget;

namespace loadbench {

class Runner;
class RunPanel;
class ScenarioEditor;
class RunHistoryPanel;
class TargetPanel;
struct WorkbenchOptions;

// The workbench: target (URL or bundled service) on top, the scenario editor on the left, the
// run with its live charts on the right. Owns the Runner of the current run; the GUI thread only
// draws the snapshots the runner sends once a second.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Applies the command line: preset or scenario file, service or URL, run at start.
    bool applyOptions(const WorkbenchOptions &options, QString *why = nullptr);

    bool loadPreset(const QString &name, QString *why = nullptr);
    bool openScenarioFile(const QString &path, QString *why = nullptr);
    bool saveScenarioFile(const QString &path, QString *why = nullptr);
    // What Run would start now: the editor's scenario aimed at the target's URL.
    std::optional<Scenario> currentScenario(QString *why = nullptr) const;

    // False (and runFailed) when the scenario is not valid or a run is going.
    bool startRun();
    // First call: graceful stop; second: abort.
    void stopRun();
    bool isRunning() const;

    // Writes report.html, latency.svg and summary.json of the last run into folder.
    bool exportReport(const QString &folder, QString *why = nullptr);
    // What Export asks for the folder; by default a folder dialog. Tests set their own.
    void setExportFolderPicker(std::function<QString()> picker);

    bool hasLastRun() const { return m_lastSummary.has_value(); }
    const Summary &lastSummary() const { return *m_lastSummary; }
    const QList<IntervalSnapshot> &lastTimeline() const { return m_lastTimeline; }

    TargetPanel *targetPanel() const { return m_target; }
    RunHistoryPanel *historyPanel() const { return m_history; }
    QTabWidget *rightTabs() const { return m_rightTabs; }
    // Where finished runs are saved and the History tab looks (default: ./runs, as the CLI).
    void setRunsFolder(const QString &folder);
    QString runsFolder() const { return m_runsFolder; }
    // The folder the last run was saved in, or the recorded run opened last.
    QString lastRunFolder() const { return m_lastRunFolder; }
    // Whether the scenario differs from the one opened, saved or started with (the target URL
    // aside); the title shows a mark then, and closing asks first.
    bool isModified() const;
    // Scenario files opened or saved, most recent first (at most maxRecentFiles), kept in
    // QSettings; File › Open Recent lists them.
    static constexpr int maxRecentFiles = 8;
    QStringList recentFiles() const;
    QMenu *recentMenu() const { return m_recentMenu; }
    // The question asked on closing with unsaved changes (tests answer it; default: a dialog).
    void setClosePrompt(std::function<QMessageBox::StandardButton()> prompt);
    // Shows a saved run (a run folder) in the Run tab as it looked live; false with the reason.
    bool openRecordedRun(const QString &folder, QString *why = nullptr);
    ScenarioEditor *scenarioEditor() const { return m_editor; }
    RunPanel *runPanel() const { return m_runPanel; }
    QAction *runAction() const { return m_runAction; }
    QAction *stopAction() const { return m_stopAction; }
    QAction *exportAction() const { return m_exportAction; }
    QAction *openAction() const { return m_openAction; }
    QAction *saveAction() const { return m_saveAction; }
    // Edit › Undo / Redo of the scenario editor's history; their text names the step.
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }

Q_SIGNALS:
    void runStarted();
    void snapshotShown(const loadbench::IntervalSnapshot &snapshot);
    void runFinished(const loadbench::Summary &summary);
    void runFailed(const QString &why);
    void exported(const QString &folder);
    void exportFailed(const QString &why);
    void recordedRunOpened(const QString &folder);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    QByteArray scenarioFingerprint() const;
    void rememberFile(const QString &path);
    void updateRecentFiles();
    void markSaved();
    void onOpen();
    void onSave();
    void onSaveAs();
    void onExport();
    void previewPlan();
    void onTargetUp();
    void onRunnerStarted();
    void onSnapshot(const IntervalSnapshot &snapshot);
    void onRunnerFinished(const Summary &summary);
    void onRunnerFailed(const QString &why);
    void showError(const QString &title, const QString &text);
    void updateActions();
    void updateTitle(const IntervalSnapshot *snapshot = nullptr);
    QString suggestedFolder() const;

    TargetPanel *m_target;
    RunHistoryPanel *m_history;
    QTabWidget *m_rightTabs = nullptr;
    QMenu *m_recentMenu = nullptr;
    QString m_runsFolder;
    QString m_lastRunFolder;
    ScenarioEditor *m_editor;
    RunPanel *m_runPanel;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_launchServiceAction = nullptr;
    QAction *m_stopServiceAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;

    std::unique_ptr<Runner> m_runner;
    std::optional<Summary> m_lastSummary;
    QList<IntervalSnapshot> m_lastTimeline;
    QString m_scenarioPath;
    QString m_lastFolder;
    std::function<QString()> m_exportFolderPicker;
    bool m_runWhenTargetUp = false;
    int m_stopRequests = 0;
    // The launched service's CPU time at the last snapshot (-1: none yet), and when it was read.
    QByteArray m_savedFingerprint; // scenarioFingerprint() when last opened, saved or started
    std::function<QMessageBox::StandardButton()> m_closePrompt;
    qint64 m_lastServiceCpuNs = -1;
    qint64 m_lastServiceSampleNs = 0;
};

} // namespace loadbench
