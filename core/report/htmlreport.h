// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"

#include <QList>
#include <QString>

class QIODevice;

namespace loadbench
{

// report.html: one self-contained page (inline CSS and SVG, no script, no external resources)
// with the verdict, the run's setup, every trend metric, counters, checks, thresholds, errors
// and four charts of the timeline (each downsampled to at most 600 points, so a long run stays a
// few hundred KB). Light and dark by prefers-color-scheme; prints light. UTF-8. The page is also
// well-formed XML, so tests can parse it.
void writeHtmlReport(QIODevice &out, const Summary &summary,
                     const QList<IntervalSnapshot> &timeline);

// k6's humanized duration (its summary's humanizeGenericDuration): 0s, 812ns, 465.17µs,
// 1.54ms, 101.41ms, 1.5s, 1m30s — two decimals, truncated, trailing zeros dropped.
QString formatK6Duration(double milliseconds);
// k6's humanized bytes (SI): 9 B, 215 kB, 1.2 MB.
QString formatK6Bytes(double bytes);

} // namespace loadbench
