// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QList>
#include <QString>

#include <optional>

namespace loadbench {

// A scenario preset bundled in the resources (resources/presets/<id>.json).
struct Preset {
    QString id;    // "average-load": the file name without .json
    QString title; // "average load": what the preset combo shows

    QString resourcePath() const { return QStringLiteral(":/presets/") + id + QStringLiteral(".json"); }

    // Every bundled preset, lightest first: smoke, average load, stress, spike, soak, breakpoint.
    static QList<Preset> all();
    // Accepts the id, the title or either with '_' for '-'/' ' ("average_load"), any case.
    static std::optional<Preset> find(const QString &name);
    // Loads and validates a preset; on failure returns nullopt and says why.
    static std::optional<Scenario> load(const QString &name, QString *why = nullptr);
    // The preset file's "description": one sentence on what the test is for.
    QString description() const;
};

} // namespace loadbench
