// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>
#include <QString>

class QIODevice;

namespace loadbench
{

// Escapes text for XML/HTML content and double-quoted attributes (& < > "), and drops the
// control characters XML 1.0 forbids.
QString xmlEscaped(const QString &text);

// Round axis ticks: a step of 1, 2 or 5 × 10^k, and a range widened to whole steps.
struct AxisTicks {
    double min = 0;
    double max = 1;
    double step = 1;
    QList<double> values() const;
};
AxisTicks niceTicks(double lo, double hi, int maxTicks = 6);
// A tick's label: as many decimals as the step needs, "k"/"M" for large values ("12k").
QString formatTick(double value, double step);

// Largest-Triangle-Three-Buckets downsampling (as vegeta plots): at most maxPoints points, first
// and last kept, peaks preserved. NaN y values are gaps; each run between gaps is downsampled on
// its own and the gaps are kept.
QList<QPointF> downsampleLttb(const QList<QPointF> &points, int maxPoints);

// A line chart written as SVG text (no QtGui/QtSvg in core). Fixed size in user units (default
// 800 × 360, readable at 800 px); series are downsampled to maxPointsPerSeries when written.
// Colours come from classes with light defaults as presentation attributes and a dark variant
// under `prefers-color-scheme: dark`, over an opaque background, so the chart reads on light and
// dark pages alike and in renderers without CSS.
class SvgLineChart
{
public:
    struct Series {
        QString name;
        QList<QPointF> points; // y = NaN starts a gap
        int colorIndex = -1;   // -1: by position
        bool dashed = false;
    };
    // A horizontal limit line (a threshold). One above the data is listed as "off scale"
    // instead of squashing the data into the bottom of the chart.
    struct HorizontalLine {
        QString label;
        double y = 0;
    };
    enum class Mode {
        Standalone, // an .svg file: XML declaration, xmlns, its own <style>
        Inline,     // inside an HTML page: no xmlns (the page is the namespace), no <style>;
                    // the page includes styleSheet() once
    };

    void setTitle(const QString &title) { m_title = title; }
    void setXAxisLabel(const QString &label) { m_xLabel = label; }
    void setYAxisLabel(const QString &label) { m_yLabel = label; }
    void setSize(int width, int height);
    void setYFromZero(bool fromZero) { m_yFromZero = fromZero; }
    void setXFromZero(bool fromZero) { m_xFromZero = fromZero; }
    // Limits how far a limit line may stretch the y axis, as a multiple of the data's maximum.
    void setMaxLineStretch(double factor) { m_maxLineStretch = factor; }
    void setMaxPointsPerSeries(int maxPoints) { m_maxPoints = maxPoints; }
    void setEmptyText(const QString &text) { m_emptyText = text; }
    // An identifier prefix for the elements' ids (several charts in one page need distinct ids).
    void setId(const QString &id) { m_id = id; }

    void addSeries(const QString &name, const QList<QPointF> &points, int colorIndex = -1,
                   bool dashed = false);
    void addHorizontalLine(const QString &label, double y);

    const QList<Series> &series() const { return m_series; }
    bool hasData() const;

    QString toSvg(Mode mode = Mode::Standalone) const;
    void write(QIODevice &out, Mode mode = Mode::Standalone) const;

    // The classes' colours, light and dark; an HTML page that inlines charts includes it once.
    static QString styleSheet();
    static constexpr int paletteSize = 6;

private:
    QString m_title;
    QString m_xLabel;
    QString m_yLabel;
    QString m_emptyText = QStringLiteral("no data");
    QString m_id = QStringLiteral("chart");
    int m_width = 800;
    int m_height = 360;
    bool m_yFromZero = true;
    bool m_xFromZero = true;
    double m_maxLineStretch = 3.0;
    int m_maxPoints = 600;
    QList<Series> m_series;
    QList<HorizontalLine> m_lines;
};

} // namespace loadbench
