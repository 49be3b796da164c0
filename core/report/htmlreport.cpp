// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/htmlreport.h"

#include "report/latencysvg.h"
#include "report/svgchart.h"
#include "scenario/threshold.h"

#include <QIODevice>

#include <cmath>

#ifndef LOADBENCH_VERSION
#define LOADBENCH_VERSION "dev"
#endif

namespace loadbench
{

namespace
{

QString esc(const QString &text)
{
    return xmlEscaped(text);
}

// JavaScript's parseFloat(x.toFixed(prec)).toString() after truncation, as k6's summary does.
QString fixedTruncated(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    const double truncated = std::trunc(value * scale + (value >= 0 ? 1e-9 : -1e-9)) / scale;
    QString text = QString::number(truncated, 'f', decimals);
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text;
}

// Up to three decimals, trailing zeros dropped; small values keep three significant digits.
QString formatNumber(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    if (value != 0 && std::abs(value) < 0.01)
        return QString::number(value, 'g', 3);
    QString text = QString::number(value, 'f', 3);
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

QString formatPercent(double fraction)
{
    return QString::number(fraction * 100.0, 'f', 2) + QLatin1Char('%');
}

QString formatRate(double perSecond)
{
    return QString::number(perSecond, 'f', 2) + QStringLiteral("/s");
}

QString formatCount(quint64 count)
{
    return QString::number(count);
}

const Threshold *findThreshold(const Scenario &scenario, const ThresholdState &state)
{
    for (const Threshold &t : scenario.thresholds)
        if (t.metric == state.metric && t.expression == state.expression)
            return &t;
    return nullptr;
}

// The observed value in the threshold's own unit, so it reads next to the limit.
QString formatObserved(const ThresholdState &state, const Threshold *threshold)
{
    if (!state.hasData)
        return QStringLiteral("no data");
    const std::optional<MetricType> type = builtinMetricType(state.metric);
    const bool rateAggregation = threshold ? threshold->aggregation == Threshold::Aggregation::Rate
                                           : state.expression.startsWith(QLatin1String("rate"));
    if (type == MetricType::Trend)
        return formatNumber(state.observed) + QStringLiteral(" ms");
    if (type == MetricType::Rate)
        return formatNumber(state.observed) + QStringLiteral(" (") + formatPercent(state.observed) +
               QLatin1Char(')');
    if (type == MetricType::Counter && rateAggregation)
        return formatNumber(state.observed) + QStringLiteral("/s");
    return formatNumber(state.observed);
}

QList<ThresholdState> thresholdStates(const Summary &summary)
{
    if (summary.thresholds.isEmpty() && !summary.scenario.thresholds.isEmpty())
        return summary.evaluateThresholds();
    return summary.thresholds;
}

double rateOf(const Summary &summary, const QString &metric, quint64 count)
{
    if (const std::optional<double> rate = summary.value(metric, QStringLiteral("rate")))
        return *rate;
    return summary.durationSeconds > 0 ? double(count) / summary.durationSeconds : 0.0;
}

QString roundedDuration(double seconds)
{
    // Tenths of a second: Go's formatting of a raw duration would print nanoseconds.
    return formatDuration(Nanoseconds(std::llround(seconds * 10.0) * 100'000'000LL));
}

QString profileText(const ScenarioConfig &config)
{
    if (config.executor == ExecutorType::ConstantVus)
        return QStringLiteral("%1 VUs for %2")
            .arg(QString::number(config.vus), formatDuration(config.duration));
    QStringList steps;
    for (const Stage &stage : config.stages)
        steps.append(formatDuration(stage.duration) + QStringLiteral(" → ") +
                     QString::number(stage.target));
    QString text = QStringLiteral("start at %1 VUs").arg(config.startVUs);
    if (!steps.isEmpty())
        text += QStringLiteral(", then ") + steps.join(QStringLiteral(", "));
    return text;
}

QString optionsText(const ScenarioConfig &config)
{
    QStringList options;
    if (config.executor == ExecutorType::RampingVus)
        options.append(QStringLiteral("gracefulRampDown ") +
                       formatDuration(config.gracefulRampDown));
    options.append(QStringLiteral("gracefulStop ") + formatDuration(config.gracefulStop));
    return options.join(QStringLiteral(", "));
}

QString trendDescription(TrendMetric metric)
{
    switch (metric) {
    case TrendMetric::HttpReqDuration:
        return QStringLiteral("sending + waiting + receiving");
    case TrendMetric::HttpReqDurationExpected:
        return QStringLiteral("the same, successful responses only");
    case TrendMetric::HttpReqBlocked:
        return QStringLiteral("waiting for a free connection");
    case TrendMetric::HttpReqConnecting:
        return QStringLiteral("TCP connect (new connections only)");
    case TrendMetric::HttpReqTlsHandshaking:
        return QStringLiteral("TLS handshake (new connections only)");
    case TrendMetric::HttpReqSending:
        return QStringLiteral("writing the request");
    case TrendMetric::HttpReqWaiting:
        return QStringLiteral("time to first byte: the server's time and one round trip");
    case TrendMetric::HttpReqReceiving:
        return QStringLiteral("reading the response");
    case TrendMetric::IterationDuration:
        return QStringLiteral("one whole iteration, think time included");
    case TrendMetric::HttpReqScheduledDuration:
        return QStringLiteral("from the iteration's scheduled start to the last byte (open model)");
    }
    return {};
}

constexpr auto pageStyle =
    ":root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;"
    "--panel:#f6f8fa;--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;"
    "--neutral-bg:#eef1f4;--warn:#9a6700;--warn-bg:#fff8c5}"
    "@media screen and (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;"
    "--border:#3d444d;--panel:#151b23;--pass:#3fb950;--pass-bg:#0f2a1a;--fail:#ff7b72;"
    "--fail-bg:#33161a;--neutral-bg:#1e242c;--warn:#d29922;--warn-bg:#2e2210}}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--fg);"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}"
    "main{max-width:960px;margin:0 auto;padding:24px 20px 40px}"
    "h1{font-size:26px;margin:0 0 2px;overflow-wrap:anywhere}"
    "h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--border)}"
    ".sub{color:var(--muted);margin:0 0 16px}"
    ".verdict{padding:12px 16px;border-radius:8px;border:1px solid;font-weight:600;margin:0 0 18px}"
    ".verdict ul{margin:6px 0 0;padding-left:22px;font-weight:400}"
    ".verdict.pass{background:var(--pass-bg);color:var(--pass)}"
    ".verdict.fail{background:var(--fail-bg);color:var(--fail)}"
    ".verdict.warn{background:var(--warn-bg);color:var(--warn)}"
    ".verdict.none{background:var(--neutral-bg);color:var(--fg);border-color:var(--border)}"
    ".note{color:var(--muted);font-weight:400}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}"
    "dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}"
    "code{font-family:ui-monospace,'SFMono-Regular','DejaVu Sans "
    "Mono',Menlo,monospace;font-size:0.92em}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:"
    "20px 0 0}"
    ".card{background:var(--panel);border:1px solid var(--border);border-radius:8px;padding:10px "
    "14px}"
    ".card .label{color:var(--muted);font-size:13px}.card .value{font-size:22px;font-weight:600;"
    "font-variant-numeric:tabular-nums}"
    ".table-wrap{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:14px}"
    "th,td{padding:6px 8px;border-bottom:1px solid "
    "var(--border);text-align:right;vertical-align:top;"
    "white-space:nowrap}"
    "th{color:var(--muted);font-weight:600;background:var(--panel)}"
    "th:first-child,td:first-child,th.text{text-align:left;white-space:normal}"
    "td.name{font-family:ui-monospace,'SFMono-Regular','DejaVu Sans "
    "Mono',Menlo,monospace;font-size:13px}"
    "td.name "
    "small{display:block;font-family:system-ui,sans-serif;color:var(--muted);font-size:12px}"
    "td.text{text-align:left;white-space:normal;overflow-wrap:anywhere}"
    "tr.submetric td.name{padding-left:24px}"
    ".pass-text{color:var(--pass);font-weight:600}.fail-text{color:var(--fail);font-weight:600}"
    ".muted{color:var(--muted)}"
    "figure{margin:0 0 22px}figure svg{display:block;width:100%;height:auto;"
    "border:1px solid var(--border);border-radius:6px}"
    "figcaption{color:var(--muted);font-size:13px;margin-top:4px}"
    ".howto li{margin-bottom:6px}"
    "footer{margin-top:36px;color:var(--muted);font-size:13px}"
    "@media print{body{font-size:10.5pt}main{max-width:none;padding:0}"
    "h2{break-after:avoid}figure,tr,.verdict,.cards{break-inside:avoid}"
    ".verdict,.card,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "figure svg{max-width:100%}}";

class HtmlReport
{
public:
    HtmlReport(const Summary &summary, const QList<IntervalSnapshot> &timeline)
        : m_summary(summary), m_timeline(timeline), m_metrics(*summary.metrics),
          m_thresholds(thresholdStates(summary))
    {
    }

    QString build()
    {
        m_html.reserve(64 * 1024);
        head();
        m_html += QLatin1String("<body>\n<main>\n");
        header();
        cards();
        thresholds();
        charts();
        trends();
        counters();
        checks();
        errors();
        howToRead();
        m_html += QStringLiteral("<footer>Generated by Loadbench %1. Metric names, units and "
                                 "summary statistics follow k6.</footer>\n")
                      .arg(QLatin1String(LOADBENCH_VERSION));
        m_html += QLatin1String("</main>\n</body>\n</html>\n");
        return m_html;
    }

private:
    QString scenarioName() const
    {
        return m_summary.scenario.name.isEmpty() ? QStringLiteral("Load test")
                                                 : m_summary.scenario.name;
    }

    void head()
    {
        m_html += QLatin1String(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
            "<meta name=\"color-scheme\" content=\"light dark\"/>\n");
        m_html += QStringLiteral("<meta name=\"generator\" content=\"Loadbench %1\"/>\n")
                      .arg(QLatin1String(LOADBENCH_VERSION));
        m_html += QStringLiteral("<title>%1 · Loadbench report</title>\n").arg(esc(scenarioName()));
        m_html += QLatin1String("<style>") + QLatin1String(pageStyle) + SvgLineChart::styleSheet() +
                  QLatin1String("</style>\n</head>\n");
    }

    void header()
    {
        m_html += QStringLiteral("<header>\n<h1>%1</h1>\n").arg(esc(scenarioName()));
        QString started = QStringLiteral("start time unknown");
        if (m_summary.startTime.isValid())
            started = m_summary.startTime.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                      QStringLiteral(" UTC");
        m_html += QStringLiteral("<p class=\"sub\">Load test report · %1</p>\n").arg(esc(started));
        if (!m_summary.scenario.description.isEmpty())
            m_html += QStringLiteral("<p>%1</p>\n").arg(esc(m_summary.scenario.description));
        verdict();
        droppedNote();

        m_html += QLatin1String("<dl class=\"meta\">\n");
        const TargetConfig &target = m_summary.scenario.target;
        meta(QStringLiteral("Target"), QStringLiteral("<code>%1</code>").arg(esc(target.describe())));
        meta(QStringLiteral("Scenario"), esc(scenarioName()));
        for (const ScenarioConfig &config : m_summary.scenario.scenarios) {
            // One line per scenario, named when several ran side by side.
            const QString of = m_summary.scenario.scenarios.size() > 1 ? QStringLiteral(" of ") + config.name : QString();
            meta(QStringLiteral("Executor") + of,
                 QStringLiteral("<code>%1</code> (%2)")
                     .arg(esc(executorName(config.executor)), esc(optionsText(config))));
            const bool vuProfile = config.executor == ExecutorType::RampingVus || config.executor == ExecutorType::ConstantVus;
            meta(QStringLiteral("Load profile") + of, esc(vuProfile ? profileText(config) : config.description()));
        }
        meta(QStringLiteral("Start"), esc(started));
        QString duration = esc(roundedDuration(m_summary.durationSeconds));
        if (!m_summary.scenario.scenarios.isEmpty())
            duration += QStringLiteral(" <span class=\"muted\">(planned %1)</span>")
                            .arg(esc(formatDuration(m_summary.scenario.plannedDuration())));
        meta(QStringLiteral("Duration"), duration);
        meta(QStringLiteral("Virtual users"),
             QStringLiteral("max %1 active, %2 allocated")
                 .arg(QString::number(m_summary.vusMax),
                      QString::number(m_summary.vusMaxConfigured)));
        QString engine = esc(m_summary.enginesText());
        if (m_summary.workerThreads > 0)
            engine += QStringLiteral(" <span class=\"muted\">(%1 worker thread%2)</span>")
                          .arg(m_summary.workerThreads).arg(m_summary.workerThreads == 1 ? QString() : QStringLiteral("s"));
        meta(QStringLiteral("Engine"), engine.isEmpty() ? QStringLiteral("unknown") : engine);
        const QString machine = m_summary.machine.oneLine();
        meta(QStringLiteral("Machine"),
             machine.isEmpty() ? QStringLiteral("unknown") : esc(machine));
        m_html += QLatin1String("</dl>\n</header>\n");
    }

    bool hasThreshold(const MetricName &metric) const
    {
        return std::any_of(m_summary.scenario.thresholds.cbegin(), m_summary.scenario.thresholds.cend(),
                           [&](const Threshold &t) {
                               const std::optional<MetricName> named = MetricName::parse(t.metric);
                               return named && named->sameMetric(metric);
                           });
    }

    void meta(const QString &label, const QString &html)
    {
        m_html += QStringLiteral("<dt>%1</dt><dd>%2</dd>\n").arg(esc(label), html);
    }

    void verdict()
    {
        QStringList crossed;
        int withData = 0;
        for (const ThresholdState &state : m_thresholds) {
            withData += state.hasData ? 1 : 0;
            if (state.crossed)
                crossed.append(
                    QStringLiteral("<li><code>%1</code>: <code>%2</code>, observed %3</li>")
                        .arg(esc(state.metric), esc(state.expression),
                             esc(formatObserved(state, findThreshold(m_summary.scenario, state)))));
        }
        QString notes;
        if (m_summary.abortedByThreshold)
            notes +=
                QStringLiteral(" <span class=\"note\">The run was aborted by a threshold.</span>");
        else if (m_summary.interrupted)
            notes += QStringLiteral(" <span class=\"note\">The run was stopped early; this covers "
                                    "what it measured.</span>");

        if (m_thresholds.isEmpty()) {
            m_html += QStringLiteral("<div class=\"verdict none\">No thresholds defined: nothing "
                                     "to pass or fail.%1</div>\n")
                          .arg(notes);
        } else if (crossed.isEmpty()) {
            QString text =
                m_thresholds.size() == 1
                    ? QStringLiteral("✓ The threshold passed.")
                    : QStringLiteral("✓ All %1 thresholds passed.").arg(m_thresholds.size());
            if (withData < m_thresholds.size())
                text += QStringLiteral(" <span class=\"note\">%1 without data.</span>")
                            .arg(m_thresholds.size() - withData);
            m_html += QStringLiteral("<div class=\"verdict pass\">%1%2</div>\n").arg(text, notes);
        } else {
            m_html +=
                QStringLiteral("<div class=\"verdict fail\">✗ %1 of %2 thresholds "
                               "crossed.%3<ul>%4</ul></div>\n")
                    .arg(QString::number(crossed.size()), QString::number(m_thresholds.size()),
                         notes, crossed.join(QString()));
        }
    }

    // Listed when iterations were dropped, when an arrival-rate executor could drop some, or
    // when a threshold watches them.
    bool showDropped() const
    {
        if (m_metrics.droppedIterations > 0)
            return true;
        for (const ScenarioConfig &config : m_summary.scenario.scenarios) {
            if (config.executor == ExecutorType::ConstantArrivalRate || config.executor == ExecutorType::RampingArrivalRate)
                return true;
        }
        return std::any_of(m_summary.scenario.thresholds.cbegin(), m_summary.scenario.thresholds.cend(),
                           [](const Threshold &t) { return t.metric.startsWith(QLatin1String("dropped_iterations")); });
    }

    // Dropped iterations are load the run was asked for and did not make: the numbers describe
    // a lighter test than the scenario's, which no table row makes plain enough.
    void droppedNote()
    {
        const quint64 n = m_metrics.droppedIterations;
        if (n == 0)
            return;
        m_html += QStringLiteral("<div class=\"verdict warn\">⚠ %1: the arrival rate needed more VUs than "
                                 "maxVUs. <span class=\"note\">The run made less load than planned; raise "
                                 "maxVUs (or preAllocatedVUs) or lower the rate.</span></div>\n")
                      .arg(n == 1 ? QStringLiteral("1 iteration was dropped")
                                  : QStringLiteral("%1 iterations were dropped").arg(formatCount(n)));
    }

    void card(const QString &label, const QString &value)
    {
        m_html += QStringLiteral("<div class=\"card\"><div class=\"label\">%1</div><div "
                                 "class=\"value\">%2</div></div>\n")
                      .arg(esc(label), esc(value));
    }

    void cards()
    {
        const Histogram &duration = m_metrics.trend(TrendMetric::HttpReqDuration);
        m_html += QLatin1String("<section class=\"cards\">\n");
        card(QStringLiteral("Requests"), formatCount(m_metrics.httpReqs));
        card(QStringLiteral("Throughput"),
             formatRate(rateOf(m_summary, QStringLiteral("http_reqs"), m_metrics.httpReqs)));
        card(QStringLiteral("Latency p95"),
             duration.count()
                 ? formatK6Duration(Summary::trendStat(duration, QStringLiteral("p(95)")))
                 : QStringLiteral("–"));
        card(QStringLiteral("Failed requests"),
             m_metrics.httpReqs
                 ? formatPercent(double(m_metrics.httpReqFailed) / double(m_metrics.httpReqs))
                 : QStringLiteral("–"));
        quint64 passes = 0, fails = 0;
        for (const CheckCounts &check : m_metrics.checks) {
            passes += check.passes;
            fails += check.fails;
        }
        card(QStringLiteral("Checks passed"),
             passes + fails ? formatPercent(double(passes) / double(passes + fails))
                            : QStringLiteral("–"));
        m_html += QLatin1String("</section>\n");
    }

    void thresholds()
    {
        m_html += QLatin1String("<section>\n<h2>Thresholds</h2>\n");
        if (m_thresholds.isEmpty()) {
            m_html += QLatin1String(
                "<p class=\"muted\">The scenario defines no thresholds.</p>\n</section>\n");
            return;
        }
        m_html += QLatin1String(
            "<div class=\"table-wrap\"><table>\n<thead><tr><th>Metric</th><th "
            "class=\"text\">Threshold</th>"
            "<th>Observed</th><th class=\"text\">Result</th></tr></thead>\n<tbody>\n");
        for (const ThresholdState &state : m_thresholds) {
            const Threshold *threshold = findThreshold(m_summary.scenario, state);
            QString result;
            if (!state.hasData && state.crossed)
                result = QStringLiteral("<span class=\"fail-text\">✗ no data</span>");
            else if (!state.hasData)
                result = QStringLiteral("<span class=\"muted\">no data</span>");
            else if (state.crossed)
                result = QStringLiteral("<span class=\"fail-text\">✗ crossed</span>");
            else
                result = QStringLiteral("<span class=\"pass-text\">✓ passed</span>");
            QString expression = esc(state.expression);
            if (threshold && threshold->abortOnFail)
                expression += QStringLiteral(" <span class=\"muted\">(abortOnFail)</span>");
            m_html += QStringLiteral("<tr><td class=\"name\">%1</td><td "
                                     "class=\"text\"><code>%2</code></td><td>%3</td><td "
                                     "class=\"text\">%4</td></tr>\n")
                          .arg(esc(state.metric), expression, esc(formatObserved(state, threshold)),
                               result);
        }
        m_html += QLatin1String("</tbody>\n</table></div>\n</section>\n");
    }

    void figure(const SvgLineChart &chart, const QString &caption)
    {
        m_html += QLatin1String("<figure>\n") + chart.toSvg(SvgLineChart::Mode::Inline) +
                  QStringLiteral("<figcaption>%1</figcaption>\n</figure>\n").arg(esc(caption));
    }

    // Limit lines for the thresholds of one metric whose value is drawn on a chart.
    void addLimitLines(SvgLineChart &chart, const QString &metric, bool trendStatsOnly,
                       double scale /* 100: percent */)
    {
        for (const Threshold &t : m_summary.scenario.thresholds) {
            if (t.metric != metric)
                continue;
            const bool isTrendStat = t.aggregation != Threshold::Aggregation::Count &&
                                     t.aggregation != Threshold::Aggregation::Rate &&
                                     t.aggregation != Threshold::Aggregation::Value;
            if (trendStatsOnly != isTrendStat)
                continue;
            const QString label = scale == 1.0
                                      ? t.expression
                                      : t.expression + QStringLiteral(" (") +
                                            formatNumber(t.limit * scale) + QStringLiteral("%)");
            chart.addHorizontalLine(label, t.limit * scale);
        }
    }

    void charts()
    {
        m_html += QLatin1String("<section>\n<h2>Over time</h2>\n");
        SvgLineChart latency =
            latencyChart(m_timeline, QStringLiteral("Latency per second (http_req_duration)"));
        addLimitLines(latency, QStringLiteral("http_req_duration"), true, 1.0);
        figure(latency,
               QStringLiteral(
                   "Percentiles of each one-second interval; gaps are seconds without responses. "
                   "Dashed red lines are thresholds, which apply to the whole run."));

        SvgLineChart throughput =
            throughputChart(m_timeline, QStringLiteral("Throughput (http_reqs)"));
        for (const Threshold &t : m_summary.scenario.thresholds)
            if (t.metric == QLatin1String("http_reqs") &&
                t.aggregation == Threshold::Aggregation::Rate)
                throughput.addHorizontalLine(t.expression, t.limit);
        figure(throughput, QStringLiteral("Completed requests per second."));

        figure(vusChart(m_timeline, QStringLiteral("Virtual users")),
               QStringLiteral("Active VUs against the scenario's plan; a gap between them means "
                              "the generator fell behind."));

        SvgLineChart errors =
            errorRateChart(m_timeline, QStringLiteral("Failed requests (http_req_failed)"));
        addLimitLines(errors, QStringLiteral("http_req_failed"), false, 100.0);
        errors.setMaxLineStretch(1e9); // a failure limit is always worth seeing
        figure(errors, QStringLiteral("Share of each second's requests that failed (network error "
                                      "or an unexpected status)."));
        m_html += QLatin1String("</section>\n");
    }

    void trends()
    {
        QStringList stats = m_summary.scenario.summaryTrendStats;
        if (stats.isEmpty())
            stats = Scenario::defaultSummaryTrendStats();
        const bool countListed = stats.contains(QLatin1String("count"));

        m_html += QLatin1String("<section>\n<h2>Latency and timings</h2>\n<div "
                                "class=\"table-wrap\"><table>\n<thead><tr><th>Metric</th>");
        for (const QString &stat : std::as_const(stats))
            m_html += QStringLiteral("<th>%1</th>").arg(esc(stat));
        if (!countListed)
            m_html += QLatin1String("<th>samples</th>");
        m_html += QLatin1String("</tr></thead>\n<tbody>\n");
        auto row = [&](const QString &name, const Histogram &h, bool sub, const QString &description) {
            // A break opportunity before the tags keeps the long sub-metric name from widening the
            // table.
            QString label = esc(name).replace(QLatin1Char('{'), QStringLiteral("<wbr/>{"));
            m_html += QStringLiteral("<tr%1><td class=\"name\">%2<small>%3</small></td>")
                          .arg(sub ? QStringLiteral(" class=\"submetric\"") : QString(), label,
                               esc(description));
            for (const QString &stat : std::as_const(stats)) {
                QString value;
                if (stat == QLatin1String("count"))
                    value = formatCount(h.count());
                else
                    value = formatK6Duration(Summary::trendStat(h, stat));
                m_html += QStringLiteral("<td>%1</td>").arg(esc(value));
            }
            if (!countListed)
                m_html += QStringLiteral("<td>%1</td>").arg(formatCount(h.count()));
            m_html += QLatin1String("</tr>\n");
        };
        // The trend sub-metrics the thresholds name, under their parent (after the built-in
        // expected_response one), as k6's summary lists them.
        auto subRows = [&](const QString &parent) {
            const SubmetricSpecList &specs = m_metrics.submetricSpecs();
            for (qsizetype k = 0; k < specs.size(); ++k) {
                const SubmetricSink &sink = m_metrics.submetricSinks()[size_t(k)];
                if (specs[k].type() != MetricType::Trend || specs[k].metric().parent != parent || !sink.trend
                    || !hasThreshold(specs[k].metric()))
                    continue;
                row(specs[k].name(), *sink.trend, true,
                    QStringLiteral("the samples tagged %1").arg(specs[k].metric().suffix));
            }
        };
        for (int i = 0; i < trendMetricCount; ++i) {
            const auto metric = TrendMetric(i);
            const QString name = trendMetricName(metric);
            const Histogram &h = m_metrics.trend(metric);
            if (metric == TrendMetric::HttpReqScheduledDuration && h.count() == 0)
                continue; // closed model: there is no schedule to measure from
            row(name, h, metric == TrendMetric::HttpReqDurationExpected, trendDescription(metric));
            if (metric == TrendMetric::HttpReqDurationExpected)
                subRows(trendMetricName(TrendMetric::HttpReqDuration));
            else if (metric != TrendMetric::HttpReqDuration)
                subRows(name);
        }
        m_html += QLatin1String("</tbody>\n</table></div>\n</section>\n");
    }

    void counterRow(const QString &name, const QString &value, const QString &detail)
    {
        m_html += QStringLiteral(
                      "<tr><td class=\"name\">%1</td><td>%2</td><td class=\"text\">%3</td></tr>\n")
                      .arg(esc(name), esc(value), esc(detail));
    }

    void counters()
    {
        m_html += QLatin1String(
            "<section>\n<h2>Requests, iterations and data</h2>\n<div class=\"table-wrap\"><table>\n"
            "<thead><tr><th>Metric</th><th>Value</th><th "
            "class=\"text\">Detail</th></tr></thead>\n<tbody>\n");
        counterRow(QStringLiteral("http_reqs"), formatCount(m_metrics.httpReqs),
                   formatRate(rateOf(m_summary, QStringLiteral("http_reqs"), m_metrics.httpReqs)));
        const double failedRate =
            m_metrics.httpReqs ? double(m_metrics.httpReqFailed) / double(m_metrics.httpReqs) : 0.0;
        counterRow(QStringLiteral("http_req_failed"), formatPercent(failedRate),
                   QStringLiteral("%1 of %2 requests failed (k6 counts them as the rate's passes)")
                       .arg(formatCount(m_metrics.httpReqFailed), formatCount(m_metrics.httpReqs)));
        counterRow(
            QStringLiteral("iterations"), formatCount(m_metrics.iterations),
            formatRate(rateOf(m_summary, QStringLiteral("iterations"), m_metrics.iterations)));
        if (showDropped())
            counterRow(QStringLiteral("dropped_iterations"), formatCount(m_metrics.droppedIterations),
                       formatRate(rateOf(m_summary, QStringLiteral("dropped_iterations"), m_metrics.droppedIterations))
                           + QStringLiteral(": arrival-rate iterations that found no free VU"));
        if (m_metrics.interruptedIterations)
            counterRow(QStringLiteral("interrupted iterations"),
                       formatCount(m_metrics.interruptedIterations),
                       QStringLiteral("cut short by the end of the run"));
        counterRow(QStringLiteral("data_received"), formatK6Bytes(double(m_metrics.dataReceived)),
                   formatK6Bytes(
                       rateOf(m_summary, QStringLiteral("data_received"), m_metrics.dataReceived)) +
                       QStringLiteral("/s"));
        counterRow(
            QStringLiteral("data_sent"), formatK6Bytes(double(m_metrics.dataSent)),
            formatK6Bytes(rateOf(m_summary, QStringLiteral("data_sent"), m_metrics.dataSent)) +
                QStringLiteral("/s"));
        counterRow(QStringLiteral("vus"), QString::number(m_summary.vus),
                   QStringLiteral("min %1, max %2")
                       .arg(QString::number(m_summary.vusMin), QString::number(m_summary.vusMax)));
        counterRow(QStringLiteral("vus_max"), QString::number(m_summary.vusMaxConfigured),
                   QStringLiteral("VUs allocated"));
        m_html += QLatin1String("</tbody>\n</table></div>\n</section>\n");
    }

    void checks()
    {
        m_html += QLatin1String("<section>\n<h2>Checks</h2>\n");
        if (m_metrics.checks.isEmpty()) {
            m_html += QLatin1String("<p class=\"muted\">No checks ran.</p>\n</section>\n");
            return;
        }
        m_html += QLatin1String(
            "<div class=\"table-wrap\"><table>\n<thead><tr><th>Check</th><th>Passed</th>"
            "<th>Failed</th><th>Pass rate</th></tr></thead>\n<tbody>\n");
        for (const CheckCounts &check : m_metrics.checks) {
            const quint64 total = check.passes + check.fails;
            const QString mark = check.fails
                                     ? QStringLiteral("<span class=\"fail-text\">✗</span> ")
                                     : QStringLiteral("<span class=\"pass-text\">✓</span> ");
            m_html +=
                QStringLiteral(
                    "<tr><td class=\"text\">%1%2</td><td>%3</td><td>%4</td><td>%5</td></tr>\n")
                    .arg(mark, esc(check.name), formatCount(check.passes), formatCount(check.fails),
                         total ? formatPercent(double(check.passes) / double(total))
                               : QStringLiteral("–"));
        }
        m_html += QLatin1String("</tbody>\n</table></div>\n</section>\n");
    }

    void errors()
    {
        m_html += QLatin1String("<section>\n<h2>Errors</h2>\n");
        if (m_metrics.errors.isEmpty()) {
            m_html += QLatin1String("<p class=\"muted\">No errors: every request got a response "
                                    "with an expected status.</p>\n</section>\n");
            return;
        }
        QList<QPair<QString, quint64>> sorted;
        for (auto it = m_metrics.errors.cbegin(); it != m_metrics.errors.cend(); ++it)
            sorted.append({it.key(), it.value()});
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto &a, const auto &b) { return a.second > b.second; });
        m_html += QLatin1String(
            "<div class=\"table-wrap\"><table>\n<thead><tr><th>Error</th><th>Count</th>"
            "<th>Share of requests</th></tr></thead>\n<tbody>\n");
        for (const auto &[kind, count] : std::as_const(sorted))
            m_html +=
                QStringLiteral(
                    "<tr><td class=\"text\"><code>%1</code></td><td>%2</td><td>%3</td></tr>\n")
                    .arg(esc(kind), formatCount(count),
                         m_metrics.httpReqs
                             ? formatPercent(double(count) / double(m_metrics.httpReqs))
                             : QStringLiteral("–"));
        m_html += QLatin1String("</tbody>\n</table></div>\n</section>\n");
    }

    void howToRead()
    {
        m_html +=
            QLatin1String("<section class=\"howto\">\n<h2>How to read this report</h2>\n<ul>\n"
                          "<li><strong>Percentiles, not averages.</strong> p95 = 300 ms means 95 % "
                          "of requests took at most "
                          "300 ms and 1 in 20 took longer. Averages hide the slow tail that users "
                          "notice; a run is as good as "
                          "its p95 and p99.</li>\n"
                          "<li><strong>Waiting vs duration.</strong> "
                          "<code>http_req_duration</code> is sending + waiting + "
                          "receiving. <code>http_req_waiting</code> (time to first byte) is mostly "
                          "the server's work plus one "
                          "network round trip; if duration is much larger than waiting, the "
                          "response body or the network is "
                          "the slow part. Connection setup (blocked, connecting, TLS) happens only "
                          "when a VU opens a new "
                          "connection.</li>\n"
                          "<li><strong>Failures.</strong> A request fails on a network error "
                          "(status 0) or an unexpected status "
                          "(400 and above by default). Failed requests are left out of "
                          "<code>http_req_duration{expected_response:true}</code>, so fast errors "
                          "cannot make latency look good.</li>\n"
                          "<li><strong>Thresholds</strong> are judged on the whole run, the table "
                          "above; the charts show each "
                          "second on its own, so a single slow second can cross a dashed line "
                          "without failing the run.</li>\n"
                          "<li><strong>The generator is part of the measurement.</strong> It "
                          "shares the machine with whatever "
                          "else runs there; its own overhead lands inside every latency, so "
                          "compare runs made on the same "
                          "machine and engine.</li>\n"
                          "</ul>\n</section>\n");
    }

    const Summary &m_summary;
    const QList<IntervalSnapshot> &m_timeline;
    const MetricSet &m_metrics;
    const QList<ThresholdState> m_thresholds;
    QString m_html;
};

} // namespace

QString formatK6Duration(double ms)
{
    if (!std::isfinite(ms))
        return QStringLiteral("–");
    if (ms == 0)
        return QStringLiteral("0s");
    if (ms < 0)
        return QLatin1Char('-') + formatK6Duration(-ms);
    if (ms < 0.001)
        return QString::number(qint64(std::trunc(ms * 1e6))) + QStringLiteral("ns");
    if (ms < 1)
        return fixedTruncated(ms * 1000.0, 2) + QStringLiteral("µs");
    if (ms < 1000)
        return fixedTruncated(ms, 2) + QStringLiteral("ms");
    QString result =
        fixedTruncated(std::fmod(ms, 60000.0) / 1000.0, ms > 60000 ? 0 : 2) + QLatin1Char('s');
    qint64 rest = qint64(std::trunc(ms / 60000.0));
    if (rest < 1)
        return result;
    result = QString::number(rest % 60) + QLatin1Char('m') + result;
    rest /= 60;
    if (rest < 1)
        return result;
    return QString::number(rest) + QLatin1Char('h') + result;
}

QString formatK6Bytes(double bytes)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    if (!std::isfinite(bytes) || bytes < 10)
        return QString::number(std::isfinite(bytes) ? qint64(bytes) : 0) + QStringLiteral(" B");
    const int exponent = std::min(5, int(std::floor(std::log(bytes) / std::log(1000.0))));
    const double scaled = bytes / std::pow(1000.0, exponent);
    // One rounding only: 83 476 B is "83 kB", not 83.5 rounded again to 84.
    const QString number = scaled < 10 ? QString::number(std::floor(scaled * 10 + 0.5) / 10, 'f', 1)
                                        : QString::number(std::floor(scaled + 0.5), 'f', 0);
    return number + QLatin1Char(' ') +
           QLatin1String(units[exponent]);
}

void writeHtmlReport(QIODevice &out, const Summary &summary,
                     const QList<IntervalSnapshot> &timeline)
{
    out.write(HtmlReport(summary, timeline).build().toUtf8());
}

} // namespace loadbench
