// SPDX-License-Identifier: GPL-3.0-or-later
// Unsaved edits are never lost silently: the title marks them, and closing asks Save, Discard
// or Cancel; Cancel keeps the window, Save writes the file (and a failed save keeps it open).
#include "guitest.h"
#include "mainwindow.h"
#include "scenarioeditor.h"
#include "targetpanel.h"

#include <QDir>
#include <QFile>
#include <QMenu>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>

using namespace loadbench;
using namespace Qt::StringLiterals;

class TestUnsaved : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editsMarkAndAskOnClose();
    void recentFilesListedAndOpened();
};

void TestUnsaved::editsMarkAndAskOnClose()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"name": "keep", "target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "5s"})");
    file.close();

    MainWindow window;
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    window.setClosePrompt([&] {
        ++asked;
        return answer;
    });
    QVERIFY(!window.isModified()); // as started
    QString why;
    QVERIFY2(window.openScenarioFile(path, &why), qPrintable(why));
    QVERIFY(!window.isModified());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Another target is no edit of the scenario.
    window.targetPanel()->setUrl(QUrl(u"http://127.0.0.1:2/"_s));
    QVERIFY(!window.isModified());
    QVERIFY(window.close());
    QCOMPARE(asked, 0);
    window.show();

    // An edit: marked, and closing asks. Cancel keeps the window.
    test::retype(window.scenarioEditor()->nameEdit(), u"changed"_s);
    QVERIFY(window.isModified());
    QVERIFY(window.isWindowModified());
    QVERIFY(!window.close());
    QCOMPARE(asked, 1);
    QVERIFY(window.isVisible());

    // Save writes the file, then the window closes.
    answer = QMessageBox::Save;
    QVERIFY(window.close());
    QCOMPARE(asked, 2);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("\"name\": \"changed\""));
    file.close();
    QVERIFY(!window.isModified());

    // Discard closes without writing.
    window.show();
    test::retype(window.scenarioEditor()->nameEdit(), u"dropped"_s);
    answer = QMessageBox::Discard;
    QVERIFY(window.close());
    QCOMPARE(asked, 3);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("dropped"));
}

void TestUnsaved::recentFilesListedAndOpened()
{
    // Files opened or saved are listed in File › Open Recent, most recent first; picking one
    // opens it. (Settings live in the build folder under ctest.)
    QTemporaryDir dir;
    auto write = [&](const QString &name) {
        const QString path = dir.filePath(name + u".json"_s);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(R"({"name": ")" + name.toUtf8() + R"(", "target": {"url": "http://127.0.0.1:1/"}, "vus": 1, "duration": "5s"})");
        return path;
    };
    const QString a = write(u"alpha"_s), b = write(u"beta"_s);
    MainWindow window;
    QString why;
    QVERIFY2(window.openScenarioFile(a, &why), qPrintable(why));
    QVERIFY2(window.openScenarioFile(b, &why), qPrintable(why));
    QCOMPARE(window.recentFiles().mid(0, 2), (QStringList{b, a}));
    const QString saved = dir.filePath(u"gamma.json"_s);
    QVERIFY2(window.saveScenarioFile(saved, &why), qPrintable(why));
    QCOMPARE(window.recentFiles().value(0), saved);
    QVERIFY(window.recentFiles().size() <= MainWindow::maxRecentFiles);
    QVERIFY(window.recentMenu()->isEnabled());
    const QList<QAction *> actions = window.recentMenu()->actions();
    QVERIFY(actions.size() >= 3);
    QCOMPARE(actions.value(2)->text(), QDir::toNativeSeparators(a));
    actions.value(2)->trigger(); // opens alpha again
    QCOMPARE(window.scenarioEditor()->nameEdit()->text(), u"alpha"_s);
    QCOMPARE(window.recentFiles().value(0), a);
}

QTEST_MAIN(TestUnsaved)
#include "tst_unsaved.moc"
