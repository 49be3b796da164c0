// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QGroupBox>
#include <QUrl>

#include <optional>

class QAction;
class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QUndoStack;

namespace loadbench {

class ProfileChart;
class StageModel;
class ThresholdEditor;

// Everything about the load a run applies: a preset to start from, the executor (any of k6's
// seven) with the fields that fit it, the stages of the ramping executors (a table and, beside
// it, the planned profile chart: two views of one StageModel; the chart shows the flat profile
// of the other executors too), think time, the expected status, the engine and the thresholds. It edits the
// file's first scenario; fields it does not show (method, headers, body, checks, further
// scenarios, summaryTrendStats, ...) are kept from the scenario it was given.
//
// Its undo stack holds the edits of the stages (typed in the table, dragged on the chart, rows
// added, removed or moved), of the start value, the executor picked and the presets applied.
// setScenario (a file opened) starts a new history.
class ScenarioEditor : public QGroupBox
{
    Q_OBJECT
public:
    // Everything the editor shows, as its widgets hold it (text as typed, even when not valid).
    struct State {
        Scenario base;
        int presetIndex = -1;
        QString presetDescription;
        QString name;
        ExecutorType executor = ExecutorType::RampingVus;
        int vus = 1;
        int iterations = 1;
        int rate = 1;
        int preAllocatedVus = 0;
        int maxVus = 0;
        int startValue = 0;
        int expectedStatus = 0;
        int engine = 0; // EngineKind, or -1: per scenario, as in the file
        QString duration;
        QString maxDuration;
        QString timeUnit;
        QString gracefulStop;
        QString gracefulRampDown;
        QString thinkTime;
        QString thresholds;
        QList<Stage> stages;
        QList<Stage> rampStages;
    };

    explicit ScenarioEditor(QWidget *parent = nullptr);

    void setScenario(const Scenario &scenario);
    // Loads a bundled preset by id or title; selects it in the preset combo.
    bool loadPreset(const QString &name, QString *why = nullptr);
    // The scenario as edited, aimed at `url`, validated the way a scenario file is. nullopt and
    // *why on the first problem.
    std::optional<Scenario> scenario(const QUrl &url, QString *why = nullptr) const;

    // The scenario last given (preset or file), before the edits.
    const Scenario &baseScenario() const { return m_base; }

    // Puts a tool button for the action in the editor's header (Open, Save).
    void addToolAction(QAction *action);

    QUndoStack *undoStack() const { return m_undoStack; }

    StageModel *stageModel() const { return m_stageModel; }
    QTableView *stageTable() const { return m_stageTable; }
    ProfileChart *profileChart() const { return m_profileChart; }
    QComboBox *presetCombo() const { return m_presetCombo; }
    QLineEdit *nameEdit() const { return m_nameEdit; }
    QSpinBox *startVusSpin() const { return m_startVus; }
    QComboBox *executorCombo() const { return m_executorCombo; }
    ExecutorType executor() const;
    void setExecutor(ExecutorType type);
    // The executor's own fields, by k6 option name ("vus", "iterations", "duration", "maxDuration",
    // "rate", "timeUnit", "preAllocatedVUs", "maxVUs", "gracefulStop"); null for other names.
    QWidget *executorField(const QString &option) const;
    // Whether a field is shown for the current executor.
    bool isExecutorFieldShown(const QString &option) const;
    QLineEdit *gracefulRampDownEdit() const { return m_gracefulRampDown; }
    QLineEdit *thinkTimeEdit() const { return m_thinkTime; }
    QSpinBox *expectedStatusSpin() const { return m_expectedStatus; }
    // The engine every scenario runs on (Auto, Native, Qnam); a fourth entry, "per scenario",
    // appears when the file's scenarios name different engines and keeps them.
    QComboBox *engineCombo() const { return m_engineCombo; }
    std::optional<EngineKind> engine() const; // nullopt: per scenario, as in the file
    void setEngine(EngineKind kind);
    ThresholdEditor *thresholdEditor() const { return m_thresholds; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *plannedLabel() const { return m_planned; }
    QPushButton *addButton() const { return m_addButton; }
    QPushButton *removeButton() const { return m_removeButton; }
    QPushButton *upButton() const { return m_upButton; }
    QPushButton *downButton() const { return m_downButton; }

Q_SIGNALS:
    // A preset or a file replaced the whole scenario.
    void scenarioReplaced(const loadbench::Scenario &scenario);
    void changed();

private:
    // The undo commands of the editor (editorcommands.h) put states and executors back.
    friend class ApplyPresetCommand;
    friend class ChangeExecutorCommand;
    State currentState() const;
    // The state fill() shows for a scenario (the preset combo as it is).
    State stateOf(const Scenario &scenario) const;
    void restoreState(const State &state);
    // Picks an executor without recording it.
    void replayExecutor(ExecutorType type);

    void fill(const Scenario &scenario);
    void onPresetChosen(int index);
    void onAdd();
    void onRemove();
    void move(int delta);
    void showMessage(const QString &text);
    void validateDurationField(QLineEdit *edit);
    void updatePlanned();
    void updateButtons();
    int currentRow() const;
    void onExecutorChanged();
    void syncFlatProfile();
    void updateTargetUnit();
    // The first scenario as the fields say, without validation (for the planned figures).
    ScenarioConfig configFromFields(QString *why = nullptr) const;

    struct ExecutorField {
        QString option;
        QLabel *label;
        QWidget *widget;
        QList<ExecutorType> executors;
    };

    Scenario m_base;
    QUndoStack *m_undoStack;
    StageModel *m_stageModel;
    QHBoxLayout *m_header;
    QComboBox *m_presetCombo;
    QLabel *m_presetDescription;
    QLineEdit *m_nameEdit;
    QTableView *m_stageTable;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    QPushButton *m_upButton;
    QPushButton *m_downButton;
    ProfileChart *m_profileChart;
    QLabel *m_message;
    QComboBox *m_executorCombo;
    QLabel *m_executorHint;
    QWidget *m_stageTableArea;
    QLabel *m_startVusLabel;
    QLabel *m_gracefulRampDownLabel;
    QList<ExecutorField> m_fields;
    QGridLayout *m_executorFields = nullptr;
    QList<Stage> m_rampStages; // the ramping stages, kept while a flat executor is shown
    QSpinBox *m_vus;
    QSpinBox *m_iterations;
    QLineEdit *m_duration;
    QLineEdit *m_maxDuration;
    QSpinBox *m_rate;
    QLineEdit *m_timeUnit;
    QSpinBox *m_preAllocatedVus;
    QSpinBox *m_maxVus;
    QLineEdit *m_gracefulStop;
    QSpinBox *m_startVus;
    QLineEdit *m_gracefulRampDown;
    QLineEdit *m_thinkTime;
    QSpinBox *m_expectedStatus;
    QComboBox *m_engineCombo;
    QLabel *m_planned;
    ThresholdEditor *m_thresholds;
    bool m_filling = false;
    bool m_replaying = false;     // an undo command is picking the executor
    bool m_syncingStart = false;  // the start spin box follows the model
    int m_startSession = 0;       // the start spin box's editing session (merged undo steps)
    ExecutorType m_shownExecutor = ExecutorType::RampingVus;
    int m_presetShown = -1;
};

} // namespace loadbench
