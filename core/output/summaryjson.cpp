// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/summaryjson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace loadbench {

namespace {

QString md5Hex(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex());
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
    const QJsonObject about{
        {QStringLiteral("format"), QStringLiteral("k6 --summary-export; a threshold maps to true when it was crossed")},
        {QStringLiteral("version"), QStringLiteral(LOADBENCH_VERSION)},
        {QStringLiteral("scenario"), summary.scenario.name},
        {QStringLiteral("engine"), summary.engine},
        {QStringLiteral("startTime"), summary.startTime.toString(Qt::ISODateWithMs)},
        {QStringLiteral("durationSeconds"), summary.durationSeconds},
        {QStringLiteral("interrupted"), summary.interrupted},
        {QStringLiteral("abortedByThreshold"), summary.abortedByThreshold},
        {QStringLiteral("interruptedIterations"), double(m.interruptedIterations)},
        {QStringLiteral("thresholdsCrossed"), summary.thresholdsCrossed()},
        {QStringLiteral("thresholdsWithoutData"),
         QStringLiteral("a threshold whose metric got no samples counts as crossed (k6 skips it)")},
        {QStringLiteral("thresholds"), thresholds},
    };
    return QJsonObject{{QStringLiteral("root_group"), rootGroup},
                       {QStringLiteral("metrics"), metrics},
                       {QStringLiteral("loadbench"), about}};
}

void writeSummaryJson(QIODevice &out, const Summary &summary)
{
    out.write(QJsonDocument(summaryToJson(summary)).toJson(QJsonDocument::Indented));
}

} // namespace loadbench
