// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QGroupBox>
#include <QUrl>

#include <optional>

class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace loadbench {

class ProfileChart;
class StageModel;
class ThresholdEditor;

// Everything about the load a run applies: a preset to start from, the stages (a table and,
// beside it, the planned VU chart: two views of one StageModel), start VUs, graceful ramp-down,
// think time, the expected status and the thresholds. Fields it does not show (method, headers,
// body, checks, summaryTrendStats, ...) are kept from the scenario it was given.
class ScenarioEditor : public QGroupBox
{
    Q_OBJECT
public:
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

    StageModel *stageModel() const { return m_stageModel; }
    QTableView *stageTable() const { return m_stageTable; }
    ProfileChart *profileChart() const { return m_profileChart; }
    QComboBox *presetCombo() const { return m_presetCombo; }
    QLineEdit *nameEdit() const { return m_nameEdit; }
    QSpinBox *startVusSpin() const { return m_startVus; }
    QLineEdit *gracefulRampDownEdit() const { return m_gracefulRampDown; }
    QLineEdit *thinkTimeEdit() const { return m_thinkTime; }
    QSpinBox *expectedStatusSpin() const { return m_expectedStatus; }
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

    Scenario m_base;
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
    QSpinBox *m_startVus;
    QLineEdit *m_gracefulRampDown;
    QLineEdit *m_thinkTime;
    QSpinBox *m_expectedStatus;
    QLabel *m_planned;
    ThresholdEditor *m_thresholds;
    bool m_filling = false;
};

} // namespace loadbench
