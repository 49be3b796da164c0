// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/summary.h"

#include <QString>

namespace loadbench {

// The end-of-test summary laid out as k6 prints it: checks, then every metric alphabetically
// with dotted leaders, ✓/✗ in the margin of metrics that have thresholds; then the engine.
QString textSummary(const Summary &summary);
// The scenario block k6 prints before the run ("scenarios: (100.00%) 1 scenario, ..."), with
// the engine each scenario runs on and, when above 0, the worker threads.
QString textScenarioHeader(const Scenario &scenario, const QString &scriptPath, const QString &output,
                           int workerThreads = 0);

} // namespace loadbench
