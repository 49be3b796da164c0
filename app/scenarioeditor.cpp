// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarioeditor.h"

#include "editorcommands.h"
#include "presets.h"
#include "profilechart.h"
#include "stagedelegate.h"
#include "stagemodel.h"
#include "thresholdeditor.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

const QString invalidStyle = u"QLineEdit { border: 1px solid #c62828; background: #fdecea; }"_s;

bool isRamping(ExecutorType type)
{
    return type == ExecutorType::RampingVus || type == ExecutorType::RampingArrivalRate;
}

bool isArrivalRate(ExecutorType type)
{
    return type == ExecutorType::ConstantArrivalRate || type == ExecutorType::RampingArrivalRate;
}

QString executorHint(ExecutorType type)
{
    switch (type) {
    case ExecutorType::RampingVus:
        return ScenarioEditor::tr("VUs follow the stages; each loops iterations (closed model).");
    case ExecutorType::ConstantVus:
        return ScenarioEditor::tr("A fixed number of VUs loop iterations for a duration (closed model).");
    case ExecutorType::RampingArrivalRate:
        return ScenarioEditor::tr("Iterations start at a rate that follows the stages, whatever the "
                                  "server does (open model).");
    case ExecutorType::ConstantArrivalRate:
        return ScenarioEditor::tr("Iterations start at a fixed rate, whatever the server does (open model).");
    case ExecutorType::SharedIterations:
        return ScenarioEditor::tr("The VUs share a fixed number of iterations; the run ends when they are done.");
    case ExecutorType::PerVuIterations:
        return ScenarioEditor::tr("Each VU runs the same number of iterations.");
    case ExecutorType::ExternallyControlled:
        return ScenarioEditor::tr("The VU count is changed while the run goes (the VUs slider in the run panel).");
    }
    return {};
}

std::optional<Nanoseconds> durationOf(const QLineEdit *edit, const QString &field, QString *why)
{
    QString reason;
    const auto duration = parseDuration(QStringView(edit->text().trimmed()), &reason);
    // parseDuration's reason already quotes the text: "1x" is not a duration (…).
    if (!duration && why)
        *why = field.isEmpty() ? reason : field + u": "_s + reason;
    return duration;
}

} // namespace

ScenarioEditor::ScenarioEditor(QWidget *parent)
    : QGroupBox(tr("Scenario"), parent),
      m_undoStack(new QUndoStack(this)),
      m_stageModel(new StageModel(this)),
      m_header(new QHBoxLayout),
      m_presetCombo(new QComboBox(this)),
      m_presetDescription(new QLabel(this)),
      m_nameEdit(new QLineEdit(this)),
      m_stageTable(new QTableView(this)),
      m_addButton(new QPushButton(tr("Add"), this)),
      m_removeButton(new QPushButton(tr("Remove"), this)),
      m_upButton(new QPushButton(tr("Up"), this)),
      m_downButton(new QPushButton(tr("Down"), this)),
      m_profileChart(new ProfileChart(m_stageModel, this)),
      m_message(new QLabel(this)),
      m_executorCombo(new QComboBox(this)),
      m_executorHint(new QLabel(this)),
      m_stageTableArea(new QWidget(this)),
      m_startVusLabel(new QLabel(tr("Start VUs"), this)),
      m_gracefulRampDownLabel(new QLabel(tr("Graceful ramp-down"), this)),
      m_vus(new QSpinBox(this)),
      m_iterations(new QSpinBox(this)),
      m_duration(new QLineEdit(this)),
      m_maxDuration(new QLineEdit(this)),
      m_rate(new QSpinBox(this)),
      m_timeUnit(new QLineEdit(this)),
      m_preAllocatedVus(new QSpinBox(this)),
      m_maxVus(new QSpinBox(this)),
      m_gracefulStop(new QLineEdit(this)),
      m_startVus(new QSpinBox(this)),
      m_gracefulRampDown(new QLineEdit(this)),
      m_thinkTime(new QLineEdit(this)),
      m_expectedStatus(new QSpinBox(this)),
      m_engineCombo(new QComboBox(this)),
      m_planned(new QLabel(this)),
      m_thresholds(new ThresholdEditor(this))
{
    // Header: preset, name, Open/Save.
    for (const Preset &preset : Preset::all())
        m_presetCombo->addItem(preset.title, preset.id);
    m_presetCombo->setPlaceholderText(tr("custom"));
    m_presetCombo->setCurrentIndex(-1);
    m_presetCombo->setToolTip(tr("Start from one of k6's test types"));
    m_nameEdit->setPlaceholderText(tr("scenario name"));
    m_header->addWidget(new QLabel(tr("Preset"), this));
    m_header->addWidget(m_presetCombo);
    m_header->addWidget(new QLabel(tr("Name"), this));
    m_header->addWidget(m_nameEdit, 1);
    m_presetDescription->setWordWrap(true);
    m_presetDescription->setStyleSheet(u"color: palette(dark); font-style: italic;"_s);

    // Stages: table + buttons beside the planned profile.
    m_stageModel->setUndoStack(m_undoStack);
    m_startSession = m_stageModel->newGesture();
    m_stageTable->setModel(m_stageModel);
    m_stageTable->setItemDelegate(new StageDelegate(m_stageTable));
    m_stageTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stageTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_stageTable->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                  | QAbstractItemView::AnyKeyPressed);
    m_stageTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_stageTable->verticalHeader()->setDefaultSectionSize(
        m_stageTable->fontMetrics().height() + 8);
    m_stageTable->setAlternatingRowColors(true);
    m_stageTable->setMinimumWidth(230);
    m_stageTable->setToolTip(tr("Double-click a cell to edit: durations as k6 writes them (30s, "
                                "1m30s, 500ms), targets in VUs. Or drag the points of the chart."));
    m_addButton->setToolTip(tr("Add a stage after the selected one"));
    m_removeButton->setToolTip(tr("Remove the selected stage"));
    m_upButton->setToolTip(tr("Move the selected stage earlier"));
    m_downButton->setToolTip(tr("Move the selected stage later"));
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (QPushButton *button : {m_addButton, m_removeButton, m_upButton, m_downButton}) {
        button->setMinimumWidth(0);
        buttons->addWidget(button);
    }
    auto *stageTableBox = new QVBoxLayout(m_stageTableArea);
    stageTableBox->setContentsMargins(0, 0, 0, 0);
    stageTableBox->setSpacing(4);
    stageTableBox->addWidget(m_stageTable, 1);
    stageTableBox->addLayout(buttons);
    auto *stages = new QHBoxLayout;
    stages->addWidget(m_stageTableArea, 4);
    stages->addWidget(m_profileChart, 5);
    m_profileChart->setMinimumHeight(150);

    m_message->setWordWrap(true);
    m_message->setStyleSheet(u"color: #c62828;"_s);
    m_message->hide();

    // The executor and the fields that fit it (k6's option names in the tooltips).
    using E = ExecutorType;
    for (E type : {E::RampingVus, E::ConstantVus, E::RampingArrivalRate, E::ConstantArrivalRate,
                   E::SharedIterations, E::PerVuIterations, E::ExternallyControlled})
        m_executorCombo->addItem(executorName(type), int(type));
    m_executorCombo->setToolTip(tr("How the load is applied (k6's executor)"));
    m_executorHint->setWordWrap(true);
    m_executorHint->setStyleSheet(u"color: palette(dark);"_s);
    for (QSpinBox *spin : {m_startVus, m_vus, m_iterations, m_rate, m_preAllocatedVus, m_maxVus})
        spin->setRange(0, StageModel::maxTargetVus);
    m_vus->setMinimum(1);
    m_iterations->setMinimum(1);
    m_rate->setMinimum(1);
    m_maxVus->setSpecialValueText(tr("same"));
    m_startVus->setToolTip(tr("VUs running when the first stage begins (k6: startVUs)"));
    m_gracefulRampDown->setToolTip(
        tr("How long iterations may finish when a stage lowers the VUs (k6: gracefulRampDown)"));
    m_vus->setToolTip(tr("VUs (k6: vus)"));
    m_iterations->setToolTip(tr("k6: iterations"));
    m_duration->setToolTip(tr("How long the scenario runs (k6: duration)"));
    m_maxDuration->setToolTip(tr("The iterations are cut off after this (k6: maxDuration)"));
    m_rate->setToolTip(tr("Iterations started per time unit, whatever the server does (k6: rate)"));
    m_timeUnit->setToolTip(tr("The period the rate counts over (k6: timeUnit)"));
    m_preAllocatedVus->setToolTip(tr("VUs ready before the start (k6: preAllocatedVUs)"));
    m_maxVus->setToolTip(tr("The most VUs the scenario may use; an iteration that finds none free "
                            "is dropped and counted in dropped_iterations (k6: maxVUs)"));
    m_gracefulStop->setToolTip(tr("How long iterations may finish at the scenario's end (k6: gracefulStop)"));
    auto field = [this](const QString &option, QLabel *label, QWidget *widget, QList<ExecutorType> executors) {
        m_fields.append({option, label, widget, executors});
    };
    const QList<E> all = {E::RampingVus, E::ConstantVus, E::RampingArrivalRate, E::ConstantArrivalRate,
                          E::SharedIterations, E::PerVuIterations, E::ExternallyControlled};
    field(u"startVUs"_s, m_startVusLabel, m_startVus, {E::RampingVus, E::RampingArrivalRate});
    field(u"vus"_s, new QLabel(tr("VUs"), this), m_vus,
          {E::ConstantVus, E::SharedIterations, E::PerVuIterations, E::ExternallyControlled});
    field(u"iterations"_s, new QLabel(tr("Iterations"), this), m_iterations,
          {E::SharedIterations, E::PerVuIterations});
    field(u"rate"_s, new QLabel(tr("Rate"), this), m_rate, {E::ConstantArrivalRate});
    field(u"timeUnit"_s, new QLabel(tr("Time unit"), this), m_timeUnit,
          {E::ConstantArrivalRate, E::RampingArrivalRate});
    field(u"duration"_s, new QLabel(tr("Duration"), this), m_duration,
          {E::ConstantVus, E::ConstantArrivalRate, E::ExternallyControlled});
    field(u"maxDuration"_s, new QLabel(tr("Max duration"), this), m_maxDuration,
          {E::SharedIterations, E::PerVuIterations});
    field(u"preAllocatedVUs"_s, new QLabel(tr("Pre-allocated VUs"), this), m_preAllocatedVus,
          {E::ConstantArrivalRate, E::RampingArrivalRate});
    field(u"maxVUs"_s, new QLabel(tr("Max VUs"), this), m_maxVus,
          {E::ConstantArrivalRate, E::RampingArrivalRate, E::ExternallyControlled});
    field(u"gracefulRampDown"_s, m_gracefulRampDownLabel, m_gracefulRampDown, {E::RampingVus});
    field(u"gracefulStop"_s, new QLabel(tr("Graceful stop"), this), m_gracefulStop, all);
    m_executorFields = new QGridLayout;
    m_executorFields->setHorizontalSpacing(10);
    m_executorFields->setColumnStretch(1, 1);
    m_executorFields->setColumnStretch(3, 1);
    auto *executorRow = new QHBoxLayout;
    executorRow->addWidget(new QLabel(tr("Executor"), this));
    executorRow->addWidget(m_executorCombo);
    executorRow->addWidget(m_executorHint, 1);

    m_thinkTime->setToolTip(tr("Pause of each VU after each request, like sleep() in a k6 script"));
    m_expectedStatus->setRange(0, 599);
    m_expectedStatus->setSpecialValueText(tr("no check"));
    m_expectedStatus->setToolTip(tr("The check \"status is N\"; other statuses fail it"));
    auto *options = new QGridLayout;
    options->setHorizontalSpacing(10);
    options->addWidget(new QLabel(tr("Think time"), this), 0, 0);
    options->addWidget(m_thinkTime, 0, 1);
    options->addWidget(new QLabel(tr("Expected status"), this), 0, 2);
    options->addWidget(m_expectedStatus, 0, 3);
    // The engine of every scenario, saved with the file ("engine"); the run says which one ran.
    m_engineCombo->addItem(tr("Auto"), int(EngineKind::Auto));
    m_engineCombo->setItemData(0, tr("Native for http:// targets, Qt network for https://"), Qt::ToolTipRole);
    m_engineCombo->addItem(tr("Native (epoll)"), int(EngineKind::Native));
    m_engineCombo->setItemData(1, tr("epoll + llhttp, one event loop per worker thread: the least overhead; "
                                     "plain http:// only"), Qt::ToolTipRole);
    m_engineCombo->addItem(tr("Qt network"), int(EngineKind::Qnam));
    m_engineCombo->setItemData(2, tr("QNetworkAccessManager, one per VU: https:// too, more overhead per request"),
                               Qt::ToolTipRole);
    m_engineCombo->setToolTip(tr("Which engine sends the requests (scenario option \"engine\"; "
                                 "loadbench-cli --engine)"));
    options->addWidget(new QLabel(tr("Engine"), this), 1, 0);
    options->addWidget(m_engineCombo, 1, 1);
    options->setColumnStretch(1, 1);
    options->setColumnStretch(3, 1);
    m_planned->setTextFormat(Qt::RichText);

    auto *thresholdsLabel = new QLabel(tr("Thresholds <span style='color:gray'>(metric: "
                                          "expression, one per line)</span>"),
                                       this);

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(6);
    layout->addLayout(m_header);
    layout->addWidget(m_presetDescription);
    layout->addLayout(executorRow);
    layout->addLayout(stages, 1);
    layout->addWidget(m_message);
    layout->addLayout(m_executorFields);
    layout->addWidget(m_planned);
    layout->addLayout(options);
    layout->addWidget(thresholdsLabel);
    layout->addWidget(m_thresholds);

    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, &ScenarioEditor::onPresetChosen);
    connect(m_addButton, &QPushButton::clicked, this, &ScenarioEditor::onAdd);
    connect(m_removeButton, &QPushButton::clicked, this, &ScenarioEditor::onRemove);
    connect(m_upButton, &QPushButton::clicked, this, [this] { move(-1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { move(+1); });
    connect(m_stageTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ScenarioEditor::updateButtons);
    connect(m_stageModel, &StageModel::inputRejected, this, &ScenarioEditor::showMessage);
    connect(m_stageModel, &StageModel::stagesChanged, this, [this] {
        showMessage({});
        updatePlanned();
        updateButtons();
        Q_EMIT changed();
    });
    connect(m_startVus, &QSpinBox::valueChanged, this, [this](int value) {
        // The spin box is a third view of the profile's start; the user's edits are recorded.
        if (isRamping(executor())) {
            if (m_filling || m_syncingStart)
                m_stageModel->resetStartValue(value);
            else
                m_stageModel->setStartValue(value, m_startSession);
        }
        updatePlanned();
        Q_EMIT changed();
    });
    // Each editing session of the spin box (until Return or focus out) is one undo step.
    connect(m_startVus, &QSpinBox::editingFinished, this,
            [this] { m_startSession = m_stageModel->newGesture(); });
    // The start point dragged on the chart, or an undo: the spin box follows.
    connect(m_stageModel, &StageModel::startValueChanged, this, [this](int value) {
        if (!isRamping(executor()) || m_startVus->value() == value)
            return; // a flat executor's level is not the ramping start
        m_syncingStart = true;
        m_startVus->setValue(value);
        m_syncingStart = false;
    });
    // A point grabbed on the chart selects its stage in the table, for exact typing.
    connect(m_profileChart, &ProfileChart::pointGrabbed, this, [this](int point) {
        if (point > 0)
            m_stageTable->setCurrentIndex(m_stageModel->index(point - 1, StageModel::DurationColumn));
    });
    connect(m_executorCombo, &QComboBox::currentIndexChanged, this, &ScenarioEditor::onExecutorChanged);
    for (QSpinBox *spin : {m_vus, m_iterations, m_rate, m_preAllocatedVus, m_maxVus}) {
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            syncFlatProfile();
            updatePlanned();
            Q_EMIT changed();
        });
    }
    for (QLineEdit *edit : {m_gracefulRampDown, m_thinkTime, m_duration, m_maxDuration, m_timeUnit, m_gracefulStop}) {
        connect(edit, &QLineEdit::textChanged, this, [this, edit] {
            validateDurationField(edit);
            if (edit == m_timeUnit)
                updateTargetUnit();
            syncFlatProfile();
            updatePlanned();
            Q_EMIT changed();
        });
    }
    connect(m_thresholds, &ThresholdEditor::changed, this, &ScenarioEditor::changed);
    connect(m_nameEdit, &QLineEdit::textEdited, this, &ScenarioEditor::changed);
    connect(m_expectedStatus, &QSpinBox::valueChanged, this, &ScenarioEditor::changed);
    connect(m_engineCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            Q_EMIT changed();
    });

    if (!loadPreset(u"smoke"_s))
        setScenario(Scenario{});
    m_undoStack->clear(); // the first preset is where the history starts
}

void ScenarioEditor::addToolAction(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_header->addWidget(button);
}

void ScenarioEditor::setScenario(const Scenario &scenario)
{
    m_filling = true;
    m_presetCombo->setCurrentIndex(-1);
    m_presetShown = -1;
    m_filling = false;
    m_presetDescription->clear();
    m_presetDescription->hide();
    fill(scenario);
    // Another scenario (a file opened): the edits of the previous one cannot be undone into it.
    m_undoStack->clear();
}

ScenarioEditor::State ScenarioEditor::stateOf(const Scenario &scenario) const
{
    State state;
    state.base = scenario;
    if (state.base.scenarios.isEmpty())
        state.base.scenarios << ScenarioConfig{};
    const ScenarioConfig &config = state.base.main();
    state.presetIndex = m_presetShown;
    state.presetDescription = m_presetDescription->text();
    state.name = state.base.name;
    state.executor = config.executor;
    state.vus = config.vus;
    state.iterations = config.iterations;
    state.duration = formatDuration(config.duration);
    state.maxDuration = formatDuration(config.maxDuration);
    state.rate = config.rate;
    state.timeUnit = formatDuration(config.timeUnit);
    state.preAllocatedVus = config.preAllocatedVUs;
    const bool maxIsDefault = config.executor == ExecutorType::ExternallyControlled
                                  ? config.maxVUs == config.vus
                                  : config.maxVUs == config.preAllocatedVUs;
    state.maxVus = maxIsDefault ? 0 : config.maxVUs;
    state.gracefulStop = formatDuration(config.gracefulStop);
    state.rampStages = isRamping(config.executor) ? config.stages : QList<Stage>{};
    state.startValue = config.executor == ExecutorType::RampingArrivalRate ? config.startRate : config.initialVus();
    state.stages = isRamping(config.executor) ? config.stages : config.profile();
    state.gracefulRampDown = formatDuration(config.gracefulRampDown);
    state.thinkTime = state.base.target.thinkTime.toString();
    state.expectedStatus = state.base.target.expectedStatus;
    state.thresholds = ThresholdEditor::format(state.base.thresholds);
    // One engine for all, unless the file gave its scenarios different ones: then keep those.
    const bool sameEngine = std::all_of(state.base.scenarios.cbegin(), state.base.scenarios.cend(),
                                        [&](const ScenarioConfig &c) { return c.engine == config.engine; });
    state.engine = sameEngine ? int(config.engine) : -1;
    return state;
}

ScenarioEditor::State ScenarioEditor::currentState() const
{
    State state;
    state.base = m_base;
    // Not the combo's index: when a preset is picked there, the combo shows it before the
    // editor does.
    state.presetIndex = m_presetShown;
    state.presetDescription = m_presetDescription->text();
    state.name = m_nameEdit->text();
    state.executor = executor();
    state.vus = m_vus->value();
    state.iterations = m_iterations->value();
    state.rate = m_rate->value();
    state.preAllocatedVus = m_preAllocatedVus->value();
    state.maxVus = m_maxVus->value();
    state.startValue = m_startVus->value();
    state.expectedStatus = m_expectedStatus->value();
    state.engine = m_engineCombo->currentData().toInt();
    state.duration = m_duration->text();
    state.maxDuration = m_maxDuration->text();
    state.timeUnit = m_timeUnit->text();
    state.gracefulStop = m_gracefulStop->text();
    state.gracefulRampDown = m_gracefulRampDown->text();
    state.thinkTime = m_thinkTime->text();
    state.thresholds = m_thresholds->textEdit()->toPlainText();
    state.stages = m_stageModel->stages();
    state.rampStages = m_rampStages;
    return state;
}

void ScenarioEditor::fill(const Scenario &scenario)
{
    restoreState(stateOf(scenario));
}

void ScenarioEditor::restoreState(const State &state)
{
    m_filling = true;
    m_base = state.base;
    m_presetCombo->setCurrentIndex(state.presetIndex);
    m_presetShown = state.presetIndex;
    m_presetDescription->setText(state.presetDescription);
    m_presetDescription->setVisible(!state.presetDescription.isEmpty());
    m_nameEdit->setText(state.name);
    m_executorCombo->setCurrentIndex(m_executorCombo->findData(int(state.executor)));
    m_vus->setValue(state.vus);
    m_iterations->setValue(state.iterations);
    m_duration->setText(state.duration);
    m_maxDuration->setText(state.maxDuration);
    m_rate->setValue(state.rate);
    m_timeUnit->setText(state.timeUnit);
    m_preAllocatedVus->setValue(state.preAllocatedVus);
    m_maxVus->setValue(state.maxVus);
    m_gracefulStop->setText(state.gracefulStop);
    m_rampStages = state.rampStages;
    m_startVus->setValue(state.startValue);
    m_stageModel->resetStartValue(state.startValue);
    m_stageModel->setStages(state.stages);
    onExecutorChanged(); // shows the fields; draws the flat profile of the flat executors
    m_gracefulRampDown->setText(state.gracefulRampDown);
    m_thinkTime->setText(state.thinkTime);
    m_expectedStatus->setValue(state.expectedStatus);
    // A list of requests carries its own checks; the single request's status check is unused.
    m_expectedStatus->setEnabled(m_base.target.requests.isEmpty());
    m_thresholds->textEdit()->setPlainText(state.thresholds);
    const int perScenario = m_engineCombo->findData(-1);
    if (perScenario >= 0)
        m_engineCombo->removeItem(perScenario);
    if (state.engine < 0)
        m_engineCombo->addItem(tr("Per scenario (as in the file)"), -1);
    m_engineCombo->setCurrentIndex(m_engineCombo->findData(state.engine));
    if (m_stageModel->rowCount() > 0)
        m_stageTable->setCurrentIndex(m_stageModel->index(0, StageModel::DurationColumn));
    m_filling = false;
    showMessage({});
    updatePlanned();
    updateButtons();
    Q_EMIT scenarioReplaced(m_base);
    Q_EMIT changed();
}

void ScenarioEditor::replayExecutor(ExecutorType type)
{
    m_replaying = true;
    setExecutor(type);
    m_replaying = false;
}

bool ScenarioEditor::loadPreset(const QString &name, QString *why)
{
    const auto preset = Preset::find(name);
    const int index = preset ? m_presetCombo->findData(preset->id) : -1;
    if (index < 0) {
        QString reason;
        Preset::load(name, &reason);
        if (why)
            *why = reason;
        return false;
    }
    QString reason;
    auto scenario = Preset::load(preset->id, &reason);
    if (!scenario) {
        showMessage(reason);
        if (why)
            *why = reason;
        return false;
    }
    const State before = currentState();
    m_filling = true;
    m_presetCombo->setCurrentIndex(index);
    m_presetShown = index;
    m_filling = false;
    m_presetDescription->setText(preset->description());
    m_presetDescription->setVisible(!m_presetDescription->text().isEmpty());
    fill(*scenario);
    m_undoStack->push(new ApplyPresetCommand(this, before, currentState(), preset->title));
    return true;
}

void ScenarioEditor::onPresetChosen(int index)
{
    if (m_filling || index < 0)
        return;
    QString why;
    if (!loadPreset(m_presetCombo->itemData(index).toString(), &why))
        showMessage(why);
}

std::optional<Scenario> ScenarioEditor::scenario(const QUrl &url, QString *why) const
{
    auto fail = [why](const QString &message) -> std::optional<Scenario> {
        if (why)
            *why = message;
        return std::nullopt;
    };
    Scenario result = m_base;
    ScenarioConfig &config = result.main();
    const QString name = m_nameEdit->text().trimmed();
    if (!name.isEmpty())
        result.name = name;

    if (isRamping(executor())) {
        if (m_stageModel->stages().isEmpty())
            return fail(tr("Stages: add at least one stage"));
        if (m_stageModel->totalDuration().count() <= 0)
            return fail(tr("Stages: the stages last 0s in total; give at least one a duration"));
    }
    QString reason;
    config = configFromFields(&reason);
    if (!reason.isEmpty())
        return fail(reason);
    const auto thinkTime = ThinkTime::parse(m_thinkTime->text(), &reason);
    if (!thinkTime)
        return fail(tr("Think time: %1").arg(reason));
    if (!m_thresholds->isValid())
        return fail(tr("Thresholds: %1").arg(m_thresholds->errorText()));

    result.target.thinkTime = *thinkTime;
    result.target.expectedStatus = m_expectedStatus->value();
    result.thresholds = m_thresholds->thresholds();
    if (const auto kind = engine()) {
        for (ScenarioConfig &each : result.scenarios)
            each.engine = *kind;
    }

    if (url.isEmpty())
        return fail(tr("Target: enter a URL or launch the bundled service"));
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return fail(tr("Target: \"%1\" is not an http(s) URL").arg(url.toString()));
    result.target.url = url;
    for (const ScenarioConfig &each : std::as_const(result.scenarios)) {
        if (!result.engineError(each).isEmpty())
            return fail(tr("Engine: Native cannot send %1 (it speaks plain http:// only); pick Auto or Qt network")
                            .arg(result.targetFor(each).url.toString(QUrl::RemoveUserInfo)));
    }

    // What runs is exactly what a saved file would load as.
    auto checked = Scenario::fromJson(QJsonDocument(result.toJson()).toJson(), &reason);
    if (!checked)
        return fail(tr("Scenario: %1").arg(reason));
    return checked;
}

std::optional<EngineKind> ScenarioEditor::engine() const
{
    const int kind = m_engineCombo->currentData().toInt();
    return kind < 0 ? std::nullopt : std::optional<EngineKind>(EngineKind(kind));
}

void ScenarioEditor::setEngine(EngineKind kind)
{
    m_engineCombo->setCurrentIndex(m_engineCombo->findData(int(kind)));
}

ExecutorType ScenarioEditor::executor() const
{
    return ExecutorType(m_executorCombo->currentData().toInt());
}

void ScenarioEditor::setExecutor(ExecutorType type)
{
    m_executorCombo->setCurrentIndex(m_executorCombo->findData(int(type)));
}

QWidget *ScenarioEditor::executorField(const QString &option) const
{
    for (const ExecutorField &f : m_fields) {
        if (f.option == option)
            return f.widget;
    }
    return nullptr;
}

bool ScenarioEditor::isExecutorFieldShown(const QString &option) const
{
    for (const ExecutorField &f : m_fields) {
        if (f.option == option)
            return f.executors.contains(executor());
    }
    return false;
}

void ScenarioEditor::onExecutorChanged()
{
    const ExecutorType type = executor();
    // Stages typed for a ramping executor survive a look at a flat one.
    if (!m_filling && m_stageTableArea->isVisibleTo(this) && !isRamping(type))
        m_rampStages = m_stageModel->stages();
    m_executorHint->setText(executorHint(type));
    m_startVusLabel->setText(type == ExecutorType::RampingArrivalRate ? tr("Start rate") : tr("Start VUs"));
    m_startVus->setToolTip(type == ExecutorType::RampingArrivalRate
                               ? tr("Iterations per time unit when the first stage begins (k6: startRate)")
                               : tr("VUs running when the first stage begins (k6: startVUs)"));
    // Lay the fields that fit out two to a row; hide the others.
    int slot = 0;
    for (const ExecutorField &f : std::as_const(m_fields)) {
        m_executorFields->removeWidget(f.label);
        m_executorFields->removeWidget(f.widget);
        const bool shown = f.executors.contains(type);
        f.label->setVisible(shown);
        f.widget->setVisible(shown);
        if (shown) {
            m_executorFields->addWidget(f.label, slot / 2, (slot % 2) * 2);
            m_executorFields->addWidget(f.widget, slot / 2, (slot % 2) * 2 + 1);
            ++slot;
        }
    }
    const bool ramping = isRamping(type);
    m_stageTableArea->setVisible(ramping);
    m_profileChart->setEditable(ramping); // a flat profile is set in the fields, not dragged
    updateTargetUnit();
    if (ramping && !m_filling) {
        const bool wasFlat = m_stageModel->rowCount() == 1 && !m_rampStages.isEmpty();
        if (wasFlat)
            m_stageModel->setStages(m_rampStages);
        m_stageModel->resetStartValue(m_startVus->value());
    }
    syncFlatProfile();
    updatePlanned();
    const ExecutorType shown = m_shownExecutor;
    m_shownExecutor = type;
    if (!m_filling) {
        if (!m_replaying && shown != type)
            m_undoStack->push(new ChangeExecutorCommand(this, shown, type));
        Q_EMIT changed();
    }
}

void ScenarioEditor::syncFlatProfile()
{
    const ExecutorType type = executor();
    if (isRamping(type))
        return;
    const ScenarioConfig config = configFromFields();
    const int level = type == ExecutorType::ConstantArrivalRate ? config.rate : config.initialVus();
    const QList<Stage> flat = {Stage{config.plannedDuration(), level}};
    m_stageModel->resetStartValue(level);
    if (m_stageModel->stages() != flat)
        m_stageModel->setStages(flat);
}

void ScenarioEditor::updateTargetUnit()
{
    const ExecutorType type = executor();
    const QString unit = isArrivalRate(type) ? tr("iterations/%1").arg(m_timeUnit->text().trimmed())
                                             : tr("VUs");
    m_stageModel->setTargetUnit(unit);
    m_profileChart->setTarget(isArrivalRate(type) ? tr("Planned arrival rate") : tr("Planned VUs"), unit);
}

ScenarioConfig ScenarioEditor::configFromFields(QString *why) const
{
    ScenarioConfig config = m_base.scenarios.isEmpty() ? ScenarioConfig{} : m_base.main();
    const ExecutorType type = executor();
    config.executor = type;
    QString reason;
    auto duration = [&](const QLineEdit *edit, const QString &label, Nanoseconds *out) {
        if (const auto d = durationOf(edit, label, &reason))
            *out = *d;
        else if (why && why->isEmpty())
            *why = reason;
    };
    const auto shown = [&](const QString &option) {
        for (const ExecutorField &f : m_fields) {
            if (f.option == option)
                return f.executors.contains(type);
        }
        return false;
    };
    if (shown(u"duration"_s))
        duration(m_duration, tr("Duration"), &config.duration);
    if (shown(u"maxDuration"_s))
        duration(m_maxDuration, tr("Max duration"), &config.maxDuration);
    if (shown(u"timeUnit"_s))
        duration(m_timeUnit, tr("Time unit"), &config.timeUnit);
    if (shown(u"gracefulRampDown"_s))
        duration(m_gracefulRampDown, tr("Graceful ramp-down"), &config.gracefulRampDown);
    duration(m_gracefulStop, tr("Graceful stop"), &config.gracefulStop);
    config.vus = m_vus->value();
    config.iterations = m_iterations->value();
    config.rate = m_rate->value();
    config.preAllocatedVUs = m_preAllocatedVus->value();
    switch (type) {
    case ExecutorType::RampingVus:
        config.startVUs = m_startVus->value();
        config.stages = m_stageModel->stages();
        break;
    case ExecutorType::RampingArrivalRate:
        config.startRate = m_startVus->value();
        config.stages = m_stageModel->stages();
        config.maxVUs = m_maxVus->value() ? m_maxVus->value() : config.preAllocatedVUs;
        break;
    case ExecutorType::ConstantArrivalRate:
        config.maxVUs = m_maxVus->value() ? m_maxVus->value() : config.preAllocatedVUs;
        break;
    case ExecutorType::ExternallyControlled:
        config.maxVUs = m_maxVus->value() ? m_maxVus->value() : config.vus;
        break;
    default:
        break;
    }
    if (!isRamping(type))
        config.stages.clear();
    return config;
}

int ScenarioEditor::currentRow() const
{
    const QModelIndex current = m_stageTable->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ScenarioEditor::onAdd()
{
    const int row = m_stageModel->addStage(currentRow());
    m_stageTable->setCurrentIndex(m_stageModel->index(row, StageModel::DurationColumn));
}

void ScenarioEditor::onRemove()
{
    const int row = currentRow();
    if (row < 0)
        return;
    m_stageModel->removeRows(row, 1);
    if (m_stageModel->rowCount() > 0) {
        m_stageTable->setCurrentIndex(m_stageModel->index(qMin(row, m_stageModel->rowCount() - 1),
                                                          StageModel::DurationColumn));
    }
    updateButtons();
}

void ScenarioEditor::move(int delta)
{
    const int row = currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_stageModel->rowCount())
        return;
    // moveRows takes the row *before which* the moved rows land.
    m_stageModel->moveRows({}, row, 1, {}, delta > 0 ? to + 1 : to);
    m_stageTable->setCurrentIndex(m_stageModel->index(to, StageModel::DurationColumn));
}

void ScenarioEditor::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ScenarioEditor::validateDurationField(QLineEdit *edit)
{
    QString why;
    // Think time may also be a range, "1s..3s".
    const bool ok = edit == m_thinkTime ? ThinkTime::parse(edit->text(), &why).has_value()
                                        : durationOf(edit, {}, &why).has_value();
    edit->setStyleSheet(ok ? QString() : invalidStyle);
    edit->setToolTip(ok ? QString() : why);
}

void ScenarioEditor::updatePlanned()
{
    const ScenarioConfig config = configFromFields();
    const Nanoseconds total = config.plannedDuration();
    QString text;
    const double units = double(config.timeUnit.count() > 0 ? config.timeUnit.count() : 1);
    switch (config.executor) {
    case ExecutorType::SharedIterations:
    case ExecutorType::PerVuIterations: {
        const qint64 iterations = config.executor == ExecutorType::SharedIterations
                                      ? qint64(config.iterations)
                                      : qint64(config.iterations) * config.vus;
        text = tr("Planned duration <b>%1</b> at most · <b>%2</b> iterations on <b>%3</b> VUs")
                   .arg(formatDuration(total))
                   .arg(iterations)
                   .arg(config.vus);
        break;
    }
    case ExecutorType::ConstantArrivalRate:
    case ExecutorType::RampingArrivalRate: {
        // Iterations planned: the integral of the rate (piecewise linear).
        double iterations = 0;
        if (config.executor == ExecutorType::ConstantArrivalRate) {
            iterations = double(config.rate) * double(config.duration.count()) / units;
        } else {
            double from = config.startRate;
            for (const Stage &stage : config.stages) {
                iterations += (from + stage.target) / 2.0 * double(stage.duration.count()) / units;
                from = stage.target;
            }
        }
        text = tr("Planned duration <b>%1</b> · ≈ <b>%2</b> iterations · %3 VUs ready, up to %4")
                   .arg(formatDuration(total))
                   .arg(qRound64(iterations))
                   .arg(config.preAllocatedVUs)
                   .arg(config.maxVus());
        break;
    }
    default:
        text = tr("Planned duration <b>%1</b> · up to <b>%2</b> VUs").arg(formatDuration(total)).arg(config.maxVus());
        break;
    }
    if (config.executor == ExecutorType::RampingVus && config.gracefulRampDown.count() > 0)
        text += tr(" · then up to %1 graceful ramp-down").arg(formatDuration(config.gracefulRampDown));
    if (m_base.scenarios.size() > 1)
        text += tr(" · %n more scenario(s) from the file run beside it", nullptr, int(m_base.scenarios.size() - 1));
    m_planned->setText(text);
}

void ScenarioEditor::updateButtons()
{
    const int row = currentRow();
    const int rows = m_stageModel->rowCount();
    m_removeButton->setEnabled(row >= 0 && rows > 1);
    m_upButton->setEnabled(row > 0);
    m_downButton->setEnabled(row >= 0 && row < rows - 1);
}

} // namespace loadbench
