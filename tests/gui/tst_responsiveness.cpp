// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI thread never blocks while a run goes: with 500 VUs sending to the real service, a
// 10 ms timer on the window's thread keeps firing, and the window repaints. The figure (the
// longest gap between two ticks beyond their 10 ms) is printed; the bound asserted is
// generous, for a loaded 2-core CI machine: it catches a GUI thread that does the run's work
// or waits on it, not scheduling noise.
#include "guitest.h"
#include "mainwindow.h"
#include "runpanel.h"
#include "scenarioeditor.h"
#include "serviceprocess.h"
#include "targetpanel.h"

#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace loadbench;
using loadbench::test::retype;
using namespace Qt::StringLiterals;

class TestResponsiveness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void guiThreadKeepsTicksWith500Vus();
};

void TestResponsiveness::guiThreadKeepsTicksWith500Vus()
{
    test::ServiceProcess service;
    QString why;
    QVERIFY2(service.start(&why, {u"--max-connections"_s, u"700"_s}), qPrintable(why));

    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.targetPanel()->setUrl(QUrl(service.healthUrl()));
    ScenarioEditor *editor = window.scenarioEditor();
    editor->setExecutor(ExecutorType::ConstantVus);
    qobject_cast<QSpinBox *>(editor->executorField(u"vus"_s))->setValue(500);
    retype(qobject_cast<QLineEdit *>(editor->executorField(u"duration"_s)), u"6s"_s);
    retype(editor->thinkTimeEdit(), u"100ms"_s); // ~5000 requests/s from 500 connections

    // The probe: a 10 ms timer on the GUI thread, and a repaint request with each tick.
    QElapsedTimer clock;
    qint64 lastTickMs = -1, worstGapMs = 0, ticks = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    connect(&probe, &QTimer::timeout, &window, [&] {
        const qint64 now = clock.elapsed();
        if (lastTickMs >= 0)
            worstGapMs = std::max(worstGapMs, now - lastTickMs - 10);
        lastTickMs = now;
        ++ticks;
        window.update();
    });

    RunPanel *run = window.runPanel();
    QSignalSpy snapshots(&window, &MainWindow::snapshotShown);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QSignalSpy failed(&window, &MainWindow::runFailed);
    QTest::mouseClick(run->runButton(), Qt::LeftButton);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    // Measured once the VUs are up (the first snapshot), until the run ends.
    QVERIFY(snapshots.wait(10'000));
    clock.start();
    probe.start();
    QVERIFY(finished.wait(60'000));
    probe.stop();
    const double seconds = double(clock.elapsed()) / 1000;

    const Summary &summary = window.lastSummary();
    const quint64 requests = summary.metrics->httpReqs;
    qInfo("500 VUs, %llu requests, %llu failed; GUI thread: %lld ticks of 10 ms in %.1f s, worst extra gap %lld ms",
          static_cast<unsigned long long>(requests), static_cast<unsigned long long>(summary.metrics->httpReqFailed),
          ticks, seconds, worstGapMs);
    QVERIFY2(summary.vusMax == 500, qPrintable(QString::number(summary.vusMax)));
    QVERIFY(requests > 5000); // the load was real
    QCOMPARE(summary.metrics->httpReqFailed, 0u);
    QVERIFY2(worstGapMs < 500, qPrintable(u"the GUI thread stalled %1 ms"_s.arg(worstGapMs)));
    QVERIFY2(ticks >= qint64(seconds * 100 / 4), qPrintable(u"%1 ticks in %2 s"_s.arg(ticks).arg(seconds)));
}

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
