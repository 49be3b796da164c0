// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartstyle.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QValueAxis>

#include <cmath>

namespace loadbench::chartstyle {

void apply(QChartView *view, QChart *chart, const QString &title)
{
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTheme(QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    QFont titleFont = view->font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setTitle(title);
    QFont legendFont = view->font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    chart->legend()->setFont(legendFont);
    chart->legend()->setAlignment(Qt::AlignTop);
    // A QChartView starts with a chart of its own and only releases it on setChart: delete it,
    // or every view leaks a whole chart (found by LeakSanitizer).
    QChart *previous = view->chart();
    view->setChart(chart);
    if (previous != chart)
        delete previous;
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(170);
}

QValueAxis *makeAxis(const QString &title, QChart *chart, Qt::Alignment alignment)
{
    auto *axis = new QValueAxis(chart);
    QFont font = chart->titleFont();
    font.setBold(false);
    font.setPointSizeF(font.pointSizeF() * 0.85);
    axis->setLabelsFont(font);
    axis->setTitleFont(font);
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setMinorTickCount(0);
    chart->addAxis(axis, alignment);
    return axis;
}

double niceStep(double span, int maxTicks)
{
    if (!(span > 0) || maxTicks < 1)
        return 1;
    const double raw = span / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (factor * magnitude >= raw)
            return factor * magnitude;
    }
    return 10 * magnitude;
}

void setNiceRange(QValueAxis *axis, double min, double max, int maxTicks)
{
    if (!(max > min))
        max = min + 1;
    const double step = niceStep(max - min, maxTicks);
    const double top = min + std::ceil((max - min) / step - 1e-9) * step;
    axis->setTickInterval(step);
    axis->setRange(min, top);
}

QColor p50Color() { return QColor(0x42, 0x85, 0xf4); }
QColor p95Color() { return QColor(0xf2, 0x9d, 0x38); }
QColor p99Color() { return QColor(0xd7, 0x3a, 0x49); }
QColor throughputColor() { return QColor(0x2e, 0x8b, 0x57); }
QColor errorColor() { return QColor(0xd7, 0x3a, 0x49); }
QColor vusColor() { return QColor(0x6f, 0x42, 0xc1); }
QColor plannedColor() { return QColor(0x90, 0x90, 0x90); }

} // namespace loadbench::chartstyle
