// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/metricset.h"
#include "scenario/threshold.h"

#include <QFile>
#include <QSet>

namespace loadbench {

// k6's `--out json` lines: a "Metric" line the first time a metric appears, then one "Point"
// line per sample, time in RFC 3339 with nanoseconds, durations in milliseconds, tags sorted.
// The append* functions format points into a worker's buffer (no I/O on the request path);
// ResultsJsonlWriter adds the Metric lines and streams buffers to disk.
namespace resultsjsonl {

struct Context {
    qint64 wallAtRunStartNs = 0; // epoch nanoseconds at the run's steady-clock start
    // Fallbacks for a sample that does not carry them (the sample's own fields win).
    QString scenario;
    QString url;
    QString method;
};

QByteArray rfc3339(qint64 epochNs);
// A request's tags as k6 writes them (without the braces): sorted keys, string values.
QByteArray requestTags(const Context &context, const RequestSample &sample);
void appendRequest(QByteArray &out, const Context &context, const RequestSample &sample);
void appendCheck(QByteArray &out, const Context &context, qint64 atNs, const QString &check,
                 bool passed);
void appendIteration(QByteArray &out, const Context &context, qint64 endNs, qint64 durationNs,
                     quint64 bytesSent, quint64 bytesReceived);
// data_sent and data_received alone, for an iteration cut short: its bytes still went over
// the wire and the summary counts them.
void appendData(QByteArray &out, const Context &context, qint64 atNs, quint64 bytesSent,
                quint64 bytesReceived);
void appendGauge(QByteArray &out, const QString &metric, qint64 epochNs, double value);

} // namespace resultsjsonl

class ResultsJsonlWriter
{
public:
    explicit ResultsJsonlWriter(QList<Threshold> thresholds);
    bool open(const QString &path, QString *why);
    // Writes complete lines, declaring each metric before its first point.
    void write(const QByteArray &lines);
    bool close(QString *why);
    bool isOpen() const { return m_file.isOpen(); }

    static QByteArray metricLine(const QString &name, const QList<Threshold> &thresholds);

private:
    QFile m_file;
    QList<Threshold> m_thresholds;
    QSet<QByteArray> m_declared;
    bool m_failed = false;
};

} // namespace loadbench
