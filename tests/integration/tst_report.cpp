// SPDX-License-Identifier: GPL-3.0-or-later
// `loadbench-cli report` end to end: a window of a real recorded run, the whole run against the
// run's own summary, bad input, and the proof against k6: each real k6 run's results.jsonl
// (tests/fixtures/k6.tar.gz) gives k6's own summary.json again.
#include "mockhttpserver.h"
#include "serviceprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWaitCondition>

#include <cmath>

using namespace loadbench::test;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

double stat(const QJsonObject &summary, const char *metric, const char *key)
{
    return summary.value(QLatin1String("metrics")).toObject().value(QLatin1String(metric)).toObject().value(QLatin1String(key)).toDouble(-1);
}

// A loopback server on its own thread (runProgram blocks this one) whose answers slow down from
// 10 ms to 300 ms 1.5 s after its first request.
class SlowingServer : public QThread
{
public:
    QString url()
    {
        QMutexLocker lock(&m_mutex);
        while (m_url.isEmpty())
            m_ready.wait(&m_mutex);
        return m_url;
    }

protected:
    void run() override
    {
        QElapsedTimer sinceFirst;
        MockHttpServer server([&sinceFirst](int) {
            if (!sinceFirst.isValid())
                sinceFirst.start();
            MockHttpServer::Reply reply;
            reply.delayMs = sinceFirst.elapsed() < 1500 ? 10 : 300;
            return reply;
        });
        const bool listening = server.listen();
        {
            QMutexLocker lock(&m_mutex);
            m_url = listening ? server.url() : QStringLiteral("none");
            m_ready.wakeAll();
        }
        exec();
    }

private:
    QMutex m_mutex;
    QWaitCondition m_ready;
    QString m_url;
};

} // namespace

class TestReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void windowOfARecordedRun();
    void badInputExits104_data();
    void badInputExits104();
    void cutIntervalFileIsReportedAndUsed();
    void cutResultsLastLineIsReportedAndUsed();
    void matchesK6_data();
    void matchesK6();

private:
    QString m_cli;
    QTemporaryDir m_dir;
    QString m_runDir; // recorded by windowOfARecordedRun
};

void TestReport::initTestCase()
{
    m_cli = qEnvironmentVariable("LOADBENCH_CLI");
    if (m_cli.isEmpty())
        QSKIP("LOADBENCH_CLI is not set (run through ctest)");
    QVERIFY(m_dir.isValid());
}

void TestReport::windowOfARecordedRun()
{
    SlowingServer server;
    server.start();
    const QString url = server.url();
    QVERIFY(url.startsWith(QLatin1String("http://")));
    const QString scenario = m_dir.filePath(QStringLiteral("slowing.json"));
    {
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "slowing", "target": {"url": ")" + url.toUtf8() + R"("}, "vus": 2, "duration": "4s",
                    "thresholds": {"http_req_duration": ["p(95)<100"]}})");
    }
    m_runDir = m_dir.filePath(QStringLiteral("slowing-run"));
    const QString jsonl = m_dir.filePath(QStringLiteral("slowing.jsonl"));
    const Finished run = runProgram(m_cli, {QStringLiteral("run"), scenario, QStringLiteral("--report-dir"), m_runDir,
                                            QStringLiteral("--out"), QStringLiteral("json=") + jsonl, QStringLiteral("-q")},
                                    m_dir.path(), 60'000);
    server.quit();
    server.wait();
    QVERIFY2(!run.crashed, qPrintable(run.err));
    QCOMPARE(run.exitCode, 99); // p(95) < 100 ms cannot hold once answers take 300 ms
    QVERIFY2(QFileInfo(QDir(m_runDir).filePath(QStringLiteral("intervals.lbh"))).size() > 100, qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(QDir(m_runDir).filePath(QStringLiteral("intervals.lbh.part"))));

    // The later window: only slow answers (300 ms), and its threshold is crossed.
    const QString late = m_dir.filePath(QStringLiteral("late.json"));
    const QString lateDir = m_dir.filePath(QStringLiteral("late-report"));
    Finished report = runProgram(m_cli, {QStringLiteral("report"), m_runDir, QStringLiteral("--from"), QStringLiteral("2s"),
                                         QStringLiteral("--to"), QStringLiteral("4s"), QStringLiteral("--summary-export"), late,
                                         QStringLiteral("--out"), lateDir},
                                 m_dir.path(), 30'000);
    QCOMPARE(report.exitCode, 99);
    QVERIFY2(report.out.contains(QLatin1String("http_req_duration")), qPrintable(report.out));
    QVERIFY2(report.out.contains(QLatin1String("window: 2s to 4s (2.0 s)")), qPrintable(report.out));
    const QJsonObject lateSummary = readJson(late);
    QVERIFY2(stat(lateSummary, "http_req_duration", "min") >= 280, qPrintable(QString::number(stat(lateSummary, "http_req_duration", "min"))));
    QVERIFY(stat(lateSummary, "http_reqs", "count") >= 4);
    for (const char *file : {"summary.json", "report.html", "latency.svg"})
        QVERIFY2(QFileInfo(QDir(lateDir).filePath(QLatin1String(file))).size() > 100, file);
    QCOMPARE(readJson(QDir(lateDir).filePath(QStringLiteral("summary.json"))), lateSummary);

    // The first second: only fast answers, the threshold holds.
    const QString early = m_dir.filePath(QStringLiteral("early.json"));
    report = runProgram(m_cli, {QStringLiteral("report"), m_runDir, QStringLiteral("--to"), QStringLiteral("1s"),
                                QStringLiteral("--summary-export"), early, QStringLiteral("-q")},
                        m_dir.path(), 30'000);
    QCOMPARE(report.exitCode, 0);
    QVERIFY(report.out.isEmpty());
    const QJsonObject earlySummary = readJson(early);
    QVERIFY2(stat(earlySummary, "http_req_duration", "max") < 250, qPrintable(QString::number(stat(earlySummary, "http_req_duration", "max"))));
    QVERIFY(stat(earlySummary, "http_reqs", "count") >= 10);

    // The whole run, from the run folder and from the run's own results.jsonl: the run's
    // summary.json again. From the intervals histogram for histogram (exact); from the points
    // within the histogram's precision (0.1 %).
    const QJsonObject original = readJson(QDir(m_runDir).filePath(QStringLiteral("summary.json"))).value(QLatin1String("metrics")).toObject();
    for (const QString &input : {m_runDir, jsonl}) {
        const bool exact = input == m_runDir;
        const QString whole = m_dir.filePath(QStringLiteral("whole.json"));
        report = runProgram(m_cli, {QStringLiteral("report"), input, QStringLiteral("--summary-export"), whole, QStringLiteral("-q")},
                            m_dir.path(), 30'000);
        QVERIFY2(report.exitCode == 99, qPrintable(report.err));
        const QJsonObject ours = readJson(whole).value(QLatin1String("metrics")).toObject();
        QCOMPARE(ours.keys(), original.keys());
        for (const QString &metric : original.keys()) {
            const QJsonObject a = ours.value(metric).toObject(), b = original.value(metric).toObject();
            QCOMPARE(a.keys(), b.keys());
            const bool trend = b.contains(QLatin1String("avg"));
            for (const QString &key : b.keys()) {
                const double x = a.value(key).toDouble(), y = b.value(key).toDouble();
                // A rate per second: the intervals end at the last collection and the points at
                // the last sample, the run a moment later.
                const double tolerance = key == QLatin1String("rate") ? 0.05 * std::abs(y) + 1e-9
                                         : trend && !exact           ? std::max(0.001, 0.001 * std::abs(y))
                                                                     : 0;
                QVERIFY2(key == QLatin1String("thresholds") ? a.value(key) == b.value(key) : std::abs(x - y) <= tolerance,
                         qPrintable(QStringLiteral("%1: %2 %3: %4 vs %5").arg(input, metric, key).arg(x).arg(y)));
            }
        }
    }
}

void TestReport::badInputExits104_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no input") << QStringList{} << QStringLiteral("missing the run folder or results file");
    QTest::newRow("missing file") << QStringList{QStringLiteral("nowhere/results.jsonl")} << QStringLiteral("nowhere/results.jsonl: no such file");
    QTest::newRow("not a run folder") << QStringList{QStringLiteral("EMPTY")} << QStringLiteral("not a run folder");
    QTest::newRow("bad duration") << QStringList{QStringLiteral("RUN"), QStringLiteral("--from"), QStringLiteral("soon")}
                                  << QStringLiteral("--from: \"soon\" is not a duration");
    QTest::newRow("reversed window") << QStringList{QStringLiteral("RUN"), QStringLiteral("--from"), QStringLiteral("3s"), QStringLiteral("--to"), QStringLiteral("1s")}
                                     << QStringLiteral("--to 1s must come after --from 3s");
    QTest::newRow("window outside the run") << QStringList{QStringLiteral("RUN"), QStringLiteral("--from"), QStringLiteral("10m")}
                                            << QStringLiteral("holds no interval of the run");
    QTest::newRow("bad trend stat") << QStringList{QStringLiteral("RUN"), QStringLiteral("--summary-trend-stats"), QStringLiteral("avg,p(101)")}
                                    << QStringLiteral("\"p(101)\" is no trend statistic");
    QTest::newRow("not json lines") << QStringList{QStringLiteral("GARBAGE")} << QStringLiteral("garbage.txt:1: not a JSON object");
}

void TestReport::badInputExits104()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    if (m_runDir.isEmpty())
        QSKIP("needs the recorded run");
    QDir(m_dir.path()).mkpath(QStringLiteral("empty"));
    QFile garbage(m_dir.filePath(QStringLiteral("garbage.txt")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("hello\n");
    garbage.close();
    for (QString &a : arguments) {
        a.replace(QLatin1String("EMPTY"), m_dir.filePath(QStringLiteral("empty")));
        a.replace(QLatin1String("RUN"), m_runDir);
        a.replace(QLatin1String("GARBAGE"), garbage.fileName());
    }
    const Finished f = runProgram(m_cli, QStringList{QStringLiteral("report")} + arguments, m_dir.path(), 30'000);
    QCOMPARE(f.exitCode, 104);
    QVERIFY2(f.err.contains(message), qPrintable(f.err));
}

void TestReport::cutIntervalFileIsReportedAndUsed()
{
    if (m_runDir.isEmpty())
        QSKIP("needs the recorded run");
    const QString cutDir = m_dir.filePath(QStringLiteral("cut-run"));
    QVERIFY(QDir().mkpath(cutDir));
    QFile source(QDir(m_runDir).filePath(QStringLiteral("intervals.lbh")));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    QFile cut(QDir(cutDir).filePath(QStringLiteral("intervals.lbh.part")));
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(bytes.left(bytes.size() - 10));
    cut.close();
    const Finished f = runProgram(m_cli, {QStringLiteral("report"), cutDir}, m_dir.path(), 30'000);
    QVERIFY2(f.exitCode == 0 || f.exitCode == 99, qPrintable(f.err));
    QVERIFY2(f.err.contains(QLatin1String("cut at byte")), qPrintable(f.err));
    QVERIFY(f.out.contains(QLatin1String("http_reqs")));
}

void TestReport::cutResultsLastLineIsReportedAndUsed()
{
    // k6 killed mid-write, or a full disk: the last line stops short. The lines before it are
    // used and the cut is said; a broken line anywhere else is still an error.
    QFile source(QStringLiteral(LOADBENCH_K6_FIXTURES "/smoke-results.jsonl"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    const QString cutPath = m_dir.filePath(QStringLiteral("cut-results.jsonl"));
    QFile cut(cutPath);
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(bytes.left(bytes.size() - 25));
    cut.close();
    const int lines = int(bytes.count('\n'));
    Finished f = runProgram(m_cli, {QStringLiteral("report"), cutPath}, m_dir.path(), 30'000);
    QVERIFY2(f.exitCode == 0, qPrintable(f.err));
    QVERIFY2(f.err.contains(QStringLiteral("cut-results.jsonl:%1: the last line is cut short").arg(lines)), qPrintable(f.err));
    QVERIFY(f.out.contains(QLatin1String("http_reqs")));

    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(bytes.left(30) + "\n" + bytes.mid(bytes.indexOf('\n') + 1)); // line 1 cut, then whole lines
    cut.close();
    f = runProgram(m_cli, {QStringLiteral("report"), cutPath}, m_dir.path(), 30'000);
    QCOMPARE(f.exitCode, 104);
    QVERIFY2(f.err.contains(QLatin1String("cut-results.jsonl:1: not a JSON object")), qPrintable(f.err));
}

void TestReport::matchesK6_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<QString>("trendStats");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("smoke") << "smoke" << QString() << 0;
    QTest::newRow("load") << "load" << "min,med,avg,p(95),p(99),max" << 0;
    QTest::newRow("refused") << "refused" << QString() << 99;
}

void TestReport::matchesK6()
{
    QFETCH(QString, run);
    QFETCH(QString, trendStats);
    QFETCH(int, exitCode);
    const QString fixtures = QStringLiteral(LOADBENCH_K6_FIXTURES);
    const QString out = m_dir.filePath(run + QStringLiteral("-ours.json"));
    QStringList arguments{QStringLiteral("report"), fixtures + u'/' + run + QStringLiteral("-results.jsonl"),
                          QStringLiteral("--summary-export"), out};
    if (!trendStats.isEmpty())
        arguments << QStringLiteral("--summary-trend-stats") << trendStats;
    const Finished f = runProgram(m_cli, arguments, m_dir.path(), 60'000);
    QVERIFY2(!f.crashed, qPrintable(f.err));
    QVERIFY2(f.exitCode == exitCode, qPrintable(f.err));

    const QJsonObject ours = readJson(out);
    const QJsonObject k6 = readJson(fixtures + u'/' + run + QStringLiteral("-summary.json"));
    QVERIFY(!k6.isEmpty());
    const QJsonObject oursMetrics = ours.value(QLatin1String("metrics")).toObject();
    const QJsonObject k6Metrics = k6.value(QLatin1String("metrics")).toObject();
    QCOMPARE(oursMetrics.keys(), k6Metrics.keys());
    for (const QString &name : k6Metrics.keys()) {
        const QJsonObject theirs = k6Metrics.value(name).toObject();
        const QJsonObject mine = oursMetrics.value(name).toObject();
        QCOMPARE(mine.keys(), theirs.keys());
        const bool trend = theirs.contains(QLatin1String("avg"));
        for (const QString &key : theirs.keys()) {
            if (key == QLatin1String("thresholds")) {
                QCOMPARE(mine.value(key).toObject(), theirs.value(key).toObject());
                continue;
            }
            const double expected = theirs.value(key).toDouble();
            const double got = mine.value(key).toDouble();
            // Trend stats: 0.1 % or 1 µs (the histogram's precision); a counter's rate: 0.1 % (the
            // run's duration is estimated from the points); counts, passes, fails, values: exact.
            double tolerance = 0;
            if (trend)
                tolerance = std::max(0.001, std::abs(expected) * 0.001);
            else if (key == QLatin1String("rate") && theirs.contains(QLatin1String("count")))
                tolerance = std::abs(expected) * 0.001;
            QVERIFY2(std::abs(got - expected) <= tolerance,
                     qPrintable(QStringLiteral("%1 %2: ours %3, k6 %4").arg(name, key).arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
        }
    }
    const QJsonObject k6Checks = k6.value(QLatin1String("root_group")).toObject().value(QLatin1String("checks")).toObject();
    const QJsonObject ourChecks = ours.value(QLatin1String("root_group")).toObject().value(QLatin1String("checks")).toObject();
    QCOMPARE(ourChecks.keys(), k6Checks.keys());
    for (const QString &name : k6Checks.keys())
        QCOMPARE(ourChecks.value(name).toObject(), k6Checks.value(name).toObject());
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
