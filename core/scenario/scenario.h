// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"
#include "scenario/target.h"
#include "scenario/threshold.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace loadbench {

using namespace std::chrono_literals;

// One step of a ramping profile: reach `target` VUs linearly over `duration`.
struct Stage {
    Nanoseconds duration{0};
    int target = 0;
    friend bool operator==(const Stage &, const Stage &) = default;
};

enum class ExecutorType { RampingVus, ConstantVus };
QString executorName(ExecutorType type);

// One k6 scenario: an executor and its options (k6 option names).
struct ScenarioConfig {
    QString name = QStringLiteral("default");
    ExecutorType executor = ExecutorType::RampingVus;
    int startVUs = 1;                  // ramping-vus
    QList<Stage> stages;               // ramping-vus
    int vus = 1;                       // constant-vus
    Nanoseconds duration{0};           // constant-vus
    Nanoseconds gracefulRampDown{30s}; // ramping-vus
    Nanoseconds gracefulStop{30s};

    // The load profile as stages, whatever the executor (constant-vus: one flat stage).
    QList<Stage> profile() const;
    int initialVus() const;
    int maxVus() const;
    Nanoseconds plannedDuration() const; // without gracefulStop
};

// A load test: k6-style options plus the target block. Load with fromJson(), which validates
// everything so that a scenario that loaded can run.
struct Scenario {
    QString name = QStringLiteral("scenario");
    QString description;
    QList<ScenarioConfig> scenarios; // exactly one for now
    TargetConfig target;
    QList<Threshold> thresholds;     // in file order
    QStringList summaryTrendStats = defaultSummaryTrendStats();

    static QStringList defaultSummaryTrendStats();
    // Errors name the field and the value: `scenarios.load.stages[2].duration: "1x" is not a duration`.
    static std::optional<Scenario> fromJson(const QByteArray &json, QString *why);
    static std::optional<Scenario> fromFile(const QString &path, QString *why);
    QJsonObject toJson() const;

    const ScenarioConfig &main() const { return scenarios.first(); }
    ScenarioConfig &main() { return scenarios.first(); }
    Nanoseconds plannedDuration() const;
    int maxVus() const;
    // Planned VUs at time t since start, following k6's ramping-vus rounding: ramping from a to
    // b over D from s, the k-th VU added (or removed) goes at s + D·k/|b − a|.
    int plannedVusAt(Nanoseconds t) const;
    // The first time after t at which plannedVusAt changes; nullopt when it never does again.
    std::optional<Nanoseconds> nextVuChangeAfter(Nanoseconds t) const;
};

} // namespace loadbench
