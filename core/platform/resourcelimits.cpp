// SPDX-License-Identifier: GPL-3.0-or-later
#include "platform/resourcelimits.h"

#include <sys/resource.h>

namespace loadbench {

quint64 fileDescriptorsNeeded(int nativeVus, int qnamVus)
{
    constexpr quint64 baseFiles = 64; // the process itself, logs, results files, worker loops
    return baseFiles + quint64(nativeVus) * nativeFileDescriptorsPerVu + quint64(qnamVus) * qnamFileDescriptorsPerVu;
}

bool reserveFileDescriptors(int nativeVus, int qnamVus, QString *why)
{
    const int vus = nativeVus + qnamVus;
    const rlim_t needed = fileDescriptorsNeeded(nativeVus, qnamVus);
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return true; // nothing to learn; let the run try
    if (limit.rlim_cur < needed && limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    if (limit.rlim_cur >= needed)
        return true;
    if (why)
        *why = QStringLiteral("%1 VUs need about %2 open files, but this system allows %3 (ulimit -n); "
                              "raise the limit or use fewer VUs")
                   .arg(vus).arg(quint64(needed)).arg(quint64(limit.rlim_cur));
    return false;
}

} // namespace loadbench
