// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/scenario.h"

#include "scenario/jsonfieldreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

namespace loadbench {

QString executorName(ExecutorType type)
{
    switch (type) {
    case ExecutorType::RampingVus: return QStringLiteral("ramping-vus");
    case ExecutorType::ConstantVus: return QStringLiteral("constant-vus");
    case ExecutorType::SharedIterations: return QStringLiteral("shared-iterations");
    case ExecutorType::PerVuIterations: return QStringLiteral("per-vu-iterations");
    case ExecutorType::ConstantArrivalRate: return QStringLiteral("constant-arrival-rate");
    case ExecutorType::RampingArrivalRate: return QStringLiteral("ramping-arrival-rate");
    case ExecutorType::ExternallyControlled: return QStringLiteral("externally-controlled");
    }
    return {};
}

std::optional<ExecutorType> executorFromName(const QString &name)
{
    for (ExecutorType type : {ExecutorType::RampingVus, ExecutorType::ConstantVus, ExecutorType::SharedIterations,
                              ExecutorType::PerVuIterations, ExecutorType::ConstantArrivalRate,
                              ExecutorType::RampingArrivalRate, ExecutorType::ExternallyControlled}) {
        if (executorName(type) == name)
            return type;
    }
    return std::nullopt;
}

QString engineName(EngineKind kind)
{
    switch (kind) {
    case EngineKind::Auto: return QStringLiteral("auto");
    case EngineKind::Native: return QStringLiteral("native");
    case EngineKind::Qnam: return QStringLiteral("qnam");
    }
    return {};
}

std::optional<EngineKind> engineFromName(const QString &name)
{
    for (EngineKind kind : {EngineKind::Auto, EngineKind::Native, EngineKind::Qnam}) {
        if (engineName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

EngineKind resolveEngine(EngineKind kind, const QUrl &url)
{
    if (kind != EngineKind::Auto)
        return kind;
    return url.scheme() == QLatin1String("https") ? EngineKind::Qnam : EngineKind::Native;
}

QString engineDescription(EngineKind kind)
{
    switch (kind) {
    case EngineKind::Auto: return QStringLiteral("auto (native for http://, qnam for https://)");
    case EngineKind::Native: return QStringLiteral("native (epoll+llhttp)");
    case EngineKind::Qnam: return QStringLiteral("qnam (QNetworkAccessManager)");
    }
    return {};
}

bool ScenarioConfig::isArrivalRate() const
{
    return executor == ExecutorType::ConstantArrivalRate || executor == ExecutorType::RampingArrivalRate;
}

bool ScenarioConfig::isIterationBased() const
{
    return executor == ExecutorType::SharedIterations || executor == ExecutorType::PerVuIterations;
}

QList<Stage> ScenarioConfig::profile() const
{
    if (executor == ExecutorType::RampingVus)
        return stages;
    return {Stage{plannedDuration(), initialVus()}};
}

int ScenarioConfig::initialVus() const
{
    switch (executor) {
    case ExecutorType::RampingVus: return startVUs;
    case ExecutorType::ConstantArrivalRate:
    case ExecutorType::RampingArrivalRate: return preAllocatedVUs;
    default: return vus;
    }
}

int ScenarioConfig::maxVus() const
{
    switch (executor) {
    case ExecutorType::RampingVus: {
        int m = startVUs;
        for (const Stage &s : stages)
            m = std::max(m, s.target);
        return m;
    }
    case ExecutorType::ConstantArrivalRate:
    case ExecutorType::RampingArrivalRate:
    case ExecutorType::ExternallyControlled: return std::max(maxVUs, initialVus());
    default: return vus;
    }
}

Nanoseconds ScenarioConfig::plannedDuration() const
{
    switch (executor) {
    case ExecutorType::RampingVus:
    case ExecutorType::RampingArrivalRate: {
        Nanoseconds total{0};
        for (const Stage &s : stages)
            total += s.duration;
        return total;
    }
    case ExecutorType::SharedIterations:
    case ExecutorType::PerVuIterations: return maxDuration;
    default: return duration;
    }
}

QStringList Scenario::defaultSummaryTrendStats()
{
    return {QStringLiteral("avg"), QStringLiteral("min"), QStringLiteral("med"),
            QStringLiteral("max"), QStringLiteral("p(90)"), QStringLiteral("p(95)")};
}

Nanoseconds Scenario::plannedDuration() const
{
    Nanoseconds end{0};
    for (const ScenarioConfig &config : scenarios)
        end = std::max(end, config.plannedEnd());
    return end;
}

int Scenario::maxVus() const
{
    int sum = 0;
    for (const ScenarioConfig &config : scenarios)
        sum += config.maxVus();
    return sum;
}

bool Scenario::hasArrivalRate() const
{
    return std::any_of(scenarios.begin(), scenarios.end(), [](const ScenarioConfig &c) { return c.isArrivalRate(); });
}

EngineKind Scenario::engineFor(const ScenarioConfig &config) const
{
    if (config.engine != EngineKind::Auto)
        return config.engine;
    // One engine per scenario: a request list that reaches https:// anywhere needs TLS throughout.
    for (const PlannedRequest &request : targetFor(config).plan()) {
        if (resolveEngine(EngineKind::Auto, request.url) == EngineKind::Qnam)
            return EngineKind::Qnam;
    }
    return EngineKind::Native;
}

void Scenario::resolveEngines()
{
    for (ScenarioConfig &config : scenarios)
        config.engine = engineFor(config);
}

QString Scenario::enginesText() const
{
    QStringList each;
    QList<EngineKind> kinds;
    for (const ScenarioConfig &config : scenarios) {
        const EngineKind kind = engineFor(config);
        if (!kinds.contains(kind))
            kinds.append(kind);
        each << config.name + QStringLiteral(": ") + engineDescription(kind);
    }
    if (kinds.size() == 1)
        return engineDescription(kinds.first());
    return each.join(QStringLiteral(", "));
}

QString Scenario::engineError(const ScenarioConfig &config) const
{
    if (config.engine != EngineKind::Native)
        return {};
    for (const PlannedRequest &request : targetFor(config).plan()) {
        if (request.url.scheme() != QLatin1String("http"))
            return QStringLiteral("\"native\" cannot send %1: the native engine speaks plain http:// only (no TLS); "
                                  "use \"qnam\" or \"auto\" for https://")
                .arg(request.url.toString(QUrl::RemoveUserInfo));
    }
    return {};
}

namespace {

__extension__ typedef __int128 Wide; // D·k can pass 2⁶³ ns for long stages with many VUs

// VUs in a linear ramp from `from` to `to` over `length`, `into` after its start.
int rampVus(int from, int to, Nanoseconds length, Nanoseconds into)
{
    if (from == to)
        return from;
    const Wide span = std::abs(to - from);
    const qint64 k = qint64(Wide(into.count()) * span / length.count());
    return to > from ? from + int(k) : from - int(k);
}

} // namespace

int ScenarioConfig::vusInto(Nanoseconds into) const
{
    int current = initialVus();
    if (executor != ExecutorType::RampingVus)
        return current;
    Nanoseconds start{0};
    for (const Stage &stage : stages) {
        if (into < start + stage.duration)
            return rampVus(current, stage.target, stage.duration, into - start);
        current = stage.target;
        start += stage.duration;
    }
    return current;
}

std::optional<Nanoseconds> ScenarioConfig::nextVuChangeInto(Nanoseconds t) const
{
    if (executor != ExecutorType::RampingVus)
        return std::nullopt;
    int current = startVUs;
    Nanoseconds start{0};
    for (const Stage &stage : stages) {
        const Nanoseconds end = start + stage.duration;
        if (t < end && stage.target != current) {
            if (stage.duration.count() == 0)
                return start; // an instant jump
            // The next step of this ramp, rounded up so that vusInto() already sees it.
            const Wide span = std::abs(stage.target - current);
            const Nanoseconds into = std::max(Nanoseconds{0}, t - start);
            const Wide k = Wide(into.count()) * span / stage.duration.count() + 1;
            const qint64 offset = qint64((Wide(stage.duration.count()) * k + span - 1) / span);
            return std::min(end, start + Nanoseconds(offset));
        }
        current = stage.target;
        start = end;
    }
    return std::nullopt;
}

double ScenarioConfig::rateInto(Nanoseconds into) const
{
    const double perSecond = 1e9 / double(timeUnit.count());
    if (executor == ExecutorType::ConstantArrivalRate)
        return into >= Nanoseconds{0} && into < duration ? rate * perSecond : 0;
    if (executor != ExecutorType::RampingArrivalRate || into < Nanoseconds{0})
        return 0;
    double from = startRate;
    Nanoseconds start{0};
    for (const Stage &stage : stages) {
        if (into < start + stage.duration) {
            const double f = double((into - start).count()) / double(stage.duration.count());
            return (from + (stage.target - from) * f) * perSecond;
        }
        from = stage.target;
        start += stage.duration;
    }
    return 0;
}

Nanoseconds ScenarioConfig::latestEnd() const
{
    // A ramp that ends at 0 VUs ends within gracefulRampDown, otherwise the VUs still running
    // at the end get gracefulStop.
    const bool endsAtZero = executor == ExecutorType::RampingVus && !stages.isEmpty() && stages.last().target == 0;
    return plannedEnd() + (endsAtZero ? gracefulRampDown : gracefulStop);
}

QString ScenarioConfig::description() const
{
    // k6's GetDescription() of each executor, with getBaseInfo()'s facts in its order.
    QStringList facts;
    auto withFacts = [&](const QString &text) {
        if (startTime.count() > 0)
            facts << QStringLiteral("startTime: ") + formatDuration(startTime);
        if (gracefulStop.count() > 0)
            facts << QStringLiteral("gracefulStop: ") + formatDuration(gracefulStop);
        return facts.isEmpty() ? text : text + QStringLiteral(" (") + facts.join(QStringLiteral(", ")) + u')';
    };
    QString maxVusRange = QStringLiteral("maxVUs: %1").arg(preAllocatedVUs);
    if (maxVUs > preAllocatedVUs)
        maxVusRange += QStringLiteral("-%1").arg(maxVUs);
    const double perSecond = 1e9 / double(timeUnit.count());
    switch (executor) {
    case ExecutorType::SharedIterations:
        facts << QStringLiteral("maxDuration: ") + formatDuration(maxDuration);
        return withFacts(QStringLiteral("%1 iterations shared among %2 VUs").arg(iterations).arg(vus));
    case ExecutorType::PerVuIterations:
        facts << QStringLiteral("maxDuration: ") + formatDuration(maxDuration);
        return withFacts(QStringLiteral("%1 iterations for each of %2 VUs").arg(iterations).arg(vus));
    case ExecutorType::ConstantVus:
        return withFacts(QStringLiteral("%1 looping VUs for %2").arg(vus).arg(formatDuration(duration)));
    case ExecutorType::RampingVus:
        facts << QStringLiteral("gracefulRampDown: ") + formatDuration(gracefulRampDown);
        return withFacts(QStringLiteral("Up to %1 looping VUs for %2 over %3 stages")
                             .arg(maxVus()).arg(formatDuration(plannedDuration())).arg(stages.size()));
    case ExecutorType::ConstantArrivalRate:
        facts << maxVusRange;
        return withFacts(QStringLiteral("%1 iterations/s for %2").arg(rate * perSecond, 0, 'f', 2).arg(formatDuration(duration)));
    case ExecutorType::RampingArrivalRate: {
        int top = startRate;
        for (const Stage &s : stages)
            top = std::max(top, s.target);
        facts << maxVusRange;
        return withFacts(QStringLiteral("Up to %1 iterations/s for %2 over %3 stages")
                             .arg(top * perSecond, 0, 'f', 2).arg(formatDuration(plannedDuration())).arg(stages.size()));
    }
    case ExecutorType::ExternallyControlled:
        return withFacts(QStringLiteral("Up to %1/%2 VUs for %3").arg(vus).arg(maxVUs).arg(formatDuration(duration)));
    }
    return {};
}

int Scenario::plannedVusAt(Nanoseconds t) const
{
    int sum = 0;
    for (const ScenarioConfig &config : scenarios) {
        if (t >= config.startTime && t < config.plannedEnd())
            sum += config.vusInto(t - config.startTime);
    }
    return sum;
}

std::optional<Nanoseconds> Scenario::nextVuChangeAfter(Nanoseconds t) const
{
    // The candidates: every scenario's start, end and ramp steps; the first one that really
    // changes the sum wins (two scenarios may cancel out at one instant).
    std::optional<Nanoseconds> best;
    Nanoseconds from = t;
    for (;;) {
        best.reset();
        for (const ScenarioConfig &config : scenarios) {
            auto consider = [&](Nanoseconds at) {
                if (at > from && (!best || at < *best))
                    best = at;
            };
            consider(config.startTime);
            consider(config.plannedEnd());
            if (from >= config.startTime) {
                if (auto next = config.nextVuChangeInto(from - config.startTime))
                    consider(config.startTime + *next);
            } else if (auto next = config.nextVuChangeInto(Nanoseconds{-1})) {
                consider(config.startTime + *next);
            }
        }
        if (!best || plannedVusAt(*best) != plannedVusAt(t))
            return best;
        from = *best;
    }
}

QStringList Scenario::warnings() const
{
    QStringList out;
    for (const ScenarioConfig &config : scenarios) {
        if (config.executor != ExecutorType::RampingVus || config.stages.isEmpty())
            continue;
        const int before = config.stages.size() > 1 ? config.stages[config.stages.size() - 2].target : config.startVUs;
        const Stage &last = config.stages.last();
        if (last.target > before && last.duration.count() > 0)
            out << QStringLiteral("scenarios.%1.stages[%2]: the ramp reaches %3 VUs only at the instant the scenario ends, "
                                  "so its last VU runs no iteration (as in k6); add a stage that holds %3 VUs to see them")
                       .arg(config.name).arg(config.stages.size() - 1).arg(last.target);
    }
    return out;
}

double Scenario::plannedRateAt(Nanoseconds t) const
{
    double sum = 0;
    for (const ScenarioConfig &config : scenarios)
        sum += config.rateInto(t - config.startTime);
    return sum;
}

// --- JSON loading ---------------------------------------------------------------------------

namespace {

class JsonReader : public JsonFieldReader
{
public:
    static QString show(const QJsonValue &v) { return showJson(v); }

    bool readStages(const QString &path, const QJsonValue &v, QList<Stage> *out)
    {
        if (!v.isArray())
            return failAt(path, show(v) + QStringLiteral(" is not a list of {duration, target}"));
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString at = path + QStringLiteral("[%1]").arg(i);
            if (!array[i].isObject())
                return failAt(at, show(array[i]) + QStringLiteral(" is not a {duration, target} object"));
            const QJsonObject o = array[i].toObject();
            if (!checkKeys(at, o, {QStringLiteral("duration"), QStringLiteral("target")}))
                return false;
            Stage stage;
            if (!o.contains(QLatin1String("duration")))
                return failAt(at + QStringLiteral(".duration"), QStringLiteral("missing"));
            if (!o.contains(QLatin1String("target")))
                return failAt(at + QStringLiteral(".target"), QStringLiteral("missing"));
            if (!readDuration(at + QStringLiteral(".duration"), o.value(QLatin1String("duration")), &stage.duration)
                || !readCount(at + QStringLiteral(".target"), o.value(QLatin1String("target")), &stage.target, 0))
                return false;
            out->append(stage);
        }
        // Each stage is at most a year; their sum is held to the same limit so the plan's
        // end (startTime + stages + gracefulStop) stays a sane number.
        Nanoseconds total{0};
        for (const Stage &stage : std::as_const(*out))
            total += stage.duration;
        if (total > maxAcceptedDuration)
            return failAt(path, QStringLiteral("the stages add up to %1, longer than the %2 (one year) "
                                               "Loadbench accepts for a run")
                                    .arg(formatDuration(total), formatDuration(maxAcceptedDuration)));
        return true;
    }

    // Loadbench's own option `engine`: "auto", "native" or "qnam".
    bool readEngine(const QString &path, const QJsonValue &v, EngineKind *out)
    {
        const std::optional<EngineKind> kind = v.isString() ? engineFromName(v.toString()) : std::nullopt;
        if (!kind)
            return failAt(path, show(v) + QStringLiteral(" is not an engine (expected \"auto\", \"native\" or \"qnam\")"));
        *out = *kind;
        return true;
    }

    bool readScenario(const QString &path, const QJsonObject &o, ScenarioConfig *config)
    {
        auto key = [](const char *k) { return QString::fromLatin1(k); };
        auto at = [&](const char *k) -> QString { return path + u'.' + QLatin1String(k); };
        auto has = [&](const char *k) { return o.contains(QLatin1String(k)); };
        auto value = [&](const char *k) { return o.value(QLatin1String(k)); };

        // k6's options: the ones every executor takes, then each executor's own.
        const QStringList common = {key("executor"), key("startTime"), key("gracefulStop"), key("tags"),
                                    key("target"), key("exec"), key("engine")};
        const QList<QPair<ExecutorType, QStringList>> own = {
            {ExecutorType::SharedIterations, {key("vus"), key("iterations"), key("maxDuration")}},
            {ExecutorType::PerVuIterations, {key("vus"), key("iterations"), key("maxDuration")}},
            {ExecutorType::ConstantVus, {key("vus"), key("duration")}},
            {ExecutorType::RampingVus, {key("startVUs"), key("stages"), key("gracefulRampDown")}},
            {ExecutorType::ConstantArrivalRate, {key("rate"), key("timeUnit"), key("duration"), key("preAllocatedVUs"), key("maxVUs")}},
            {ExecutorType::RampingArrivalRate, {key("startRate"), key("timeUnit"), key("stages"), key("preAllocatedVUs"), key("maxVUs")}},
            {ExecutorType::ExternallyControlled, {key("vus"), key("maxVUs"), key("duration")}},
        };
        QStringList known = common;
        QStringList executors;
        for (const auto &[type, options] : own) {
            executors << u'"' + executorName(type) + u'"';
            for (const QString &option : options) {
                if (!known.contains(option))
                    known << option;
            }
        }
        if (!checkKeys(path, o, known))
            return false;

        const QJsonValue executor = value("executor");
        if (executor.isUndefined())
            return failAt(at("executor"), QStringLiteral("missing (expected one of %1)").arg(executors.join(QStringLiteral(", "))));
        const std::optional<ExecutorType> type = executor.isString() ? executorFromName(executor.toString()) : std::nullopt;
        if (!type)
            return failAt(at("executor"), show(executor) + QStringLiteral(" is not a supported executor (expected one of %1)")
                                                               .arg(executors.join(QStringLiteral(", "))));
        config->executor = *type;
        const QString name = executorName(*type);
        const QStringList options = std::find_if(own.begin(), own.end(), [&](const auto &p) { return p.first == *type; })->second;
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!common.contains(it.key()) && !options.contains(it.key())) {
                const bool useStages = *type == ExecutorType::RampingVus && (it.key() == QLatin1String("vus") || it.key() == QLatin1String("duration"));
                return failAt(path + u'.' + it.key(), QStringLiteral("not an option of %1 (its options: %2)%3")
                                                          .arg(name, options.join(QStringLiteral(", ")),
                                                               useStages ? QStringLiteral(" (use stages)") : QString()));
            }
        }
        auto need = [&](const char *k, const QString &why) {
            return has(k) || failAt(at(k), QStringLiteral("missing (%1 needs %2)").arg(name, why));
        };
        auto count = [&](const char *k, int *out, int minimum) {
            return !has(k) || readCount(at(k), value(k), out, minimum);
        };

        switch (*type) {
        case ExecutorType::SharedIterations:
        case ExecutorType::PerVuIterations:
            if (!count("vus", &config->vus, 1) || !count("iterations", &config->iterations, 1))
                return false;
            if (has("maxDuration") && !readPositiveDuration(at("maxDuration"), value("maxDuration"), &config->maxDuration))
                return false;
            if (*type == ExecutorType::SharedIterations && config->iterations < config->vus)
                return failAt(at("iterations"), QStringLiteral("%1 is fewer than vus (%2): shared-iterations needs at least one iteration per VU")
                                                     .arg(config->iterations).arg(config->vus));
            break;
        case ExecutorType::ConstantVus:
        case ExecutorType::ExternallyControlled:
            if (!count("vus", &config->vus, *type == ExecutorType::ConstantVus ? 1 : 0))
                return false;
            if (*type == ExecutorType::ExternallyControlled) {
                config->maxVUs = config->vus;
                if (!count("maxVUs", &config->maxVUs, 1))
                    return false;
                if (config->maxVUs < config->vus)
                    return failAt(at("maxVUs"), QStringLiteral("%1 is fewer than vus (%2)").arg(config->maxVUs).arg(config->vus));
            }
            if (!need("duration", QStringLiteral("a duration"))
                || !readPositiveDuration(at("duration"), value("duration"), &config->duration))
                return false;
            break;
        case ExecutorType::RampingVus:
            if (!count("startVUs", &config->startVUs, 0))
                return false;
            if (!need("stages", QStringLiteral("at least one stage"))
                || !readStages(at("stages"), value("stages"), &config->stages))
                return false;
            if (config->stages.isEmpty())
                return failAt(at("stages"), QStringLiteral("empty (ramping-vus needs at least one stage)"));
            if (config->plannedDuration().count() == 0)
                return failAt(at("stages"), QStringLiteral("the stages add up to 0s; a run needs a duration"));
            if (has("gracefulRampDown") && !readDuration(at("gracefulRampDown"), value("gracefulRampDown"), &config->gracefulRampDown))
                return false;
            break;
        case ExecutorType::ConstantArrivalRate:
        case ExecutorType::RampingArrivalRate:
            if (*type == ExecutorType::ConstantArrivalRate) {
                if (!need("rate", QStringLiteral("a rate of iterations per timeUnit"))
                    || !readCount(at("rate"), value("rate"), &config->rate, 1))
                    return false;
                if (!need("duration", QStringLiteral("a duration"))
                    || !readPositiveDuration(at("duration"), value("duration"), &config->duration))
                    return false;
            } else {
                if (!count("startRate", &config->startRate, 0))
                    return false;
                if (!need("stages", QStringLiteral("at least one stage of target rates"))
                    || !readStages(at("stages"), value("stages"), &config->stages))
                    return false;
                if (config->stages.isEmpty())
                    return failAt(at("stages"), QStringLiteral("empty (ramping-arrival-rate needs at least one stage)"));
                if (config->plannedDuration().count() == 0)
                    return failAt(at("stages"), QStringLiteral("the stages add up to 0s; a run needs a duration"));
            }
            if (has("timeUnit") && !readPositiveDuration(at("timeUnit"), value("timeUnit"), &config->timeUnit))
                return false;
            if (!need("preAllocatedVUs", QStringLiteral("a pool of VUs"))
                || !readCount(at("preAllocatedVUs"), value("preAllocatedVUs"), &config->preAllocatedVUs, 0))
                return false;
            config->maxVUs = config->preAllocatedVUs;
            if (!count("maxVUs", &config->maxVUs, 1))
                return false;
            if (config->maxVUs < config->preAllocatedVUs)
                return failAt(at("maxVUs"), QStringLiteral("%1 is fewer than preAllocatedVUs (%2)")
                                                .arg(config->maxVUs).arg(config->preAllocatedVUs));
            if (config->maxVUs == 0)
                return failAt(at("preAllocatedVUs"), QStringLiteral("0 and no maxVUs: the scenario has no VU to run an iteration"));
            break;
        }

        if (has("startTime") && !readDuration(at("startTime"), value("startTime"), &config->startTime))
            return false;
        if (has("gracefulStop") && !readDuration(at("gracefulStop"), value("gracefulStop"), &config->gracefulStop))
            return false;
        if (has("tags") && !readTags(at("tags"), value("tags"), &config->tags))
            return false;
        if (has("engine") && !readEngine(at("engine"), value("engine"), &config->engine))
            return false;
        if (has("target")) {
            // The top-level target's reader, its errors moved under this scenario.
            if (!value("target").isObject())
                return failAt(at("target"), show(value("target")) + QStringLiteral(" is not an object"));
            JsonReader inner;
            auto target = std::make_shared<TargetConfig>();
            if (!inner.readTarget(value("target").toObject(), target.get()))
                return failAt(QString(), inner.error.startsWith(QLatin1String("target"))
                                             ? QString(at("target") + inner.error.mid(6))
                                             : QString(at("target") + QStringLiteral(": ") + inner.error));
            config->target = std::move(target);
        }
        return true;
    }

    bool readTarget(const QJsonObject &o, TargetConfig *target)
    {
        QString why;
        std::optional<TargetConfig> read = TargetConfig::fromJson(o, &why);
        if (!read)
            return failAt(QString(), why);
        *target = *read;
        return true;
    }

    bool readThresholds(const QJsonValue &v, QList<Threshold> *out)
    {
        if (!v.isObject())
            return failAt(QStringLiteral("thresholds"), show(v) + QStringLiteral(" is not an object of metric: [expressions]"));
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString path = QStringLiteral("thresholds.") + it.key();
            const QJsonArray list = it.value().isArray() ? it.value().toArray()
                                                         : QJsonArray{it.value()};
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString at = path + QStringLiteral("[%1]").arg(i);
                QString expression;
                bool abortOnFail = false;
                Nanoseconds delay{0};
                if (list[i].isString()) {
                    expression = list[i].toString();
                } else if (list[i].isObject()) {
                    const QJsonObject t = list[i].toObject();
                    if (!checkKeys(at, t, {QStringLiteral("threshold"), QStringLiteral("abortOnFail"),
                                           QStringLiteral("delayAbortEval")}))
                        return false;
                    if (!readString(at + QStringLiteral(".threshold"), t.value(QLatin1String("threshold")), &expression))
                        return false;
                    if (t.contains(QLatin1String("abortOnFail"))) {
                        if (!t.value(QLatin1String("abortOnFail")).isBool())
                            return failAt(at + QStringLiteral(".abortOnFail"), show(t.value(QLatin1String("abortOnFail"))) + QStringLiteral(" is not true or false"));
                        abortOnFail = t.value(QLatin1String("abortOnFail")).toBool();
                    }
                    if (t.contains(QLatin1String("delayAbortEval"))
                        && !readDuration(at + QStringLiteral(".delayAbortEval"), t.value(QLatin1String("delayAbortEval")), &delay))
                        return false;
                } else {
                    return failAt(at, show(list[i]) + QStringLiteral(" is not a threshold expression such as \"p(95)<200\""));
                }
                QString why;
                std::optional<Threshold> threshold = Threshold::parse(it.key(), expression, &why);
                if (!threshold)
                    return failAt(at, why);
                threshold->abortOnFail = abortOnFail;
                threshold->delayAbortEval = delay;
                out->append(*threshold);
            }
        }
        return true;
    }

    bool readTrendStats(const QJsonValue &v, QStringList *out)
    {
        if (!v.isArray())
            return failAt(QStringLiteral("summaryTrendStats"), show(v) + QStringLiteral(" is not a list"));
        QStringList stats;
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString at = QStringLiteral("summaryTrendStats[%1]").arg(i);
            QString stat;
            if (!readString(at, a[i], &stat))
                return false;
            static const QStringList plain = {QStringLiteral("avg"), QStringLiteral("min"), QStringLiteral("med"),
                                              QStringLiteral("max"), QStringLiteral("count")};
            bool ok = plain.contains(stat);
            if (!ok && stat.startsWith(QLatin1String("p(")) && stat.endsWith(u')')) {
                bool number = false;
                const double p = stat.mid(2, stat.size() - 3).toDouble(&number);
                ok = number && p >= 0 && p <= 100 && !stat.contains(u' ');
            }
            if (!ok)
                return failAt(at, u'"' + stat + QStringLiteral("\" is not a trend statistic (avg, min, med, max, count or p(N))"));
            stats.append(stat);
        }
        if (stats.isEmpty())
            return failAt(QStringLiteral("summaryTrendStats"), QStringLiteral("empty list"));
        *out = stats;
        return true;
    }
};

} // namespace

std::optional<Scenario> Scenario::fromJson(const QByteArray &json, QString *why, EngineCheck engineCheck)
{
    auto fail = [&](const QString &message) -> std::optional<Scenario> {
        if (why)
            *why = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Line and column of the offset, so the user can find it.
        const QByteArray before = json.left(parseError.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(parseError.offset - before.lastIndexOf('\n'));
        return fail(QStringLiteral("not valid JSON at line %1, column %2: %3")
                        .arg(line).arg(column).arg(parseError.errorString()));
    }
    if (!doc.isObject())
        return fail(QStringLiteral("the top level is not a JSON object"));
    const QJsonObject root = doc.object();
    JsonReader reader;
    Scenario scenario;
    scenario.scenarios.clear();

    if (!reader.checkKeys(QString(), root, {QStringLiteral("name"), QStringLiteral("description"),
                                           QStringLiteral("target"), QStringLiteral("scenarios"),
                                           QStringLiteral("vus"), QStringLiteral("duration"),
                                           QStringLiteral("stages"), QStringLiteral("iterations"),
                                           QStringLiteral("thresholds"), QStringLiteral("summaryTrendStats"),
                                           QStringLiteral("engine")}))
        return fail(reader.error);
    // A top-level engine is every scenario's unless it names its own (and the shorthands').
    EngineKind fileEngine = EngineKind::Auto;
    if (root.contains(QLatin1String("engine"))
        && !reader.readEngine(QStringLiteral("engine"), root.value(QLatin1String("engine")), &fileEngine))
        return fail(reader.error);
    if (root.contains(QLatin1String("name"))) {
        if (!reader.readString(QStringLiteral("name"), root.value(QLatin1String("name")), &scenario.name))
            return fail(reader.error);
        if (scenario.name.trimmed().isEmpty())
            return fail(QStringLiteral("name: must not be empty"));
    }
    if (root.contains(QLatin1String("description"))
        && !reader.readString(QStringLiteral("description"), root.value(QLatin1String("description")), &scenario.description))
        return fail(reader.error);

    if (!root.contains(QLatin1String("target")))
        return fail(QStringLiteral("target: missing (expected {\"url\": \"http://...\"})"));
    if (!root.value(QLatin1String("target")).isObject())
        return fail(QStringLiteral("target: ") + JsonReader::show(root.value(QLatin1String("target"))) + QStringLiteral(" is not an object"));
    if (!reader.readTarget(root.value(QLatin1String("target")).toObject(), &scenario.target))
        return fail(reader.error);

    const bool hasScenarios = root.contains(QLatin1String("scenarios"));
    const bool hasShorthand = root.contains(QLatin1String("vus")) || root.contains(QLatin1String("duration"))
                              || root.contains(QLatin1String("stages")) || root.contains(QLatin1String("iterations"));
    if (hasScenarios && hasShorthand)
        return fail(QStringLiteral("scenarios: cannot be combined with the shorthand vus/duration/stages/iterations options"));
    if (hasScenarios) {
        const QJsonValue v = root.value(QLatin1String("scenarios"));
        if (!v.isObject() || v.toObject().isEmpty())
            return fail(QStringLiteral("scenarios: ") + JsonReader::show(v)
                        + QStringLiteral(" is not an object of named scenarios, e.g. {\"load\": {\"executor\": \"constant-vus\", ...}}"));
        const QJsonObject all = v.toObject();
        for (auto it = all.begin(); it != all.end(); ++it) {
            const QString path = QStringLiteral("scenarios.") + it.key();
            if (it.key().trimmed().isEmpty())
                return fail(QStringLiteral("scenarios: a scenario name must not be empty"));
            if (!it.value().isObject())
                return fail(path + QStringLiteral(": ") + JsonReader::show(it.value()) + QStringLiteral(" is not an object"));
            ScenarioConfig config;
            config.name = it.key();
            config.engine = fileEngine;
            if (!reader.readScenario(path, it.value().toObject(), &config))
                return fail(reader.error);
            scenario.scenarios.append(config);
        }
    } else if (root.contains(QLatin1String("stages"))) {
        // k6 shorthand: top-level stages make a ramping-vus scenario named "default".
        ScenarioConfig config;
        config.executor = ExecutorType::RampingVus;
        config.startVUs = 1;
        if (root.contains(QLatin1String("vus"))
            && !reader.readCount(QStringLiteral("vus"), root.value(QLatin1String("vus")), &config.startVUs, 0))
            return fail(reader.error);
        if (root.contains(QLatin1String("duration")))
            return fail(QStringLiteral("duration: cannot be combined with stages"));
        if (root.contains(QLatin1String("iterations")))
            return fail(QStringLiteral("iterations: cannot be combined with stages"));
        if (!reader.readStages(QStringLiteral("stages"), root.value(QLatin1String("stages")), &config.stages))
            return fail(reader.error);
        if (config.stages.isEmpty() || config.plannedDuration().count() == 0)
            return fail(QStringLiteral("stages: the stages add up to 0s; a run needs a duration"));
        scenario.scenarios.append(config);
    } else if (root.contains(QLatin1String("iterations"))) {
        // k6 shorthand: iterations (with vus, and duration as its maxDuration) make a
        // shared-iterations scenario named "default".
        ScenarioConfig config;
        config.executor = ExecutorType::SharedIterations;
        if (!reader.readCount(QStringLiteral("iterations"), root.value(QLatin1String("iterations")), &config.iterations, 1))
            return fail(reader.error);
        if (root.contains(QLatin1String("vus"))
            && !reader.readCount(QStringLiteral("vus"), root.value(QLatin1String("vus")), &config.vus, 1))
            return fail(reader.error);
        if (root.contains(QLatin1String("duration"))
            && !reader.readPositiveDuration(QStringLiteral("duration"), root.value(QLatin1String("duration")), &config.maxDuration))
            return fail(reader.error);
        if (config.iterations < config.vus)
            return fail(QStringLiteral("iterations: %1 is fewer than vus (%2): shared-iterations needs at least one iteration per VU")
                            .arg(config.iterations).arg(config.vus));
        scenario.scenarios.append(config);
    } else if (root.contains(QLatin1String("duration"))) {
        // k6 shorthand: vus + duration is a constant-vus scenario named "default".
        ScenarioConfig config;
        config.executor = ExecutorType::ConstantVus;
        config.vus = 1;
        if (root.contains(QLatin1String("vus"))
            && !reader.readCount(QStringLiteral("vus"), root.value(QLatin1String("vus")), &config.vus, 1))
            return fail(reader.error);
        if (!reader.readDuration(QStringLiteral("duration"), root.value(QLatin1String("duration")), &config.duration))
            return fail(reader.error);
        if (config.duration.count() == 0)
            return fail(QStringLiteral("duration: \"0s\": a run needs a duration greater than 0"));
        scenario.scenarios.append(config);
    } else if (root.contains(QLatin1String("vus"))) {
        return fail(QStringLiteral("duration: missing (\"vus\" needs a \"duration\", e.g. \"30s\", or use \"stages\" or \"iterations\")"));
    } else {
        return fail(QStringLiteral("scenarios: missing (give \"scenarios\", or \"vus\" and \"duration\", or \"stages\", or \"iterations\")"));
    }

    for (ScenarioConfig &config : scenario.scenarios) {
        if (!hasScenarios)
            config.engine = fileEngine;
        const QString problem = engineCheck == EngineCheck::OnLoad ? scenario.engineError(config) : QString();
        if (!problem.isEmpty()) {
            const bool own = hasScenarios && root.value(QLatin1String("scenarios")).toObject().value(config.name).toObject().contains(QLatin1String("engine"));
            if (own)
                return fail(QStringLiteral("scenarios.%1.engine: ").arg(config.name) + problem);
            // The top-level engine applies to every scenario: say which one reaches https://.
            return fail(QStringLiteral("engine: ")
                        + (hasScenarios ? QStringLiteral("scenario \"%1\": ").arg(config.name) : QString()) + problem);
        }
    }

    if (root.contains(QLatin1String("thresholds"))
        && !reader.readThresholds(root.value(QLatin1String("thresholds")), &scenario.thresholds))
        return fail(reader.error);
    if (root.contains(QLatin1String("summaryTrendStats"))
        && !reader.readTrendStats(root.value(QLatin1String("summaryTrendStats")), &scenario.summaryTrendStats))
        return fail(reader.error);
    return scenario;
}

std::optional<Scenario> Scenario::fromFile(const QString &path, QString *why, EngineCheck engineCheck)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (why)
            *why = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    QString inner;
    std::optional<Scenario> scenario = fromJson(file.readAll(), &inner, engineCheck);
    if (!scenario && why)
        *why = path + QStringLiteral(": ") + inner;
    return scenario;
}

QJsonObject Scenario::toJson() const
{
    QJsonObject root;
    root[QLatin1String("name")] = name;
    if (!description.isEmpty())
        root[QLatin1String("description")] = description;

    root[QLatin1String("target")] = target.toJson();

    QJsonObject all;
    for (const ScenarioConfig &config : scenarios) {
        QJsonObject s;
        s[QLatin1String("executor")] = executorName(config.executor);
        auto stagesJson = [&] {
            QJsonArray stages;
            for (const Stage &stage : config.stages)
                stages.append(QJsonObject{{QStringLiteral("duration"), formatDuration(stage.duration)},
                                          {QStringLiteral("target"), stage.target}});
            return stages;
        };
        switch (config.executor) {
        case ExecutorType::RampingVus:
            s[QLatin1String("startVUs")] = config.startVUs;
            s[QLatin1String("stages")] = stagesJson();
            s[QLatin1String("gracefulRampDown")] = formatDuration(config.gracefulRampDown);
            break;
        case ExecutorType::ConstantVus:
            s[QLatin1String("vus")] = config.vus;
            s[QLatin1String("duration")] = formatDuration(config.duration);
            break;
        case ExecutorType::SharedIterations:
        case ExecutorType::PerVuIterations:
            s[QLatin1String("vus")] = config.vus;
            s[QLatin1String("iterations")] = config.iterations;
            s[QLatin1String("maxDuration")] = formatDuration(config.maxDuration);
            break;
        case ExecutorType::ConstantArrivalRate:
            s[QLatin1String("rate")] = config.rate;
            s[QLatin1String("timeUnit")] = formatDuration(config.timeUnit);
            s[QLatin1String("duration")] = formatDuration(config.duration);
            s[QLatin1String("preAllocatedVUs")] = config.preAllocatedVUs;
            s[QLatin1String("maxVUs")] = config.maxVUs;
            break;
        case ExecutorType::RampingArrivalRate:
            s[QLatin1String("startRate")] = config.startRate;
            s[QLatin1String("timeUnit")] = formatDuration(config.timeUnit);
            s[QLatin1String("stages")] = stagesJson();
            s[QLatin1String("preAllocatedVUs")] = config.preAllocatedVUs;
            s[QLatin1String("maxVUs")] = config.maxVUs;
            break;
        case ExecutorType::ExternallyControlled:
            s[QLatin1String("vus")] = config.vus;
            s[QLatin1String("maxVUs")] = config.maxVUs;
            s[QLatin1String("duration")] = formatDuration(config.duration);
            break;
        }
        if (config.startTime.count())
            s[QLatin1String("startTime")] = formatDuration(config.startTime);
        s[QLatin1String("gracefulStop")] = formatDuration(config.gracefulStop);
        if (!config.tags.isEmpty()) {
            QJsonObject tags;
            for (auto it = config.tags.begin(); it != config.tags.end(); ++it)
                tags[it.key()] = it.value();
            s[QLatin1String("tags")] = tags;
        }
        if (config.engine != EngineKind::Auto)
            s[QLatin1String("engine")] = engineName(config.engine);
        if (config.target) {
            // The top-level target's writer, for this scenario's own target.
            Scenario own;
            own.scenarios.clear();
            own.target = *config.target;
            s[QLatin1String("target")] = own.toJson().value(QLatin1String("target"));
        }
        all[config.name] = s;
    }
    root[QLatin1String("scenarios")] = all;

    if (!thresholds.isEmpty()) {
        QJsonObject th;
        for (const Threshold &threshold : thresholds) {
            QJsonArray list = th.value(threshold.metric).toArray();
            if (threshold.abortOnFail || threshold.delayAbortEval.count()) {
                QJsonObject o{{QStringLiteral("threshold"), threshold.expression},
                              {QStringLiteral("abortOnFail"), threshold.abortOnFail}};
                if (threshold.delayAbortEval.count())
                    o[QLatin1String("delayAbortEval")] = formatDuration(threshold.delayAbortEval);
                list.append(o);
            } else {
                list.append(threshold.expression);
            }
            th[threshold.metric] = list;
        }
        root[QLatin1String("thresholds")] = th;
    }
    root[QLatin1String("summaryTrendStats")] = QJsonArray::fromStringList(summaryTrendStats);
    return root;
}

} // namespace loadbench
