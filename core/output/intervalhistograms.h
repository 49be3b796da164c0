// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/metricset.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace loadbench {

// intervals.lbh: every interval (normally 1 s) of a run, with its full trend histograms and
// counters, so that any window of the run can be summarized again later, exactly to the
// histograms' precision (RunRecording). Written while the run goes, one record per interval,
// so a run of hours holds no growing buffer.
//
//   file    := magic header record*
//   magic   := "LBHIST" u8 version (2; 1 is read too) u8 0                   8 bytes
//   header  := u32le n, n bytes of UTF-8 JSON: {"format", "version", "scenario", "startTime"
//              (UTC, ms), "intervalNs", "trends": [trend names: the ids records use], "histogram":
//              {"lowestNs", "highestNs", "significantDigits", "subBuckets"}}
//   record  := u32le n, n bytes: varint startNs, varint endNs (since the run's start, steady
//              clock: the interval is [start, end)), varint vus + 1 (0: the vus gauge was not
//              sampled, as during the teardown), then qCompress(payload) (zlib, with its
//              4-byte big-endian length prefix and adler-32 checksum)
//   payload := varint http_reqs, http_req_failed, iterations, interrupted iterations,
//              dropped_iterations, data_sent, data_received
//              varint checks, checks × {string name, varint passes, varint fails}
//              varint errors, errors × {string kind ("1212 dial: ..." or "status 503"), varint n}
//              varint trends, trends × {varint trend id, HistogramCodec histogram}
//              varint submetrics, submetrics × {string name ("http_req_duration{status:200}",
//                  "checks{check:status is 200}"), varint kind, sink}          (version 2)
//   sink    := kind 0 (trend): HistogramCodec histogram (ns)
//              kind 1 (counter): varint count (bytes for data_*, events otherwise)
//              kind 2 (rate): varint passes, varint fails
//   string  := varint byte length, UTF-8
//
// Version 1 payloads end after the trends: they hold no sub-metrics (a run whose thresholds
// name one, summarized from such a file, has no data for it). Version 2 stores every sink of
// the interval's MetricSet (the sub-metrics its thresholds name), empty ones too, so a reader
// rebuilds them without the scenario; one it cannot parse (a newer Loadbench's) is skipped.
//
// Varints are unsigned LEB128. Only trends with samples are stored. While the run goes the file
// is intervals.lbh.part, flushed after every record; close() renames it into place. A cut last
// record (a crash, a full disk) loses that interval only: readers keep the complete ones.
namespace intervalfile {

inline constexpr char magic[] = "LBHIST";
inline constexpr quint8 version = 2;

// How a sub-metric's sink is stored (version 2).
enum class SubmetricKind : quint8 { Trend = 0, Counter = 1, Rate = 2 };
QString fileName(); // "intervals.lbh"

// One interval as stored, counters decoded, histograms still compressed until decode().
struct Record {
    qint64 startNs = 0;
    qint64 endNs = 0;
    int vus = -1; // -1: not sampled
    QByteArray compressed;
};

// One interval encoded (its payload compressed), and as the bytes of the file's record.
Record makeRecord(qint64 startNs, qint64 endNs, int vus, const MetricSet &metrics);
QByteArray frame(const Record &record);
// Adds the interval's metrics into `into`, its sub-metrics' sinks into the sinks of `into` that
// select the same samples (those it lacks join its list); `trendIds` maps the file's trend ids to ours (-1:
// unknown, skipped). `scratch` is reused between calls (a histogram is ~270 KB).
bool decodeRecordInto(const Record &record, const QList<int> &trendIds, MetricSet &into,
                      Histogram &scratch, QString *why);

// The header object the writer stores.
QJsonObject header(const QString &scenario, const QDateTime &startUtc, qint64 intervalNs);

// A whole file read back: the header and every complete record. A cut last record is no error:
// `truncated` says so (with the byte offset in `note`).
struct Contents {
    int version = 0;
    QJsonObject header;
    QList<int> trendIds; // file trend id → int(TrendMetric), -1 when unknown here
    QList<Record> records;
    bool truncated = false;
    QString note;
};
std::optional<Contents> read(const QString &path, QString *why);

} // namespace intervalfile

// Streams intervals.lbh during a run: open() at the start, append() once per interval, close()
// at the end (atomic placement: the final name appears only complete). A write error is kept
// and reported by close(); the run itself goes on.
class IntervalHistogramWriter
{
public:
    bool open(const QString &path, const QString &scenario, const QDateTime &startUtc, qint64 intervalNs,
              QString *why);
    void append(qint64 startNs, qint64 endNs, int vus, const MetricSet &metrics);
    bool close(QString *why);
    bool isOpen() const { return m_file.isOpen(); }
    qint64 bytesWritten() const { return m_bytes; }

private:
    QFile m_file;
    QString m_path;
    QString m_error;
    qint64 m_bytes = 0;
};

} // namespace loadbench
