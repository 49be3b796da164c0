// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/svgchart.h"

#include <QIODevice>

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadbench
{

namespace
{

struct PaletteEntry {
    const char *light;
    const char *dark;
};
// Distinct hues with enough contrast on white and on the dark background alike.
constexpr PaletteEntry palette[SvgLineChart::paletteSize] = {
    {"#0969da", "#58a6ff"}, // blue
    {"#bc4c00", "#f0883e"}, // orange
    {"#8250df", "#bc8cff"}, // purple
    {"#1a7f37", "#3fb950"}, // green
    {"#1b7c83", "#39c5cf"}, // teal
    {"#6e7781", "#8b949e"}, // grey
};

constexpr auto fontFamily =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

// Coordinates with one decimal, trailing ".0" dropped: small paths, sub-pixel accuracy.
QString num(double value)
{
    const double rounded = std::round(value * 10.0) / 10.0;
    if (rounded == std::floor(rounded))
        return QString::number(qint64(rounded));
    return QString::number(rounded, 'f', 1);
}

// An estimate of a text's width at font-size 12 in a sans-serif font, for laying out the legend.
double textWidth(const QString &text, double fontSize = 12)
{
    return text.size() * fontSize * 0.58;
}

QList<QPointF> lttbRun(const QList<QPointF> &data, int threshold)
{
    const qsizetype n = data.size();
    if (threshold >= n)
        return data;
    if (threshold < 3)
        return {data.first(), data.last()};

    QList<QPointF> sampled;
    sampled.reserve(threshold);
    sampled.append(data.first());
    const double every = double(n - 2) / double(threshold - 2);
    qsizetype a = 0;
    for (int i = 0; i < threshold - 2; ++i) {
        qsizetype avgStart = qsizetype(std::floor((i + 1) * every)) + 1;
        qsizetype avgEnd = std::min<qsizetype>(qsizetype(std::floor((i + 2) * every)) + 1, n);
        if (avgStart >= avgEnd)
            avgStart = avgEnd - 1;
        double avgX = 0, avgY = 0;
        for (qsizetype j = avgStart; j < avgEnd; ++j) {
            avgX += data[j].x();
            avgY += data[j].y();
        }
        avgX /= double(avgEnd - avgStart);
        avgY /= double(avgEnd - avgStart);

        const qsizetype rangeStart = qsizetype(std::floor(i * every)) + 1;
        const qsizetype rangeEnd =
            std::min<qsizetype>(qsizetype(std::floor((i + 1) * every)) + 1, n - 1);
        const QPointF pa = data[a];
        double maxArea = -1;
        qsizetype chosen = rangeStart;
        for (qsizetype j = rangeStart; j < rangeEnd; ++j) {
            const double area = std::abs((pa.x() - avgX) * (data[j].y() - pa.y()) -
                                         (pa.x() - data[j].x()) * (avgY - pa.y()));
            if (area > maxArea) {
                maxArea = area;
                chosen = j;
            }
        }
        sampled.append(data[chosen]);
        a = chosen;
    }
    sampled.append(data.last());
    return sampled;
}

} // namespace

QString xmlEscaped(const QString &text)
{
    QString result;
    result.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            result += QLatin1String("&amp;");
            break;
        case '<':
            result += QLatin1String("&lt;");
            break;
        case '>':
            result += QLatin1String("&gt;");
            break;
        case '"':
            result += QLatin1String("&quot;");
            break;
        case '\t':
        case '\n':
        case '\r':
            result += c;
            break;
        default:
            // XML 1.0 forbids the other C0 controls and U+FFFE/U+FFFF, even escaped.
            if (c.unicode() >= 0x20 && c.unicode() != 0xFFFE && c.unicode() != 0xFFFF)
                result += c;
        }
    }
    return result;
}

QList<double> AxisTicks::values() const
{
    QList<double> result;
    if (step <= 0)
        return result;
    const int count = int(std::llround((max - min) / step));
    for (int i = 0; i <= count; ++i) {
        const double v = min + i * step;
        result.append(std::abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return result;
}

AxisTicks niceTicks(double lo, double hi, int maxTicks)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return {};
    if (hi < lo)
        std::swap(lo, hi);
    if (hi - lo < 1e-12) {
        // A flat line: give it some room rather than a zero-height axis.
        const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.5;
        hi = lo == 0 ? 1.0 : hi + pad;
        lo = lo == 0 ? 0.0 : (lo > 0 ? std::max(0.0, lo - pad) : lo - pad);
    }
    maxTicks = std::max(maxTicks, 2);
    const double raw = (hi - lo) / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalized = raw / magnitude;
    double step = 10;
    if (normalized <= 1.0 + 1e-9)
        step = 1;
    else if (normalized <= 2.0 + 1e-9)
        step = 2;
    else if (normalized <= 5.0 + 1e-9)
        step = 5;
    step *= magnitude;

    AxisTicks ticks;
    ticks.step = step;
    ticks.min = std::floor(lo / step + 1e-9) * step;
    ticks.max = std::ceil(hi / step - 1e-9) * step;
    if (ticks.max <= ticks.min)
        ticks.max = ticks.min + step;
    return ticks;
}

QString formatTick(double value, double step)
{
    if (std::abs(value) < std::abs(step) * 1e-9)
        return QStringLiteral("0");
    QString suffix;
    if (step >= 1e6) {
        value /= 1e6;
        step /= 1e6;
        suffix = QStringLiteral("M");
    } else if (step >= 1e3) {
        value /= 1e3;
        step /= 1e3;
        suffix = QStringLiteral("k");
    }
    const int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
    return QString::number(value, 'f', decimals) + suffix;
}

QList<QPointF> downsampleLttb(const QList<QPointF> &points, int maxPoints)
{
    qsizetype finite = 0;
    for (const QPointF &p : points)
        finite += std::isfinite(p.y()) ? 1 : 0;
    if (finite <= maxPoints)
        return points;

    QList<QList<QPointF>> runs(1);
    for (const QPointF &p : points) {
        if (std::isfinite(p.y()))
            runs.last().append(p);
        else if (!runs.last().isEmpty())
            runs.append(QList<QPointF>());
    }
    if (runs.last().isEmpty())
        runs.removeLast();

    QList<QPointF> result;
    qsizetype total = 0;
    for (const QList<QPointF> &run : std::as_const(runs)) {
        const int budget = std::max<int>(std::min<qsizetype>(run.size(), 2),
                                         int(double(run.size()) * maxPoints / double(finite)));
        if (!result.isEmpty())
            result.append(QPointF(run.first().x(), std::numeric_limits<double>::quiet_NaN()));
        const QList<QPointF> sampled = lttbRun(run, budget);
        result += sampled;
        total += sampled.size();
    }
    if (total <= maxPoints)
        return result;

    // So many short runs that keeping every gap would break the bound: drop the gaps.
    QList<QPointF> joined;
    for (const QList<QPointF> &run : std::as_const(runs))
        joined += run;
    return lttbRun(joined, maxPoints);
}

void SvgLineChart::setSize(int width, int height)
{
    m_width = std::max(width, 200);
    m_height = std::max(height, 120);
}

void SvgLineChart::addSeries(const QString &name, const QList<QPointF> &points, int colorIndex,
                             bool dashed)
{
    m_series.append({name, points, colorIndex, dashed});
}

void SvgLineChart::addHorizontalLine(const QString &label, double y)
{
    if (std::isfinite(y))
        m_lines.append({label, y});
}

bool SvgLineChart::hasData() const
{
    for (const Series &s : m_series)
        for (const QPointF &p : s.points)
            if (std::isfinite(p.x()) && std::isfinite(p.y()))
                return true;
    return false;
}

QString SvgLineChart::styleSheet()
{
    QString css = QStringLiteral(
        ".lbc-bg{fill:#ffffff}.lbc-text{fill:#1f2328}.lbc-muted{fill:#59636e}"
        ".lbc-grid{stroke:#d8dee4}.lbc-axis{stroke:#818b98}.lbc-limit{stroke:#cf222e}"
        ".lbc-limit-text{fill:#cf222e}.lbc-halo{stroke:#ffffff}");
    for (int i = 0; i < paletteSize; ++i)
        css += QStringLiteral(".lbc-s%1{stroke:%2}").arg(i).arg(QLatin1String(palette[i].light));
    // Print stays light whatever the screen's preference.
    css += QStringLiteral(
        "@media screen and (prefers-color-scheme:dark){"
        ".lbc-bg{fill:#0d1117}.lbc-text{fill:#e6edf3}.lbc-muted{fill:#9198a1}"
        ".lbc-grid{stroke:#30363d}.lbc-axis{stroke:#656c76}.lbc-limit{stroke:#ff7b72}"
        ".lbc-limit-text{fill:#ff7b72}.lbc-halo{stroke:#0d1117}");
    for (int i = 0; i < paletteSize; ++i)
        css += QStringLiteral(".lbc-s%1{stroke:%2}").arg(i).arg(QLatin1String(palette[i].dark));
    css += QLatin1Char('}');
    return css;
}

QString SvgLineChart::toSvg(Mode mode) const
{
    const QString id = xmlEscaped(m_id);
    const double width = m_width;
    const double height = m_height;

    // Data ranges.
    double xMin = std::numeric_limits<double>::infinity();
    double xMax = -xMin, yMin = xMin, yMax = -xMin;
    for (const Series &s : m_series) {
        for (const QPointF &p : s.points) {
            if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
                continue;
            xMin = std::min(xMin, p.x());
            xMax = std::max(xMax, p.x());
            yMin = std::min(yMin, p.y());
            yMax = std::max(yMax, p.y());
        }
    }
    const bool data = std::isfinite(xMin);

    QList<HorizontalLine> shownLines, offScaleLines;
    if (data) {
        if (m_yFromZero)
            yMin = std::min(yMin, 0.0);
        if (m_xFromZero)
            xMin = std::min(xMin, 0.0);
        const double dataMax = yMax;
        for (const HorizontalLine &line : m_lines) {
            // A limit far above the data would flatten it; name it instead of drawing it.
            const bool fits =
                line.y <= yMax || dataMax <= 0 || line.y <= dataMax * m_maxLineStretch;
            if (fits && line.y >= yMin) {
                shownLines.append(line);
                yMax = std::max(yMax, line.y);
            } else {
                offScaleLines.append(line);
            }
        }
    }
    const AxisTicks xTicks = niceTicks(data ? xMin : 0, data ? xMax : 1, 8);
    const AxisTicks yTicks = niceTicks(data ? yMin : 0, data ? yMax : 1, 6);
    const QList<double> yValues = yTicks.values();
    const QList<double> xValues = xTicks.values();

    qsizetype longestYLabel = 1;
    for (double v : yValues)
        longestYLabel = std::max(longestYLabel, formatTick(v, yTicks.step).size());

    const double left = std::max(52.0, 34.0 + textWidth(QString(longestYLabel, QLatin1Char('0'))));
    const double right = width - 24;
    const double top = 66;
    const double bottom = height - 46;
    const auto px = [&](double x) {
        return left + (x - xTicks.min) / (xTicks.max - xTicks.min) * (right - left);
    };
    const auto py = [&](double y) {
        return bottom - (y - yTicks.min) / (yTicks.max - yTicks.min) * (bottom - top);
    };

    QString svg;
    svg.reserve(4096 + 16 * 600 * std::max<qsizetype>(m_series.size(), 1));
    if (mode == Mode::Standalone)
        svg += QLatin1String("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg += QLatin1String("<svg");
    if (mode == Mode::Standalone)
        svg += QLatin1String(" xmlns=\"http://www.w3.org/2000/svg\"");
    svg += QStringLiteral(
               " class=\"lbc\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" role=\"img\""
               " aria-labelledby=\"%3-title\" font-family=\"%4\" font-size=\"12\">\n")
               .arg(m_width)
               .arg(m_height)
               .arg(id, QLatin1String(fontFamily));
    svg += QStringLiteral("<title id=\"%1-title\">%2</title>\n").arg(id, xmlEscaped(m_title));
    if (mode == Mode::Standalone)
        svg += QLatin1String("<style>") + styleSheet() + QLatin1String("</style>\n");
    svg += QStringLiteral("<rect class=\"lbc-bg\" x=\"0\" y=\"0\" width=\"%1\" height=\"%2\" "
                          "rx=\"6\" fill=\"#ffffff\"/>\n")
               .arg(m_width)
               .arg(m_height);
    svg += QStringLiteral("<text class=\"lbc-text\" x=\"16\" y=\"26\" font-size=\"16\" "
                          "font-weight=\"600\" fill=\"#1f2328\">%1</text>\n")
               .arg(xmlEscaped(m_title));

    // Axis labels.
    const double midY = (top + bottom) / 2;
    svg +=
        QStringLiteral("<text class=\"lbc-text\" x=\"16\" y=\"%1\" text-anchor=\"middle\" "
                       "transform=\"rotate(-90 16 %1)\" dy=\"0.35em\" fill=\"#1f2328\">%2</text>\n")
            .arg(num(midY), xmlEscaped(m_yLabel));
    svg += QStringLiteral("<text class=\"lbc-text\" x=\"%1\" y=\"%2\" text-anchor=\"middle\" "
                          "fill=\"#1f2328\">%3</text>\n")
               .arg(num((left + right) / 2), num(height - 10), xmlEscaped(m_xLabel));

    if (!data) {
        svg += QStringLiteral("<rect class=\"lbc-grid\" x=\"%1\" y=\"%2\" width=\"%3\" "
                              "height=\"%4\" fill=\"none\" stroke=\"#d8dee4\"/>\n")
                   .arg(num(left), num(top), num(right - left), num(bottom - top));
        svg += QStringLiteral("<text class=\"lbc-muted\" x=\"%1\" y=\"%2\" text-anchor=\"middle\" "
                              "font-size=\"16\" fill=\"#59636e\">%3</text>\n")
                   .arg(num((left + right) / 2), num(midY), xmlEscaped(m_emptyText));
        svg += QLatin1String("</svg>\n");
        return svg;
    }

    // Grid and ticks.
    svg += QLatin1String("<g class=\"lbc-grid\" stroke=\"#d8dee4\" stroke-width=\"1\">\n");
    for (double v : yValues)
        svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>\n")
                   .arg(num(left), num(py(v)), num(right));
    for (double v : xValues)
        svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>\n")
                   .arg(num(px(v)), num(top), num(bottom));
    svg += QLatin1String("</g>\n");
    svg += QLatin1String("<g class=\"lbc-muted\" fill=\"#59636e\" font-size=\"11\">\n");
    for (double v : yValues)
        svg +=
            QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" dy=\"0.35em\">%3</text>\n")
                .arg(num(left - 6), num(py(v)), formatTick(v, yTicks.step));
    for (double v : xValues)
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n")
                   .arg(num(px(v)), num(bottom + 16), formatTick(v, xTicks.step));
    svg += QLatin1String("</g>\n");
    svg += QStringLiteral("<g class=\"lbc-axis\" stroke=\"#818b98\" stroke-width=\"1\">"
                          "<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/><line x1=\"%1\" "
                          "y1=\"%3\" x2=\"%4\" y2=\"%3\"/></g>\n")
               .arg(num(left), num(top), num(bottom), num(right));

    // Series: one path each; NaN opens a gap, a lone point becomes a dot (round cap).
    for (qsizetype i = 0; i < m_series.size(); ++i) {
        const Series &s = m_series[i];
        const int color = (s.colorIndex >= 0 ? s.colorIndex : int(i)) % paletteSize;
        const QList<QPointF> points = downsampleLttb(s.points, m_maxPoints);
        QString d;
        d.reserve(points.size() * 14);
        int inRun = 0;
        for (const QPointF &p : points) {
            if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
                if (inRun == 1)
                    d += QLatin1String("h0");
                inRun = 0;
                continue;
            }
            d += (inRun == 0 ? QLatin1Char('M') : QLatin1Char('L')) + num(px(p.x())) +
                 QLatin1Char(',') + num(py(p.y()));
            ++inRun;
        }
        if (inRun == 1)
            d += QLatin1String("h0");
        svg +=
            QStringLiteral(
                "<path class=\"lbc-s%1\" d=\"%2\" fill=\"none\" stroke=\"%3\" stroke-width=\"2\" "
                "stroke-linejoin=\"round\" stroke-linecap=\"round\"%4><title>%5</title></path>\n")
                .arg(QString::number(color), d, QLatin1String(palette[color].light),
                     s.dashed ? QStringLiteral(" stroke-dasharray=\"7 5\"") : QString(),
                     xmlEscaped(s.name));
    }

    // Limit lines over the data, labels with a halo so they read where a line crosses them.
    for (const HorizontalLine &line : std::as_const(shownLines)) {
        const double y = py(line.y);
        svg +=
            QStringLiteral("<line class=\"lbc-limit\" x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" "
                           "stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n")
                .arg(num(left), num(y), num(right));
        svg += QStringLiteral(
                   "<text class=\"lbc-limit-text lbc-halo\" x=\"%1\" y=\"%2\" text-anchor=\"end\" "
                   "font-size=\"11\" fill=\"#cf222e\" stroke=\"#ffffff\" stroke-width=\"4\" "
                   "stroke-linejoin=\"round\" paint-order=\"stroke\">%3</text>\n")
                   .arg(num(right - 4), num(y - 4), xmlEscaped(line.label));
    }

    // Legend under the title; limits too far above the data, named right of the title.
    double x = left;
    const double legendY = 48;
    svg += QLatin1String("<g class=\"lbc-legend\">\n");
    for (qsizetype i = 0; i < m_series.size(); ++i) {
        const Series &s = m_series[i];
        const int color = (s.colorIndex >= 0 ? s.colorIndex : int(i)) % paletteSize;
        svg += QStringLiteral("<line class=\"lbc-s%1\" x1=\"%2\" y1=\"%3\" x2=\"%4\" y2=\"%3\" "
                              "stroke=\"%5\" stroke-width=\"3\" stroke-linecap=\"round\"%6/>")
                   .arg(QString::number(color), num(x), num(legendY - 4), num(x + 20),
                        QLatin1String(palette[color].light),
                        s.dashed ? QStringLiteral(" stroke-dasharray=\"5 3\"") : QString());
        svg += QStringLiteral(
                   "<text class=\"lbc-text\" x=\"%1\" y=\"%2\" fill=\"#1f2328\">%3</text>\n")
                   .arg(num(x + 26), num(legendY), xmlEscaped(s.name));
        x += 26 + textWidth(s.name) + 18;
    }
    if (!shownLines.isEmpty()) {
        svg += QStringLiteral("<line class=\"lbc-limit\" x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" "
                              "stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>")
                   .arg(num(x), num(legendY - 4), num(x + 20));
        svg += QStringLiteral(
                   "<text class=\"lbc-text\" x=\"%1\" y=\"%2\" fill=\"#1f2328\">threshold</text>\n")
                   .arg(num(x + 26), num(legendY));
    }
    if (!offScaleLines.isEmpty()) {
        QStringList labels;
        for (const HorizontalLine &line : std::as_const(offScaleLines))
            labels.append(line.label);
        svg += QStringLiteral("<text class=\"lbc-limit-text\" x=\"%1\" y=\"%2\" "
                              "text-anchor=\"end\" font-size=\"11\" fill=\"#cf222e\">%3</text>\n")
                   .arg(num(right), num(26),
                        xmlEscaped(QStringLiteral("above the chart: ") +
                                   labels.join(QStringLiteral(", "))));
    }
    svg += QLatin1String("</g>\n</svg>\n");
    return svg;
}

void SvgLineChart::write(QIODevice &out, Mode mode) const
{
    out.write(toSvg(mode).toUtf8());
}

} // namespace loadbench
