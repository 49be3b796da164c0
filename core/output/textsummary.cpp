// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/textsummary.h"

#include "report/htmlreport.h"

#include <QStringList>

#include <cmath>

namespace loadbench {

namespace {

QString padRight(const QString &s, qsizetype width)
{
    return s.size() >= width ? s : s + QString(width - s.size(), u' ');
}

} // namespace

QString textScenarioHeader(const Scenario &scenario, const QString &scriptPath, const QString &output,
                           const QString &engine)
{
    // As k6 prints it: every scenario's line, and the latest end with its grace period.
    Nanoseconds maxDuration{0};
    for (const ScenarioConfig &c : scenario.scenarios)
        maxDuration = std::max(maxDuration, c.latestEnd());
    QString out;
    out += QStringLiteral("     execution: local (loadbench %1, engine %2)\n").arg(QStringLiteral(LOADBENCH_VERSION), engine);
    out += QStringLiteral("        script: %1\n").arg(scriptPath);
    out += QStringLiteral("        target: %1 %2\n").arg(QString::fromLatin1(scenario.target.method), scenario.target.url.toString());
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

QString textSummary(const Summary &summary)
{
    const MetricSet &m = *summary.metrics;
    struct Row {
        QString name;
        QString value;
        int mark = 0; // 0 none, 1 passed, -1 crossed
        bool indented = false;
    };
    QList<Row> rows;
    auto markFor = [&](const QString &metric) {
        int mark = 0;
        for (const ThresholdState &t : summary.thresholds) {
            if (t.metric != metric)
                continue;
            if (t.crossed)
                return -1;
            mark = 1;
        }
        return mark;
    };
    auto trendRow = [&](const Histogram &h) {
        QStringList parts;
        for (const QString &stat : summary.scenario.summaryTrendStats) {
            const double v = Summary::trendStat(h, stat);
            parts << padRight(stat + u'=' + (stat == QLatin1String("count") ? QString::number(v) : formatK6Duration(v)),
                              stat.size() + 10);
        }
        return parts.join(u' ');
    };
    const double seconds = summary.durationSeconds > 0 ? summary.durationSeconds : 1;

    QList<Row> unsorted;
    if (!m.checks.isEmpty()) {
        quint64 passes = 0, fails = 0;
        for (const CheckCounts &c : m.checks) {
            passes += c.passes;
            fails += c.fails;
        }
        const double rate = passes + fails ? 100.0 * double(passes) / double(passes + fails) : 0;
        unsorted.append({QStringLiteral("checks"),
                         QStringLiteral("%1 ✓ %2 ✗ %3").arg(QString::number(rate, 'f', 2) + u'%', -7)
                             .arg(QString::number(passes), -10).arg(fails),
                         markFor(QStringLiteral("checks"))});
    }
    for (const char *counter : {"data_received", "data_sent"}) {
        const double count = double(QLatin1String(counter) == QLatin1String("data_sent") ? m.dataSent : m.dataReceived);
        unsorted.append({QString::fromLatin1(counter),
                         QStringLiteral("%1 %2/s").arg(formatK6Bytes(count), -7).arg(formatK6Bytes(count / seconds)),
                         markFor(QString::fromLatin1(counter))});
    }
    for (int i = 0; i < trendMetricCount; ++i) {
        const auto trend = TrendMetric(i);
        if (trend == TrendMetric::HttpReqDurationExpected)
            continue;
        if (isOptionalTrend(trend) && m.trend(trend).count() == 0)
            continue;
        unsorted.append({trendMetricName(trend), trendRow(m.trend(trend)), markFor(trendMetricName(trend))});
    }
    {
        const double rate = m.httpReqs ? 100.0 * double(m.httpReqFailed) / double(m.httpReqs) : 0;
        unsorted.append({QStringLiteral("http_req_failed"),
                         QStringLiteral("%1 ✓ %2 ✗ %3").arg(QString::number(rate, 'f', 2) + u'%', -7)
                             .arg(QString::number(m.httpReqFailed), -10).arg(m.httpReqs - m.httpReqFailed),
                         markFor(QStringLiteral("http_req_failed"))});
    }
    for (const char *counter : {"http_reqs", "iterations"}) {
        const quint64 count = QLatin1String(counter) == QLatin1String("http_reqs") ? m.httpReqs : m.iterations;
        unsorted.append({QString::fromLatin1(counter),
                         QStringLiteral("%1 %2/s").arg(QString::number(count), -7)
                             .arg(QString::number(double(count) / seconds, 'f', 6)),
                         markFor(QString::fromLatin1(counter))});
    }
    unsorted.append({QStringLiteral("vus"),
                     QStringLiteral("%1 min=%2 max=%3").arg(QString::number(summary.vus), -7)
                         .arg(QString::number(summary.vusMin), -8).arg(summary.vusMax),
                     markFor(QStringLiteral("vus"))});
    unsorted.append({QStringLiteral("vus_max"),
                     QStringLiteral("%1 min=%2 max=%3").arg(QString::number(summary.vusMaxConfigured), -7)
                         .arg(QString::number(summary.vusMaxConfigured), -8).arg(summary.vusMaxConfigured),
                     markFor(QStringLiteral("vus_max"))});
    std::sort(unsorted.begin(), unsorted.end(), [](const Row &a, const Row &b) { return a.name < b.name; });
    for (const Row &row : std::as_const(unsorted)) {
        rows.append(row);
        if (row.name == QLatin1String("http_req_duration")) {
            const Histogram &expected = m.trend(TrendMetric::HttpReqDurationExpected);
            const QString sub = QStringLiteral("http_req_duration{expected_response:true}");
            if (expected.count() > 0 || markFor(sub) != 0)
                rows.append({QStringLiteral("{ expected_response:true }"), trendRow(expected), markFor(sub), true});
        }
    }

    qsizetype width = 0;
    for (const Row &row : std::as_const(rows))
        width = std::max(width, row.name.size() + (row.indented ? 2 : 0));
    width += 3;

    QString out;
    if (!m.checks.isEmpty()) {
        for (const CheckCounts &c : m.checks) {
            if (c.fails == 0) {
                out += QStringLiteral("     ✓ %1\n").arg(c.name);
            } else {
                const double pct = 100.0 * double(c.passes) / double(c.passes + c.fails);
                out += QStringLiteral("     ✗ %1\n      ↳  %2% — ✓ %3 / ✗ %4\n")
                           .arg(c.name).arg(QString::number(pct, 'f', 0)).arg(c.passes).arg(c.fails);
            }
        }
        out += u'\n';
    }
    for (const Row &row : std::as_const(rows)) {
        const QString margin = row.mark == 1 ? QStringLiteral("   ✓ ") : row.mark == -1 ? QStringLiteral("   ✗ ")
                                                                                        : QStringLiteral("     ");
        QString name = (row.indented ? QStringLiteral("  ") : QString()) + row.name;
        name += QString(width - name.size(), u'.');
        out += margin + name + QStringLiteral(": ") + row.value.trimmed() + u'\n';
    }
    if (m.interruptedIterations)
        out += QStringLiteral("\n     %1 iterations were interrupted\n").arg(m.interruptedIterations);
    if (m.httpReqs > 0 && m.httpReqFailed == m.httpReqs)
        out += QStringLiteral("\n     100 % of requests failed: every latency above measures errors, not responses.\n");
    if (!m.errors.isEmpty()) {
        out += QStringLiteral("\n     errors by kind:\n");
        for (auto it = m.errors.begin(); it != m.errors.end(); ++it)
            out += QStringLiteral("       %1 × %2\n").arg(it.value()).arg(it.key());
    }
    return out;
}

} // namespace loadbench
