// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/summaryjson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace loadbench {

namespace {

QString md5Hex(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex());
}

// The run's engine in one word: "native", "qnam", "native+qnam" when scenarios differ, or the
// label of results Loadbench did not run ("k6 results").
QString engineField(const Summary &summary)
{
    if (summary.hasForeignEngine() || summary.scenario.scenarios.isEmpty())
        return summary.engine;
    QStringList names;
    for (const ScenarioConfig &config : summary.scenario.scenarios) {
        const QString name = engineName(summary.scenario.engineFor(config));
        if (!names.contains(name))
            names << name;
    }
    return names.join(u'+');
}

} // namespace

QJsonObject summaryToJson(const Summary &summary)
{
    const MetricSet &m = *summary.metrics;
    QJsonObject metrics;
    for (const MetricSummary &metric : summary.listedMetrics()) {
        QJsonObject o;
        for (const auto &[key, value] : metric.values)
            o[key] = value;
        QJsonObject thresholds;
        for (const ThresholdState &state : metric.thresholds)
            thresholds[state.expression] = state.crossed;
        if (!thresholds.isEmpty())
            o[QLatin1String("thresholds")] = thresholds;
        metrics[metric.name] = o;
    }

    QJsonObject checks;
    for (const CheckCounts &c : m.checks) {
        const QString path = QStringLiteral("::") + c.name;
        checks[c.name] = QJsonObject{{QStringLiteral("name"), c.name},
                                     {QStringLiteral("path"), path},
                                     {QStringLiteral("id"), md5Hex(path)},
                                     {QStringLiteral("passes"), double(c.passes)},
                                     {QStringLiteral("fails"), double(c.fails)}};
    }
    const QJsonObject rootGroup{{QStringLiteral("name"), QString()},
                                {QStringLiteral("path"), QString()},
                                {QStringLiteral("id"), md5Hex(QString())},
                                {QStringLiteral("groups"), QJsonObject()},
                                {QStringLiteral("checks"), checks}};

    // Every threshold in file order, with what k6's export lacks: the value it was judged on and
    // whether there was anything to judge.
    QJsonArray thresholds;
    for (const ThresholdState &t : summary.thresholds) {
        thresholds.append(QJsonObject{{QStringLiteral("metric"), t.metric},
                                      {QStringLiteral("threshold"), t.expression},
                                      {QStringLiteral("ok"), !t.crossed},
                                      {QStringLiteral("observed"), t.observed},
                                      {QStringLiteral("hasData"), t.hasData}});
    }
    QJsonObject about{
        {QStringLiteral("format"), QStringLiteral("k6 --summary-export; a threshold maps to true when it was crossed")},
        {QStringLiteral("version"), QStringLiteral(LOADBENCH_VERSION)},
        {QStringLiteral("scenario"), summary.scenario.name},
        {QStringLiteral("engine"), engineField(summary)},
        {QStringLiteral("startTime"), summary.startTime.toString(Qt::ISODateWithMs)},
        {QStringLiteral("durationSeconds"), summary.durationSeconds},
        {QStringLiteral("interrupted"), summary.interrupted},
        {QStringLiteral("abortedByThreshold"), summary.abortedByThreshold},
        {QStringLiteral("interruptedIterations"), double(m.interruptedIterations)},
        {QStringLiteral("retriedRequests"), double(m.httpReqRetries)},
        {QStringLiteral("thresholdsCrossed"), summary.thresholdsCrossed()},
        {QStringLiteral("thresholdsWithoutData"),
         QStringLiteral("a threshold whose metric got no samples counts as crossed (k6 skips it)")},
        {QStringLiteral("thresholds"), thresholds},
    };
    if (!summary.hasForeignEngine()) {
        // Resolved, never "auto": what actually ran each scenario.
        QJsonObject engines;
        for (const ScenarioConfig &config : summary.scenario.scenarios)
            engines[config.name] = engineName(summary.scenario.engineFor(config));
        about[QLatin1String("engines")] = engines;
    }
    if (summary.workerThreads > 0)
        about[QLatin1String("workerThreads")] = summary.workerThreads;
    if (summary.peakWorkerCores >= 0) {
        // Whether the generator kept up: a saturated worker's latencies include its queueing.
        about[QLatin1String("generator")] = QJsonObject{
            {QStringLiteral("peakWorkerCpu"), std::round(summary.peakWorkerCores * 1000) / 1000},
            {QStringLiteral("saturatedSeconds"), std::round(summary.generatorSaturatedSeconds * 10) / 10}};
    }
    return QJsonObject{{QStringLiteral("root_group"), rootGroup},
                       {QStringLiteral("metrics"), metrics},
                       {QStringLiteral("loadbench"), about}};
}

void writeSummaryJson(QIODevice &out, const Summary &summary)
{
    out.write(QJsonDocument(summaryToJson(summary)).toJson(QJsonDocument::Indented));
}

} // namespace loadbench
