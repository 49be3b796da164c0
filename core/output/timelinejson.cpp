// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/timelinejson.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace loadbench {

QJsonArray timelineToJson(const QList<IntervalSnapshot> &timeline)
{
    QJsonArray out;
    for (const IntervalSnapshot &s : timeline) {
        out.append(QJsonObject{
            {QStringLiteral("elapsedSeconds"), s.elapsedSeconds},
            {QStringLiteral("intervalSeconds"), s.intervalSeconds},
            {QStringLiteral("vus"), s.vus},
            {QStringLiteral("plannedVus"), s.plannedVus},
            {QStringLiteral("requests"), double(s.requests)},
            {QStringLiteral("failed"), double(s.failed)},
            {QStringLiteral("iterations"), double(s.iterations)},
            {QStringLiteral("bytesReceived"), double(s.bytesReceived)},
            {QStringLiteral("requestsPerSecond"), s.requestsPerSecond},
            {QStringLiteral("p50"), s.p50Ms},
            {QStringLiteral("p90"), s.p90Ms},
            {QStringLiteral("p95"), s.p95Ms},
            {QStringLiteral("p99"), s.p99Ms},
            {QStringLiteral("avg"), s.avgMs},
            {QStringLiteral("min"), s.minMs},
            {QStringLiteral("max"), s.maxMs},
        });
    }
    return out;
}

void writeTimelineJson(QIODevice &out, const QList<IntervalSnapshot> &timeline)
{
    const QJsonObject root{{QStringLiteral("unit"), QStringLiteral("times in milliseconds, rates per second")},
                           {QStringLiteral("intervals"), timelineToJson(timeline)}};
    out.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

} // namespace loadbench
