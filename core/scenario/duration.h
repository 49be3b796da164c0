// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QString>

#include <chrono>
#include <optional>

namespace loadbench {

using Nanoseconds = std::chrono::nanoseconds;

// Durations as k6 reads them: Go syntax ("500ms", "1m30s", "1.5s", "2h", "1h2m3.5s", units
// ns/us/µs/ms/s/m/h) with an optional day prefix ("2d", "1d12h"); a bare number, as a JSON
// number or a numeric string, means milliseconds. Negative values are rejected, and so is
// anything longer than maxAcceptedDuration: sums of a run's durations (start time, stages,
// graceful stop, timeouts added to "now") must stay far inside a signed 64-bit nanosecond count,
// and a number that large is a typo (1e13 ms), not a plan.
inline constexpr Nanoseconds maxAcceptedDuration = std::chrono::hours(24 * 365);
std::optional<Nanoseconds> parseDuration(QStringView text, QString *why = nullptr);
std::optional<Nanoseconds> parseDuration(const QJsonValue &value, QString *why = nullptr);

// Go's time.Duration.String() as k6 prints it: 1m30s, 500ms, 1.5s, 0s.
QString formatDuration(Nanoseconds d);

inline double toMilliseconds(Nanoseconds d) { return double(d.count()) / 1e6; }
inline double toSeconds(Nanoseconds d) { return double(d.count()) / 1e9; }

} // namespace loadbench
