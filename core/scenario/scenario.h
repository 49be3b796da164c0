// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"
#include "scenario/target.h"
#include "scenario/threshold.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace loadbench {

using namespace std::chrono_literals;

// One step of a ramping profile: reach `target` linearly over `duration`. The target is a VU
// count for ramping-vus and an iteration rate (per timeUnit) for ramping-arrival-rate.
struct Stage {
    Nanoseconds duration{0};
    int target = 0;
    friend bool operator==(const Stage &, const Stage &) = default;
};

enum class ExecutorType {
    RampingVus,
    ConstantVus,
    SharedIterations,
    PerVuIterations,
    ConstantArrivalRate,
    RampingArrivalRate,
    ExternallyControlled,
};
QString executorName(ExecutorType type);
std::optional<ExecutorType> executorFromName(const QString &name);

// Which engine sends a scenario's requests. Auto picks Native for http:// and Qnam for
// https:// (the native engine speaks no TLS).
enum class EngineKind {
    Auto,
    Native, // epoll + llhttp, one loop per worker thread (engine/nativeclient.h)
    Qnam,   // QNetworkAccessManager, one per VU (engine/qnamclient.h)
};
QString engineName(EngineKind kind);                          // "auto", "native", "qnam"
std::optional<EngineKind> engineFromName(const QString &name); // the reverse; nullopt if unknown
// The engine that runs requests to `url` when `kind` was asked for: never Auto.
EngineKind resolveEngine(EngineKind kind, const QUrl &url);
// The engine as summaries and reports name it: "native (epoll+llhttp)", "qnam (QNetworkAccessManager)".
QString engineDescription(EngineKind kind);

struct TargetConfig;

// One k6 scenario: an executor and its options (k6 option names and defaults). Times are
// relative to the scenario's own start unless a name says otherwise.
struct ScenarioConfig {
    QString name = QStringLiteral("default");
    ExecutorType executor = ExecutorType::RampingVus;
    int startVUs = 1;                  // ramping-vus
    QList<Stage> stages;               // ramping-vus (VUs), ramping-arrival-rate (rates)
    int vus = 1;                       // constant-vus, *-iterations, externally-controlled
    int iterations = 1;                // shared-iterations (in all), per-vu-iterations (each)
    Nanoseconds duration{0};           // constant-vus, constant-arrival-rate, externally-controlled
    Nanoseconds maxDuration{10min};    // shared-iterations, per-vu-iterations
    Nanoseconds gracefulRampDown{30s}; // ramping-vus
    Nanoseconds gracefulStop{30s};
    Nanoseconds startTime{0};          // since the run's start
    int rate = 1;                      // constant-arrival-rate: iterations per timeUnit
    int startRate = 0;                 // ramping-arrival-rate
    Nanoseconds timeUnit{1s};          // arrival-rate
    int preAllocatedVUs = 0;           // arrival-rate
    int maxVUs = 0;                    // arrival-rate (default preAllocatedVUs), externally-controlled (default vus)
    QMap<QString, QString> tags;       // added to every sample of this scenario
    EngineKind engine = EngineKind::Auto; // Loadbench's own option `engine`
    // The scenario's own `target`, overriding the top-level one; null = the top-level target.
    // Shared and never changed once loaded (replace it to edit).
    std::shared_ptr<const TargetConfig> target;

    bool isArrivalRate() const;
    bool isIterationBased() const;     // shared-iterations, per-vu-iterations: ends when done
    // The VU profile as stages, whatever the executor: ramping-vus its stages, the others one
    // flat stage of initialVus() over plannedDuration().
    QList<Stage> profile() const;
    int initialVus() const;            // VUs at the scenario's start (arrival-rate: preAllocatedVUs)
    int maxVus() const;                // the most VUs it can ever use
    Nanoseconds plannedDuration() const; // without startTime and gracefulStop; maxDuration for *-iterations
    Nanoseconds plannedEnd() const { return startTime + plannedDuration(); }
    // Planned VUs `into` the scenario (k6's ramping-vus rounding); after the end, the last value.
    int vusInto(Nanoseconds into) const;
    // The first time after `into` at which vusInto changes; nullopt when it never does again.
    std::optional<Nanoseconds> nextVuChangeInto(Nanoseconds into) const;
    // Arrival-rate executors: planned iterations per second `into` the scenario; 0 otherwise.
    double rateInto(Nanoseconds into) const;
    // When it ends at the latest since the run's start, grace included (k6's "max duration").
    Nanoseconds latestEnd() const;
    // k6's one-line description, e.g. "200.00 iterations/s for 5s (maxVUs: 20-100, gracefulStop: 30s)".
    QString description() const;
};

// A load test: k6-style options plus the target block. Load with fromJson(), which validates
// everything so that a scenario that loaded can run.
struct Scenario {
    QString name = QStringLiteral("scenario");
    QString description;
    QList<ScenarioConfig> scenarios; // run side by side, each from its startTime
    TargetConfig target;
    QList<Threshold> thresholds;     // in file order
    QStringList summaryTrendStats = defaultSummaryTrendStats();

    static QStringList defaultSummaryTrendStats();
    // Whether loading refuses an engine that cannot send the file's URLs ("native" for
    // https://). The CLI defers it when --engine or --url will change engine or URL: the
    // file's combination never runs, the overridden one is checked by engineError().
    enum class EngineCheck { OnLoad, Deferred };
    // Errors name the field and the value: `scenarios.load.stages[2].duration: "1x" is not a duration`.
    static std::optional<Scenario> fromJson(const QByteArray &json, QString *why,
                                            EngineCheck engineCheck = EngineCheck::OnLoad);
    static std::optional<Scenario> fromFile(const QString &path, QString *why,
                                            EngineCheck engineCheck = EngineCheck::OnLoad);
    QJsonObject toJson() const;

    const ScenarioConfig &main() const { return scenarios.first(); }
    ScenarioConfig &main() { return scenarios.first(); }
    // The target a scenario's iterations hit: its own, or the top-level one.
    const TargetConfig &targetFor(const ScenarioConfig &config) const
    {
        return config.target ? *config.target : target;
    }
    // The latest scenario end (startTime + duration, or maxDuration for *-iterations), without
    // gracefulStop.
    Nanoseconds plannedDuration() const;
    int maxVus() const; // the sum over scenarios (k6's vus_max)
    // Planned VUs at time t since start, summed over the scenarios running at t (a scenario
    // counts from its startTime up to its end; arrival-rate ones count preAllocatedVUs),
    // following k6's ramping-vus rounding: ramping from a to b over D from s, the k-th VU added
    // (or removed) goes at s + D·k/|b − a|.
    int plannedVusAt(Nanoseconds t) const;
    // The first time after t at which plannedVusAt changes; nullopt when it never does again.
    std::optional<Nanoseconds> nextVuChangeAfter(Nanoseconds t) const;
    // Planned iterations per second at t, summed over the arrival-rate scenarios running at t.
    double plannedRateAt(Nanoseconds t) const;
    bool hasArrivalRate() const;
    // The engine that runs `config`'s requests, never Auto: the one asked for, or for Auto the
    // native engine unless one of its requests goes to https:// (the native engine has no TLS).
    EngineKind engineFor(const ScenarioConfig &config) const;
    // Sets every scenario's engine to engineFor() it, so that the scenario as run (scenario.json,
    // the summary) says which engine ran, whatever later versions make of "auto".
    void resolveEngines();
    // Every scenario's engine as one line: "native (epoll+llhttp)" when they share one, else
    // "api: native (epoll+llhttp), web: qnam (QNetworkAccessManager)".
    QString enginesText() const;
    // Why `config` cannot run on the engine it asks for (native while a request goes to
    // https://), naming the URL and what would work; empty when it can. Callers prefix where the
    // engine was chosen (`scenarios.api.engine`, `--engine`).
    QString engineError(const ScenarioConfig &config) const;
    // Valid but probably not what was meant (CASES.md BC-11 C), one line each, e.g. a ramp
    // whose last stage climbs: its target is reached only at the instant the run ends.
    QStringList warnings() const;
};

} // namespace loadbench
