// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/summary.h"

#include <QIODevice>
#include <QJsonObject>

namespace loadbench {

// k6's `--summary-export` shape (the legacy export, not handleSummary's): root_group with the
// checks, and metrics by name. Trends carry the summaryTrendStats keys in milliseconds; counters
// count and rate; rates passes, fails and value (for http_req_failed, passes counts FAILED
// requests); gauges value, min and max. A metric's thresholds map each expression to true when
// it was CROSSED, as k6 writes them. A "loadbench" object says so, and carries what k6 lacks.
QJsonObject summaryToJson(const Summary &summary);
void writeSummaryJson(QIODevice &out, const Summary &summary);

} // namespace loadbench
