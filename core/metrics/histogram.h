// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace loadbench {

// Log-linear (HdrHistogram-style) histogram of durations. Values in nanoseconds, 1 ns to 1 h
// (larger values are clamped to 1 h), 3 significant digits: a recorded value is known to within
// 0.05 % of itself. Memory is fixed (~270 KB) however many values are recorded. count, min, max
// and the sum are exact. Not thread-safe: one owner at a time.
class Histogram
{
public:
    Histogram();

    void record(qint64 valueNs);
    void recordMany(qint64 valueNs, quint64 times);
    void add(const Histogram &other);
    void reset();

    quint64 count() const { return m_count; }
    qint64 min() const { return m_count ? m_min : 0; }
    qint64 max() const { return m_count ? m_max : 0; }
    double sum() const { return m_sum; }
    double mean() const { return m_count ? m_sum / double(m_count) : 0.0; }

    // The value of the sample at 0-based rank `rank` in sorted order (the middle of its bucket,
    // clamped to [min, max]).
    qint64 valueAtRank(quint64 rank) const;
    // k6's percentile (metrics/sink.go): rank r = p/100 × (n − 1), linear interpolation between
    // the samples at ⌊r⌋ and ⌈r⌉. p in 0..100. 0 for an empty histogram.
    double percentile(double p) const;

    // Buckets that hold samples, in increasing value order: (highest value in bucket, count).
    // For percentile-distribution exports.
    struct Bucket {
        qint64 highestValueNs;
        quint64 count;
    };
    std::vector<Bucket> nonEmptyBuckets() const;

    static constexpr qint64 highestTrackableNs = 3'600'000'000'000LL;

private:
    friend class HistogramCodec; // rebuilds a histogram bit for bit from its persisted form

    int indexOf(qint64 value) const;
    qint64 lowestValueAt(int index) const;
    qint64 highestValueAt(int index) const;

    std::vector<quint64> m_counts;
    quint64 m_count = 0;
    qint64 m_min = 0;
    qint64 m_max = 0;
    double m_sum = 0;
    int m_lowestIndex = -1; // range of non-zero buckets, so merge and reset touch only those
    int m_highestIndex = -1;
};

} // namespace loadbench
