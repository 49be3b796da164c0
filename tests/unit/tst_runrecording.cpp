// SPDX-License-Identifier: GPL-3.0-or-later
// intervals.lbh written and read back, a cut file, and windows of a recording: a window is the
// merge of its intervals (midpoint rule), the whole run equals the cumulative metrics, and two
// windows merged equal the window that spans both.
#include "analysis/runrecording.h"
#include "metrics/histogramcodec.h"
#include "output/intervalhistograms.h"
#include "output/summaryjson.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace loadbench;

namespace {

constexpr qint64 second = 1'000'000'000;

// One interval of a run: `requests` requests around `latencyMs`, a failure every 50th, checks.
void fillInterval(MetricSet &m, QRandomGenerator &rng, int requests, double latencyMs)
{
    for (int i = 0; i < requests; ++i) {
        RequestSample s;
        s.durationNs = qint64(latencyMs * 1e6 * (0.5 + rng.generateDouble()));
        s.waitingNs = s.durationNs * 9 / 10;
        s.sendingNs = 20'000 + rng.bounded(5000);
        s.receivingNs = s.durationNs - s.waitingNs - s.sendingNs;
        s.status = i % 50 == 49 ? 503 : 200;
        s.expected = s.status == 200;
        s.bytesSent = 90;
        s.bytesReceived = 110;
        m.recordRequest(s);
        m.recordIteration(s.durationNs + 1'000'000);
        m.recordCheck(QStringLiteral("status is 200"), s.expected);
    }
    m.interruptedIterations += rng.bounded(2);
}

bool sameMetrics(const MetricSet &a, const MetricSet &b, QString *why)
{
    for (int i = 0; i < trendMetricCount; ++i) {
        const Histogram &x = a.trend(TrendMetric(i)), &y = b.trend(TrendMetric(i));
        const auto bx = x.nonEmptyBuckets(), by = y.nonEmptyBuckets();
        bool same = x.count() == y.count() && x.min() == y.min() && x.max() == y.max() && bx.size() == by.size();
        for (size_t k = 0; same && k < bx.size(); ++k)
            same = bx[k].count == by[k].count && bx[k].highestValueNs == by[k].highestValueNs;
        // Sums are added in the same order on both sides: bit for bit.
        same = same && x.sum() == y.sum();
        if (!same) {
            *why = trendMetricName(TrendMetric(i)) + QStringLiteral(" differs");
            return false;
        }
    }
    if (a.httpReqs != b.httpReqs || a.httpReqFailed != b.httpReqFailed || a.iterations != b.iterations
        || a.interruptedIterations != b.interruptedIterations || a.droppedIterations != b.droppedIterations
        || a.dataSent != b.dataSent || a.dataReceived != b.dataReceived || a.errors != b.errors
        || a.checks.size() != b.checks.size()) {
        *why = QStringLiteral("counters differ");
        return false;
    }
    for (qsizetype i = 0; i < a.checks.size(); ++i) {
        if (a.checks[i].name != b.checks[i].name || a.checks[i].passes != b.checks[i].passes
            || a.checks[i].fails != b.checks[i].fails) {
            *why = QStringLiteral("checks differ");
            return false;
        }
    }
    return true;
}

struct Recorded {
    QString folder;
    MetricSet cumulative;
    std::vector<MetricSet> intervals;
};

// Writes `n` 1 s intervals through the writer, latency rising 10 ms a second.
void record(Recorded &r, const QString &folder, int n, bool close = true)
{
    r.folder = folder;
    QRandomGenerator rng(42);
    IntervalHistogramWriter writer;
    QString why;
    QVERIFY2(writer.open(QDir(folder).filePath(intervalfile::fileName()), QStringLiteral("recorded"),
                         QDateTime::fromString(QStringLiteral("2026-12-03T18:00:00.000Z"), Qt::ISODateWithMs), second, &why),
             qPrintable(why));
    r.intervals.resize(size_t(n));
    for (int i = 0; i < n; ++i) {
        MetricSet &m = r.intervals[size_t(i)];
        fillInterval(m, rng, 200 + 50 * i, 10.0 * (i + 1));
        writer.append(i * second, (i + 1) * second, i + 1, m);
        r.cumulative.add(m);
    }
    if (close)
        QVERIFY2(writer.close(&why), qPrintable(why));
}

} // namespace

class TestRunRecording : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeAndReadBack();
    void partFileUntilClosed();
    void cutLastRecordKeepsTheCompleteIntervals();
    void damagedRecordIsAnError();
    void notAnIntervalFile();
    void wholeRunEqualsCumulative();
    void windowTakesIntervalsByMidpoint();
    void twoWindowsMergedEqualTheSpanningWindow();
    void windowErrors();
    void contextFromRunFolder();
    void engineFromRunFolder();
    void submetricsPersisted();
    void versionOneFileStillReads();
    void sizeOfAnHourAtThousandsPerSecond();
};

void TestRunRecording::writeAndReadBack()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 5);
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("intervals.lbh"))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("intervals.lbh.part"))));
    QString why;
    const auto contents = intervalfile::read(dir.filePath(QStringLiteral("intervals.lbh")), &why);
    QVERIFY2(contents, qPrintable(why));
    QVERIFY(!contents->truncated);
    QCOMPARE(contents->header.value(QLatin1String("scenario")).toString(), QStringLiteral("recorded"));
    QCOMPARE(contents->header.value(QLatin1String("version")).toInt(), 2);
    QCOMPARE(contents->records.size(), 5);
    Histogram scratch;
    for (int i = 0; i < 5; ++i) {
        const intervalfile::Record &rec = contents->records[i];
        QCOMPARE(rec.startNs, i * second);
        QCOMPARE(rec.endNs, (i + 1) * second);
        QCOMPARE(rec.vus, i + 1);
        MetricSet m;
        QVERIFY2(intervalfile::decodeRecordInto(rec, contents->trendIds, m, scratch, &why), qPrintable(why));
        QVERIFY2(sameMetrics(m, r.intervals[size_t(i)], &why), qPrintable(QStringLiteral("interval %1: %2").arg(i).arg(why)));
    }
}

void TestRunRecording::partFileUntilClosed()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 3, false);
    // The writer was dropped without close(): a crashed run. The .part file holds every interval.
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("intervals.lbh"))));
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("intervals.lbh.part"))));
    QString why;
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    QCOMPARE(recording->intervalCount(), 3);
    QVERIFY2(sameMetrics(*recording->summarize().metrics, r.cumulative, &why), qPrintable(why));
}

void TestRunRecording::cutLastRecordKeepsTheCompleteIntervals()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 4);
    const QString path = dir.filePath(QStringLiteral("intervals.lbh"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    const qint64 full = f.size();
    for (qint64 cut : {qint64(1), qint64(7), qint64(40)}) {
        QVERIFY(f.resize(full - cut));
        QString why;
        const auto recording = RunRecording::load(dir.path(), &why);
        QVERIFY2(recording, qPrintable(why));
        QCOMPARE(recording->intervalCount(), 3);
        QVERIFY(recording->truncated());
        QVERIFY2(recording->note().contains(QLatin1String("cut at byte")), qPrintable(recording->note()));
        QVERIFY2(recording->note().contains(QLatin1String("3 complete intervals")), qPrintable(recording->note()));
        MetricSet firstThree;
        for (int i = 0; i < 3; ++i)
            firstThree.add(r.intervals[size_t(i)]);
        QVERIFY2(sameMetrics(*recording->summarize().metrics, firstThree, &why), qPrintable(why));
    }
}

void TestRunRecording::damagedRecordIsAnError()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 3);
    const QString path = dir.filePath(QStringLiteral("intervals.lbh"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    // A byte in the middle of the last record's compressed payload.
    bytes[bytes.size() - 20] = char(bytes[bytes.size() - 20] ^ 0xff);
    f.seek(0);
    f.write(bytes);
    f.close();
    QString why;
    QVERIFY(!RunRecording::load(dir.path(), &why));
    QVERIFY2(why.contains(path) && why.contains(QLatin1String("interval [2.000 s, 3.000 s)")), qPrintable(why));
}

void TestRunRecording::notAnIntervalFile()
{
    QTemporaryDir dir;
    QString why;
    QVERIFY(!RunRecording::load(dir.path(), &why));
    QVERIFY2(why.contains(QLatin1String("not a run folder")), qPrintable(why));
    QVERIFY(!RunRecording::load(dir.filePath(QStringLiteral("missing")), &why));
    QVERIFY2(why.contains(QLatin1String("no such file")), qPrintable(why));
    QFile other(dir.filePath(QStringLiteral("intervals.lbh")));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.write("{\"not\": \"ours\"}\n");
    other.close();
    QVERIFY(!RunRecording::load(dir.path(), &why));
    QVERIFY2(why.contains(QLatin1String("not a Loadbench interval file")), qPrintable(why));
}

void TestRunRecording::wholeRunEqualsCumulative()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 6);
    QString why;
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    const Summary whole = recording->summarize();
    QVERIFY2(sameMetrics(*whole.metrics, r.cumulative, &why), qPrintable(why));
    QCOMPARE(whole.durationSeconds, 6.0);
    QCOMPARE(whole.vus, 6);
    QCOMPARE(whole.vusMin, 1);
    QCOMPARE(whole.vusMax, 6);
    // The same summary.json as a summary of the cumulative metrics.
    Summary direct = whole;
    direct.metrics = std::make_shared<MetricSet>(r.cumulative);
    QCOMPARE(summaryToJson(whole), summaryToJson(direct));
    QCOMPARE(recording->timeline(Nanoseconds(0), Nanoseconds(6 * second)).size(), 6);
}

void TestRunRecording::windowTakesIntervalsByMidpoint()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 6);
    QString why;
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    // [1.4 s, 3.6 s): midpoints 1.5, 2.5, 3.5 are in; 0.5 and 4.5 are out.
    const Summary w = recording->summarize(Nanoseconds(1'400'000'000), Nanoseconds(3'600'000'000));
    MetricSet expected;
    for (int i : {1, 2, 3})
        expected.add(r.intervals[size_t(i)]);
    QVERIFY2(sameMetrics(*w.metrics, expected, &why), qPrintable(why));
    QCOMPARE(w.durationSeconds, 3.0);
    QCOMPARE(w.vusMin, 2);
    QCOMPARE(w.vusMax, 4);
    QCOMPARE(w.startTime, recording->startTime().addSecs(1));
    // A midpoint on `to` is out, on `from` is in.
    const Summary edge = recording->summarize(Nanoseconds(2'500'000'000), Nanoseconds(3'500'000'000));
    QVERIFY2(sameMetrics(*edge.metrics, r.intervals[2], &why), qPrintable(why));
    // Latency rises 10 ms a second: the window's median lies in its intervals' range.
    const double med = w.value(QStringLiteral("http_req_duration"), QStringLiteral("med")).value();
    QVERIFY2(med > 20 && med < 40, qPrintable(QString::number(med)));
    const auto timeline = recording->timeline(Nanoseconds(1'400'000'000), Nanoseconds(3'600'000'000));
    QCOMPARE(timeline.size(), 3);
    QCOMPARE(timeline.first().elapsedSeconds, 2.0);
    QCOMPARE(timeline.last().totalRequests, expected.httpReqs);
}

void TestRunRecording::twoWindowsMergedEqualTheSpanningWindow()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 6);
    QString why;
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    const Summary a = recording->summarize(Nanoseconds(0), Nanoseconds(2 * second));
    const Summary b = recording->summarize(Nanoseconds(2 * second), Nanoseconds(6 * second));
    const Summary merged = mergeSummaries(a, b);
    QVERIFY2(sameMetrics(*merged.metrics, r.cumulative, &why), qPrintable(why));
    QCOMPARE(merged.durationSeconds, 6.0);
    QCOMPARE(merged.vusMin, 1);
    QCOMPARE(merged.vusMax, 6);
    QCOMPARE(merged.vus, 6);
    QCOMPARE(merged.startTime, recording->startTime());
}

void TestRunRecording::windowErrors()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 3);
    QString why;
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    QVERIFY(recording->windowError(Nanoseconds(0), Nanoseconds(3 * second)).isEmpty());
    QVERIFY(recording->windowError(Nanoseconds(2 * second), Nanoseconds(2 * second)).contains(QLatin1String("empty")));
    const QString outside = recording->windowError(Nanoseconds(10 * second), Nanoseconds(20 * second));
    QVERIFY2(outside.contains(QLatin1String("holds no interval")) && outside.contains(QLatin1String("3s")), qPrintable(outside));
    // No --to: "to the end", never the far-away time that stands for it.
    const QString open = recording->windowError(Nanoseconds(10 * second), Nanoseconds(std::numeric_limits<qint64>::max() / 2));
    QVERIFY2(open.startsWith(QLatin1String("the window from 10s to the end holds no interval of the run, which lasted 3s")),
             qPrintable(open));
    // 0.6 s to 1.4 s holds no midpoint.
    QVERIFY(!recording->windowError(Nanoseconds(600'000'000), Nanoseconds(1'400'000'000)).isEmpty());
}

void TestRunRecording::contextFromRunFolder()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 3);
    QString why;
    auto scenario = Scenario::fromJson(R"j({"name": "ctx", "target": {"url": "http://127.0.0.1:1/"},
        "vus": 7, "duration": "3s", "thresholds": {"http_req_duration": ["p(95)<15"]},
        "summaryTrendStats": ["avg", "p(99)"]})j", &why);
    QVERIFY2(scenario, qPrintable(why));
    QFile f(dir.filePath(QStringLiteral("scenario.json")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(scenario->toJson()).toJson());
    f.close();
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    QCOMPARE(recording->scenario().name, QStringLiteral("ctx"));
    const Summary first = recording->summarize(Nanoseconds(0), Nanoseconds(second));
    QCOMPARE(first.vusMaxConfigured, 7);
    QCOMPARE(first.scenario.summaryTrendStats, (QStringList{QStringLiteral("avg"), QStringLiteral("p(99)")}));
    QCOMPARE(first.thresholds.size(), 1);
    // 10 ms ± 50 %: p(95) < 15 ms holds in the first second, not over the whole run.
    QVERIFY(!first.thresholds.first().crossed);
    QVERIFY(recording->summarize().thresholds.first().crossed);
}

void TestRunRecording::engineFromRunFolder()
{
    QTemporaryDir dir;
    Recorded r;
    record(r, dir.path(), 2);
    QString why;
    // scenario.json says auto; summary.json says which engine ran: that wins, whatever auto
    // resolves to today.
    auto scenario = Scenario::fromJson(R"j({"name": "eng", "target": {"url": "http://127.0.0.1:1/"},
        "scenarios": {"a": {"executor": "constant-vus", "duration": "2s"},
                      "b": {"executor": "constant-vus", "duration": "2s"}}})j", &why);
    QVERIFY2(scenario, qPrintable(why));
    auto write = [&](const QString &name, const QJsonObject &json) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(json).toJson());
    };
    write(QStringLiteral("scenario.json"), scenario->toJson());
    write(QStringLiteral("summary.json"),
          QJsonObject{{QStringLiteral("loadbench"),
                       QJsonObject{{QStringLiteral("engine"), QStringLiteral("native+qnam")},
                                   {QStringLiteral("engines"), QJsonObject{{QStringLiteral("a"), QStringLiteral("qnam")},
                                                                           {QStringLiteral("b"), QStringLiteral("native")}}},
                                   {QStringLiteral("workerThreads"), 3}}}});
    auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    Summary s = recording->summarize();
    QCOMPARE(s.workerThreads, 3);
    QCOMPARE(s.enginesText(), QStringLiteral("a: qnam (QNetworkAccessManager), b: native (epoll+llhttp)"));

    // A run from before per-scenario engines: one engine for all.
    write(QStringLiteral("summary.json"),
          QJsonObject{{QStringLiteral("loadbench"), QJsonObject{{QStringLiteral("engine"), QStringLiteral("qnam")}}}});
    recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    s = recording->summarize();
    QCOMPARE(s.workerThreads, 0);
    QCOMPARE(s.enginesText(), QStringLiteral("qnam (QNetworkAccessManager)"));
}

void TestRunRecording::submetricsPersisted()
{
    // A run whose thresholds name sub-metrics: the file keeps their sinks, so the whole run
    // summarized again equals the run's own summary, verdicts included, and a window holds
    // exactly its intervals' share.
    QTemporaryDir dir;
    QString why;
    auto scenario = Scenario::fromJson(R"j({"name": "subs", "target": {"url": "http://127.0.0.1:1/"},
        "vus": 3, "duration": "4s", "thresholds": {
            "http_req_duration{status:200}": ["p(95)<1000", "max<1"],
            "checks{check:status is 200}": ["rate>0.99", "rate>0.5"],
            "http_reqs{status:503}": ["count>0"]}})j", &why);
    QVERIFY2(scenario, qPrintable(why));
    QFile f(dir.filePath(QStringLiteral("scenario.json")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(scenario->toJson()).toJson());
    f.close();

    QRandomGenerator rng(7);
    IntervalHistogramWriter writer;
    QVERIFY2(writer.open(dir.filePath(intervalfile::fileName()), scenario->name,
                         QDateTime::fromString(QStringLiteral("2026-12-03T18:00:00.000Z"), Qt::ISODateWithMs), second, &why),
             qPrintable(why));
    MetricSet cumulative = MetricSet::forScenario(*scenario);
    MetricSet firstTwo = MetricSet::forScenario(*scenario);
    for (int i = 0; i < 4; ++i) {
        MetricSet m = MetricSet::forScenario(*scenario);
        fillInterval(m, rng, 100 + 20 * i, 5.0 * (i + 1));
        writer.append(i * second, (i + 1) * second, 3, m);
        cumulative.add(m);
        if (i < 2)
            firstTwo.add(m);
    }
    QVERIFY2(writer.close(&why), qPrintable(why));

    const auto durationOk = *MetricName::parse(QStringLiteral("http_req_duration{status:200}"));
    const auto checkOk = *MetricName::parse(QStringLiteral("checks{check:status is 200}"));
    const auto failedReqs = *MetricName::parse(QStringLiteral("http_reqs{status:503}"));
    QVERIFY(cumulative.submetric(durationOk)->trend->count() > 0);
    QVERIFY(cumulative.submetric(checkOk)->fails > 0);

    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    const Summary whole = recording->summarize();
    const SubmetricSink *d = whole.metrics->submetric(durationOk);
    QVERIFY(d && d->trend);
    const Histogram &expected = *cumulative.submetric(durationOk)->trend;
    QCOMPARE(d->trend->count(), expected.count());
    QCOMPARE(d->trend->min(), expected.min());
    QCOMPARE(d->trend->max(), expected.max());
    QCOMPARE(d->trend->percentile(95), expected.percentile(95));
    QCOMPARE(whole.metrics->submetric(checkOk)->passes, cumulative.submetric(checkOk)->passes);
    QCOMPARE(whole.metrics->submetric(checkOk)->fails, cumulative.submetric(checkOk)->fails);
    QCOMPARE(whole.metrics->submetric(failedReqs)->count, cumulative.submetric(failedReqs)->count);

    // The run's own summary: the cumulative metrics, thresholds evaluated on them.
    Summary direct = whole;
    direct.metrics = std::make_shared<MetricSet>(cumulative);
    direct.thresholds = direct.evaluateThresholds();
    QCOMPARE(summaryToJson(whole), summaryToJson(direct));
    QCOMPARE(whole.thresholds.size(), 5);
    QCOMPARE(whole.thresholds.size(), direct.thresholds.size());
    for (qsizetype i = 0; i < whole.thresholds.size(); ++i) {
        QCOMPARE(whole.thresholds[i].metric, direct.thresholds[i].metric);
        QCOMPARE(whole.thresholds[i].crossed, direct.thresholds[i].crossed);
    }
    // The verdicts of the data, not of "no data": p(95) < 1 s holds, max < 1 ms is crossed,
    // 98 % of checks pass (> 50 %, not > 99 %), 503s were counted.
    const QMap<QString, bool> crossed{{QStringLiteral("p(95)<1000"), false}, {QStringLiteral("max<1"), true},
                                      {QStringLiteral("rate>0.99"), true}, {QStringLiteral("rate>0.5"), false},
                                      {QStringLiteral("count>0"), false}};
    for (const ThresholdState &t : whole.thresholds) {
        QVERIFY2(t.hasData, qPrintable(t.metric));
        QCOMPARE(t.crossed, crossed.value(t.expression));
    }

    const Summary window = recording->summarize(Nanoseconds(0), Nanoseconds(2 * second));
    QCOMPARE(window.metrics->submetric(durationOk)->trend->count(), firstTwo.submetric(durationOk)->trend->count());
    QCOMPARE(window.metrics->submetric(checkOk)->fails, firstTwo.submetric(checkOk)->fails);
    QCOMPARE(window.metrics->submetric(failedReqs)->count, firstTwo.submetric(failedReqs)->count);
}

void TestRunRecording::versionOneFileStillReads()
{
    // A version 1 file: its payloads end after the trends. Built from a version 2 record of a
    // set without sub-metrics by dropping the trailing "0 sub-metrics".
    QRandomGenerator rng(3);
    MetricSet m;
    fillInterval(m, rng, 50, 3.0);
    intervalfile::Record rec = intervalfile::makeRecord(0, second, 2, m);
    QByteArray payload = qUncompress(rec.compressed);
    QCOMPARE(payload.back(), char(0));
    payload.chop(1);
    rec.compressed = qCompress(payload, 9);

    QTemporaryDir dir;
    QByteArray bytes(intervalfile::magic);
    bytes.append(char(1));
    bytes.append(char(0));
    QJsonObject header = intervalfile::header(QStringLiteral("old"), QDateTime::currentDateTimeUtc(), second);
    header[QStringLiteral("version")] = 1;
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    const quint32 size = quint32(json.size());
    bytes.append(reinterpret_cast<const char *>(&size), 4); // little endian on every CI machine
    bytes.append(json);
    bytes.append(intervalfile::frame(rec));
    QFile f(dir.filePath(intervalfile::fileName()));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();

    QString why;
    const auto contents = intervalfile::read(f.fileName(), &why);
    QVERIFY2(contents, qPrintable(why));
    QCOMPARE(contents->version, 1);
    const auto recording = RunRecording::load(dir.path(), &why);
    QVERIFY2(recording, qPrintable(why));
    const Summary s = recording->summarize();
    QVERIFY2(sameMetrics(*s.metrics, m, &why), qPrintable(why));

    // A version this Loadbench does not know is refused, naming both.
    bytes[6] = char(intervalfile::version + 1);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    QVERIFY(!intervalfile::read(f.fileName(), &why));
    QVERIFY2(why.contains(QLatin1String("version 3")), qPrintable(why));
}

void TestRunRecording::sizeOfAnHourAtThousandsPerSecond()
{
    // What one second at 3000 req/s costs on disk, every trend a realistic spread.
    QRandomGenerator rng(5);
    MetricSet m;
    fillInterval(m, rng, 3000, 2.0);
    const QByteArray record = intervalfile::frame(intervalfile::makeRecord(0, second, 10, m));
    qInfo("one second at 3000 req/s: %lld bytes; 10 minutes: %.2f MB", qlonglong(record.size()),
          double(record.size()) * 600 / 1e6);
    QVERIFY(record.size() < 40'000);
}

QTEST_APPLESS_MAIN(TestRunRecording)
#include "tst_runrecording.moc"
