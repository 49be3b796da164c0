// SPDX-License-Identifier: GPL-3.0-or-later
// The History tab: runs saved by loadbench-cli and by the workbench itself, newest first with
// their rate, p95 and verdict (an unfinished folder listed as incomplete); opening one shows
// its charts and summary in the Run tab as they looked live, and Export then writes that run.
#include "guitest.h"
#include "livecharts.h"
#include "mainwindow.h"
#include "metriccard.h"
#include "runhistorymodel.h"
#include "runhistorypanel.h"
#include "runpanel.h"
#include "scenarioeditor.h"
#include "serviceprocess.h"
#include "targetpanel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace loadbench;
using namespace Qt::StringLiterals;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsRunsNewestFirst();
    void openingARunShowsItAsItWas();
    void workbenchRunsAreSaved();
    void badFolderIsAnError();

private:
    // A run by loadbench-cli into runs/<name>; returns its exit code.
    int cliRun(const QString &name, const QByteArray &thresholds);

    test::ServiceProcess m_service;
    QTemporaryDir m_dir;
    QString m_runs;
};

void TestHistory::initTestCase()
{
    QString why;
    QVERIFY2(m_service.start(&why), qPrintable(why));
    m_runs = m_dir.filePath(u"runs"_s);
    QVERIFY(QDir().mkpath(m_runs));
    QCOMPARE(cliRun(u"first"_s, R"({"http_req_duration": ["p(95)<10000"]})"), 0);
    QTest::qWait(1100); // distinct start times, to the second
    QCOMPARE(cliRun(u"second"_s, R"({"http_req_duration": ["max<0.0001"]})"), 99);
    // A folder whose run never finished: intervals only.
    QVERIFY(QDir().mkpath(m_runs + u"/crashed"_s));
    QFile part(m_runs + u"/crashed/intervals.lbh.part"_s);
    QVERIFY(part.open(QIODevice::WriteOnly));
    // And a folder that is no run at all: not listed.
    QVERIFY(QDir().mkpath(m_runs + u"/notes"_s));
}

int TestHistory::cliRun(const QString &name, const QByteArray &thresholds)
{
    const QString scenario = m_dir.filePath(name + u".json"_s);
    QFile file(scenario);
    if (!file.open(QIODevice::WriteOnly))
        return -1;
    file.write(R"({"name": ")" + name.toUtf8() + R"(", "target": {"url": ")" + m_service.healthUrl().toUtf8()
               + R"(", "thinkTime": "5ms"}, "vus": 2, "duration": "2s", "thresholds": )" + thresholds + "}");
    file.close();
    const test::Finished run = test::runProgram(qEnvironmentVariable("LOADBENCH_CLI"),
                                                {u"run"_s, scenario, u"-q"_s, u"--report-dir"_s, m_runs + u'/' + name},
                                                m_dir.path(), 60'000);
    return run.exitCode;
}

void TestHistory::listsRunsNewestFirst()
{
    MainWindow window;
    window.setRunsFolder(m_runs);
    RunHistoryModel *model = window.historyPanel()->model();
    QCOMPARE(model->rowCount(), 3);
    // "crashed" has no start time of its own (its folder's time, the newest): then second, first.
    QStringList order;
    for (int row = 0; row < 3; ++row)
        order << model->entry(row).scenario;
    QCOMPARE(order.mid(1), (QStringList{u"second"_s, u"first"_s}));
    QCOMPARE(order.first(), u"crashed"_s);
    QCOMPARE(model->entry(0).verdict(), u"incomplete"_s);
    QCOMPARE(model->entry(1).verdict(), u"failed"_s);
    QCOMPARE(model->entry(2).verdict(), u"passed"_s);
    const QJsonObject summary = readJson(m_runs + u"/first/summary.json"_s);
    const QJsonObject metrics = summary.value(u"metrics"_s).toObject();
    QCOMPARE(model->entry(2).requests, quint64(metrics.value(u"http_reqs"_s).toObject().value(u"count"_s).toDouble()));
    QCOMPARE(model->entry(2).requestsPerSecond, metrics.value(u"http_reqs"_s).toObject().value(u"rate"_s).toDouble());
    QCOMPARE(model->entry(2).p95Ms, metrics.value(u"http_req_duration"_s).toObject().value(u"p(95)"_s).toDouble());
    QCOMPARE(model->data(model->index(2, RunHistoryModel::ResultColumn)).toString(), u"passed"_s);
    QVERIFY(!model->data(model->index(2, RunHistoryModel::RateColumn)).toString().isEmpty());
    QVERIFY(model->data(model->index(0, 0), Qt::ToolTipRole).toString().contains(u"did not finish"_s));
}

void TestHistory::openingARunShowsItAsItWas()
{
    MainWindow window;
    window.setRunsFolder(m_runs);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.rightTabs()->setCurrentIndex(1);
    RunHistoryPanel *history = window.historyPanel();
    QVERIFY(!history->openButton()->isEnabled()); // nothing selected
    history->view()->selectRow(2); // "first"
    QVERIFY(history->openButton()->isEnabled());
    QSignalSpy opened(&window, &MainWindow::recordedRunOpened);
    QTest::mouseClick(history->openButton(), Qt::LeftButton);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(window.rightTabs()->currentIndex(), 0); // shown in the Run tab

    const QJsonArray timeline = readJson(m_runs + u"/first/timeline.json"_s).value(u"intervals"_s).toArray();
    RunPanel *run = window.runPanel();
    QCOMPARE(run->liveCharts()->requestsSeries()->count(), timeline.size());
    QVERIFY2(run->phaseLabel()->text().startsWith(u"Recorded: first, "_s), qPrintable(run->phaseLabel()->text()));
    const QJsonObject metrics = readJson(m_runs + u"/first/summary.json"_s).value(u"metrics"_s).toObject();
    QVERIFY(window.hasLastRun());
    QCOMPARE(double(window.lastSummary().metrics->httpReqs), metrics.value(u"http_reqs"_s).toObject().value(u"count"_s).toDouble());
    QCOMPARE(run->errorsCard()->value(), u"0"_s);
    QVERIFY(run->exportButton()->isEnabled()); // Export writes this run
    // The failed one shows its crossed threshold.
    history->view()->selectRow(1);
    emit history->view()->activated(history->view()->currentIndex());
    QCOMPARE(opened.count(), 2);
    QVERIFY2(run->verdictLabel()->text().contains(u"crossed"_s), qPrintable(run->verdictLabel()->text()));
}

void TestHistory::workbenchRunsAreSaved()
{
    QTemporaryDir own;
    MainWindow window;
    window.setRunsFolder(own.filePath(u"runs"_s));
    QCOMPARE(window.historyPanel()->model()->rowCount(), 0); // no folder yet: empty, not an error
    window.targetPanel()->setUrl(QUrl(m_service.healthUrl()));
    ScenarioEditor *editor = window.scenarioEditor();
    editor->setExecutor(ExecutorType::ConstantVus);
    qobject_cast<QSpinBox *>(editor->executorField(u"vus"_s))->setValue(1);
    QLineEdit *duration = qobject_cast<QLineEdit *>(editor->executorField(u"duration"_s));
    duration->setText(u"1s"_s);
    emit duration->editingFinished();
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QTest::mouseClick(window.runPanel()->runButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30'000));
    QCOMPARE(window.historyPanel()->model()->rowCount(), 1);
    const QString folder = window.lastRunFolder();
    QVERIFY(folder.startsWith(own.filePath(u"runs/"_s)));
    for (const char *file : {"summary.json", "timeline.json", "report.html", "intervals.lbh"})
        QVERIFY2(QFile::exists(folder + u'/' + QLatin1String(file)), file);
    QCOMPARE(window.historyPanel()->model()->entry(0).folder, folder);
}

void TestHistory::badFolderIsAnError()
{
    MainWindow window;
    QString why;
    QVERIFY(!window.openRecordedRun(m_dir.filePath(u"nowhere"_s), &why));
    QVERIFY2(why.contains(u"nowhere"_s), qPrintable(why));
}

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
