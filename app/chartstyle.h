// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>

class QChart;
class QChartView;
class QValueAxis;

namespace loadbench {

// One look for every chart of the workbench: light theme, no animations (a live chart redraws
// once a second and an animation would lag behind it), tight margins, small fonts.
namespace chartstyle {

void apply(QChartView *view, QChart *chart, const QString &title);
// A value axis with the given title, dynamic ticks and "%g" labels.
QValueAxis *makeAxis(const QString &title, QChart *chart, Qt::Alignment alignment);
// Sets [min, max'] with max' rounded up to a step of 1, 2 or 5 × 10^k so that at most maxTicks
// intervals show; a span of 0 becomes [min, min + 1].
void setNiceRange(QValueAxis *axis, double min, double max, int maxTicks = 5);
double niceStep(double span, int maxTicks);

QColor p50Color();
QColor p95Color();
QColor p99Color();
QColor throughputColor();
QColor errorColor();
QColor vusColor();
QColor plannedColor();

} // namespace chartstyle
} // namespace loadbench
