// SPDX-License-Identifier: GPL-3.0-or-later
#include "platform/cpuusage.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <pthread.h>
#include <unistd.h>

namespace loadbench::cpuusage {

namespace {

qint64 read(clockid_t clock, bool *ok)
{
    timespec ts{};
    *ok = ::clock_gettime(clock, &ts) == 0;
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

qint64 processNs()
{
    bool ok = false;
    const qint64 ns = read(CLOCK_PROCESS_CPUTIME_ID, &ok);
    return ok ? ns : 0;
}

clockid_t currentThreadClock()
{
    clockid_t clock = CLOCK_THREAD_CPUTIME_ID;
    ::pthread_getcpuclockid(::pthread_self(), &clock);
    return clock;
}

std::optional<qint64> threadNs(clockid_t clock)
{
    bool ok = false;
    const qint64 ns = read(clock, &ok);
    if (!ok)
        return std::nullopt;
    return ns;
}

std::optional<qint64> statCpuTicks(const QByteArray &statLine)
{
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const qsizetype close = statLine.lastIndexOf(')');
    if (close < 0 || close + 2 > statLine.size())
        return std::nullopt;
    const QList<QByteArray> fields = statLine.mid(close + 2).split(' ');
    // Fields 14 and 15 of proc_pid_stat(5), utime and stime, are the 12th and 13th after it.
    if (fields.size() < 13)
        return std::nullopt;
    bool okUser = false, okSystem = false;
    const qint64 user = fields[11].toLongLong(&okUser);
    const qint64 system = fields[12].toLongLong(&okSystem);
    if (!okUser || !okSystem)
        return std::nullopt;
    return user + system;
}

std::optional<qint64> otherProcessNs(qint64 pid)
{
    if (pid <= 0)
        return std::nullopt;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    const std::optional<qint64> ticks = statCpuTicks(stat.readAll());
    const long perSecond = ::sysconf(_SC_CLK_TCK);
    if (!ticks || perSecond <= 0)
        return std::nullopt;
    return *ticks * (1'000'000'000 / perSecond);
}

} // namespace loadbench::cpuusage
