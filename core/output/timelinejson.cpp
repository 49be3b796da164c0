// SPDX-License-Identifier: GPL-3.0-or-later
#include "output/timelinejson.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace loadbench {

QJsonArray timelineToJson(const QList<IntervalSnapshot> &timeline)
{
    QJsonArray out;
    for (const IntervalSnapshot &s : timeline) {
        QJsonObject o{
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
        };
        // Open model only: dropped iterations and the tail measured from the schedule.
        if (s.scheduledP99Ms >= 0 || s.droppedIterations > 0) {
            o.insert(QStringLiteral("droppedIterations"), double(s.droppedIterations));
            o.insert(QStringLiteral("scheduledP99"), std::max(0.0, s.scheduledP99Ms));
        }
        // The generator's own CPU, in cores: the process and its busiest worker thread.
        if (s.generatorCores >= 0)
            o.insert(QStringLiteral("generatorCpu"), std::round(s.generatorCores * 1000) / 1000);
        if (s.busiestWorkerCores >= 0)
            o.insert(QStringLiteral("busiestWorkerCpu"), std::round(s.busiestWorkerCores * 1000) / 1000);
        out.append(o);
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
