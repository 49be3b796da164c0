// SPDX-License-Identifier: GPL-3.0-or-later
#include "guitest.h"
#include "livecharts.h"
#include "mainwindow.h"
#include "metriccard.h"
#include "presets.h"
#include "profilechart.h"
#include "runpanel.h"
#include "scenarioeditor.h"
#include "serieshistory.h"
#include "servicelauncher.h"
#include "stagemodel.h"
#include "statuslight.h"
#include "targetpanel.h"
#include "thresholdeditor.h"
#include "thresholdstatemodel.h"
#include "workbenchoptions.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QValueAxis>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <csignal>
#include <cerrno>

using namespace loadbench;
using loadbench::test::retype;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// A minimal HTTP server in the test process: answers every request with `status`.
class TinyHttpServer : public QTcpServer
{
public:
    explicit TinyHttpServer(int status) : m_status(status)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket, status = m_status] {
                    socket->readAll();
                    socket->write("HTTP/1.1 " + QByteArray::number(status)
                                  + " Whatever\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    int m_status;
};

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort(); // closed again when `server` goes
}

// Sets stages the way the user does in the table: through the view's model.
void setStage(QAbstractItemModel *model, int row, const QString &duration, int target)
{
    QVERIFY(model->setData(model->index(row, StageModel::DurationColumn), duration));
    QVERIFY(model->setData(model->index(row, StageModel::TargetColumn), target));
}

} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void commandLine_data();
    void commandLine();
    void helpMentionsOptionalPort();
    void seriesHistoryStaysBounded();
    void seriesHistoryKeepsSpikes();

    void stageEditsRedrawProfile();
    void stageCellTypedInTable();
    void badStageInputRejected();
    void stageButtons();
    void executorPicker_data();
    void executorPicker();
    void executorSwitchKeepsStages();
    void externallyControlledVuSlider();
    void openModelShownOnCards();
    void presets_data();
    void presets();
    void presetFromOptions();
    void thresholdsValidated();
    void thresholdStateModel();
    void scenarioSaveAndOpen();
    void enginePicker();
    void runShowsWhichEngineRan();
    void statusLight();

    void liveRunAgainstService();
    void generatorCpuShownAndSaturationWarned();
    void launchOnBusyPortKeepsTarget();
};

void TestWorkbench::initTestCase()
{
    QVERIFY(test::offscreenByDefault);
    QCOMPARE(Preset::all().size(), 6);
}

void TestWorkbench::commandLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("launch");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("scenario");

    QTest::addRow("nothing") << QStringList{} << true << false << 0 << QString() << QString();
    QTest::addRow("launch") << QStringList{u"--launch-service"_s} << true << true << 0 << QString()
                            << QString();
    QTest::addRow("launch=port") << QStringList{u"--launch-service=9123"_s} << true << true << 9123
                                 << QString() << QString();
    QTest::addRow("make run") << QStringList{u"--launch-service"_s, u"--preset"_s, u"average load"_s}
                              << true << true << 0 << u"average load"_s << QString();
    QTest::addRow("preset=id") << QStringList{u"--preset=average-load"_s} << true << false << 0
                               << u"average-load"_s << QString();
    QTest::addRow("scenario") << QStringList{u"--scenario"_s, u"my.json"_s} << true << false << 0
                              << QString() << u"my.json"_s;
    QTest::addRow("port not a number") << QStringList{u"--launch-service=http"_s} << false << false
                                       << 0 << QString() << QString();
    QTest::addRow("port too big") << QStringList{u"--launch-service=70000"_s} << false << false << 0
                                  << QString() << QString();
    QTest::addRow("unknown preset") << QStringList{u"--preset"_s, u"nope"_s} << false << false << 0
                                    << QString() << QString();
    QTest::addRow("preset and scenario")
        << QStringList{u"--preset"_s, u"smoke"_s, u"--scenario"_s, u"a.json"_s} << false << false
        << 0 << QString() << QString();
    QTest::addRow("positional") << QStringList{u"stray"_s} << false << false << 0 << QString()
                                << QString();
    QTest::addRow("unknown option") << QStringList{u"--frobnicate"_s} << false << false << 0
                                    << QString() << QString();
}

void TestWorkbench::commandLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, valid);
    arguments.prepend(u"loadbench"_s);
    QString why;
    const auto options = WorkbenchOptions::parse(arguments, &why);
    QCOMPARE(options.has_value(), valid);
    if (!valid) {
        QVERIFY2(!why.isEmpty(), "a usage error says why");
        return;
    }
    QFETCH(bool, launch);
    QFETCH(int, port);
    QFETCH(QString, preset);
    QFETCH(QString, scenario);
    QCOMPARE(options->launchService, launch);
    QCOMPARE(options->servicePort, port);
    QCOMPARE(options->preset, preset);
    QCOMPARE(options->scenarioFile, scenario);
}

void TestWorkbench::helpMentionsOptionalPort()
{
    const QString help = WorkbenchOptions::helpText();
    QVERIFY2(help.contains(u"--launch-service[=PORT]"_s), qPrintable(help));
    QVERIFY(help.contains(u"--preset <name>"_s));
    QVERIFY(help.contains(u"--scenario <file>"_s));
}

void TestWorkbench::seriesHistoryStaysBounded()
{
    SeriesHistory history(8, SeriesHistory::Merge::Mean);
    for (int i = 0; i < 6; ++i)
        history.append({double(i), 10.0});
    QCOMPARE(history.size(), 6); // one point per append while they fit
    for (int i = 6; i < 1000; ++i) {
        history.append({double(i), 10.0});
        QVERIFY2(history.size() <= 8, qPrintable(QString::number(history.size())));
    }
    const QList<QPointF> points = history.points();
    QVERIFY(points.size() >= 4);
    QVERIFY(points.first().x() < 100);  // the start of the run is still there
    QVERIFY(points.last().x() > 900);   // and so is the newest data
    for (const QPointF &point : points)
        QCOMPARE(point.y(), 10.0);      // means of equal values
    QVERIFY(history.pointsPerBucket() > 1);
    history.clear();
    QCOMPARE(history.size(), 0);
    QCOMPARE(history.pointsPerBucket(), 1);
}

void TestWorkbench::seriesHistoryKeepsSpikes()
{
    SeriesHistory latency(8, SeriesHistory::Merge::Max);
    for (int i = 0; i < 200; ++i)
        latency.append({double(i), i == 37 ? 900.0 : 1.0});
    double highest = 0;
    for (const QPointF &point : latency.points())
        highest = qMax(highest, point.y());
    QCOMPARE(highest, 900.0);
}

void TestWorkbench::stageEditsRedrawProfile()
{
    MainWindow window;
    ScenarioEditor *editor = window.scenarioEditor();
    StageModel *stages = editor->stageModel();
    QAbstractItemModelTester tester(stages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModel *model = editor->stageTable()->model();
    QCOMPARE(model, stages);
    editor->setExecutor(ExecutorType::RampingVus); // the smoke preset is constant-vus
    QVERIFY(editor->stageTable()->isVisibleTo(editor));

    // Two stages, as a user makes them: Add, then edit both rows.
    while (model->rowCount() > 1)
        QVERIFY(model->removeRow(0));
    QTest::mouseClick(editor->addButton(), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 2);
    editor->startVusSpin()->setValue(0);

    QLineSeries *profile = editor->profileChart()->series();
    QSignalSpy redrawn(profile, &QXYSeries::pointsReplaced);
    setStage(model, 0, u"1s"_s, 2);
    setStage(model, 1, u"2s"_s, 2);
    QVERIFY(redrawn.count() >= 4); // one redraw per edit

    QCOMPARE(editor->profileChart()->timeUnitSeconds(), 1.0);
    const QList<QPointF> expected = {{0, 0}, {1, 2}, {3, 2}};
    QCOMPARE(profile->points(), expected);
    QCOMPARE(model->data(model->index(1, StageModel::EndColumn)).toString(), u"3s"_s);
    QVERIFY2(editor->plannedLabel()->text().contains(u"<b>3s</b>"_s),
             qPrintable(editor->plannedLabel()->text()));

    // The start VUs move the first point.
    editor->startVusSpin()->setValue(1);
    QCOMPARE(profile->points().first(), QPointF(0, 1));

    // What Run would start is what the table shows.
    QString why;
    const auto scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    const QList<Stage> wanted = {{1s, 2}, {2s, 2}};
    QCOMPARE(scenario->main().profile(), wanted);
    QCOMPARE(scenario->plannedDuration(), Nanoseconds(3s));
}

void TestWorkbench::stageCellTypedInTable()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ScenarioEditor *editor = window.scenarioEditor();
    QAbstractItemModelTester tester(editor->stageModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTableView *view = editor->stageTable();
    const QModelIndex cell = view->model()->index(0, StageModel::DurationColumn);
    view->setFocus();
    view->setCurrentIndex(cell);
    QTest::keyClick(view, Qt::Key_F2); // the edit key, as a user presses it
    QLineEdit *lineEdit = nullptr;
    QTRY_VERIFY((lineEdit = view->viewport()->findChild<QLineEdit *>()) != nullptr);
    lineEdit->selectAll();
    QTest::keyClicks(lineEdit, u"1m30s"_s);
    QTest::keyClick(lineEdit, Qt::Key_Return);
    QTRY_COMPARE(editor->stageModel()->stages().first().duration, Nanoseconds(90s));
    QCOMPARE(view->model()->data(cell).toString(), u"1m30s"_s);
}

void TestWorkbench::badStageInputRejected()
{
    MainWindow window;
    ScenarioEditor *editor = window.scenarioEditor();
    QAbstractItemModelTester tester(editor->stageModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    editor->setExecutor(ExecutorType::RampingVus);
    QAbstractItemModel *model = editor->stageTable()->model();
    const QModelIndex duration = model->index(0, StageModel::DurationColumn);
    const QModelIndex target = model->index(0, StageModel::TargetColumn);
    const QList<Stage> before = editor->stageModel()->stages();
    QSignalSpy rejected(editor->stageModel(), &StageModel::inputRejected);

    QVERIFY(editor->messageLabel()->isHidden());
    QVERIFY(!model->setData(duration, u"1x"_s));
    QCOMPARE(rejected.count(), 1);
    QVERIFY(!editor->messageLabel()->isHidden());
    QVERIFY2(editor->messageLabel()->text().contains(u"\"1x\" is not a duration"_s),
             qPrintable(editor->messageLabel()->text()));
    QCOMPARE(editor->messageLabel()->text().count(u"is not a duration"_s), 1); // said once
    QCOMPARE(editor->stageModel()->stages(), before);

    // A bare number would be milliseconds to k6: the editor asks for the unit.
    QVERIFY(!model->setData(duration, u"5"_s));
    QVERIFY2(editor->messageLabel()->text().contains(u"5s"_s), qPrintable(editor->messageLabel()->text()));
    QVERIFY(!model->setData(target, -3));
    QVERIFY(!model->setData(target, u"lots"_s));
    QCOMPARE(rejected.count(), 4);
    QCOMPARE(editor->stageModel()->stages(), before);

    // A good edit clears the message.
    QVERIFY(model->setData(duration, u"45s"_s));
    QVERIFY(editor->messageLabel()->isHidden());

    // Bad graceful ramp-down text blocks the run with a reason.
    retype(editor->gracefulRampDownEdit(), u"soon"_s);
    QString why;
    QVERIFY(!window.currentScenario(&why));
    QVERIFY2(why.contains(u"Graceful ramp-down"_s), qPrintable(why));
    QSignalSpy failed(&window, &MainWindow::runFailed);
    QTest::mouseClick(window.runPanel()->runButton(), Qt::LeftButton);
    QCOMPARE(failed.count(), 1);
    QVERIFY(!window.isRunning());
    QVERIFY(window.runPanel()->phaseLabel()->text().contains(u"Graceful ramp-down"_s));
}

void TestWorkbench::stageButtons()
{
    MainWindow window;
    ScenarioEditor *editor = window.scenarioEditor();
    StageModel *model = editor->stageModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->setStages({{10s, 1}, {20s, 2}, {30s, 3}});
    QTableView *view = editor->stageTable();

    view->setCurrentIndex(model->index(0, 0));
    QVERIFY(!editor->upButton()->isEnabled());
    QTest::mouseClick(editor->downButton(), Qt::LeftButton);
    QCOMPARE(model->stages(), (QList<Stage>{{20s, 2}, {10s, 1}, {30s, 3}}));
    QCOMPARE(view->currentIndex().row(), 1);
    QTest::mouseClick(editor->downButton(), Qt::LeftButton);
    QCOMPARE(model->stages(), (QList<Stage>{{20s, 2}, {30s, 3}, {10s, 1}}));
    QVERIFY(!editor->downButton()->isEnabled());
    QTest::mouseClick(editor->upButton(), Qt::LeftButton);
    QCOMPARE(model->stages(), (QList<Stage>{{20s, 2}, {10s, 1}, {30s, 3}}));

    QTest::mouseClick(editor->addButton(), Qt::LeftButton); // after row 1, holding its VUs
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->stages().at(2), (Stage{30s, 1}));
    QCOMPARE(view->currentIndex().row(), 2);
    QCOMPARE(editor->profileChart()->series()->count(), 5);

    QTest::mouseClick(editor->removeButton(), Qt::LeftButton);
    QCOMPARE(model->stages(), (QList<Stage>{{20s, 2}, {10s, 1}, {30s, 3}}));
    while (model->rowCount() > 1)
        QTest::mouseClick(editor->removeButton(), Qt::LeftButton);
    QVERIFY(!editor->removeButton()->isEnabled()); // a profile keeps one stage
}

void TestWorkbench::executorPicker_data()
{
    QTest::addColumn<int>("executor");
    QTest::addColumn<QStringList>("fields");
    using E = ExecutorType;
    QTest::addRow("ramping-vus") << int(E::RampingVus) << QStringList{u"startVUs"_s, u"gracefulRampDown"_s, u"gracefulStop"_s};
    QTest::addRow("constant-vus") << int(E::ConstantVus) << QStringList{u"vus"_s, u"duration"_s, u"gracefulStop"_s};
    QTest::addRow("shared-iterations") << int(E::SharedIterations)
                                       << QStringList{u"vus"_s, u"iterations"_s, u"maxDuration"_s, u"gracefulStop"_s};
    QTest::addRow("per-vu-iterations") << int(E::PerVuIterations)
                                       << QStringList{u"vus"_s, u"iterations"_s, u"maxDuration"_s, u"gracefulStop"_s};
    QTest::addRow("constant-arrival-rate") << int(E::ConstantArrivalRate)
                                           << QStringList{u"rate"_s, u"timeUnit"_s, u"duration"_s, u"preAllocatedVUs"_s,
                                                          u"maxVUs"_s, u"gracefulStop"_s};
    QTest::addRow("ramping-arrival-rate") << int(E::RampingArrivalRate)
                                          << QStringList{u"startVUs"_s, u"timeUnit"_s, u"preAllocatedVUs"_s,
                                                         u"maxVUs"_s, u"gracefulStop"_s};
    QTest::addRow("externally-controlled") << int(E::ExternallyControlled)
                                           << QStringList{u"vus"_s, u"maxVUs"_s, u"duration"_s, u"gracefulStop"_s};
}

// Each executor shows the fields that fit it, and Run gets exactly what they say.
void TestWorkbench::executorPicker()
{
    QFETCH(int, executor);
    QFETCH(QStringList, fields);
    const auto type = ExecutorType(executor);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ScenarioEditor *editor = window.scenarioEditor();
    QComboBox *combo = editor->executorCombo();
    combo->setFocus();
    for (int i = 0; i < combo->count() && combo->currentText() != executorName(type); ++i)
        QTest::keyClick(combo, i == 0 ? Qt::Key_Home : Qt::Key_Down);
    QCOMPARE(editor->executor(), type);
    const QStringList options = {u"startVUs"_s, u"vus"_s, u"iterations"_s, u"rate"_s, u"timeUnit"_s, u"duration"_s,
                                 u"maxDuration"_s, u"preAllocatedVUs"_s, u"maxVUs"_s, u"gracefulRampDown"_s,
                                 u"gracefulStop"_s};
    for (const QString &option : options) {
        QVERIFY2(editor->executorField(option), qPrintable(option));
        QCOMPARE(editor->executorField(option)->isVisible(), fields.contains(option));
    }
    const bool ramping = type == ExecutorType::RampingVus || type == ExecutorType::RampingArrivalRate;
    QCOMPARE(editor->stageTable()->isVisible(), ramping);

    // Type values the way a user does and check what Run would start.
    auto spin = [&](const QString &option, int value) {
        auto *box = qobject_cast<QSpinBox *>(editor->executorField(option));
        QVERIFY(box);
        box->setValue(value);
    };
    auto text = [&](const QString &option, const QString &value) {
        auto *edit = qobject_cast<QLineEdit *>(editor->executorField(option));
        QVERIFY(edit);
        retype(edit, value);
    };
    if (fields.contains(u"vus"_s))
        spin(u"vus"_s, 3);
    if (fields.contains(u"iterations"_s))
        spin(u"iterations"_s, 7);
    if (fields.contains(u"rate"_s))
        spin(u"rate"_s, 40);
    if (fields.contains(u"duration"_s))
        text(u"duration"_s, u"20s"_s);
    if (fields.contains(u"maxDuration"_s))
        text(u"maxDuration"_s, u"1m"_s);
    if (fields.contains(u"timeUnit"_s))
        text(u"timeUnit"_s, u"2s"_s);
    if (fields.contains(u"preAllocatedVUs"_s))
        spin(u"preAllocatedVUs"_s, 5);
    if (fields.contains(u"maxVUs"_s))
        spin(u"maxVUs"_s, 9);
    text(u"gracefulStop"_s, u"3s"_s);
    if (type == ExecutorType::RampingArrivalRate) {
        spin(u"startVUs"_s, 4); // shown as "Start rate"
        editor->stageModel()->setStages({{10s, 20}, {10s, 0}});
    }

    QString why;
    const auto scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    const ScenarioConfig &c = scenario->main();
    QCOMPARE(c.executor, type);
    QCOMPARE(c.gracefulStop, Nanoseconds(3s));
    switch (type) {
    case ExecutorType::ConstantVus:
        QCOMPARE(c.vus, 3);
        QCOMPARE(c.duration, Nanoseconds(20s));
        break;
    case ExecutorType::SharedIterations:
    case ExecutorType::PerVuIterations:
        QCOMPARE(c.vus, 3);
        QCOMPARE(c.iterations, 7);
        QCOMPARE(c.maxDuration, Nanoseconds(60s));
        QVERIFY2(editor->plannedLabel()->text().contains(
                     type == ExecutorType::SharedIterations ? u"<b>7</b> iterations"_s : u"<b>21</b> iterations"_s),
                 qPrintable(editor->plannedLabel()->text()));
        break;
    case ExecutorType::ConstantArrivalRate:
        QCOMPARE(c.rate, 40);
        QCOMPARE(c.timeUnit, Nanoseconds(2s));
        QCOMPARE(c.duration, Nanoseconds(20s));
        QCOMPARE(c.preAllocatedVUs, 5);
        QCOMPARE(c.maxVUs, 9);
        // 40 per 2 s for 20 s.
        QVERIFY2(editor->plannedLabel()->text().contains(u"<b>400</b> iterations"_s),
                 qPrintable(editor->plannedLabel()->text()));
        QCOMPARE(editor->profileChart()->series()->points().last().y(), 40.0);
        QCOMPARE(editor->profileChart()->vusAxis()->titleText(), u"iterations/2s"_s);
        break;
    case ExecutorType::RampingArrivalRate:
        QCOMPARE(c.startRate, 4);
        QCOMPARE(c.timeUnit, Nanoseconds(2s));
        QCOMPARE(c.stages, (QList<Stage>{{10s, 20}, {10s, 0}}));
        QCOMPARE(c.preAllocatedVUs, 5);
        QCOMPARE(c.maxVUs, 9);
        // (4+20)/2 · 5 + (20+0)/2 · 5 units of 2 s.
        QVERIFY2(editor->plannedLabel()->text().contains(u"<b>110</b> iterations"_s),
                 qPrintable(editor->plannedLabel()->text()));
        break;
    case ExecutorType::ExternallyControlled:
        QCOMPARE(c.vus, 3);
        QCOMPARE(c.maxVUs, 9);
        QCOMPARE(c.duration, Nanoseconds(20s));
        break;
    case ExecutorType::RampingVus:
        break;
    }

    // Saved and opened again, the editor shows the same executor and fields.
    MainWindow reopened;
    reopened.scenarioEditor()->setScenario(*scenario);
    QCOMPARE(reopened.scenarioEditor()->executor(), type);
    const auto again = reopened.currentScenario(&why);
    QVERIFY2(again, qPrintable(why));
    QCOMPARE(QJsonDocument(again->toJson()).toJson(), QJsonDocument(scenario->toJson()).toJson());
}

// Stages typed for ramping-vus survive a look at another executor.
void TestWorkbench::executorSwitchKeepsStages()
{
    MainWindow window;
    ScenarioEditor *editor = window.scenarioEditor();
    editor->setExecutor(ExecutorType::RampingVus);
    const QList<Stage> stages = {{5s, 10}, {10s, 10}, {5s, 0}};
    editor->stageModel()->setStages(stages);
    editor->setExecutor(ExecutorType::ConstantVus);
    QCOMPARE(editor->stageModel()->rowCount(), 1); // the flat profile drawn
    editor->setExecutor(ExecutorType::RampingVus);
    QCOMPARE(editor->stageModel()->stages(), stages);
    QString why;
    const auto scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->main().stages, stages);
}

// The externally-controlled executor's VUs follow the run panel's control while it runs.
void TestWorkbench::externallyControlledVuSlider()
{
    TinyHttpServer server(200);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.targetPanel()->setUrl(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    ScenarioEditor *editor = window.scenarioEditor();
    editor->setExecutor(ExecutorType::ExternallyControlled);
    qobject_cast<QSpinBox *>(editor->executorField(u"vus"_s))->setValue(1);
    qobject_cast<QSpinBox *>(editor->executorField(u"maxVUs"_s))->setValue(6);
    retype(qobject_cast<QLineEdit *>(editor->executorField(u"duration"_s)), u"6s"_s);
    retype(editor->thinkTimeEdit(), u"100ms"_s);

    RunPanel *run = window.runPanel();
    QSignalSpy snapshots(&window, &MainWindow::snapshotShown);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QTest::mouseClick(run->runButton(), Qt::LeftButton);
    QVERIFY(window.isRunning());
    QVERIFY(run->vuControl()->isVisible());
    QCOMPARE(run->vuSlider()->maximum(), 6);
    QTRY_VERIFY_WITH_TIMEOUT(run->vuSpin()->isEnabled(), 5000);
    QVERIFY(snapshots.wait(5000));

    // Type 4 the way a user does; the slider follows and the runner answers.
    run->vuSpin()->setFocus();
    run->vuSpin()->selectAll();
    QTest::keyClicks(run->vuSpin(), u"4"_s);
    QCOMPARE(run->vuSlider()->value(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(run->vuMessage()->text().contains(u"4"_s), 5000);
    auto vusOf = [](const QList<QVariant> &args) { return args.first().value<IntervalSnapshot>().vus; };
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty() && vusOf(snapshots.last()) == 4, 5000);
    // Down again with the keyboard on the slider.
    run->vuSlider()->setFocus();
    QTest::keyClick(run->vuSlider(), Qt::Key_Down);
    QTest::keyClick(run->vuSlider(), Qt::Key_Down);
    QCOMPARE(run->vuSpin()->value(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty() && vusOf(snapshots.last()) == 2, 5000);
    QVERIFY(finished.wait(20000));
    QVERIFY(!run->vuSpin()->isEnabled());
}

// An arrival-rate run shows the tail from the schedule and the dropped iterations; a closed
// model run shows neither.
void TestWorkbench::openModelShownOnCards()
{
    RunPanel panel;
    IntervalSnapshot s;
    s.elapsedSeconds = 1;
    s.intervalSeconds = 1;
    s.requests = 100;
    s.totalRequests = 100;
    s.p95Ms = 2;
    s.p99Ms = 3;
    panel.showSnapshot(s);
    QVERIFY(!panel.latencyCard()->detail().contains(u"schedule"_s));
    QVERIFY(!panel.errorsCard()->detail().contains(u"dropped"_s));
    s.scheduledP99Ms = 750;
    s.totalDroppedIterations = 12;
    panel.showSnapshot(s);
    QVERIFY2(panel.latencyCard()->detail().contains(u"from schedule 750 ms"_s), qPrintable(panel.latencyCard()->detail()));
    QVERIFY2(panel.errorsCard()->detail().contains(u"12 iterations dropped"_s), qPrintable(panel.errorsCard()->detail()));
}

// The generator's CPU under the cards, and a warning while a worker thread is saturated.
void TestWorkbench::generatorCpuShownAndSaturationWarned()
{
    RunPanel panel;
    IntervalSnapshot s;
    s.elapsedSeconds = 1;
    s.intervalSeconds = 1;
    panel.showSnapshot(s); // not measured: nothing said
    QVERIFY(panel.cpuLabel()->text().isEmpty());
    s.generatorCores = 0.456;
    s.busiestWorkerCores = 0.44;
    panel.setServiceCpu(0.93);
    panel.showSnapshot(s);
    QCOMPARE(panel.cpuLabel()->text(), u"Generator CPU 0.46 cores (busiest worker thread 44 %) · service CPU 0.93 cores"_s);
    QVERIFY(!panel.cpuLabel()->styleSheet().contains(u"#c62828"_s));
    s.busiestWorkerCores = 0.99;
    panel.showSnapshot(s);
    QVERIFY2(panel.cpuLabel()->text().contains(u"the generator is saturated"_s), qPrintable(panel.cpuLabel()->text()));
    QVERIFY(panel.cpuLabel()->styleSheet().contains(u"#c62828"_s));
    panel.prepare(Scenario{}); // a new run starts clean
    QVERIFY(panel.cpuLabel()->text().isEmpty());
}

void TestWorkbench::presets_data()
{
    QTest::addColumn<QString>("title");
    for (const Preset &preset : Preset::all())
        QTest::addRow("%s", qPrintable(preset.id)) << preset.title;
}

void TestWorkbench::presets()
{
    QFETCH(QString, title);
    QString why;
    const auto expected = Preset::load(title, &why);
    QVERIFY2(expected, qPrintable(why));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ScenarioEditor *editor = window.scenarioEditor();
    QAbstractItemModelTester tester(editor->stageModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QComboBox *combo = editor->presetCombo();
    combo->setFocus();
    // Pick it with the keyboard: End, Home, then Down until it shows.
    QTest::keyClick(combo, Qt::Key_End);
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < combo->count() && combo->currentText() != title; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(combo->currentText(), title);

    const ScenarioConfig &config = expected->main();
    QCOMPARE(editor->stageModel()->stages(), config.profile());
    QCOMPARE(editor->startVusSpin()->value(), config.initialVus());
    QCOMPARE(editor->profileChart()->series()->count(), config.profile().size() + 1);
    QVERIFY(editor->plannedLabel()->text().contains(formatDuration(expected->plannedDuration())));
    QVERIFY2(editor->thresholdEditor()->isValid(), qPrintable(editor->thresholdEditor()->errorText()));
    QCOMPARE(editor->thresholdEditor()->thresholds().size(), expected->thresholds.size());
    QCOMPARE(editor->nameEdit()->text(), expected->name);

    // Unedited, the editor gives back the preset (aimed at the panel's URL).
    const auto scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->main().profile(), config.profile());
    QCOMPARE(scenario->main().executor, config.executor);
    QCOMPARE(scenario->target.thinkTime, expected->target.thinkTime);
    QCOMPARE(scenario->thresholds.size(), expected->thresholds.size());
    for (qsizetype i = 0; i < expected->thresholds.size(); ++i) {
        QCOMPARE(scenario->thresholds.at(i).expression, expected->thresholds.at(i).expression);
        QCOMPARE(scenario->thresholds.at(i).abortOnFail, expected->thresholds.at(i).abortOnFail);
    }
}

void TestWorkbench::presetFromOptions()
{
    MainWindow window;
    QString why;
    const auto options = WorkbenchOptions::parse({u"loadbench"_s, u"--preset"_s, u"average load"_s}, &why);
    QVERIFY2(options, qPrintable(why));
    QVERIFY2(window.applyOptions(*options, &why), qPrintable(why));
    QCOMPARE(window.scenarioEditor()->presetCombo()->currentText(), u"average load"_s);
    QCOMPARE(window.scenarioEditor()->stageModel()->rowCount(), 5);
    QVERIFY(!window.applyOptions(*WorkbenchOptions::parse({u"loadbench"_s, u"--scenario"_s,
                                                           u"/nonexistent/x.json"_s}, &why),
                                 &why));
    QVERIFY2(why.contains(u"x.json"_s), qPrintable(why));
}

void TestWorkbench::thresholdsValidated()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ThresholdEditor *thresholds = window.scenarioEditor()->thresholdEditor();
    QPlainTextEdit *text = thresholds->textEdit();
    text->setFocus();
    text->selectAll();
    QTest::keyClick(text, Qt::Key_Delete);
    QTest::keyClicks(text, u"http_req_duration: p(95)<200"_s);
    QTest::keyClick(text, Qt::Key_Return);
    QTest::keyClicks(text, u"http_req_failed: rate<<0.01"_s);
    QVERIFY(!thresholds->isValid());
    QVERIFY(!thresholds->errorLabel()->isHidden());
    QVERIFY2(thresholds->errorText().startsWith(u"line 2:"_s), qPrintable(thresholds->errorText()));
    QVERIFY(thresholds->errorLabel()->styleSheet().contains(u"#c62828"_s));
    QCOMPARE(text->extraSelections().size(), 1);

    QSignalSpy failed(&window, &MainWindow::runFailed);
    QTest::mouseClick(window.runPanel()->runButton(), Qt::LeftButton);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.first().first().toString().contains(u"Thresholds"_s),
             qPrintable(failed.first().first().toString()));

    // Fix the line; tags with colons and options parse too.
    text->setPlainText(u"http_req_duration: p(95)<200\n"
                       "# comments and blank lines are fine\n\n"
                       "http_req_duration{expected_response:true}: p(99)<500\n"
                       "http_req_failed: rate<0.01 [abortOnFail, delayAbortEval=10s]"_s);
    QVERIFY2(thresholds->isValid(), qPrintable(thresholds->errorText()));
    QVERIFY(thresholds->errorLabel()->isHidden());
    const QList<Threshold> parsed = thresholds->thresholds();
    QCOMPARE(parsed.size(), 3);
    QCOMPARE(parsed.at(1).metric, u"http_req_duration{expected_response:true}"_s);
    QVERIFY(parsed.at(2).abortOnFail);
    QCOMPARE(parsed.at(2).delayAbortEval, Nanoseconds(10s));
    // format() and parse() agree.
    QCOMPARE(ThresholdEditor::parse(ThresholdEditor::format(parsed)).thresholds.size(), 3);

    const auto bad = ThresholdEditor::parse(u"no colon here\nhttp_reqs: count>1 [sometimes]"_s);
    QCOMPARE(bad.errors.size(), 2);
    QCOMPARE(bad.badLines, (QList<int>{0, 1}));
}

void TestWorkbench::thresholdStateModel()
{
    ThresholdStateModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString why;
    const auto p95 = Threshold::parse(u"http_req_duration"_s, u"p(95)<200"_s, &why);
    QVERIFY2(p95, qPrintable(why));
    const auto failed = Threshold::parse(u"http_req_failed"_s, u"rate<0.01"_s, &why);
    QVERIFY2(failed, qPrintable(why));
    model.setThresholds({*p95, *failed});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.stateAt(0), ThresholdStateModel::State::Waiting);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QList<ThresholdState> states(2);
    states[0] = {u"http_req_duration"_s, u"p(95)<200"_s, 12.5, true, false};
    states[1] = {u"http_req_failed"_s, u"rate<0.01"_s, 0.5, true, true};
    model.setStates(states);
    QCOMPARE(changed.count(), 1); // same rows: updated in place
    QCOMPARE(model.stateAt(0), ThresholdStateModel::State::Holds);
    QCOMPARE(model.stateAt(1), ThresholdStateModel::State::Crossed);
    QCOMPARE(model.crossedCount(), 1);
    QCOMPARE(model.data(model.index(0, ThresholdStateModel::ObservedColumn)).toString(), u"12.5 ms"_s);
    QCOMPARE(model.data(model.index(1, ThresholdStateModel::ObservedColumn)).toString(), u"50.00 %"_s);
    const QColor red = model.data(model.index(1, ThresholdStateModel::StateColumn), Qt::ForegroundRole)
                           .value<QBrush>()
                           .color();
    QVERIFY(red.red() > red.green());
    model.setStates({states.first()});
    QCOMPARE(model.rowCount(), 1);
}

void TestWorkbench::scenarioSaveAndOpen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"mine.json"_s);
    {
        MainWindow window;
        ScenarioEditor *editor = window.scenarioEditor();
        QVERIFY(window.loadPreset(u"spike"_s));
        QAbstractItemModel *model = editor->stageTable()->model();
        setStage(model, 0, u"7s"_s, 70);
        retype(editor->thinkTimeEdit(), u"250ms"_s);
        window.targetPanel()->setUrl(QUrl(u"http://127.0.0.1:9/elsewhere"_s));
        QString why;
        QVERIFY2(window.saveScenarioFile(path, &why), qPrintable(why));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY(json.contains(u"scenarios"_s));

    MainWindow window;
    QString why;
    QVERIFY2(window.openScenarioFile(path, &why), qPrintable(why));
    ScenarioEditor *editor = window.scenarioEditor();
    QCOMPARE(editor->stageModel()->stages().first(), (Stage{7s, 70}));
    QCOMPARE(editor->thinkTimeEdit()->text(), u"250ms"_s);
    QCOMPARE(window.targetPanel()->url(), QUrl(u"http://127.0.0.1:9/elsewhere"_s));
    QCOMPARE(editor->presetCombo()->currentIndex(), -1); // a file, not a preset

    QVERIFY(!window.openScenarioFile(dir.filePath(u"missing.json"_s), &why));
    QVERIFY2(why.contains(u"missing.json"_s), qPrintable(why));
    QVERIFY(!window.saveScenarioFile(dir.filePath(u"no/such/dir/x.json"_s), &why));
    QVERIFY(!why.isEmpty());
}

void TestWorkbench::enginePicker()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow window;
    ScenarioEditor *editor = window.scenarioEditor();
    QComboBox *engine = editor->engineCombo();
    QCOMPARE(engine->count(), 3);
    QCOMPARE(engine->itemText(0), u"Auto"_s);
    QCOMPARE(engine->itemText(1), u"Native (epoll)"_s);
    QCOMPARE(engine->itemText(2), u"Qt network"_s);
    QCOMPARE(editor->engine(), std::optional<EngineKind>(EngineKind::Auto)); // the presets say nothing: auto
    window.targetPanel()->setUrl(QUrl(u"http://127.0.0.1:9/"_s));

    // Picked in the editor, saved with the scenario, read back into the picker.
    QSignalSpy changed(editor, &ScenarioEditor::changed);
    engine->setCurrentIndex(engine->findText(u"Qt network"_s));
    QVERIFY(!changed.isEmpty());
    QString why;
    auto scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->main().engine, EngineKind::Qnam);
    const QString path = dir.filePath(u"qnam.json"_s);
    QVERIFY2(window.saveScenarioFile(path, &why), qPrintable(why));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject scenarios = json.value(u"scenarios"_s).toObject();
        QCOMPARE(scenarios.value(scenarios.keys().first()).toObject().value(u"engine"_s).toString(), u"qnam"_s);
    }
    QVERIFY(window.loadPreset(u"smoke"_s));
    QCOMPARE(editor->engine(), std::optional<EngineKind>(EngineKind::Auto));
    QVERIFY2(window.openScenarioFile(path, &why), qPrintable(why));
    QCOMPARE(editor->engine(), std::optional<EngineKind>(EngineKind::Qnam));
    QCOMPARE(engine->currentText(), u"Qt network"_s);

    // Native cannot reach an https:// target: the run refuses, saying so.
    editor->setEngine(EngineKind::Native);
    window.targetPanel()->setUrl(QUrl(u"https://127.0.0.1:9/"_s));
    QSignalSpy failed(&window, &MainWindow::runFailed);
    QVERIFY(!window.startRun());
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.first().first().toString().startsWith(u"Engine: Native cannot send https://127.0.0.1:9/"_s),
             qPrintable(failed.first().first().toString()));
    QVERIFY(window.runPanel()->phaseLabel()->text().contains(u"pick Auto or Qt network"_s));
    editor->setEngine(EngineKind::Auto);
    QVERIFY2(window.currentScenario(&why), qPrintable(why));

    // A file whose scenarios name different engines keeps them, unless one is picked for all.
    const QString mixed = dir.filePath(u"mixed.json"_s);
    {
        QFile file(mixed);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"j({"target": {"url": "http://127.0.0.1:9/"}, "scenarios": {
            "a": {"executor": "constant-vus", "duration": "1s", "engine": "native"},
            "b": {"executor": "constant-vus", "duration": "1s", "engine": "qnam"}}})j");
    }
    QVERIFY2(window.openScenarioFile(mixed, &why), qPrintable(why));
    QCOMPARE(engine->count(), 4);
    QCOMPARE(editor->engine(), std::nullopt);
    QCOMPARE(engine->currentText(), u"Per scenario (as in the file)"_s);
    scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->scenarios[0].engine, EngineKind::Native);
    QCOMPARE(scenario->scenarios[1].engine, EngineKind::Qnam);
    editor->setEngine(EngineKind::Qnam);
    scenario = window.currentScenario(&why);
    QVERIFY2(scenario, qPrintable(why));
    QCOMPARE(scenario->scenarios[0].engine, EngineKind::Qnam);
    QCOMPARE(scenario->scenarios[1].engine, EngineKind::Qnam);
    QVERIFY(window.loadPreset(u"smoke"_s));
    QCOMPARE(engine->count(), 3); // the per-scenario entry belongs to that file only
}

void TestWorkbench::runShowsWhichEngineRan()
{
    TinyHttpServer server(200);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.targetPanel()->setUrl(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    ScenarioEditor *editor = window.scenarioEditor();
    editor->setExecutor(ExecutorType::ConstantVus);
    qobject_cast<QSpinBox *>(editor->executorField(u"vus"_s))->setValue(1);
    retype(qobject_cast<QLineEdit *>(editor->executorField(u"duration"_s)), u"1s"_s);
    retype(editor->thinkTimeEdit(), u"100ms"_s);
    editor->setEngine(EngineKind::Qnam);

    RunPanel *run = window.runPanel();
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QVERIFY(window.startRun());
    QCOMPARE(run->engineLabel()->text(), u"Engine: qnam"_s);
    QVERIFY(run->engineLabel()->toolTip().startsWith(u"qnam (QNetworkAccessManager)"_s));
    QVERIFY(run->engineLabel()->isVisible());
    QVERIFY(finished.wait(20000));
    QVERIFY2(run->engineLabel()->text().startsWith(u"Ran on qnam, "_s), qPrintable(run->engineLabel()->text()));
    QVERIFY2(run->engineLabel()->toolTip().startsWith(u"Ran on qnam (QNetworkAccessManager) with "_s),
             qPrintable(run->engineLabel()->toolTip()));
    QCOMPARE(window.lastSummary().enginesText(), u"qnam (QNetworkAccessManager)"_s);
    QVERIFY(window.lastSummary().metrics->httpReqs > 0);

    // Auto on an http:// target names the engine it resolved to, never "auto".
    editor->setEngine(EngineKind::Auto);
    QVERIFY(window.startRun());
    QVERIFY2(run->engineLabel()->text().startsWith(u"Engine: native"_s), qPrintable(run->engineLabel()->text()));
    QVERIFY(finished.wait(20000));
    QVERIFY2(run->engineLabel()->text().startsWith(u"Ran on native, "_s), qPrintable(run->engineLabel()->text()));
}

void TestWorkbench::statusLight()
{
    TargetPanel panel;
    StatusLight *light = panel.statusLight();

    panel.setUrl(QUrl());
    QCOMPARE(light->light(), StatusLight::Light::Unknown);

    const quint16 port = closedPort();
    QVERIFY(port != 0);
    panel.setUrl(QUrl(u"http://127.0.0.1:%1/api/health"_s.arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(light->light(), StatusLight::Light::Bad, 5000);
    QVERIFY2(light->text().contains(u"refused"_s), qPrintable(light->text()));

    TinyHttpServer up(200);
    QVERIFY(up.listen(QHostAddress::LocalHost, 0));
    QSignalSpy targetUp(&panel, &TargetPanel::targetUp);
    // Typed by hand, without the scheme.
    retype(panel.urlEdit(), u"127.0.0.1:%1/api/health?ignored=1"_s.arg(up.serverPort()));
    QTRY_COMPARE_WITH_TIMEOUT(light->light(), StatusLight::Light::Good, 5000);
    QVERIFY2(light->text().startsWith(u"200"_s), qPrintable(light->text()));
    QCOMPARE(targetUp.count(), 1);

    TinyHttpServer broken(503);
    QVERIFY(broken.listen(QHostAddress::LocalHost, 0));
    panel.setUrl(QUrl(u"http://127.0.0.1:%1/"_s.arg(broken.serverPort())));
    QTRY_COMPARE_WITH_TIMEOUT(light->light(), StatusLight::Light::Bad, 5000);
    QVERIFY2(light->text().contains(u"503"_s), qPrintable(light->text()));
}

void TestWorkbench::launchOnBusyPortKeepsTarget()
{
    if (qEnvironmentVariable("LOADBENCH_SERVICE").isEmpty())
        QSKIP("LOADBENCH_SERVICE is not set (run through ctest)");
    // Someone else answers 200 on the port: a launch that fails there must not aim the
    // workbench at them.
    TinyHttpServer foreign(200);
    QVERIFY(foreign.listen(QHostAddress::LocalHost, 0));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TargetPanel *target = window.targetPanel();
    const QUrl before(u"http://127.0.0.1:%1/api/health"_s.arg(closedPort()));
    target->setUrl(before);
    target->portSpin()->setValue(foreign.serverPort());
    QSignalSpy stopped(target->serviceLauncher(), &ServiceLauncher::stopped);
    QTest::mouseClick(target->launchButton(), Qt::LeftButton);
    QVERIFY(stopped.wait(5000));
    QVERIFY(!target->serviceLauncher()->isRunning());
    QCOMPARE(target->url(), before);
    QVERIFY(target->logView()->toPlainText().contains(u"address already in use"_s));
}

void TestWorkbench::liveRunAgainstService()
{
    const QString service = qEnvironmentVariable("LOADBENCH_SERVICE");
    if (service.isEmpty())
        QSKIP("LOADBENCH_SERVICE is not set: the live run needs the bundled loadbench-service "
              "(ctest sets it to the built one)");
    QVERIFY2(QFileInfo(service).isExecutable(),
             qPrintable(u"LOADBENCH_SERVICE=%1 is not an executable"_s.arg(service)));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TargetPanel *target = window.targetPanel();
    ServiceLauncher *launcher = target->serviceLauncher();
    QCOMPARE(launcher->program(), QFileInfo(service).absoluteFilePath());

    // Launch the service on a free port, as a user does.
    target->portSpin()->setValue(0);
    QSignalSpy serviceStarted(launcher, &ServiceLauncher::started);
    QTest::mouseClick(target->launchButton(), Qt::LeftButton);
    QVERIFY(serviceStarted.wait(5000));
    QVERIFY(launcher->isRunning());
    QVERIFY(launcher->port() != 0);
    QTRY_COMPARE_WITH_TIMEOUT(target->url(), launcher->healthUrl(), 5000); // once it listens
    QVERIFY(target->logView()->toPlainText().contains(u"--port %1"_s.arg(launcher->port())));
    QTRY_COMPARE_WITH_TIMEOUT(target->statusLight()->light(), StatusLight::Light::Good, 10000);
    QVERIFY(!target->launchButton()->isEnabled());

    // A 3-second profile: 1s ramp to 2 VUs, 2s hold.
    ScenarioEditor *editor = window.scenarioEditor();
    editor->setExecutor(ExecutorType::RampingVus);
    QAbstractItemModel *model = editor->stageTable()->model();
    while (model->rowCount() > 1)
        QVERIFY(model->removeRow(0));
    QTest::mouseClick(editor->addButton(), Qt::LeftButton);
    setStage(model, 0, u"1s"_s, 2);
    setStage(model, 1, u"2s"_s, 2);
    editor->startVusSpin()->setValue(1);
    retype(editor->thinkTimeEdit(), u"50ms"_s);
    retype(editor->gracefulRampDownEdit(), u"1s"_s);
    editor->thresholdEditor()->textEdit()->setPlainText(
        u"http_req_duration: p(95)<2000\nhttp_req_failed: rate<0.01"_s);
    QVERIFY(editor->thresholdEditor()->isValid());

    RunPanel *run = window.runPanel();
    QVERIFY(!run->exportButton()->isEnabled()); // nothing to export yet
    QSignalSpy started(&window, &MainWindow::runStarted);
    QSignalSpy snapshots(&window, &MainWindow::snapshotShown);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QSignalSpy failed(&window, &MainWindow::runFailed);
    QTest::mouseClick(run->runButton(), Qt::LeftButton);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QVERIFY(window.isRunning());
    QVERIFY(!editor->isEnabled()); // the plan being run cannot change under it
    QVERIFY(!run->runButton()->isEnabled());
    QVERIFY(run->stopButton()->isEnabled());
    QVERIFY(started.wait(5000) || started.count() == 1);
    QVERIFY(finished.wait(30000));
    QVERIFY(editor->isEnabled()); // editable again once the run ends
    QVERIFY(failed.isEmpty());
    QVERIFY2(snapshots.count() >= 2, qPrintable(QString::number(snapshots.count())));
    // Whose CPU the run used: the generator's, and from the second second the launched service's.
    QVERIFY2(run->cpuLabel()->text().startsWith(u"Generator CPU "_s), qPrintable(run->cpuLabel()->text()));
    QVERIFY2(run->cpuLabel()->text().contains(u" · service CPU "_s), qPrintable(run->cpuLabel()->text()));

    // The live charts drew what the run measured.
    LiveCharts *charts = run->liveCharts();
    QVERIFY(charts->p95Series()->count() > 0);
    QVERIFY(charts->p50Series()->count() > 0);
    QVERIFY(charts->p99Series()->count() > 0);
    QVERIFY(charts->requestsSeries()->count() > 0);
    QVERIFY(charts->vusSeries()->count() > 0);
    double peakRate = 0;
    for (const QPointF &point : charts->requestsSeries()->points())
        peakRate = qMax(peakRate, point.y());
    QVERIFY2(peakRate > 0, "requests per second were drawn");
    for (const QPointF &point : charts->p95Series()->points())
        QVERIFY(point.y() > 0 && point.y() < 2000);
    QVERIFY(charts->plannedVusSeries()->count() == 3);

    const Summary &summary = window.lastSummary();
    QVERIFY(summary.metrics->httpReqs > 0);
    QCOMPARE(summary.metrics->httpReqFailed, quint64(0));
    QVERIFY(run->requestsCard()->value() != u"–"_s);
    QCOMPARE(run->errorsCard()->value(), u"0"_s);
    ThresholdStateModel *thresholds = run->thresholdModel();
    QCOMPARE(thresholds->rowCount(), 2);
    QCOMPARE(thresholds->stateAt(0), ThresholdStateModel::State::Holds);
    QCOMPARE(thresholds->stateAt(1), ThresholdStateModel::State::Holds);
    QVERIFY(run->runButton()->isEnabled());
    QVERIFY(run->exportButton()->isEnabled());
    QCOMPARE(run->progressBar()->value(), run->progressBar()->maximum());

    // Export into a file's path fails with a clear message.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString notAFolder = dir.filePath(u"not-a-folder"_s);
    {
        QFile file(notAFolder);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QString picked = notAFolder;
    window.setExportFolderPicker([&picked] { return picked; });
    QSignalSpy exportFailed(&window, &MainWindow::exportFailed);
    QSignalSpy exported(&window, &MainWindow::exported);
    QTest::mouseClick(run->exportButton(), Qt::LeftButton);
    QCOMPARE(exportFailed.count(), 1);
    QVERIFY2(exportFailed.first().first().toString().contains(u"not-a-folder"_s),
             qPrintable(exportFailed.first().first().toString()));
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox *>()) != nullptr);
    QVERIFY(box->text().contains(u"not-a-folder"_s));
    box->close();

    // Export into a new folder writes the three files.
    picked = dir.filePath(u"report"_s);
    QTest::mouseClick(run->exportButton(), Qt::LeftButton);
    QCOMPARE(exported.count(), 1);
    for (const QString &name : {u"report.html"_s, u"latency.svg"_s, u"summary.json"_s, u"intervals.lbh"_s}) {
        const QFileInfo info(QDir(picked).filePath(name));
        QVERIFY2(info.exists() && info.size() > 0, qPrintable(info.filePath()));
    }
    QFile summaryFile(QDir(picked).filePath(u"summary.json"_s));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    QJsonParseError parseError;
    const QJsonDocument summaryJson = QJsonDocument::fromJson(summaryFile.readAll(), &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QVERIFY(summaryJson.object().value(u"metrics"_s).isObject());
    QFile svg(QDir(picked).filePath(u"latency.svg"_s));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));

    // Stop once is graceful, twice aborts.
    setStage(model, 1, u"1m"_s, 2);
    QTest::mouseClick(run->runButton(), Qt::LeftButton);
    QVERIFY(window.isRunning());
    QVERIFY(snapshots.wait(5000));
    QTest::mouseClick(run->stopButton(), Qt::LeftButton);
    QVERIFY(run->phaseLabel()->text().contains(u"Stopping"_s));
    QCOMPARE(run->stopButton()->text().remove(u'&'), u"Abort"_s);
    if (window.isRunning())
        QTest::mouseClick(run->stopButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 10000);
    QVERIFY(window.lastSummary().interrupted);

    // Closing the window in the middle of a run stops the run and the service it launched.
    QTest::mouseClick(run->runButton(), Qt::LeftButton);
    QVERIFY(window.isRunning());
    QVERIFY(snapshots.wait(5000));
    const qint64 pid = launcher->processId();
    QVERIFY(pid > 0);
    window.setClosePrompt([] { return QMessageBox::Discard; }); // the stages were edited
    QVERIFY(window.close());
    QVERIFY(!window.isRunning());
    QVERIFY(!launcher->isRunning());
    errno = 0;
    QCOMPARE(::kill(pid_t(pid), 0), -1); // gone and reaped
    QCOMPARE(errno, ESRCH);
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
