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

    // The non-empty buckets' positions, then their counts: grouped, each kind of number
    // compresses better (zlib on top gets ~10 % more than with the two interleaved).
    const auto &counts = h.m_counts;
    quint64 buckets = 0;
    for (int i = h.m_lowestIndex; i <= h.m_highestIndex; ++i)
        buckets += counts[size_t(i)] ? 1 : 0;
    varint::append(out, buckets);
    int previous = h.m_lowestIndex - 1;
    for (int i = h.m_lowestIndex; i <= h.m_highestIndex; ++i) {
        if (counts[size_t(i)]) {
            varint::append(out, quint64(i - previous - 1));
            previous = i;
        }
    }
    for (int i = h.m_lowestIndex; i <= h.m_highestIndex; ++i) {
        if (counts[size_t(i)])
            varint::append(out, counts[size_t(i)] - 1);
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
    quint64 min = 0, max = 0, buckets = 0;
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
    if (!varint::read(in, pos, &buckets) || buckets == 0)
        return fail("no buckets");

    const int lowest = out.indexOf(qint64(min));
    const int highest = out.indexOf(qint64(max));
    if (buckets > quint64(highest - lowest + 1))
        return fail("more buckets than min to max holds");
    std::vector<int> indexes;
    indexes.reserve(size_t(buckets));
    qint64 previous = lowest - 1;
    for (quint64 b = 0; b < buckets; ++b) {
        quint64 gap = 0;
        if (!varint::read(in, pos, &gap))
            return fail("cut short");
        if (gap > quint64(highest - previous - 1))
            return fail("bucket beyond max");
        previous += qint64(gap) + 1;
        indexes.push_back(int(previous));
    }
    // Every write below stays within [lowest, highest]: marking that range as used lets a
    // failure's reset() clear whatever was written.
    out.m_count = 1;
    out.m_lowestIndex = lowest;
    out.m_highestIndex = highest;
    quint64 total = 0;
    for (int index : indexes) {
        quint64 c = 0;
        if (!varint::read(in, pos, &c))
            return fail("cut short");
        if (c >= count || total + c + 1 > count)
            return fail("bucket counts do not add up to the count");
        out.m_counts[size_t(index)] = c + 1;
        total += c + 1;
    }
    const int last = indexes.back();
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
