// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace loadbench {

namespace {

// 3 significant digits need 2 × 10³ distinguishable values per power of two: 2048 sub-buckets.
constexpr int subBucketCountMagnitude = 11;
constexpr qint64 subBucketCount = qint64(1) << subBucketCountMagnitude;
constexpr int subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
constexpr qint64 subBucketHalfCount = subBucketCount / 2;
constexpr qint64 subBucketMask = subBucketCount - 1;

constexpr int bucketsNeeded()
{
    qint64 smallestUntrackable = subBucketCount;
    int buckets = 1;
    while (smallestUntrackable <= Histogram::highestTrackableNs) {
        smallestUntrackable <<= 1;
        ++buckets;
    }
    return buckets;
}
constexpr int countsLength = (bucketsNeeded() + 1) << subBucketHalfCountMagnitude;

} // namespace

Histogram::Histogram()
    : m_counts(countsLength, 0)
{
}

int Histogram::indexOf(qint64 value) const
{
    const int pow2Ceiling = 64 - std::countl_zero(quint64(value | subBucketMask));
    const int bucketIndex = pow2Ceiling - (subBucketHalfCountMagnitude + 1);
    const int subBucketIndex = int(value >> bucketIndex);
    return ((bucketIndex + 1) << subBucketHalfCountMagnitude) + (subBucketIndex - int(subBucketHalfCount));
}

qint64 Histogram::lowestValueAt(int index) const
{
    int bucketIndex = (index >> subBucketHalfCountMagnitude) - 1;
    qint64 subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
    if (bucketIndex < 0) {
        subBucketIndex -= subBucketHalfCount;
        bucketIndex = 0;
    }
    return subBucketIndex << bucketIndex;
}

qint64 Histogram::highestValueAt(int index) const
{
    const int bucketIndex = std::max(0, (index >> subBucketHalfCountMagnitude) - 1);
    return lowestValueAt(index) + (qint64(1) << bucketIndex) - 1;
}

void Histogram::record(qint64 valueNs)
{
    recordMany(valueNs, 1);
}

void Histogram::recordMany(qint64 valueNs, quint64 times)
{
    if (times == 0)
        return;
    const qint64 v = std::clamp<qint64>(valueNs, 0, highestTrackableNs);
    const int index = indexOf(v);
    m_counts[size_t(index)] += times;
    if (m_count == 0) {
        m_min = m_max = v;
        m_lowestIndex = m_highestIndex = index;
    } else {
        m_min = std::min(m_min, v);
        m_max = std::max(m_max, v);
        m_lowestIndex = std::min(m_lowestIndex, index);
        m_highestIndex = std::max(m_highestIndex, index);
    }
    m_count += times;
    m_sum += double(v) * double(times);
}

void Histogram::add(const Histogram &other)
{
    if (other.m_count == 0)
        return;
    for (int i = other.m_lowestIndex; i <= other.m_highestIndex; ++i)
        m_counts[size_t(i)] += other.m_counts[size_t(i)];
    if (m_count == 0) {
        m_min = other.m_min;
        m_max = other.m_max;
        m_lowestIndex = other.m_lowestIndex;
        m_highestIndex = other.m_highestIndex;
    } else {
        m_min = std::min(m_min, other.m_min);
        m_max = std::max(m_max, other.m_max);
        m_lowestIndex = std::min(m_lowestIndex, other.m_lowestIndex);
        m_highestIndex = std::max(m_highestIndex, other.m_highestIndex);
    }
    m_count += other.m_count;
    m_sum += other.m_sum;
}

void Histogram::reset()
{
    if (m_count)
        std::fill(m_counts.begin() + m_lowestIndex, m_counts.begin() + m_highestIndex + 1, 0);
    m_count = 0;
    m_min = m_max = 0;
    m_sum = 0;
    m_lowestIndex = m_highestIndex = -1;
}

qint64 Histogram::valueAtRank(quint64 rank) const
{
    if (m_count == 0)
        return 0;
    // The exact extremes are known, so the first and last ranks need no bucket.
    if (rank == 0)
        return m_min;
    if (rank >= m_count - 1)
        return m_max;
    quint64 seen = 0;
    for (int i = m_lowestIndex; i <= m_highestIndex; ++i) {
        seen += m_counts[size_t(i)];
        if (seen > rank) {
            const qint64 low = lowestValueAt(i);
            const qint64 high = highestValueAt(i);
            return std::clamp(low + (high - low) / 2, m_min, m_max);
        }
    }
    return m_max;
}

double Histogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * double(m_count - 1);
    const auto lower = quint64(std::floor(rank));
    const auto upper = quint64(std::ceil(rank));
    const double low = double(valueAtRank(lower));
    if (upper == lower)
        return low;
    const double high = double(valueAtRank(upper));
    return low + (high - low) * (rank - double(lower));
}

std::vector<Histogram::Bucket> Histogram::nonEmptyBuckets() const
{
    std::vector<Bucket> buckets;
    if (m_count == 0)
        return buckets;
    for (int i = m_lowestIndex; i <= m_highestIndex; ++i) {
        if (m_counts[size_t(i)])
            buckets.push_back({highestValueAt(i), m_counts[size_t(i)]});
    }
    return buckets;
}

} // namespace loadbench
