// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <ctime>
#include <optional>

namespace loadbench {

// CPU time consumed, in nanoseconds, for telling whether the load generator itself is the
// bottleneck: a worker thread busy 100 % of a second cannot start requests on time, and the
// latencies it reports then include its own queueing, not only the server's.
namespace cpuusage {

// This process, all threads (CLOCK_PROCESS_CPUTIME_ID).
qint64 processNs();

// The calling thread's CPU clock, to read from any thread later with threadNs().
clockid_t currentThreadClock();
// The CPU time of the thread whose clock this is; nullopt once the thread is gone.
std::optional<qint64> threadNs(clockid_t clock);

// Another process (utime + stime from /proc/PID/stat, in clock ticks of 10 ms typically);
// nullopt when it does not exist or cannot be read.
std::optional<qint64> otherProcessNs(qint64 pid);
// utime + stime, in clock ticks, from one /proc/PID/stat line (whose command name, in
// parentheses, may itself hold spaces and parentheses); nullopt when the line is not one.
std::optional<qint64> statCpuTicks(const QByteArray &statLine);

// The share of one core a CPU time is over a wall interval: 1.0 = one core busy all along.
inline double coreShare(qint64 cpuNs, qint64 wallNs) { return wallNs > 0 ? double(cpuNs) / double(wallNs) : 0.0; }

} // namespace cpuusage
} // namespace loadbench
