// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "serviceconfig.h"

namespace loadbench
{

// Listens, serves until SIGINT/SIGTERM, and returns the process exit code:
// 0 after a clean stop, 1 when it cannot listen (one line on stderr).
// Needs a QCoreApplication; prints the "listening on" line to stdout once ready.
int runService(const ServiceConfig &config);

} // namespace loadbench
