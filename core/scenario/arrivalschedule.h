// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QList>

#include <optional>

namespace loadbench {

// When an arrival-rate scenario starts each iteration, as k6 computes it, in time since the
// scenario's start:
// - constant-arrival-rate: iteration i at i·P, P = timeUnit/rate truncated to whole ns
//   (k6's getTickerPeriod), the first at 0, every one before `duration`;
// - ramping-arrival-rate: the rate runs piecewise linearly through the stages, and iteration i
//   starts when the area under it reaches i + 1 (k6's RampingArrivalRateConfig.cal(), which
//   solves each stage's quadratic in float64 exactly as here, so the counts match k6's), every
//   one before the end of the last stage.
// Workers take every n-th iteration of it, so the schedule is a pure function of i.
class ArrivalSchedule
{
public:
    explicit ArrivalSchedule(const ScenarioConfig &config);

    // Start of iteration i (from 0); nullopt when the scenario has no iteration i.
    std::optional<Nanoseconds> at(qint64 i) const;
    qint64 count() const { return m_count; }
    // How many iterations start at or before `t`: the first i whose start is after it (a
    // binary search over at(), which rises with i).
    qint64 dueBy(Nanoseconds t) const;

private:
    struct Segment {
        double start = 0;     // ns since the scenario's start
        double length = 0;    // ns
        double from = 0;      // rate at its start, iterations per ns
        double to = 0;        // rate at its end
        double doneBefore = 0; // area (iterations) before it
        double endCount = 0;   // area at its end
    };

    bool m_constant = false;
    qint64 m_periodNs = 0;
    qint64 m_durationNs = 0;
    QList<Segment> m_segments;
    qint64 m_count = 0;
};

} // namespace loadbench
