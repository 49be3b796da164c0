// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarioeditor.h"

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
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

const QString invalidStyle = u"QLineEdit { border: 1px solid #c62828; background: #fdecea; }"_s;

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
      m_startVus(new QSpinBox(this)),
      m_gracefulRampDown(new QLineEdit(this)),
      m_thinkTime(new QLineEdit(this)),
      m_expectedStatus(new QSpinBox(this)),
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
                                "1m30s, 500ms), targets in VUs"));
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
    auto *stageTableBox = new QVBoxLayout;
    stageTableBox->setSpacing(4);
    stageTableBox->addWidget(m_stageTable, 1);
    stageTableBox->addLayout(buttons);
    auto *stages = new QHBoxLayout;
    stages->addLayout(stageTableBox, 4);
    stages->addWidget(m_profileChart, 5);
    m_profileChart->setMinimumHeight(150);

    m_message->setWordWrap(true);
    m_message->setStyleSheet(u"color: #c62828;"_s);
    m_message->hide();

    // Options.
    m_startVus->setRange(0, StageModel::maxTargetVus);
    m_startVus->setToolTip(tr("VUs running when the first stage begins (k6: startVUs)"));
    m_gracefulRampDown->setToolTip(
        tr("How long iterations may finish when a stage lowers the VUs (k6: gracefulRampDown)"));
    m_thinkTime->setToolTip(tr("Pause of each VU after each request, like sleep() in a k6 script"));
    m_expectedStatus->setRange(0, 599);
    m_expectedStatus->setSpecialValueText(tr("no check"));
    m_expectedStatus->setToolTip(tr("The check \"status is N\"; other statuses fail it"));
    auto *options = new QGridLayout;
    options->setHorizontalSpacing(10);
    options->addWidget(new QLabel(tr("Start VUs"), this), 0, 0);
    options->addWidget(m_startVus, 0, 1);
    options->addWidget(new QLabel(tr("Graceful ramp-down"), this), 0, 2);
    options->addWidget(m_gracefulRampDown, 0, 3);
    options->addWidget(new QLabel(tr("Think time"), this), 1, 0);
    options->addWidget(m_thinkTime, 1, 1);
    options->addWidget(new QLabel(tr("Expected status"), this), 1, 2);
    options->addWidget(m_expectedStatus, 1, 3);
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
    layout->addLayout(stages, 1);
    layout->addWidget(m_message);
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
    connect(m_startVus, &QSpinBox::valueChanged, this, [this](int vus) {
        m_profileChart->setStartVus(vus);
        updatePlanned();
        Q_EMIT changed();
    });
    for (QLineEdit *edit : {m_gracefulRampDown, m_thinkTime}) {
        connect(edit, &QLineEdit::textChanged, this, [this, edit] {
            validateDurationField(edit);
            updatePlanned();
            Q_EMIT changed();
        });
    }
    connect(m_thresholds, &ThresholdEditor::changed, this, &ScenarioEditor::changed);
    connect(m_nameEdit, &QLineEdit::textEdited, this, &ScenarioEditor::changed);
    connect(m_expectedStatus, &QSpinBox::valueChanged, this, &ScenarioEditor::changed);

    if (!loadPreset(u"smoke"_s))
        setScenario(Scenario{});
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
    m_filling = false;
    m_presetDescription->clear();
    m_presetDescription->hide();
    fill(scenario);
}

void ScenarioEditor::fill(const Scenario &scenario)
{
    m_filling = true;
    m_base = scenario;
    if (m_base.scenarios.isEmpty())
        m_base.scenarios << ScenarioConfig{};
    const ScenarioConfig &config = m_base.main();
    m_nameEdit->setText(m_base.name);
    m_startVus->setValue(config.initialVus());
    m_profileChart->setStartVus(config.initialVus());
    m_stageModel->setStages(config.profile());
    m_gracefulRampDown->setText(formatDuration(config.gracefulRampDown));
    m_thinkTime->setText(m_base.target.thinkTime.toString());
    m_expectedStatus->setValue(m_base.target.expectedStatus);
    // A list of requests carries its own checks; the single request's status check is unused.
    m_expectedStatus->setEnabled(m_base.target.requests.isEmpty());
    m_thresholds->setThresholds(m_base.thresholds);
    if (m_stageModel->rowCount() > 0)
        m_stageTable->setCurrentIndex(m_stageModel->index(0, StageModel::DurationColumn));
    m_filling = false;
    showMessage({});
    updatePlanned();
    updateButtons();
    Q_EMIT scenarioReplaced(m_base);
    Q_EMIT changed();
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
    m_filling = true;
    m_presetCombo->setCurrentIndex(index);
    m_filling = false;
    m_presetDescription->setText(preset->description());
    m_presetDescription->setVisible(!m_presetDescription->text().isEmpty());
    fill(*scenario);
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

    const QList<Stage> stages = m_stageModel->stages();
    if (stages.isEmpty())
        return fail(tr("Stages: add at least one stage"));
    if (m_stageModel->totalDuration().count() <= 0)
        return fail(tr("Stages: the stages last 0s in total; give at least one a duration"));
    QString reason;
    const auto gracefulRampDown = durationOf(m_gracefulRampDown, tr("Graceful ramp-down"), &reason);
    if (!gracefulRampDown)
        return fail(reason);
    const auto thinkTime = ThinkTime::parse(m_thinkTime->text(), &reason);
    if (!thinkTime)
        return fail(tr("Think time: %1").arg(reason));
    if (!m_thresholds->isValid())
        return fail(tr("Thresholds: %1").arg(m_thresholds->errorText()));

    const int startVus = m_startVus->value();
    // A constant-vus scenario left as it came stays constant-vus in the file.
    if (m_base.main().executor == ExecutorType::ConstantVus && stages.size() == 1
        && stages.first().target == startVus) {
        config.executor = ExecutorType::ConstantVus;
        config.vus = startVus;
        config.duration = stages.first().duration;
    } else {
        config.executor = ExecutorType::RampingVus;
        config.startVUs = startVus;
        config.stages = stages;
    }
    config.gracefulRampDown = *gracefulRampDown;
    result.target.thinkTime = *thinkTime;
    result.target.expectedStatus = m_expectedStatus->value();
    result.thresholds = m_thresholds->thresholds();

    if (url.isEmpty())
        return fail(tr("Target: enter a URL or launch the bundled service"));
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return fail(tr("Target: \"%1\" is not an http(s) URL").arg(url.toString()));
    result.target.url = url;

    // What runs is exactly what a saved file would load as.
    auto checked = Scenario::fromJson(QJsonDocument(result.toJson()).toJson(), &reason);
    if (!checked)
        return fail(tr("Scenario: %1").arg(reason));
    return checked;
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
    const Nanoseconds total = m_stageModel->totalDuration();
    int maxVus = m_startVus->value();
    for (const Stage &stage : m_stageModel->stages())
        maxVus = qMax(maxVus, stage.target);
    QString text = tr("Planned duration <b>%1</b> · up to <b>%2</b> VUs")
                       .arg(formatDuration(total))
                       .arg(maxVus);
    QString ignored;
    if (const auto graceful = durationOf(m_gracefulRampDown, {}, &ignored); graceful && graceful->count() > 0)
        text += tr(" · then up to %1 graceful ramp-down").arg(formatDuration(*graceful));
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
