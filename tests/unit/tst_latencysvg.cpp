// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/latencysvg.h"
#include "report/svgchart.h"

#include <QBuffer>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <limits>

using namespace loadbench;

namespace
{

struct ParsedPath {
    QString d;
    QString stroke;
    QString title;
    QList<QPointF> points; // NaN x between subpaths
};

struct ParsedSvg {
    QString error;
    QString rootName;
    QString rootNamespace;
    QStringList texts;
    QList<ParsedPath> paths;
    int rects = 0;
    QString style;
};

QList<QPointF> parsePath(const QString &d)
{
    QList<QPointF> points;
    static const QRegularExpression command(QStringLiteral("([ML])(-?[0-9.]+),(-?[0-9.]+)"));
    auto it = command.globalMatch(d);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.captured(1) == QLatin1String("M") && !points.isEmpty())
            points.append(QPointF(std::numeric_limits<double>::quiet_NaN(), 0));
        points.append(QPointF(m.captured(2).toDouble(), m.captured(3).toDouble()));
    }
    return points;
}

ParsedSvg parse(const QByteArray &svg)
{
    ParsedSvg result;
    QXmlStreamReader xml(svg);
    QStringList stack;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QString name = xml.name().toString();
            if (stack.isEmpty()) {
                result.rootName = name;
                result.rootNamespace = xml.namespaceUri().toString();
            }
            stack.append(name);
            if (name == QLatin1String("path")) {
                ParsedPath path;
                path.d = xml.attributes().value(QLatin1String("d")).toString();
                path.stroke = xml.attributes().value(QLatin1String("stroke")).toString();
                path.points = parsePath(path.d);
                result.paths.append(path);
            } else if (name == QLatin1String("rect")) {
                ++result.rects;
            } else if (name == QLatin1String("text")) {
                result.texts.append(xml.readElementText(QXmlStreamReader::IncludeChildElements));
                stack.removeLast();
            } else if (name == QLatin1String("title") && stack.size() >= 2 &&
                       stack[stack.size() - 2] == QLatin1String("path")) {
                result.paths.last().title = xml.readElementText();
                stack.removeLast();
            } else if (name == QLatin1String("style")) {
                result.style = xml.readElementText();
                stack.removeLast();
            }
        } else if (token == QXmlStreamReader::EndElement) {
            stack.removeLast();
        }
    }
    if (xml.hasError())
        result.error = QStringLiteral("line %1: %2").arg(xml.lineNumber()).arg(xml.errorString());
    return result;
}

QList<IntervalSnapshot> makeTimeline(int seconds)
{
    QList<IntervalSnapshot> timeline;
    for (int i = 0; i < seconds; ++i) {
        IntervalSnapshot s;
        s.elapsedSeconds = i + 1;
        s.intervalSeconds = 1;
        s.requests = 100;
        s.p50Ms = 1.0 + 0.5 * std::sin(i / 3.0);
        s.p95Ms = s.p50Ms * 2;
        s.p99Ms = s.p50Ms * 3 + 3.8;
        timeline.append(s);
    }
    return timeline;
}

QByteArray render(const QList<IntervalSnapshot> &timeline, const QString &title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    writeLatencySvg(buffer, timeline, title);
    return buffer.data();
}

qsizetype finiteCount(const QList<QPointF> &points)
{
    return std::count_if(points.begin(), points.end(),
                         [](const QPointF &p) { return std::isfinite(p.x()); });
}

} // namespace

class TestLatencySvg : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesWithTitleAxesAndLegend();
    void onePathPerSeriesFollowingTheData();
    void roundTicksOnBothAxes();
    void readsOnDarkBackgrounds();
    void emptyTimelineSaysNoData();
    void textIsEscaped();
    void gapsForIntervalsWithoutRequests();
    void singleIntervalIsVisible();
    void longRunsAreDownsampled();
    void niceTicks_data();
    void niceTicks();
    void tickLabels_data();
    void tickLabels();
    void lttbKeepsEndsPeaksAndGaps();
    void thresholdLines();
};

void TestLatencySvg::parsesWithTitleAxesAndLegend()
{
    const QByteArray svg = render(makeTimeline(20), QStringLiteral("Latency of checkout"));
    QVERIFY(svg.startsWith("<?xml"));
    const ParsedSvg parsed = parse(svg);
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.rootName, QStringLiteral("svg"));
    QCOMPARE(parsed.rootNamespace, QStringLiteral("http://www.w3.org/2000/svg"));
    for (const char *text :
         {"Latency of checkout", "time (s)", "latency (ms)", "p50", "p95", "p99"})
        QVERIFY2(parsed.texts.contains(QLatin1String(text)), text);
}

void TestLatencySvg::onePathPerSeriesFollowingTheData()
{
    const QList<IntervalSnapshot> timeline = makeTimeline(20);
    const ParsedSvg parsed = parse(render(timeline, QStringLiteral("t")));
    QCOMPARE(parsed.paths.size(), 3);
    QCOMPARE(parsed.paths[0].title, QStringLiteral("p50"));
    QCOMPARE(parsed.paths[1].title, QStringLiteral("p95"));
    QCOMPARE(parsed.paths[2].title, QStringLiteral("p99"));
    const QSet<QString> colours = {parsed.paths[0].stroke, parsed.paths[1].stroke,
                                   parsed.paths[2].stroke};
    QCOMPARE(colours.size(), 3);
    for (const ParsedPath &path : parsed.paths) {
        QCOMPARE(path.points.size(), timeline.size());
        // Time runs left to right.
        for (qsizetype i = 1; i < path.points.size(); ++i)
            QVERIFY(path.points[i].x() > path.points[i - 1].x());
    }
    // Higher latency is drawn higher (smaller y) at every second.
    for (qsizetype i = 0; i < timeline.size(); ++i) {
        QVERIFY(parsed.paths[2].points[i].y() < parsed.paths[1].points[i].y());
        QVERIFY(parsed.paths[1].points[i].y() < parsed.paths[0].points[i].y());
    }
}

void TestLatencySvg::roundTicksOnBothAxes()
{
    const ParsedSvg parsed = parse(render(makeTimeline(17), QStringLiteral("t")));
    // p99 peaks near 8.3 ms: 0, 2, ..., 10 ms; 17 s: 0, 5, ..., 20 s.
    for (const char *tick : {"0", "2", "4", "6", "8", "10", "5", "15", "20"})
        QVERIFY2(parsed.texts.contains(QLatin1String(tick)), tick);
    QVERIFY(!parsed.texts.contains(QLatin1String("12")));
    QVERIFY(!parsed.texts.contains(QLatin1String("9.3")));
}

void TestLatencySvg::readsOnDarkBackgrounds()
{
    const QByteArray svg = render(makeTimeline(5), QStringLiteral("t"));
    const ParsedSvg parsed = parse(svg);
    // An opaque background for renderers without CSS, and a dark variant for those with it.
    QVERIFY(svg.contains("<rect class=\"lbc-bg\" x=\"0\" y=\"0\" width=\"800\" height=\"360\""));
    QVERIFY(svg.contains("fill=\"#ffffff\""));
    QVERIFY(parsed.style.contains(QLatin1String("prefers-color-scheme:dark")));
    QVERIFY(parsed.style.contains(QLatin1String(".lbc-bg{fill:#0d1117}")));
}

void TestLatencySvg::emptyTimelineSaysNoData()
{
    const ParsedSvg parsed = parse(render({}, QStringLiteral("Latency")));
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.rootName, QStringLiteral("svg"));
    QVERIFY(parsed.texts.contains(QLatin1String("no data")));
    QVERIFY(parsed.texts.contains(QLatin1String("Latency")));
    QVERIFY(parsed.texts.contains(QLatin1String("time (s)")));
    QCOMPARE(parsed.paths.size(), 0);

    // Intervals without a single response are no data either.
    QList<IntervalSnapshot> idle = makeTimeline(3);
    for (IntervalSnapshot &s : idle)
        s.requests = 0;
    QVERIFY(
        parse(render(idle, QStringLiteral("Latency"))).texts.contains(QLatin1String("no data")));
}

void TestLatencySvg::textIsEscaped()
{
    const QString title = QStringLiteral("<b>\"A\" & B</b>\x01");
    const QByteArray svg = render(makeTimeline(5), title);
    QVERIFY(!svg.contains("<b>"));
    const ParsedSvg parsed = parse(svg);
    QCOMPARE(parsed.error, QString());
    QVERIFY(parsed.texts.contains(QStringLiteral("<b>\"A\" & B</b>")));
}

void TestLatencySvg::gapsForIntervalsWithoutRequests()
{
    QList<IntervalSnapshot> timeline = makeTimeline(10);
    timeline[4].requests = 0;
    timeline[4].p50Ms = timeline[4].p95Ms = timeline[4].p99Ms = 0;
    const ParsedSvg parsed = parse(render(timeline, QStringLiteral("t")));
    QCOMPARE(parsed.paths.size(), 3);
    for (const ParsedPath &path : parsed.paths) {
        QCOMPARE(path.d.count(QLatin1Char('M')), 2);
        QCOMPARE(finiteCount(path.points), 9);
    }
}

void TestLatencySvg::singleIntervalIsVisible()
{
    const ParsedSvg parsed = parse(render(makeTimeline(1), QStringLiteral("t")));
    QCOMPARE(parsed.paths.size(), 3);
    for (const ParsedPath &path : parsed.paths)
        QVERIFY2(path.d.endsWith(QLatin1String("h0")), qPrintable(path.d)); // a dot, not nothing
}

void TestLatencySvg::longRunsAreDownsampled()
{
    QList<IntervalSnapshot> timeline = makeTimeline(5000);
    timeline[2500].p99Ms = 50; // one bad second must survive downsampling
    const QByteArray svg = render(timeline, QStringLiteral("t"));
    QVERIFY2(svg.size() < 40 * 1024, QByteArray::number(svg.size()));
    const ParsedSvg parsed = parse(svg);
    QCOMPARE(parsed.paths.size(), 3);
    for (const ParsedPath &path : parsed.paths) {
        QVERIFY(finiteCount(path.points) <= 600);
        QVERIFY(finiteCount(path.points) >= 500);
    }
    // The y axis reaches the spike (0..50 ms) and the p99 line touches the top gridline.
    QVERIFY(parsed.texts.contains(QLatin1String("50")));
    double highest = 1e9;
    for (const QPointF &p : parsed.paths[2].points)
        if (std::isfinite(p.x()))
            highest = std::min(highest, p.y());
    QCOMPARE(highest, 66.0);
}

void TestLatencySvg::niceTicks_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("step");
    QTest::addRow("latency") << 0.0 << 9.3 << 6 << 0.0 << 10.0 << 2.0;
    QTest::addRow("93") << 0.0 << 93.0 << 6 << 0.0 << 100.0 << 20.0;
    QTest::addRow("seconds") << 0.0 << 17.0 << 8 << 0.0 << 20.0 << 5.0;
    QTest::addRow("fractions") << 0.0 << 1.0 << 6 << 0.0 << 1.0 << 0.2;
    QTest::addRow("flat zero") << 0.0 << 0.0 << 6 << 0.0 << 1.0 << 0.2;
    QTest::addRow("large") << 0.0 << 12345.0 << 6 << 0.0 << 15000.0 << 5000.0;
    QTest::addRow("offset") << 1003.0 << 1047.0 << 5 << 1000.0 << 1050.0 << 10.0;
    QTest::addRow("negative") << -3.0 << 7.0 << 5 << -4.0 << 8.0 << 2.0;
}

void TestLatencySvg::niceTicks()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, maxTicks);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, step);
    const AxisTicks ticks = loadbench::niceTicks(lo, hi, maxTicks);
    QCOMPARE(ticks.min, min);
    QCOMPARE(ticks.max, max);
    QCOMPARE(ticks.step, step);
    const QList<double> values = ticks.values();
    QCOMPARE(values.first(), min);
    QVERIFY(qFuzzyCompare(values.last(), max));
    QVERIFY(values.size() <= maxTicks + 2);
}

void TestLatencySvg::tickLabels_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("step");
    QTest::addColumn<QString>("label");
    QTest::addRow("zero") << 1e-17 << 0.2 << QStringLiteral("0");
    QTest::addRow("tenths") << 0.6000000000000001 << 0.2 << QStringLiteral("0.6");
    QTest::addRow("hundredths") << 0.05 << 0.05 << QStringLiteral("0.05");
    QTest::addRow("integer") << 40.0 << 20.0 << QStringLiteral("40");
    QTest::addRow("thousands") << 12000.0 << 2000.0 << QStringLiteral("12k");
    QTest::addRow("millions") << 3e6 << 1e6 << QStringLiteral("3M");
    QTest::addRow("negative") << -4.0 << 2.0 << QStringLiteral("-4");
}

void TestLatencySvg::tickLabels()
{
    QFETCH(double, value);
    QFETCH(double, step);
    QFETCH(QString, label);
    QCOMPARE(formatTick(value, step), label);
}

void TestLatencySvg::lttbKeepsEndsPeaksAndGaps()
{
    QList<QPointF> points;
    for (int i = 0; i < 3000; ++i)
        points.append(QPointF(i, i == 1234 ? 99.0 : std::sin(i / 10.0)));
    const QList<QPointF> sampled = downsampleLttb(points, 300);
    QVERIFY(sampled.size() <= 300);
    QVERIFY(sampled.size() >= 290);
    QCOMPARE(sampled.first(), points.first());
    QCOMPARE(sampled.last(), points.last());
    QVERIFY(sampled.contains(QPointF(1234, 99.0)));

    // Short input is returned as is.
    QCOMPARE(downsampleLttb(points.mid(0, 10), 300), points.mid(0, 10));

    // A gap stays a gap.
    points[1500].setY(std::numeric_limits<double>::quiet_NaN());
    const QList<QPointF> gapped = downsampleLttb(points, 300);
    const qsizetype gaps = std::count_if(gapped.begin(), gapped.end(),
                                         [](const QPointF &p) { return std::isnan(p.y()); });
    QCOMPARE(gaps, 1);
    QVERIFY(gapped.size() <= 301);
}

void TestLatencySvg::thresholdLines()
{
    SvgLineChart chart;
    chart.setTitle(QStringLiteral("t"));
    chart.addSeries(QStringLiteral("p95"), {{0, 1}, {1, 8}, {2, 9}});
    chart.addHorizontalLine(QStringLiteral("p(95)<20"), 20);
    chart.addHorizontalLine(QStringLiteral("p(99)<500"), 500);
    const ParsedSvg parsed = parse(chart.toSvg().toUtf8());
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.paths.size(), 1);
    // 20 fits (within 3× the data) and is drawn; 500 would flatten the data and is named instead.
    QVERIFY(parsed.texts.contains(QLatin1String("p(95)<20")));
    QVERIFY(parsed.texts.contains(QLatin1String("above the chart: p(99)<500")));
    QVERIFY(parsed.texts.contains(QLatin1String("20")));
    QVERIFY(!parsed.texts.contains(QLatin1String("500")));
    QVERIFY(!parsed.texts.contains(QLatin1String("100")));
}

QTEST_APPLESS_MAIN(TestLatencySvg)
#include "tst_latencysvg.moc"
