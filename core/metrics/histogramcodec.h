// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/histogram.h"

#include <QByteArray>
#include <QString>

namespace loadbench {

// Unsigned LEB128 varints (7 bits a byte, low bits first), the integers of the persisted forms.
namespace varint {
void append(QByteArray &out, quint64 value);
// Reads one varint at `pos` and advances it; false when the bytes end first or it overflows.
bool read(const QByteArray &in, qsizetype &pos, quint64 *value);
void appendString(QByteArray &out, const QString &text); // varint byte length + UTF-8
bool readString(const QByteArray &in, qsizetype &pos, QString *text);
} // namespace varint

// A Histogram as bytes, losslessly: decode(encode(h)) equals h bucket for bucket, with the same
// count, min, max and (bit for bit) sum. Only the buckets that hold samples cost bytes:
//
//   varint count                       0: an empty histogram, nothing follows
//   varint min, varint max             exact, in ns
//   8 bytes sum                        IEEE 754 double, little endian
//   varint n                           how many buckets hold samples
//   n × varint gap                     empty buckets before each (the first counts from the
//                                      bucket of min, so it is 0)
//   n × varint count − 1               each bucket's count
//
// Bucket indexes are Histogram's own (3 significant digits, 2048 sub-buckets per power of two).
// Self-delimiting, so several histograms follow each other in one byte string. A 1 s interval
// of a few thousand requests costs about 1.3 bytes per occupied bucket before compression.
class HistogramCodec
{
public:
    static void encode(const Histogram &histogram, QByteArray &out); // appends to out
    static QByteArray encode(const Histogram &histogram);
    // Reads one histogram at `pos` into `out` (replacing its content) and advances `pos`.
    // False with the reason in *why when the bytes are cut or inconsistent; `out` is then empty.
    static bool decode(const QByteArray &in, qsizetype &pos, Histogram &out, QString *why = nullptr);
};

} // namespace loadbench
