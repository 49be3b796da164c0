// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"

#include <QIODevice>
#include <QJsonArray>

namespace loadbench {

// timeline.json: one object per interval (normally 1 s) of a run, times in ms, rates per second.
QJsonArray timelineToJson(const QList<IntervalSnapshot> &timeline);
void writeTimelineJson(QIODevice &out, const QList<IntervalSnapshot> &timeline);

} // namespace loadbench
