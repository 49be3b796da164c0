// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "report/svgchart.h"

#include <QList>
#include <QString>

class QIODevice;

namespace loadbench
{

// Charts of a run's timeline (one IntervalSnapshot per interval), x = elapsed seconds. Intervals
// without requests are gaps in the latency lines rather than drops to zero.
SvgLineChart latencyChart(const QList<IntervalSnapshot> &timeline, const QString &title);
SvgLineChart throughputChart(const QList<IntervalSnapshot> &timeline, const QString &title);
SvgLineChart vusChart(const QList<IntervalSnapshot> &timeline, const QString &title);
SvgLineChart errorRateChart(const QList<IntervalSnapshot> &timeline, const QString &title);

// latency.svg: p50/p95/p99 of each interval in milliseconds over time, a standalone SVG file.
// An empty timeline gives a valid SVG that says "no data".
void writeLatencySvg(QIODevice &out, const QList<IntervalSnapshot> &timeline, const QString &title);

} // namespace loadbench
