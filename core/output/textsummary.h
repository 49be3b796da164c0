// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/summary.h"

#include <QString>

namespace loadbench {

// The end-of-test summary laid out as k6 prints it: checks, then every metric alphabetically
// with dotted leaders, ✓/✗ in the margin of metrics that have thresholds.
QString textSummary(const Summary &summary);
// The scenario block k6 prints before the run ("scenarios: (100.00%) 1 scenario, ...").
QString textScenarioHeader(const Scenario &scenario, const QString &scriptPath, const QString &output,
                           const QString &engine);

} // namespace loadbench
