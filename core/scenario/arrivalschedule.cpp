// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/arrivalschedule.h"

#include <cmath>

namespace loadbench {

ArrivalSchedule::ArrivalSchedule(const ScenarioConfig &config)
{
    if (config.executor == ExecutorType::ConstantArrivalRate) {
        m_constant = true;
        m_periodNs = std::max<qint64>(1, config.timeUnit.count() / std::max(1, config.rate));
        m_durationNs = config.duration.count();
        m_count = (m_durationNs + m_periodNs - 1) / m_periodNs;
        return;
    }
    if (config.executor != ExecutorType::RampingArrivalRate)
        return;
    const double timeUnit = double(config.timeUnit.count());
    double from = double(config.startRate) / timeUnit;
    double start = 0, endCount = 0;
    for (const Stage &stage : config.stages) {
        Segment s;
        s.start = start;
        s.length = double(stage.duration.count());
        s.from = from;
        s.to = double(stage.target) / timeUnit;
        s.doneBefore = endCount;
        // The same float64 operations as k6, so a boundary falls on the same side.
        if (s.from != s.to)
            endCount += s.length * ((s.to - s.from) / 2 + s.from);
        else
            endCount += s.length * s.to;
        s.endCount = endCount;
        m_segments.append(s);
        from = s.to;
        start += s.length;
    }
    m_count = qint64(std::floor(endCount));
    // Like constant-arrival-rate, only iterations due before the end: one due at the very end
    // would race with the scenario's end (in k6 too, where the end usually wins).
    while (m_count > 0 && at(m_count - 1).value() >= Nanoseconds(qint64(start)))
        --m_count;
}

std::optional<Nanoseconds> ArrivalSchedule::at(qint64 i) const
{
    if (i < 0 || i >= m_count)
        return std::nullopt;
    if (m_constant)
        return Nanoseconds(m_periodNs * i);
    const double area = double(i + 1); // k6 works with areas, from 1
    for (const Segment &s : m_segments) {
        if (area > s.endCount)
            continue;
        double x;
        if (s.from != s.to) {
            const double root = s.from * s.from * s.length * s.length + 2 * (s.to - s.from) * s.length * (area - s.doneBefore);
            x = (s.from * s.length - std::sqrt(std::max(0.0, root))) / (s.from - s.to);
        } else {
            x = (area - s.doneBefore) / s.to;
        }
        // k6 adds time.Duration(x), a truncation, to the stage's start.
        return Nanoseconds(qint64(s.start) + qint64(x));
    }
    return std::nullopt;
}

qint64 ArrivalSchedule::dueBy(Nanoseconds t) const
{
    qint64 low = 0, high = m_count; // at(low - 1) <= t < at(high), with at(-1) = -inf, at(count) = +inf
    while (low < high) {
        const qint64 middle = low + (high - low) / 2;
        if (*at(middle) <= t)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

} // namespace loadbench
