// SPDX-License-Identifier: GPL-3.0-or-later
// The stage designer: the profile chart's points dragged with the mouse, the stage table typed
// into, and one undo history for both (Edit › Undo / Redo).
#include "guitest.h"
#include "mainwindow.h"
#include "profilechart.h"
#include "scenarioeditor.h"
#include "stagemodel.h"
#include "targetpanel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QValueAxis>

using namespace loadbench;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Everything both views show, to compare before and after an undo.
struct Views {
    QList<Stage> stages;
    int start = 0;
    int startSpin = 0;
    QList<QPointF> series;
    QStringList cells; // the table as displayed, row by row
    bool operator==(const Views &) const = default;
};

Views views(ScenarioEditor *editor)
{
    Views v;
    StageModel *model = editor->stageModel();
    v.stages = model->stages();
    v.start = model->startValue();
    v.startSpin = editor->startVusSpin()->value();
    v.series = editor->profileChart()->series()->points();
    QAbstractItemModel *table = editor->stageTable()->model();
    for (int row = 0; row < table->rowCount(); ++row) {
        for (int column = 0; column < table->columnCount(); ++column)
            v.cells << table->index(row, column).data().toString();
    }
    return v;
}

char *describe(const Views &v)
{
    QString text = u"start %1 (spin %2); stages"_s.arg(v.start).arg(v.startSpin);
    for (const Stage &s : v.stages)
        text += u" %1→%2"_s.arg(formatDuration(s.duration)).arg(s.target);
    text += u"; cells "_s + v.cells.join(u',');
    return qstrdup(qPrintable(text));
}

// Lets the chart lay itself out (its plot area follows the axes' labels on a posted event).
void settle()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
}

// Where a profile point (x in seconds, y in VUs) is drawn, in the chart view's viewport: the
// chart maps the value into its own coordinates, the view maps those to the viewport.
QPoint viewportPos(ProfileChart *view, QPointF seconds)
{
    QChart *chart = view->chart();
    const QPointF value(seconds.x() / view->timeUnitSeconds(), seconds.y());
    const QPointF inChart = chart->mapToPosition(value, chart->series().constFirst());
    return view->mapFromScene(chart->mapToScene(inChart));
}

} // namespace

namespace QTest {
template<>
char *toString(const Views &v)
{
    return describe(v);
}
} // namespace QTest

class TestStageDesigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void snapSteps();
    void hoverShowsPoint();
    void dragStagePoint();
    void dragStartPoint();
    void dragClampsAtZero();
    void dragPastTheEdge();
    void dragIsOneUndoStep();
    void escapeCancelsDrag();
    void tableTypingRedrawsChart();
    void undoRedoRestoresBothViews();
    void presetUndo();
    void executorChangeUndo();
    void startSpinEditsMerge();
    void shortcutsUndoAndRedo();
    void openingFileClearsHistory();
    void flatProfileNotDraggable();
    void undoOffWhileRunning();

private:
    // A ramping-vus profile with a fresh history: 0 → 10 VUs in 10 s, → 20 in 20 s, → 0 in 5 s.
    // Axes: 0 … 40 s, 0 … 30 VUs.
    void useProfile(const QList<Stage> &stages = {{10s, 10}, {20s, 20}, {5s, 0}}, int start = 0);

    std::unique_ptr<MainWindow> m_window;
    ScenarioEditor *m_editor = nullptr;
    StageModel *m_model = nullptr;
    ProfileChart *m_chart = nullptr;
    QUndoStack *m_history = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestStageDesigner::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_editor = m_window->scenarioEditor();
    m_model = m_editor->stageModel();
    m_chart = m_editor->profileChart();
    m_history = m_editor->undoStack();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestStageDesigner::cleanup()
{
    m_tester.reset();
    m_window.reset();
}

void TestStageDesigner::useProfile(const QList<Stage> &stages, int start)
{
    m_editor->setExecutor(ExecutorType::RampingVus);
    m_model->setStages(stages);
    m_editor->startVusSpin()->setValue(start);
    m_history->clear();
    settle();
    QVERIFY(m_chart->isEditable());
    QCOMPARE(m_chart->timeUnitSeconds(), 1.0);
    QCOMPARE(m_chart->durationStep(), Nanoseconds(1s));
    QCOMPARE(m_chart->targetStep(), 1);
}

void TestStageDesigner::snapSteps()
{
    // Whole seconds while a pixel is worth well under a second; round coarser steps for long
    // profiles.
    QCOMPARE(ProfileChart::durationStepFor(0.1), Nanoseconds(1s));
    QCOMPARE(ProfileChart::durationStepFor(0.6), Nanoseconds(1s));
    QCOMPARE(ProfileChart::durationStepFor(1.0), Nanoseconds(2s));
    QCOMPARE(ProfileChart::durationStepFor(6.0), Nanoseconds(10s));
    QCOMPARE(ProfileChart::durationStepFor(9.0), Nanoseconds(15s));
    QCOMPARE(ProfileChart::durationStepFor(30.0), Nanoseconds(1min));
    QCOMPARE(ProfileChart::durationStepFor(250.0), Nanoseconds(10min));
    QCOMPARE(ProfileChart::targetStepFor(0.2), 1);
    QCOMPARE(ProfileChart::targetStepFor(1.0), 2);
    QCOMPARE(ProfileChart::targetStepFor(60.0), 100);
}

void TestStageDesigner::hoverShowsPoint()
{
    useProfile();
    QWidget *viewport = m_chart->viewport();
    QCOMPARE(m_chart->pointLabel(), QString());
    QTest::mouseMove(viewport, viewportPos(m_chart, {30, 20}) + QPoint(2, -1)); // near, not on
    QCOMPARE(m_chart->hoveredPoint(), 2);
    QCOMPARE(m_chart->pointLabel(), u"30s → 20 VUs"_s);
    QCOMPARE(viewport->cursor().shape(), Qt::OpenHandCursor);
    QTest::mouseMove(viewport, viewportPos(m_chart, {0, 0}));
    QCOMPARE(m_chart->hoveredPoint(), 0);
    QCOMPARE(viewport->cursor().shape(), Qt::SizeVerCursor); // the start only moves up and down
    QTest::mouseMove(viewport, viewportPos(m_chart, {20, 25}));
    QCOMPARE(m_chart->hoveredPoint(), -1);
    QCOMPARE(m_chart->pointLabel(), QString());
    QCOMPARE(viewport->cursor().shape(), Qt::ArrowCursor);
}

void TestStageDesigner::dragStagePoint()
{
    useProfile();
    QWidget *viewport = m_chart->viewport();
    const QPoint from = viewportPos(m_chart, {10, 10});
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QCOMPARE(m_chart->draggedPoint(), 1);
    QCOMPARE(viewport->cursor().shape(), Qt::ClosedHandCursor);
    QCOMPARE(m_editor->stageTable()->currentIndex().row(), 0); // the stage, selected for typing

    // Live: the model, and with it the table and the chart, follow every move.
    QTest::mouseMove(viewport, viewportPos(m_chart, {12, 15}));
    QCOMPARE(m_model->stages(), (QList<Stage>{{12s, 15}, {20s, 20}, {5s, 0}}));
    QCOMPARE(m_chart->pointLabel(), u"12s → 15 VUs"_s);
    QCOMPARE(m_chart->series()->points().at(1), QPointF(12, 15));
    QCOMPARE(m_editor->stageTable()->model()->index(0, StageModel::DurationColumn).data().toString(), u"12s"_s);

    const QPoint to = viewportPos(m_chart, {14, 25});
    QTest::mouseMove(viewport, to);
    QCOMPARE(m_chart->pointLabel(), u"14s → 25 VUs"_s);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    QCOMPARE(m_chart->draggedPoint(), -1);

    // The stage's duration and target changed; the later stages kept theirs and moved along.
    QCOMPARE(m_model->stages(), (QList<Stage>{{14s, 25}, {20s, 20}, {5s, 0}}));
    const QList<QPointF> drawn = {{0, 0}, {14, 25}, {34, 20}, {39, 0}};
    QCOMPARE(m_chart->series()->points(), drawn);
    QAbstractItemModel *table = m_editor->stageTable()->model();
    QCOMPARE(table->index(0, StageModel::DurationColumn).data().toString(), u"14s"_s);
    QCOMPARE(table->index(0, StageModel::TargetColumn).data().toInt(), 25);
    QCOMPARE(table->index(2, StageModel::EndColumn).data().toString(), u"39s"_s);
    // What Run would start is what was dragged.
    QString why;
    const auto scenario = m_window->currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->main().stages, m_model->stages());

    QCOMPARE(m_history->count(), 1);
    QCOMPARE(m_window->undoAction()->text(), u"Undo Drag stage 1"_s);
    QVERIFY(m_window->undoAction()->isEnabled());
}

void TestStageDesigner::dragStartPoint()
{
    useProfile({{10s, 10}, {20s, 20}, {5s, 0}}, 2);
    QWidget *viewport = m_chart->viewport();
    const QPoint from = viewportPos(m_chart, {0, 2});
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QCOMPARE(m_chart->draggedPoint(), 0);
    QCOMPARE(viewport->cursor().shape(), Qt::SizeVerCursor);
    // Sideways does nothing to the start (it is at 0 s by definition).
    const QPoint to = viewportPos(m_chart, {6, 8});
    QTest::mouseMove(viewport, to);
    QCOMPARE(m_chart->pointLabel(), u"0s → 8 VUs"_s);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    QCOMPARE(m_model->startValue(), 8);
    QCOMPARE(m_editor->startVusSpin()->value(), 8); // the startVUs field follows
    QCOMPARE(m_chart->series()->points().first(), QPointF(0, 8));
    QCOMPARE(m_model->stages(), (QList<Stage>{{10s, 10}, {20s, 20}, {5s, 0}}));
    QString why;
    const auto scenario = m_window->currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->main().startVUs, 8);
    QCOMPARE(m_window->undoAction()->text(), u"Undo Drag start point"_s);

    m_window->undoAction()->trigger();
    QCOMPARE(m_editor->startVusSpin()->value(), 2);
    QCOMPARE(m_chart->series()->points().first(), QPointF(0, 2));
}

void TestStageDesigner::dragClampsAtZero()
{
    useProfile();
    QWidget *viewport = m_chart->viewport();
    // Point 2 (30 s, 20 VUs) pulled far left of its stage's start and below the axis: the
    // stage lasts 0 s and targets 0 VUs, never less.
    const QPoint from = viewportPos(m_chart, {30, 20});
    const QPoint to = viewportPos(m_chart, {-30, -40});
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QTest::mouseMove(viewport, to);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    QCOMPARE(m_model->stages(), (QList<Stage>{{10s, 10}, {0s, 0}, {5s, 0}}));
}

// Past the end of the time axis the scale grows to make room, and the value goes on from where
// it was: a release where the pointer last moved keeps what the label last said.
void TestStageDesigner::dragPastTheEdge()
{
    useProfile();
    QWidget *viewport = m_chart->viewport();
    QCOMPARE(m_chart->timeAxis()->max(), 40.0);
    const QPoint from = viewportPos(m_chart, {35, 0});
    const QPoint past = viewportPos(m_chart, {45, 0}); // right of the plot, on the old scale
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QTest::mouseMove(viewport, past);
    QCOMPARE(m_model->stages().at(2), (Stage{15s, 0}));
    QVERIFY(m_chart->timeAxis()->max() > 40.0);
    QCOMPARE(m_chart->pointLabel(), u"45s → 0 VUs"_s);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, past);
    QCOMPARE(m_model->stages().at(2), (Stage{15s, 0}));
    QCOMPARE(m_history->count(), 1);
    // Up past the top likewise.
    settle();
    const double top = m_chart->vusAxis()->max();
    const QPoint peak = viewportPos(m_chart, {30, 20});
    const QPoint above = viewportPos(m_chart, {30, top + 5});
    QTest::mousePress(viewport, Qt::LeftButton, {}, peak);
    QTest::mouseMove(viewport, above);
    const int target = m_model->stages().at(1).target;
    QVERIFY2(target > top, qPrintable(QString::number(target)));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, above);
    QCOMPARE(m_model->stages().at(1).target, target);
    QVERIFY(m_chart->vusAxis()->max() >= target);
}

void TestStageDesigner::dragIsOneUndoStep()
{
    useProfile();
    const Views before = views(m_editor);
    QWidget *viewport = m_chart->viewport();
    // Many moves, one step.
    QTest::mousePress(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {30, 20}));
    for (int seconds = 29; seconds >= 20; --seconds)
        QTest::mouseMove(viewport, viewportPos(m_chart, {double(seconds), 20.0 - (30 - seconds)}));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {20, 10}));
    QCOMPARE(m_model->stages(), (QList<Stage>{{10s, 10}, {10s, 10}, {5s, 0}}));
    const Views dragged = views(m_editor);
    QCOMPARE(m_history->count(), 1);
    QCOMPARE(m_history->undoText(), u"Drag stage 2"_s);

    m_window->undoAction()->trigger();
    QCOMPARE(views(m_editor), before);
    QCOMPARE(m_window->redoAction()->text(), u"Redo Drag stage 2"_s);
    m_window->redoAction()->trigger();
    QCOMPARE(views(m_editor), dragged);

    // A second drag is a second step, not merged into the first.
    QTest::mousePress(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {20, 10}));
    QTest::mouseMove(viewport, viewportPos(m_chart, {22, 10}));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {22, 10}));
    QCOMPARE(m_history->count(), 2);
    QCOMPARE(m_model->stages().at(1), (Stage{12s, 10}));
    m_window->undoAction()->trigger();
    QCOMPARE(views(m_editor), dragged);

    // A drag that ends where it began leaves no step.
    const int steps = m_history->count();
    QTest::mousePress(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {20, 10}));
    QTest::mouseMove(viewport, viewportPos(m_chart, {25, 12}));
    QCOMPARE(m_model->stages().at(1), (Stage{15s, 12}));
    QTest::mouseMove(viewport, viewportPos(m_chart, {20, 10}));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {20, 10}));
    QCOMPARE(views(m_editor), dragged);
    QCOMPARE(m_history->index(), steps - 1); // the redo of the undone drag went, nothing came
    QCOMPARE(m_history->undoText(), u"Drag stage 2"_s);
}

void TestStageDesigner::escapeCancelsDrag()
{
    useProfile();
    const Views before = views(m_editor);
    QWidget *viewport = m_chart->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {35, 0}));
    QTest::mouseMove(viewport, viewportPos(m_chart, {38, 12}));
    QCOMPARE(m_model->stages().at(2), (Stage{8s, 12}));
    QVERIFY(m_chart->hasFocus()); // Esc goes where the user pressed
    QTest::keyClick(m_chart, Qt::Key_Escape);
    QCOMPARE(m_chart->draggedPoint(), -1);
    QCOMPARE(views(m_editor), before);
    QCOMPARE(m_history->count(), 0);
    // The release that follows changes nothing.
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {38, 12}));
    QCOMPARE(views(m_editor), before);
}

void TestStageDesigner::tableTypingRedrawsChart()
{
    useProfile();
    QTableView *table = m_editor->stageTable();
    // Type a target the way a user does: select the cell, F2, type, Return.
    table->setFocus();
    table->setCurrentIndex(m_model->index(1, StageModel::TargetColumn));
    QTest::keyClick(table, Qt::Key_F2);
    QSpinBox *spin = nullptr;
    QTRY_VERIFY((spin = table->viewport()->findChild<QSpinBox *>()) != nullptr);
    spin->selectAll();
    QTest::keyClicks(spin, u"50"_s);
    QTest::keyClick(spin, Qt::Key_Return);
    QTRY_COMPARE(m_model->stages().at(1).target, 50);
    QCOMPARE(m_chart->series()->points().at(2), QPointF(30, 50));
    QCOMPARE(m_history->count(), 1);
    QCOMPARE(m_window->undoAction()->text(), u"Undo Set stage 2 target to 50 VUs"_s);

    // And a duration.
    table->setCurrentIndex(m_model->index(0, StageModel::DurationColumn));
    QTest::keyClick(table, Qt::Key_F2);
    QLineEdit *edit = nullptr;
    QTRY_VERIFY((edit = table->viewport()->findChild<QLineEdit *>()) != nullptr);
    edit->selectAll();
    QTest::keyClicks(edit, u"1m30s"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE(m_model->stages().at(0).duration, Nanoseconds(90s));
    const QList<QPointF> drawn = {{0, 0}, {90, 10}, {110, 50}, {115, 0}};
    QCOMPARE(m_chart->series()->points(), drawn);
    QCOMPARE(m_window->undoAction()->text(), u"Undo Set stage 1 duration to 1m30s"_s);

    m_window->undoAction()->trigger();
    QCOMPARE(m_chart->series()->points().at(1), QPointF(10, 10));
    QCOMPARE(table->model()->index(0, StageModel::DurationColumn).data().toString(), u"10s"_s);
    m_window->undoAction()->trigger();
    QCOMPARE(m_chart->series()->points().at(2), QPointF(30, 20));
    QVERIFY(!m_window->undoAction()->isEnabled());
}

// Every kind of step, then all undone and redone one by one: both views are exactly as they
// were after each step.
void TestStageDesigner::undoRedoRestoresBothViews()
{
    useProfile();
    QTableView *table = m_editor->stageTable();
    QWidget *viewport = m_chart->viewport();
    QList<Views> seen = {views(m_editor)};
    QStringList texts;
    auto step = [&](const QString &text) {
        seen << views(m_editor);
        texts << text;
        QCOMPARE(m_history->count(), seen.size() - 1);
        QCOMPARE(m_history->undoText(), text);
    };

    table->setCurrentIndex(m_model->index(0, 0));
    QTest::mouseClick(m_editor->addButton(), Qt::LeftButton); // after stage 1: 30 s at 10 VUs
    step(u"Add stage 2"_s);
    QVERIFY(m_model->setData(m_model->index(1, StageModel::TargetColumn), 40));
    step(u"Set stage 2 target to 40 VUs"_s);
    QTest::mouseClick(m_editor->downButton(), Qt::LeftButton);
    step(u"Move stage 2 down"_s);
    settle();
    QTest::mousePress(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {60, 40}));
    QTest::mouseMove(viewport, viewportPos(m_chart, {55, 30}));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, viewportPos(m_chart, {55, 30}));
    step(u"Drag stage 3"_s);
    m_editor->startVusSpin()->setValue(3);
    step(u"Set start to 3 VUs"_s);
    table->setCurrentIndex(m_model->index(0, 0));
    QTest::mouseClick(m_editor->removeButton(), Qt::LeftButton);
    step(u"Remove stage 1"_s);
    QCOMPARE(m_model->stages(), (QList<Stage>{{20s, 20}, {25s, 30}, {5s, 0}}));

    for (int i = int(seen.size()) - 2; i >= 0; --i) {
        QCOMPARE(m_window->undoAction()->text(), u"Undo "_s + texts.at(i));
        m_window->undoAction()->trigger();
        QCOMPARE(views(m_editor), seen.at(i));
    }
    QVERIFY(!m_window->undoAction()->isEnabled());
    for (int i = 1; i < seen.size(); ++i) {
        QCOMPARE(m_window->redoAction()->text(), u"Redo "_s + texts.at(i - 1));
        m_window->redoAction()->trigger();
        QCOMPARE(views(m_editor), seen.at(i));
    }
    QVERIFY(!m_window->redoAction()->isEnabled());
}

void TestStageDesigner::presetUndo()
{
    useProfile({{10s, 10}, {20s, 20}, {5s, 0}}, 4);
    m_editor->nameEdit()->setText(u"mine"_s);
    const Views before = views(m_editor);
    const int presetBefore = m_editor->presetCombo()->currentIndex();

    // Picked in the combo, as a user does.
    QComboBox *combo = m_editor->presetCombo();
    combo->setCurrentIndex(combo->findData(u"spike"_s));
    QCOMPARE(m_window->undoAction()->text(), u"Undo Apply preset Spike"_s);
    const Views spike = views(m_editor);
    QVERIFY(spike.stages != before.stages);
    QCOMPARE(m_editor->nameEdit()->text(), u"spike"_s);

    m_window->undoAction()->trigger();
    QCOMPARE(views(m_editor), before);
    QCOMPARE(m_editor->executor(), ExecutorType::RampingVus);
    QCOMPARE(m_editor->nameEdit()->text(), u"mine"_s);
    QCOMPARE(combo->currentIndex(), presetBefore);
    QString why;
    auto scenario = m_window->currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->main().stages, before.stages);
    QCOMPARE(scenario->main().startVUs, 4);

    m_window->redoAction()->trigger();
    QCOMPARE(views(m_editor), spike);
    QCOMPARE(combo->currentData().toString(), u"spike"_s);

    // Through MainWindow::loadPreset too.
    QVERIFY(m_window->loadPreset(u"average-load"_s));
    QCOMPARE(m_history->undoText(), u"Apply preset Average load"_s);
    m_window->undoAction()->trigger();
    QCOMPARE(views(m_editor), spike);
}

void TestStageDesigner::executorChangeUndo()
{
    useProfile();
    QVERIFY(m_model->setData(m_model->index(2, StageModel::TargetColumn), 7));
    const Views edited = views(m_editor);
    m_editor->setExecutor(ExecutorType::ConstantVus);
    QCOMPARE(m_model->rowCount(), 1); // the flat profile
    QVERIFY(!m_chart->isEditable());
    QCOMPARE(m_history->undoText(), u"Change executor to constant-vus"_s);

    // Undo brings the ramping stages back; the next undo takes back the stage edit on them.
    m_window->undoAction()->trigger();
    QCOMPARE(m_editor->executor(), ExecutorType::RampingVus);
    QVERIFY(m_chart->isEditable());
    QCOMPARE(views(m_editor), edited);
    m_window->undoAction()->trigger();
    QCOMPARE(m_model->stages().at(2), (Stage{5s, 0}));
    m_window->redoAction()->trigger();
    m_window->redoAction()->trigger();
    QCOMPARE(m_editor->executor(), ExecutorType::ConstantVus);
    m_window->undoAction()->trigger();
    QCOMPARE(views(m_editor), edited);
}

void TestStageDesigner::startSpinEditsMerge()
{
    useProfile();
    QSpinBox *spin = m_editor->startVusSpin();
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, u"120"_s); // 1, 12, 120: one step
    QCOMPARE(m_model->startValue(), 120);
    QCOMPARE(m_chart->series()->points().first(), QPointF(0, 120));
    QCOMPARE(m_history->count(), 1);
    QCOMPARE(m_history->undoText(), u"Set start to 120 VUs"_s);
    QTest::keyClick(spin, Qt::Key_Return); // ends the session
    QTest::keyClick(spin, Qt::Key_Up);
    QCOMPARE(m_history->count(), 2);
    m_window->undoAction()->trigger();
    QCOMPARE(spin->value(), 120);
    m_window->undoAction()->trigger();
    QCOMPARE(spin->value(), 0);
    QCOMPARE(m_chart->series()->points().first(), QPointF(0, 0));
}

void TestStageDesigner::shortcutsUndoAndRedo()
{
    QVERIFY(m_window->undoAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Z)));
    QVERIFY(m_window->redoAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
    useProfile();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(m_model->setData(m_model->index(0, StageModel::DurationColumn), u"12s"_s));
    QTableView *table = m_editor->stageTable();
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_model->stages().at(0).duration, Nanoseconds(10s));
    QTest::keyClick(table, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_model->stages().at(0).duration, Nanoseconds(12s));
}

void TestStageDesigner::openingFileClearsHistory()
{
    useProfile();
    QVERIFY(m_model->setData(m_model->index(0, StageModel::TargetColumn), 11));
    QVERIFY(m_window->undoAction()->isEnabled());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"plan.json"_s);
    QString why;
    QVERIFY2(m_window->saveScenarioFile(path, &why), qPrintable(why));
    QVERIFY(m_window->undoAction()->isEnabled()); // saving is not loading
    QVERIFY2(m_window->openScenarioFile(path, &why), qPrintable(why));
    QCOMPARE(m_history->count(), 0);
    QVERIFY(!m_window->undoAction()->isEnabled());
    QCOMPARE(m_window->undoAction()->text(), u"Undo"_s);
    QCOMPARE(m_model->stages().at(0).target, 11);
}

void TestStageDesigner::flatProfileNotDraggable()
{
    m_editor->setExecutor(ExecutorType::ConstantVus);
    m_history->clear();
    settle();
    QVERIFY(!m_chart->isEditable());
    const QList<Stage> before = m_model->stages();
    const QList<QPointF> points = m_chart->series()->points();
    const QPoint end = viewportPos(m_chart, {points.last().x() * m_chart->timeUnitSeconds(), points.last().y()});
    QCOMPARE(m_chart->pointAt(end), -1);
    QTest::mousePress(m_chart->viewport(), Qt::LeftButton, {}, end);
    QTest::mouseMove(m_chart->viewport(), end + QPoint(-30, 20));
    QTest::mouseRelease(m_chart->viewport(), Qt::LeftButton, {}, end + QPoint(-30, 20));
    QCOMPARE(m_model->stages(), before);
    QCOMPARE(m_history->count(), 0);
}

// The run goes on the plan it started with: no undo may change the editor meanwhile.
void TestStageDesigner::undoOffWhileRunning()
{
    QTcpServer server; // accepts and never answers: the run only has to be going
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    useProfile();
    QVERIFY(m_model->setData(m_model->index(0, StageModel::TargetColumn), 11));
    QVERIFY(m_window->undoAction()->isEnabled());
    m_window->targetPanel()->setUrl(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    QVERIFY(m_window->startRun());
    QVERIFY(m_window->isRunning());
    QVERIFY(!m_window->undoAction()->isEnabled());
    m_window->undoAction()->trigger(); // a disabled action does nothing
    QCOMPARE(m_model->stages().at(0).target, 11);
    m_window->stopRun();
    m_window->stopRun(); // abort
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isRunning(), 10000);
    QTRY_VERIFY(m_window->undoAction()->isEnabled());
    m_window->undoAction()->trigger();
    QCOMPARE(m_model->stages().at(0).target, 10);
}

QTEST_MAIN(TestStageDesigner)
#include "tst_stagedesigner.moc"
