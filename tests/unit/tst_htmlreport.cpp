// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/summary.h"
#include "output/summaryjson.h"
#include "report/htmlreport.h"
#include "report/svgchart.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

using namespace loadbench;

namespace
{

constexpr qint64 ms = 1'000'000;

// JSON with single quotes for readability (moc 6.4 trips over raw string literals).
QByteArray scenarioJson()
{
    QByteArray json =
        "{'name': 'checkout',"
        " 'target': {'url': 'http://127.0.0.1:18080/api/health'},"
        " 'scenarios': {'average_load': {'executor': 'ramping-vus', 'startVUs': 0,"
        "   'stages': [{'duration': '3s', 'target': 10}, {'duration': '4s', 'target': 10},"
        "              {'duration': '3s', 'target': 0}],"
        "   'gracefulRampDown': '1s'}},"
        " 'thresholds': {'http_req_failed': ['rate<0.5'],"
        "                'http_req_duration': ['p(95)<200', 'p(99)<500']}}";
    return json.replace('\'', '"');
}

Scenario makeScenario(const QByteArray &json = scenarioJson())
{
    QString why;
    const std::optional<Scenario> scenario = Scenario::fromJson(json, &why);
    if (!scenario)
        qFatal("test scenario does not load: %s", qPrintable(why));
    return *scenario;
}

// 200 requests of 1..2 ms, 10 of them failed (connection refused), a check per request.
// `base` brings the sub-metrics to record (MetricSet::forScenario).
std::shared_ptr<MetricSet> makeMetrics(MetricSet base = MetricSet())
{
    auto metrics = std::make_shared<MetricSet>(std::move(base));
    for (int i = 0; i < 200; ++i) {
        RequestSample sample;
        sample.durationNs = ms + i * ms / 200;
        sample.waitingNs = sample.durationNs * 8 / 10;
        sample.sendingNs = 20'000;
        sample.receivingNs = sample.durationNs - sample.waitingNs - sample.sendingNs;
        sample.blockedNs = 5'000;
        sample.connectingNs = i < 10 ? 200'000 : 0;
        const bool failed = i % 20 == 0;
        sample.status = failed ? 0 : 200;
        sample.expected = !failed;
        sample.errorCode = failed ? 1212 : 0;
        sample.error = failed ? QStringLiteral("dial: connection refused") : QString();
        sample.bytesSent = 90;
        sample.bytesReceived = failed ? 0 : 104;
        sample.method = QStringLiteral("GET");
        metrics->recordRequest(sample);
        metrics->recordIteration(sample.durationNs + 100 * ms);
        metrics->recordCheck(QStringLiteral("status is 200"), !failed);
    }
    return metrics;
}

QList<IntervalSnapshot> makeTimeline(int seconds)
{
    QList<IntervalSnapshot> timeline;
    for (int i = 0; i < seconds; ++i) {
        IntervalSnapshot s;
        s.elapsedSeconds = i + 1;
        s.intervalSeconds = 1;
        s.plannedSeconds = seconds;
        s.plannedVus = std::min(10, i + 1);
        s.vus = std::max(0, s.plannedVus - (i % 3 == 0 ? 1 : 0));
        s.vusMax = 10;
        s.requests = 100 + quint64(i % 7);
        s.failed = quint64(i % 5);
        s.requestsPerSecond = double(s.requests);
        s.p50Ms = 1.0 + 0.3 * std::sin(i / 7.0);
        s.p90Ms = s.p50Ms * 1.6;
        s.p95Ms = s.p50Ms * 1.9;
        s.p99Ms = s.p50Ms * 3.1 + (i % 50 == 0 ? 4 : 0);
        timeline.append(s);
    }
    return timeline;
}

Summary makeSummary()
{
    Summary summary;
    summary.scenario = makeScenario();
    summary.metrics = makeMetrics();
    summary.startTime = QDateTime(QDate(2024, 5, 17), QTime(9, 30, 5), Qt::UTC);
    summary.durationSeconds = 10.04;
    summary.vus = 0;
    summary.vusMin = 0;
    summary.vusMax = 10;
    summary.vusMaxConfigured = 10;
    summary.workerThreads = 2;
    summary.machine.cpuModel = QStringLiteral("Test CPU 9000");
    summary.machine.cores = 2;
    summary.machine.memoryBytes = qint64(8) << 30;
    summary.machine.os = QStringLiteral("Debian GNU/Linux 12 (bookworm)");
    summary.machine.qtVersion = QStringLiteral("6.4.2");
    summary.thresholds = summary.evaluateThresholds();
    return summary;
}

QString render(const Summary &summary, const QList<IntervalSnapshot> &timeline)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    writeHtmlReport(buffer, summary, timeline);
    return QString::fromUtf8(buffer.data());
}

// The XML error, or an empty string when the page is well-formed.
QString xmlError(const QString &html)
{
    QXmlStreamReader xml(html);
    while (!xml.atEnd())
        xml.readNext();
    if (!xml.hasError())
        return {};
    return QStringLiteral("line %1: %2").arg(xml.lineNumber()).arg(xml.errorString());
}

int countElements(const QString &html, const QString &name)
{
    QXmlStreamReader xml(html);
    int count = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == name)
            ++count;
    }
    return count;
}

} // namespace

class TestHtmlReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wellFormedWithFourCharts();
    void verdictPassed();
    void verdictCrossed();
    void verdictWithoutThresholds();
    void headerFacts();
    void headerSaysWhichEngineRan();
    void trendMetricListed_data();
    void trendMetricListed();
    void trendColumnsFollowSummaryTrendStats();
    void thresholdsShowObservedValues();
    void countersChecksAndErrors();
    void userTextIsEscaped();
    void submetricTrendsUnderTheirParent();
    void scheduledDurationShownWithSamples();
    void droppedIterations();
    void targetListsItsRequests();
    void noExternalReferences();
    void emptyRun();
    void sizeBoundAndDownsampling();
    void k6Duration_data();
    void k6Duration();
    void bc01SummaryJsonAndReportAgree();
    void k6Bytes_data();
    void k6Bytes();
};

void TestHtmlReport::wellFormedWithFourCharts()
{
    const QString html = render(makeSummary(), makeTimeline(30));
    QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
    QCOMPARE(xmlError(html), QString());
    QCOMPARE(countElements(html, QStringLiteral("svg")), 4);
    // latency 3 + req/s 1 + VUs 2 + errors 1
    QCOMPARE(countElements(html, QStringLiteral("path")), 7);
    QCOMPARE(countElements(html, QStringLiteral("script")), 0);
    for (const char *title :
         {"Latency per second", "Throughput", "Virtual users", "Failed requests"})
        QVERIFY2(html.contains(QLatin1String(title)), title);
    QVERIFY(html.contains(QLatin1String("How to read this report")));
    QVERIFY(html.contains(QLatin1String("prefers-color-scheme:dark")));
    QVERIFY(html.contains(QLatin1String("@media print")));
}

void TestHtmlReport::verdictPassed()
{
    const QString html = render(makeSummary(), makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("class=\"verdict pass\"")));
    QVERIFY(html.contains(QLatin1String("All 3 thresholds passed")));
    QVERIFY(!html.contains(QLatin1String("thresholds crossed")));
}

void TestHtmlReport::verdictCrossed()
{
    Summary summary = makeSummary();
    summary.scenario = makeScenario(scenarioJson().replace("p(95)<200", "p(95)<1"));
    summary.thresholds = summary.evaluateThresholds();
    QVERIFY(summary.thresholdsCrossed());
    const QString html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("class=\"verdict fail\"")));
    QVERIFY(html.contains(QLatin1String("1 of 3 thresholds crossed")));
    QVERIFY(!html.contains(QLatin1String("thresholds passed")));
    // The verdict names the crossed threshold with its observed value.
    const qsizetype verdict = html.indexOf(QLatin1String("class=\"verdict fail\""));
    const QString verdictText =
        html.mid(verdict, html.indexOf(QLatin1String("</div>"), verdict) - verdict);
    QVERIFY2(verdictText.contains(QLatin1String("p(95)&lt;1</code>, observed 1.9")),
             qPrintable(verdictText));
    QVERIFY(!verdictText.contains(QLatin1String("p(99)")));
}

void TestHtmlReport::verdictWithoutThresholds()
{
    Summary summary = makeSummary();
    summary.scenario.thresholds.clear();
    summary.thresholds.clear();
    const QString html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("class=\"verdict none\"")));
    QVERIFY(html.contains(QLatin1String("No thresholds defined")));
}

void TestHtmlReport::headerFacts()
{
    Summary summary = makeSummary();
    summary.interrupted = true;
    const QString html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("<h1>checkout</h1>")));
    QVERIFY(html.contains(QLatin1String("GET http://127.0.0.1:18080/api/health")));
    QVERIFY(html.contains(QLatin1String("ramping-vus")));
    QVERIFY(html.contains(QStringLiteral("start at 0 VUs, then 3s → 10, 4s → 10, 3s → 0")));
    QVERIFY(html.contains(QLatin1String("gracefulRampDown 1s")));
    QVERIFY(html.contains(QLatin1String("2024-05-17 09:30:05 UTC")));
    QVERIFY(
        html.contains(QLatin1String("<dd>10s <span class=\"muted\">(planned 10s)</span></dd>")));
    QVERIFY(html.contains(QLatin1String(
        "<dt>Engine</dt><dd>native (epoll+llhttp) <span class=\"muted\">(2 worker threads)</span></dd>")));
    QVERIFY(html.contains(summary.machine.oneLine()));
    QVERIFY(html.contains(QLatin1String("stopped early")));
}

void TestHtmlReport::headerSaysWhichEngineRan()
{
    // The engine is the one that ran each scenario, never "auto", named per scenario when they differ.
    Summary summary = makeSummary();
    summary.workerThreads = 1;
    summary.scenario.scenarios.first().engine = EngineKind::Qnam;
    QString html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String(
        "<dd>qnam (QNetworkAccessManager) <span class=\"muted\">(1 worker thread)</span></dd>")));

    ScenarioConfig second = summary.scenario.scenarios.first();
    second.name = QStringLiteral("api");
    second.engine = EngineKind::Auto; // http:// target: native
    summary.scenario.scenarios.append(second);
    summary.workerThreads = 0; // not known: not shown
    html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String(
        "<dd>average_load: qnam (QNetworkAccessManager), api: native (epoll+llhttp)</dd>")));
    QVERIFY(!html.contains(QLatin1String("auto (")));

    summary.engine = QStringLiteral("k6 results"); // results Loadbench did not run
    html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("<dt>Engine</dt><dd>k6 results</dd>")));
}

void TestHtmlReport::trendMetricListed_data()
{
    QTest::addColumn<QString>("name");
    for (int i = 0; i < trendMetricCount; ++i) {
        if (TrendMetric(i) == TrendMetric::HttpReqScheduledDuration)
            continue; // open model only
        const QString name = trendMetricName(TrendMetric(i));
        QTest::addRow("%s", qPrintable(name)) << name;
    }
}

void TestHtmlReport::trendMetricListed()
{
    QFETCH(QString, name);
    // <wbr/> marks where a long name may wrap.
    const QString html = render(makeSummary(), makeTimeline(10)).remove(QLatin1String("<wbr/>"));
    const QRegularExpression row(QStringLiteral("<td class=\"name\">") +
                                 QRegularExpression::escape(name) + QStringLiteral("[ <]"));
    QVERIFY2(row.match(html).hasMatch(), qPrintable(name));
}

void TestHtmlReport::trendColumnsFollowSummaryTrendStats()
{
    Summary summary = makeSummary();
    QString html = render(summary, makeTimeline(10));
    for (const char *stat : {"avg", "min", "med", "max", "p(90)", "p(95)", "samples"})
        QVERIFY2(html.contains(QStringLiteral("<th>%1</th>").arg(QLatin1String(stat))), stat);
    // 200 requests, all in the duration trend: the sample count column.
    QVERIFY(html.contains(QLatin1String("<td>200</td></tr>")));

    summary.scenario.summaryTrendStats = {QStringLiteral("min"), QStringLiteral("p(99.9)"),
                                          QStringLiteral("count")};
    html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("<th>p(99.9)</th>")));
    QVERIFY(html.contains(QLatin1String("<th>count</th>")));
    QVERIFY(!html.contains(QLatin1String("<th>p(90)</th>")));
    QVERIFY(!html.contains(QLatin1String("<th>samples</th>")));
    // min of http_req_duration is exactly 1 ms.
    QVERIFY(html.contains(QLatin1String("<td>1ms</td>")));
}

void TestHtmlReport::thresholdsShowObservedValues()
{
    Summary summary = makeSummary();
    summary.thresholds = {
        {QStringLiteral("http_req_duration"), QStringLiteral("p(95)<200"), 123.456, true, false},
        {QStringLiteral("http_req_duration"), QStringLiteral("p(99)<500"), 0, false, true},
        {QStringLiteral("http_req_failed"), QStringLiteral("rate<0.5"), 0.25, true, false},
    };
    const QString html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(
        QStringLiteral("<td class=\"text\"><code>p(95)&lt;200</code></td><td>123.456 ms</td>"
                       "<td class=\"text\"><span class=\"pass-text\">✓ passed</span></td>")));
    QVERIFY(html.contains(
        QLatin1String("<td class=\"text\"><code>p(99)&lt;500</code></td><td>no data</td>")));
    QVERIFY(html.contains(
        QLatin1String("<td class=\"text\"><code>rate&lt;0.5</code></td><td>0.25 (25.00%)</td>")));
    QVERIFY(html.contains(QLatin1String("1 of 3 thresholds crossed")));

    // Thresholds are evaluated when the summary carries none yet.
    summary.thresholds.clear();
    const QString evaluated = render(summary, makeTimeline(10));
    QVERIFY(evaluated.contains(
        QLatin1String("<td class=\"text\"><code>rate&lt;0.5</code></td><td>0.05 (5.00%)</td>")));
    QVERIFY(evaluated.contains(QLatin1String("All 3 thresholds passed")));
}

void TestHtmlReport::countersChecksAndErrors()
{
    const QString html = render(makeSummary(), makeTimeline(10));
    // 200 requests over 10.04 s.
    QVERIFY(html.contains(QLatin1String(
        "<td class=\"name\">http_reqs</td><td>200</td><td class=\"text\">19.92/s</td>")));
    QVERIFY(html.contains(QLatin1String("<td class=\"name\">http_req_failed</td><td>5.00%</td>"
                                        "<td class=\"text\">10 of 200 requests failed")));
    QVERIFY(html.contains(QLatin1String("<td class=\"name\">iterations</td><td>200</td>")));
    // 190 × 104 bytes received, 200 × 90 sent.
    QVERIFY(html.contains(QLatin1String("<td class=\"name\">data_received</td><td>20 kB</td>")));
    QVERIFY(html.contains(QLatin1String("<td class=\"name\">data_sent</td><td>18 kB</td>")));
    QVERIFY(
        html.contains(QLatin1String("status is 200</td><td>190</td><td>10</td><td>95.00%</td>")));
    QVERIFY(html.contains(
        QLatin1String("<code>1212 dial: connection refused</code></td><td>10</td><td>5.00%</td>")));
}

void TestHtmlReport::userTextIsEscaped()
{
    Summary summary = makeSummary();
    summary.scenario = makeScenario(
        scenarioJson().replace("\"checkout\"", "\"<script>alert(1)</script> & \\\"co\\\"\""));
    summary.scenario.target.url = QUrl(QStringLiteral("http://127.0.0.1:9/a?q=<script>&x=1"));
    auto metrics = std::make_shared<MetricSet>(*summary.metrics);
    metrics->recordCheck(QStringLiteral("<b>bold</b> & body"), false);
    metrics->errors.insert(QStringLiteral("<img src=x onerror=alert(1)>"), 3);
    summary.metrics = metrics;
    summary.engine = QStringLiteral("<i>engine</i>");
    const QString html = render(summary, makeTimeline(10));

    QCOMPARE(xmlError(html), QString());
    QVERIFY(!html.contains(QLatin1String("<script")));
    QVERIFY(!html.contains(QLatin1String("<b>")));
    QVERIFY(!html.contains(QLatin1String("<img")));
    QVERIFY(!html.contains(QLatin1String("<i>")));
    QVERIFY(!html.contains(QLatin1String("& ")));
    QVERIFY(html.contains(
        QLatin1String("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;</h1>")));
    QVERIFY(html.contains(
        QStringLiteral("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot; · ")));
    QVERIFY(html.contains(QLatin1String("http://127.0.0.1:9/a?q=%3Cscript%3E&amp;x=1")));
    QVERIFY(html.contains(QLatin1String("&lt;b&gt;bold&lt;/b&gt; &amp; body")));
    QVERIFY(html.contains(QLatin1String("&lt;img src=x onerror=alert(1)&gt;")));
}

void TestHtmlReport::submetricTrendsUnderTheirParent()
{
    // Trend sub-metrics with thresholds are indented rows under their parent, http_req_duration's
    // after the built-in expected_response one; a rate's sub-metric is no trend row.
    Summary summary = makeSummary();
    summary.scenario = makeScenario(scenarioJson().replace(
        "\"http_req_duration\": [\"p(95)<200\", \"p(99)<500\"]",
        QByteArray("'http_req_duration': ['p(95)<200', 'p(99)<500'], 'http_req_duration{status:200}': ['p(90)<300'],"
                   " 'http_req_waiting{method:GET}': ['max<1000'], 'checks{check:status is 200}': ['rate>0.9']")
            .replace('\'', '"')));
    QCOMPARE(summary.scenario.thresholds.size(), 6);
    summary.metrics = makeMetrics(MetricSet::forScenario(summary.scenario));
    summary.thresholds = summary.evaluateThresholds();
    const QString html = render(summary, makeTimeline(10)).remove(QLatin1String("<wbr/>"));
    QCOMPARE(xmlError(html), QString());

    auto rowAt = [&](const QString &name) {
        return html.indexOf(QStringLiteral("<td class=\"name\">") + name + QStringLiteral("<small>"));
    };
    const qsizetype duration = rowAt(QStringLiteral("http_req_duration"));
    const qsizetype expected = rowAt(QStringLiteral("http_req_duration{expected_response:true}"));
    const qsizetype ok = rowAt(QStringLiteral("http_req_duration{status:200}"));
    const qsizetype blocked = rowAt(QStringLiteral("http_req_blocked"));
    const qsizetype waiting = rowAt(QStringLiteral("http_req_waiting"));
    const qsizetype waitingGet = rowAt(QStringLiteral("http_req_waiting{method:GET}"));
    const qsizetype receiving = rowAt(QStringLiteral("http_req_receiving"));
    QVERIFY(duration > 0);
    QVERIFY2(duration < expected && expected < ok && ok < blocked, qPrintable(html));
    QVERIFY(waiting < waitingGet && waitingGet < receiving);
    QVERIFY(rowAt(QStringLiteral("checks{check:status is 200}")) < 0);
    // Indented like the built-in sub-metric, with its own samples: 190 requests had status 200.
    const QString okRow = html.mid(html.lastIndexOf(QLatin1String("<tr"), ok), 600);
    QVERIFY2(okRow.startsWith(QLatin1String("<tr class=\"submetric\">")), qPrintable(okRow));
    QVERIFY2(okRow.contains(QLatin1String("<td>190</td></tr>")), qPrintable(okRow));
    const QString getRow = html.mid(html.lastIndexOf(QLatin1String("<tr"), waitingGet), 600);
    QVERIFY2(getRow.contains(QLatin1String("<td>200</td></tr>")), qPrintable(getRow));

    // Without a threshold naming it, a sub-metric the set records is not listed.
    Summary without = summary;
    without.scenario = makeScenario();
    without.thresholds = without.evaluateThresholds();
    QVERIFY(!render(without, makeTimeline(10)).remove(QLatin1String("<wbr/>")).contains(QLatin1String("{status:200}")));
}

void TestHtmlReport::scheduledDurationShownWithSamples()
{
    Summary summary = makeSummary();
    QVERIFY(!render(summary, makeTimeline(10)).contains(QLatin1String("http_req_scheduled_duration")));
    auto metrics = std::make_shared<MetricSet>(*summary.metrics);
    for (int i = 0; i < 10; ++i) {
        RequestSample sample;
        sample.durationNs = 2 * ms;
        sample.scheduleLagNs = i * 100 * ms;
        sample.status = 200;
        sample.expected = true;
        metrics->recordRequest(sample);
    }
    summary.metrics = metrics;
    const QString html = render(summary, makeTimeline(10));
    QCOMPARE(xmlError(html), QString());
    const qsizetype row = html.indexOf(QLatin1String("<td class=\"name\">http_req_scheduled_duration<small>"));
    QVERIFY(row > 0);
    const QString text = html.mid(row, html.indexOf(QLatin1String("</tr>"), row) - row);
    QVERIFY2(text.contains(QLatin1String("scheduled start to the last byte")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("<td>10</td>")), qPrintable(text)); // samples
}

void TestHtmlReport::droppedIterations()
{
    // A closed-model run without drops: neither the row nor the note.
    Summary summary = makeSummary();
    QString html = render(summary, makeTimeline(10));
    QVERIFY(!html.contains(QLatin1String("dropped_iterations")));
    QVERIFY(!html.contains(QLatin1String("were dropped")));

    // An arrival-rate run lists the counter, 0 included, still without the note.
    summary.scenario = makeScenario(QByteArray(
        "{'name': 'open', 'target': {'url': 'http://127.0.0.1:18080/'},"
        " 'scenarios': {'arrivals': {'executor': 'constant-arrival-rate', 'rate': 100, 'timeUnit': '1s',"
        "   'duration': '10s', 'preAllocatedVUs': 2, 'maxVUs': 4}}}").replace('\'', '"'));
    summary.thresholds = summary.evaluateThresholds();
    html = render(summary, makeTimeline(10));
    QVERIFY(html.contains(QLatin1String("<td class=\"name\">dropped_iterations</td><td>0</td>")));
    QVERIFY(!html.contains(QLatin1String("were dropped")));

    auto metrics = std::make_shared<MetricSet>(*summary.metrics);
    for (int i = 0; i < 37; ++i)
        metrics->recordDropped(QStringLiteral("arrivals"));
    summary.metrics = metrics;
    html = render(summary, makeTimeline(10));
    QCOMPARE(xmlError(html), QString());
    QVERIFY(html.contains(QLatin1String("<td class=\"name\">dropped_iterations</td><td>37</td>")));
    // Prominent: in the header, next to the verdict, before any table.
    const qsizetype note = html.indexOf(QStringLiteral(
        "<div class=\"verdict warn\">⚠ 37 iterations were dropped: the arrival rate needed more VUs than maxVUs"));
    QVERIFY2(note > 0, qPrintable(html.left(6000)));
    QVERIFY(note < html.indexOf(QLatin1String("</header>")));
}

void TestHtmlReport::targetListsItsRequests()
{
    Summary summary = makeSummary();
    QString why;
    const auto target = TargetConfig::fromJson(QJsonDocument::fromJson(QByteArray(
        "{'url': 'http://127.0.0.1:18080/api/', 'requests': [{'method': 'POST', 'url': 'login'},"
        " {'url': '/items?a=1&b=2'}, {'url': 'http://other.example:9/x'}, {'url': 'items/1'}]}").replace('\'', '"')).object(),
        &why);
    QVERIFY2(target, qPrintable(why));
    summary.scenario.target = *target;
    const QString html = render(summary, makeTimeline(10));
    QCOMPARE(xmlError(html), QString());
    const QString expected = QStringLiteral(
        "<dt>Target</dt><dd><code>4 requests per iteration: POST /api/login, GET /items?a=1&amp;b=2, "
        "GET http://other.example:9/x, …</code></dd>");
    QVERIFY2(html.contains(expected), qPrintable(html.mid(html.indexOf(QLatin1String("<dt>Target")), 300)));

    // One request: its method and URL, as before.
    QVERIFY(render(makeSummary(), makeTimeline(10))
                .contains(QLatin1String("<dt>Target</dt><dd><code>GET http://127.0.0.1:18080/api/health</code></dd>")));
}

void TestHtmlReport::noExternalReferences()
{
    Summary summary = makeSummary();
    summary.scenario.target.url =
        QUrl(QStringLiteral("https://user:secret@example.org/api/health"));
    QString html = render(summary, makeTimeline(30));
    const QString target = QStringLiteral("https://user@example.org/api/health");
    QCOMPARE(html.count(target), 1);
    QVERIFY(!html.contains(QLatin1String("secret")));
    html.remove(target);
    for (const char *reference : {"http://", "https://", "src=", "href=", "url(", "@import",
                                  "<link", "<script", "<img", "<iframe", "<object"})
        QVERIFY2(!html.contains(QLatin1String(reference), Qt::CaseInsensitive), reference);
}

void TestHtmlReport::emptyRun()
{
    Summary summary;
    summary.scenario = makeScenario();
    summary.thresholds = summary.evaluateThresholds();
    const QString html = render(summary, {});
    QCOMPARE(xmlError(html), QString());
    const QString text = QString(html).remove(QLatin1String("<wbr/>"));
    QCOMPARE(countElements(html, QStringLiteral("svg")), 4);
    QCOMPARE(countElements(html, QStringLiteral("path")), 0);
    QCOMPARE(html.count(QLatin1String(">no data</text>")), 4);
    QVERIFY(html.contains(QLatin1String("No checks ran.")));
    QVERIFY(html.contains(QLatin1String("No errors")));
    QVERIFY(html.contains(QLatin1String("start time unknown")));
    for (int i = 0; i < trendMetricCount; ++i) {
        if (TrendMetric(i) != TrendMetric::HttpReqScheduledDuration)
            QVERIFY(text.contains(trendMetricName(TrendMetric(i))));
    }
}

void TestHtmlReport::sizeBoundAndDownsampling()
{
    const QString html = render(makeSummary(), makeTimeline(600));
    QVERIFY2(html.toUtf8().size() < 300 * 1024, qPrintable(QString::number(html.toUtf8().size())));

    // A long run: each line keeps at most 600 points, the page stays small.
    const QString longRun = render(makeSummary(), makeTimeline(7200));
    QVERIFY2(longRun.toUtf8().size() < 300 * 1024,
             qPrintable(QString::number(longRun.toUtf8().size())));
    QXmlStreamReader xml(longRun);
    int paths = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement || xml.name() != QLatin1String("path"))
            continue;
        ++paths;
        const QString d = xml.attributes().value(QLatin1String("d")).toString();
        const qsizetype points = d.count(QLatin1Char('M')) + d.count(QLatin1Char('L'));
        QVERIFY2(points <= 600, qPrintable(QString::number(points)));
        QVERIFY2(points >= 300, qPrintable(QString::number(points)));
    }
    QCOMPARE(paths, 7);
}

void TestHtmlReport::k6Duration_data()
{
    QTest::addColumn<double>("milliseconds");
    QTest::addColumn<QString>("text");
    // Values and texts from k6's own summary (fixtures/k6/load-*).
    QTest::addRow("zero") << 0.0 << QStringLiteral("0s");
    QTest::addRow("81.36µs") << 0.081361 << QStringLiteral("81.36µs");
    QTest::addRow("465.17µs") << 0.465174 << QStringLiteral("465.17µs");
    QTest::addRow("1.54ms") << 1.54176 << QStringLiteral("1.54ms");
    QTest::addRow("8.6ms") << 8.607799 << QStringLiteral("8.6ms");
    QTest::addRow("109.83ms truncates") << 109.838714 << QStringLiteral("109.83ms");
    QTest::addRow("103ms") << 103.0074605 << QStringLiteral("103ms");
    QTest::addRow("nanoseconds") << 0.000512 << QStringLiteral("512ns");
    QTest::addRow("seconds") << 1500.0 << QStringLiteral("1.5s");
    QTest::addRow("minutes") << 90'000.0 << QStringLiteral("1m30s");
    QTest::addRow("hours") << 3'723'000.0 << QStringLiteral("1h2m3s");
}

void TestHtmlReport::k6Duration()
{
    QFETCH(double, milliseconds);
    QFETCH(QString, text);
    QCOMPARE(formatK6Duration(milliseconds), text);
}

void TestHtmlReport::bc01SummaryJsonAndReportAgree()
{
    // CASES.md BC-01 input A: summary.json and the HTML report both show the k6 column (linear
    // interpolation at rank p·(n-1)), both through Summary::trendStat, within the histogram's
    // 0.1 %; the report prints k6's two truncated decimals.
    Summary summary = makeSummary();
    auto metrics = std::make_shared<MetricSet>();
    for (const double latency : {35.0, 12.0, 250.0, 22.0, 40.0, 15.0, 100.0, 25.0, 20.0, 30.0}) {
        RequestSample sample;
        sample.durationNs = qint64(latency * double(ms));
        sample.status = 200;
        metrics->recordRequest(sample);
    }
    summary.metrics = metrics;
    summary.scenario.thresholds.clear();
    summary.scenario.summaryTrendStats = {QStringLiteral("avg"), QStringLiteral("min"), QStringLiteral("med"),
                                          QStringLiteral("max"), QStringLiteral("p(90)"), QStringLiteral("p(95)"),
                                          QStringLiteral("p(99)"), QStringLiteral("p(99.9)")};
    summary.thresholds = summary.evaluateThresholds();
    const QList<std::pair<QString, double>> k6 = {{QStringLiteral("avg"), 54.9},    {QStringLiteral("min"), 12},
                                                  {QStringLiteral("med"), 27.5},    {QStringLiteral("max"), 250},
                                                  {QStringLiteral("p(90)"), 115},   {QStringLiteral("p(95)"), 182.5},
                                                  {QStringLiteral("p(99)"), 236.5}, {QStringLiteral("p(99.9)"), 248.65}};
    const QJsonObject duration = summaryToJson(summary).value(QLatin1String("metrics")).toObject()
                                     .value(QLatin1String("http_req_duration")).toObject();
    QString cells;
    for (const auto &[stat, value] : k6) {
        const double exported = duration.value(stat).toDouble(-1);
        QVERIFY2(std::abs(exported - value) <= std::max(0.001 * value, 0.001),
                 qPrintable(QStringLiteral("%1: %2, k6 %3").arg(stat).arg(exported).arg(value)));
        cells += QStringLiteral("<td>%1</td>").arg(formatK6Duration(exported));
    }
    // The row of the report carries the same numbers, formatted from the same values.
    const QString html = render(summary, makeTimeline(10));
    QVERIFY2(html.contains(cells), qPrintable(cells));
    // Exact where the definition pins the value to an observed sample (min, max); elsewhere the
    // text is the histogram's value (e.g. p(90) 114.97ms for k6's 115ms, 0.03 % off) truncated.
    QVERIFY2(cells.startsWith(QLatin1String("<td>54.9ms</td><td>12ms</td><td>27.5ms</td><td>250ms</td>")), qPrintable(cells));
}

void TestHtmlReport::k6Bytes_data()
{
    QTest::addColumn<double>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addRow("small") << 9.0 << QStringLiteral("9 B");
    QTest::addRow("215 kB") << 214864.0 << QStringLiteral("215 kB");
    QTest::addRow("13 kB") << 12601.88950964988 << QStringLiteral("13 kB");
    QTest::addRow("188 kB") << 188006.0 << QStringLiteral("188 kB");
    QTest::addRow("1.2 MB") << 1234567.0 << QStringLiteral("1.2 MB");
    QTest::addRow("bytes") << 999.0 << QStringLiteral("999 B");
    QTest::addRow("rounded once") << 83476.0 << QStringLiteral("83 kB");
}

void TestHtmlReport::k6Bytes()
{
    QFETCH(double, bytes);
    QFETCH(QString, text);
    QCOMPARE(formatK6Bytes(bytes), text);
}

QTEST_APPLESS_MAIN(TestHtmlReport)
#include "tst_htmlreport.moc"
