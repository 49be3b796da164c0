// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace loadbench {

// Each QNAM VU holds its socket plus its Qt HTTP thread's wakeup descriptors: about 2 files
// measured (1000 VUs: 2012 open files); 3 leaves room for reconnects and output files.
inline constexpr int qnamFileDescriptorsPerVu = 3;
// A native VU holds one socket, closed before its replacement opens; the per-thread epoll and
// eventfd descriptors are in the base allowance.
inline constexpr int nativeFileDescriptorsPerVu = 1;

// Open files a run needs: a base for the process, logs and results files, plus each engine's VUs.
quint64 fileDescriptorsNeeded(int nativeVus, int qnamVus);

// Raises the soft limit on open files to the hard limit and checks that the VUs fit. When they
// do not, returns false and says in one line what to do: running out mid-run crashes inside Qt.
bool reserveFileDescriptors(int nativeVus, int qnamVus, QString *why);

} // namespace loadbench
