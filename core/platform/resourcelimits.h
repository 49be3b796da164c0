// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace loadbench {

// Each QNAM VU holds its socket plus its Qt HTTP thread's wakeup descriptors: about 2 files
// measured (1000 VUs: 2012 open files); 3 leaves room for reconnects and output files.
inline constexpr int fileDescriptorsPerVu = 3;

// Raises the soft limit on open files to the hard limit and checks that `vus` VUs fit. When they
// do not, returns false and says in one line what to do: running out mid-run crashes inside Qt.
bool reserveFileDescriptors(int vus, QString *why);

} // namespace loadbench
