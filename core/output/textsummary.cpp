// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/textsummary.h"

#include "report/htmlreport.h"

#include <QLocale>
#include <QStringList>

#include <array>

#include <cmath>

namespace loadbench {

QString textScenarioHeader(const Scenario &scenario, const QString &scriptPath, const QString &output,
                           int workerThreads)
{
    // As k6 prints it: every scenario's line, and the latest end with its grace period.
    Nanoseconds maxDuration{0};
    for (const ScenarioConfig &c : scenario.scenarios)
        maxDuration = std::max(maxDuration, c.latestEnd());
    QString out;
    out += QStringLiteral("     execution: local (loadbench %1%2)\n")
               .arg(QStringLiteral(LOADBENCH_VERSION),
                    workerThreads > 0 ? QStringLiteral(", %1 worker thread%2").arg(workerThreads).arg(workerThreads == 1 ? QString() : QStringLiteral("s"))
                                      : QString());
    out += QStringLiteral("        engine: %1\n").arg(scenario.enginesText());
    out += QStringLiteral("        script: %1\n").arg(scriptPath);
    out += QStringLiteral("        target: %1\n").arg(scenario.target.describe());
    out += QStringLiteral("        output: %1\n").arg(output.isEmpty() ? QStringLiteral("-") : output);
    out += u'\n';
    out += QStringLiteral("     scenarios: (100.00%) %1 %2, %3 max VUs, %4 max duration (incl. graceful stop):\n")
               .arg(scenario.scenarios.size())
               .arg(scenario.scenarios.size() == 1 ? QStringLiteral("scenario") : QStringLiteral("scenarios"))
               .arg(scenario.maxVus()).arg(formatDuration(maxDuration));
    for (const ScenarioConfig &c : scenario.scenarios)
        out += QStringLiteral("              * %1: %2\n").arg(c.name, c.description());
    return out;
}

namespace {

// JavaScript's parseFloat(v.toFixed(digits)).toString(), k6's toFixedNoTrailingZeros.
QString fixedNoTrailingZeros(double v, int digits)
{
    QString text = QString::number(v, 'f', digits);
    if (text.contains(u'.')) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}

// k6's humanizeBytes: below 10 B the number as JavaScript prints it.
QString humanizeBytes(double bytes)
{
    if (bytes < 10)
        return QString::number(bytes, 'g', QLocale::FloatingPointShortest) + QStringLiteral(" B");
    return formatK6Bytes(bytes);
}

// k6's humanizeValue (summary.js) with the default summaryTimeUnit.
QString humanizeValue(double v, const MetricSummary &metric)
{
    if (metric.type == MetricType::Rate)
        return QString::number(std::trunc(v * 100 * 100) / 100, 'f', 2) + u'%';
    switch (metric.contains) {
    case MetricSummary::Contains::Data: return humanizeBytes(v);
    case MetricSummary::Contains::Time: return formatK6Duration(v);
    case MetricSummary::Contains::Default: break;
    }
    return fixedNoTrailingZeros(v, 6);
}

QString displayName(const QString &name)
{
    const qsizetype brace = name.indexOf(u'{');
    return brace < 0 ? name : QStringLiteral("{ ") + name.mid(brace + 1, name.size() - brace - 2) + QStringLiteral(" }");
}

QString spaces(qsizetype n)
{
    return QString(std::max<qsizetype>(0, n), u' ');
}

} // namespace

QString textSummary(const Summary &summary)
{
    const MetricSet &m = *summary.metrics;
    const QList<MetricSummary> metrics = summary.listedMetrics();
    const QStringList &trendStats = summary.scenario.summaryTrendStats;

    // k6's summarizeMetrics: column widths over every metric, then one line each.
    qsizetype nameWidth = 0;
    qsizetype valueWidth = 0;
    std::array<qsizetype, 2> extraWidths{0, 0};
    QList<qsizetype> trendWidths(trendStats.size(), 0);
    struct Cells {
        QStringList trend;  // one per summaryTrendStats column
        QString value;      // non-trend: the value and its extras
        QStringList extras;
    };
    QList<Cells> cells;
    for (const MetricSummary &metric : metrics) {
        nameWidth = std::max(nameWidth, (metric.isSubmetric() ? 2 : 0) + displayName(metric.name).size());
        Cells c;
        switch (metric.type) {
        case MetricType::Trend:
            for (qsizetype i = 0; i < trendStats.size(); ++i) {
                const double v = metric.value(trendStats[i]);
                c.trend << (trendStats[i] == QLatin1String("count") ? QString::number(v, 'g', QLocale::FloatingPointShortest)
                                                                     : humanizeValue(v, metric));
                trendWidths[i] = std::max(trendWidths[i], c.trend.last().size());
            }
            break;
        case MetricType::Counter:
            c.value = humanizeValue(metric.value(QStringLiteral("count")), metric);
            c.extras << humanizeValue(metric.value(QStringLiteral("rate")), metric) + QStringLiteral("/s");
            break;
        case MetricType::Gauge:
            c.value = humanizeValue(metric.value(QStringLiteral("value")), metric);
            c.extras << QStringLiteral("min=") + humanizeValue(metric.value(QStringLiteral("min")), metric)
                     << QStringLiteral("max=") + humanizeValue(metric.value(QStringLiteral("max")), metric);
            break;
        case MetricType::Rate:
            c.value = humanizeValue(metric.value(QStringLiteral("value")), metric);
            c.extras << QStringLiteral("✓ ") + QString::number(qint64(metric.value(QStringLiteral("passes"))))
                     << QStringLiteral("✗ ") + QString::number(qint64(metric.value(QStringLiteral("fails"))));
            break;
        }
        if (metric.type != MetricType::Trend) {
            valueWidth = std::max(valueWidth, c.value.size());
            for (qsizetype i = 0; i < c.extras.size() && i < 2; ++i)
                extraWidths[size_t(i)] = std::max(extraWidths[size_t(i)], c.extras[i].size());
        }
        cells.append(c);
    }

    QString out;
    if (!m.checks.isEmpty()) {
        for (const CheckCounts &c : m.checks) {
            if (c.fails == 0) {
                out += QStringLiteral("     ✓ %1\n").arg(c.name);
            } else {
                const quint64 percent = 100 * c.passes / (c.passes + c.fails); // k6 floors it
                out += QStringLiteral("     ✗ %1\n      ↳  %2% — ✓ %3 / ✗ %4\n")
                           .arg(c.name).arg(percent).arg(c.passes).arg(c.fails);
            }
        }
        out += u'\n';
    }
    for (qsizetype row = 0; row < metrics.size(); ++row) {
        const MetricSummary &metric = metrics[row];
        const Cells &c = cells[row];
        QString mark = QStringLiteral(" ");
        if (!metric.thresholds.isEmpty()) {
            mark = QStringLiteral("✓");
            for (const ThresholdState &t : metric.thresholds) {
                if (t.crossed)
                    mark = QStringLiteral("✗");
            }
        }
        const QString indent = metric.isSubmetric() ? QStringLiteral("  ") : QString();
        const QString name = displayName(metric.name);
        QString data;
        if (metric.type == MetricType::Trend) {
            QStringList columns;
            for (qsizetype i = 0; i < c.trend.size(); ++i)
                columns << trendStats[i] + u'=' + c.trend[i] + spaces(trendWidths[i] - c.trend[i].size());
            data = columns.join(u' ');
        } else {
            data = c.value + spaces(valueWidth - c.value.size());
            if (c.extras.size() == 1) {
                data += u' ' + c.extras.first();
            } else {
                QStringList parts;
                for (qsizetype i = 0; i < c.extras.size(); ++i)
                    parts << c.extras[i] + spaces(extraWidths[size_t(std::min<qsizetype>(i, 1))] - c.extras[i].size());
                data += u' ' + parts.join(u' ');
            }
        }
        out += QStringLiteral("   ") + indent + mark + u' ' + name
               + QString(nameWidth - name.size() - indent.size() + 3, u'.') + QStringLiteral(": ") + data + u'\n';
    }
    // BC-09: say why a threshold on an empty metric is marked crossed, since k6 would skip it.
    QString noData;
    for (const ThresholdState &t : summary.thresholds) {
        if (!t.hasData)
            noData += QStringLiteral("       %1: %2\n").arg(t.metric, t.expression);
    }
    if (!noData.isEmpty())
        out += QStringLiteral("\n     crossed for lack of samples (k6 would skip them):\n") + noData;
    if (m.interruptedIterations)
        out += QStringLiteral("\n     %1 iterations were interrupted\n").arg(m.interruptedIterations);
    if (m.httpReqRetries)
        out += QStringLiteral("\n     %1 requests were sent again on a fresh connection after the server closed a "
                              "kept-alive one (counted once in http_reqs)\n")
                   .arg(m.httpReqRetries);
    if (summary.generatorSaturatedSeconds > 0)
        out += QStringLiteral("\n     the generator was saturated for %1 s (a worker thread at %2 % of a core): latencies then "
                              "include its own queueing; use more --threads or fewer VUs\n")
                   .arg(summary.generatorSaturatedSeconds, 0, 'f', 1)
                   .arg(qRound(summary.peakWorkerCores * 100));
    if (m.httpReqs > 0 && m.httpReqFailed == m.httpReqs)
        out += QStringLiteral("\n     100 % of requests failed: every latency above measures errors, not responses.\n");
    if (!m.errors.isEmpty()) {
        out += QStringLiteral("\n     errors by kind:\n");
        for (auto it = m.errors.begin(); it != m.errors.end(); ++it)
            out += QStringLiteral("       %1 × %2\n").arg(it.value()).arg(it.key());
    }
    // Which engine measured all this: its overhead is inside every latency above.
    const QString engine = summary.enginesText();
    if (!engine.isEmpty()) {
        out += QStringLiteral("\n     engine: ") + engine;
        if (summary.workerThreads > 0)
            out += QStringLiteral(", %1 worker thread%2").arg(summary.workerThreads).arg(summary.workerThreads == 1 ? QString() : QStringLiteral("s"));
        out += u'\n';
    }
    return out;
}

} // namespace loadbench
