// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/histogramcodec.h"

#include <QtEndian>

#include <cstring>

namespace loadbench {

namespace varint {

void append(QByteArray &out, quint64 value)
{
    while (value >= 0x80) {
        out.append(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.append(char(value));
}

bool read(const QByteArray &in, qsizetype &pos, quint64 *value)
{
    quint64 result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.size())
            return false;
        const auto byte = quint8(in[pos++]);
        result |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return true;
        }
    }
    return false;
}

void appendString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    append(out, quint64(utf8.size()));
    out.append(utf8);
}

bool readString(const QByteArray &in, qsizetype &pos, QString *text)
{
    quint64 size = 0;
    if (!read(in, pos, &size) || size > quint64(in.size() - pos))
        return false;
    *text = QString::fromUtf8(in.constData() + pos, qsizetype(size));
    pos += qsizetype(size);
    return true;
}

} // namespace varint

void HistogramCodec::encode(const Histogram &h, QByteArray &out)
{
    varint::append(out, h.m_count);
    if (h.m_count == 0)
        return;
    varint::append(out, quint64(h.m_min));
    varint::append(out, quint64(h.m_max));
    quint64 sumBits = 0;
    static_assert(sizeof(sumBits) == sizeof(h.m_sum));
    std::memcpy(&sumBits, &h.m_sum, sizeof(sumBits));
    char sumBytes[8];
    qToLittleEndian(sumBits, sumBytes);
    out.append(sumBytes, 8);

    // Runs of consecutive non-empty buckets between the lowest and highest ones.
    struct Run {
        int begin;
        int end; // exclusive
    };
    std::vector<Run> runs;
    const auto &counts = h.m_counts;
    for (int i = h.m_lowestIndex; i <= h.m_highestIndex; ++i) {
        if (!counts[size_t(i)])
            continue;
        if (!runs.empty() && runs.back().end == i)
            runs.back().end = i + 1;
        else
            runs.push_back({i, i + 1});
    }
    varint::append(out, runs.size());
    int previousEnd = h.m_lowestIndex;
    for (const Run &run : runs) {
        varint::append(out, quint64(run.begin - previousEnd));
        varint::append(out, quint64(run.end - run.begin));
        for (int i = run.begin; i < run.end; ++i)
            varint::append(out, counts[size_t(i)]);
        previousEnd = run.end;
    }
}

QByteArray HistogramCodec::encode(const Histogram &histogram)
{
    QByteArray out;
    encode(histogram, out);
    return out;
}

bool HistogramCodec::decode(const QByteArray &in, qsizetype &pos, Histogram &out, QString *why)
{
    out.reset();
    auto fail = [&](const char *what) {
        out.reset();
        if (why)
            *why = QStringLiteral("histogram at byte %1: %2").arg(pos).arg(QLatin1String(what));
        return false;
    };
    quint64 count = 0;
    if (!varint::read(in, pos, &count))
        return fail("cut short");
    if (count == 0)
        return true;
    quint64 min = 0, max = 0, runCount = 0;
    if (!varint::read(in, pos, &min) || !varint::read(in, pos, &max))
        return fail("cut short");
    if (min > max || max > quint64(Histogram::highestTrackableNs))
        return fail("min and max out of range");
    if (in.size() - pos < 8)
        return fail("cut short");
    const auto sumBits = qFromLittleEndian<quint64>(in.constData() + pos);
    pos += 8;
    double sum = 0;
    std::memcpy(&sum, &sumBits, sizeof(sum));
    if (!varint::read(in, pos, &runCount) || runCount == 0)
        return fail("no buckets");

    const int lowest = out.indexOf(qint64(min));
    const int highest = out.indexOf(qint64(max));
    const auto length = quint64(out.m_counts.size());
    // Every write below stays within [lowest, highest]: marking that range as used lets a
    // failure's reset() clear whatever was written.
    out.m_count = 1;
    out.m_lowestIndex = lowest;
    out.m_highestIndex = highest;
    quint64 index = quint64(lowest);
    quint64 total = 0;
    int last = -1;
    for (quint64 r = 0; r < runCount; ++r) {
        quint64 gap = 0, runLength = 0;
        if (!varint::read(in, pos, &gap) || !varint::read(in, pos, &runLength))
            return fail("cut short");
        if (gap > length || runLength == 0 || runLength > length)
            return fail("bucket out of range");
        index += gap;
        if (index + runLength > quint64(highest) + 1)
            return fail("bucket beyond max");
        for (quint64 i = 0; i < runLength; ++i, ++index) {
            quint64 c = 0;
            if (!varint::read(in, pos, &c))
                return fail("cut short");
            if (c == 0)
                return fail("empty bucket in a run");
            out.m_counts[size_t(index)] = c;
            total += c;
            last = int(index);
        }
    }
    if (total != count)
        return fail("bucket counts do not add up to the count");
    if (out.m_counts[size_t(lowest)] == 0 || last != highest)
        return fail("buckets disagree with min or max");
    out.m_count = count;
    out.m_min = qint64(min);
    out.m_max = qint64(max);
    out.m_sum = sum;
    out.m_lowestIndex = lowest;
    out.m_highestIndex = highest;
    return true;
}

} // namespace loadbench
