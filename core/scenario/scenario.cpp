// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/scenario.h"

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
    }
    return {};
}

QList<Stage> ScenarioConfig::profile() const
{
    if (executor == ExecutorType::ConstantVus)
        return {Stage{duration, vus}};
    return stages;
}

int ScenarioConfig::initialVus() const
{
    return executor == ExecutorType::ConstantVus ? vus : startVUs;
}

int ScenarioConfig::maxVus() const
{
    int m = initialVus();
    for (const Stage &s : profile())
        m = std::max(m, s.target);
    return m;
}

Nanoseconds ScenarioConfig::plannedDuration() const
{
    Nanoseconds total{0};
    for (const Stage &s : profile())
        total += s.duration;
    return total;
}

QStringList Scenario::defaultSummaryTrendStats()
{
    return {QStringLiteral("avg"), QStringLiteral("min"), QStringLiteral("med"),
            QStringLiteral("max"), QStringLiteral("p(90)"), QStringLiteral("p(95)")};
}

Nanoseconds Scenario::plannedDuration() const
{
    return scenarios.isEmpty() ? Nanoseconds{0} : main().plannedDuration();
}

int Scenario::maxVus() const
{
    return scenarios.isEmpty() ? 0 : main().maxVus();
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

int Scenario::plannedVusAt(Nanoseconds t) const
{
    if (scenarios.isEmpty())
        return 0;
    const ScenarioConfig &config = main();
    int current = config.initialVus();
    Nanoseconds start{0};
    for (const Stage &stage : config.profile()) {
        if (t < start + stage.duration)
            return rampVus(current, stage.target, stage.duration, t - start);
        current = stage.target;
        start += stage.duration;
    }
    return current;
}

std::optional<Nanoseconds> Scenario::nextVuChangeAfter(Nanoseconds t) const
{
    if (scenarios.isEmpty())
        return std::nullopt;
    const ScenarioConfig &config = main();
    int current = config.initialVus();
    Nanoseconds start{0};
    for (const Stage &stage : config.profile()) {
        const Nanoseconds end = start + stage.duration;
        if (t < end && stage.target != current) {
            if (stage.duration.count() == 0)
                return start; // an instant jump
            // The next step of this ramp, rounded up so that plannedVusAt() already sees it.
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

// --- JSON loading ---------------------------------------------------------------------------

namespace {

class JsonReader
{
public:
    QString error;

    bool failAt(const QString &path, const QString &message)
    {
        if (error.isEmpty())
            error = path.isEmpty() ? message : path + QStringLiteral(": ") + message;
        return false;
    }

    static QString show(const QJsonValue &v)
    {
        if (v.isString())
            return u'"' + v.toString() + u'"';
        if (v.isDouble())
            return QString::number(v.toDouble());
        if (v.isBool())
            return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        if (v.isNull())
            return QStringLiteral("null");
        if (v.isArray())
            return QStringLiteral("an array");
        return QStringLiteral("an object");
    }

    bool checkKeys(const QString &path, const QJsonObject &o, const QStringList &allowed)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!allowed.contains(it.key()))
                return failAt(path.isEmpty() ? it.key() : path + u'.' + it.key(),
                              QStringLiteral("unknown field (expected one of: %1)")
                                  .arg(allowed.join(QStringLiteral(", "))));
        }
        return true;
    }

    bool readDuration(const QString &path, const QJsonValue &v, Nanoseconds *out)
    {
        QString why;
        const auto d = parseDuration(v, &why);
        if (!d)
            return failAt(path, v.isString() || v.isDouble() ? why : show(v) + QStringLiteral(" is not a duration"));
        *out = *d;
        return true;
    }

    bool readCount(const QString &path, const QJsonValue &v, int *out, int minimum)
    {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != std::floor(d) || d < minimum || d > 1'000'000)
            return failAt(path, QStringLiteral("%1 is not a whole number from %2 to 1000000")
                                    .arg(show(v)).arg(minimum));
        *out = int(d);
        return true;
    }

    bool readString(const QString &path, const QJsonValue &v, QString *out)
    {
        if (!v.isString())
            return failAt(path, show(v) + QStringLiteral(" is not a string"));
        *out = v.toString();
        return true;
    }

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
        return true;
    }

    bool readScenario(const QString &path, const QJsonObject &o, ScenarioConfig *config)
    {
        if (!checkKeys(path, o, {QStringLiteral("executor"), QStringLiteral("startVUs"),
                                 QStringLiteral("stages"), QStringLiteral("gracefulRampDown"),
                                 QStringLiteral("gracefulStop"), QStringLiteral("vus"),
                                 QStringLiteral("duration"), QStringLiteral("exec"),
                                 QStringLiteral("tags")}))
            return false;
        const QJsonValue executor = o.value(QLatin1String("executor"));
        if (executor == QJsonValue(QStringLiteral("ramping-vus"))) {
            config->executor = ExecutorType::RampingVus;
            for (const char *key : {"vus", "duration"}) {
                if (o.contains(QLatin1String(key)))
                    return failAt(path + u'.' + QLatin1String(key),
                                  QStringLiteral("not an option of ramping-vus (use stages)"));
            }
            if (o.contains(QLatin1String("startVUs"))
                && !readCount(path + QStringLiteral(".startVUs"), o.value(QLatin1String("startVUs")), &config->startVUs, 0))
                return false;
            if (!o.contains(QLatin1String("stages")))
                return failAt(path + QStringLiteral(".stages"), QStringLiteral("missing (ramping-vus needs at least one stage)"));
            if (!readStages(path + QStringLiteral(".stages"), o.value(QLatin1String("stages")), &config->stages))
                return false;
            if (config->stages.isEmpty())
                return failAt(path + QStringLiteral(".stages"), QStringLiteral("empty (ramping-vus needs at least one stage)"));
            if (config->plannedDuration().count() == 0)
                return failAt(path + QStringLiteral(".stages"), QStringLiteral("the stages add up to 0s; a run needs a duration"));
            if (o.contains(QLatin1String("gracefulRampDown"))
                && !readDuration(path + QStringLiteral(".gracefulRampDown"), o.value(QLatin1String("gracefulRampDown")), &config->gracefulRampDown))
                return false;
        } else if (executor == QJsonValue(QStringLiteral("constant-vus"))) {
            config->executor = ExecutorType::ConstantVus;
            for (const char *key : {"startVUs", "stages", "gracefulRampDown"}) {
                if (o.contains(QLatin1String(key)))
                    return failAt(path + u'.' + QLatin1String(key),
                                  QStringLiteral("not an option of constant-vus"));
            }
            if (o.contains(QLatin1String("vus"))
                && !readCount(path + QStringLiteral(".vus"), o.value(QLatin1String("vus")), &config->vus, 1))
                return false;
            if (!o.contains(QLatin1String("duration")))
                return failAt(path + QStringLiteral(".duration"), QStringLiteral("missing (constant-vus needs a duration)"));
            if (!readDuration(path + QStringLiteral(".duration"), o.value(QLatin1String("duration")), &config->duration))
                return false;
            if (config->duration.count() == 0)
                return failAt(path + QStringLiteral(".duration"), QStringLiteral("\"0s\": a run needs a duration greater than 0"));
        } else if (executor.isUndefined()) {
            return failAt(path + QStringLiteral(".executor"), QStringLiteral("missing (expected \"ramping-vus\" or \"constant-vus\")"));
        } else {
            return failAt(path + QStringLiteral(".executor"),
                          show(executor) + QStringLiteral(" is not a supported executor (expected \"ramping-vus\" or \"constant-vus\")"));
        }
        if (o.contains(QLatin1String("gracefulStop"))
            && !readDuration(path + QStringLiteral(".gracefulStop"), o.value(QLatin1String("gracefulStop")), &config->gracefulStop))
            return false;
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

std::optional<Scenario> Scenario::fromJson(const QByteArray &json, QString *why)
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
                                           QStringLiteral("stages"), QStringLiteral("thresholds"),
                                           QStringLiteral("summaryTrendStats")}))
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
                              || root.contains(QLatin1String("stages"));
    if (hasScenarios && hasShorthand)
        return fail(QStringLiteral("scenarios: cannot be combined with the shorthand vus/duration/stages options"));
    if (hasScenarios) {
        const QJsonValue v = root.value(QLatin1String("scenarios"));
        if (!v.isObject() || v.toObject().isEmpty())
            return fail(QStringLiteral("scenarios: expected an object with one named scenario"));
        const QJsonObject all = v.toObject();
        if (all.size() > 1)
            return fail(QStringLiteral("scenarios: %1 scenarios given; this version runs one at a time").arg(all.size()));
        const QString key = all.begin().key();
        if (!all.begin().value().isObject())
            return fail(QStringLiteral("scenarios.") + key + QStringLiteral(": not an object"));
        ScenarioConfig config;
        config.name = key;
        if (!reader.readScenario(QStringLiteral("scenarios.") + key, all.begin().value().toObject(), &config))
            return fail(reader.error);
        scenario.scenarios.append(config);
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
        if (!reader.readStages(QStringLiteral("stages"), root.value(QLatin1String("stages")), &config.stages))
            return fail(reader.error);
        if (config.stages.isEmpty() || config.plannedDuration().count() == 0)
            return fail(QStringLiteral("stages: the stages add up to 0s; a run needs a duration"));
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
        return fail(QStringLiteral("duration: missing (\"vus\" needs a \"duration\", e.g. \"30s\", or use \"stages\")"));
    } else {
        return fail(QStringLiteral("scenarios: missing (give \"scenarios\", or \"vus\" and \"duration\", or \"stages\")"));
    }

    if (root.contains(QLatin1String("thresholds"))
        && !reader.readThresholds(root.value(QLatin1String("thresholds")), &scenario.thresholds))
        return fail(reader.error);
    if (root.contains(QLatin1String("summaryTrendStats"))
        && !reader.readTrendStats(root.value(QLatin1String("summaryTrendStats")), &scenario.summaryTrendStats))
        return fail(reader.error);
    return scenario;
}

std::optional<Scenario> Scenario::fromFile(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (why)
            *why = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    QString inner;
    std::optional<Scenario> scenario = fromJson(file.readAll(), &inner);
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
        if (config.executor == ExecutorType::RampingVus) {
            s[QLatin1String("startVUs")] = config.startVUs;
            QJsonArray stages;
            for (const Stage &stage : config.stages)
                stages.append(QJsonObject{{QStringLiteral("duration"), formatDuration(stage.duration)},
                                          {QStringLiteral("target"), stage.target}});
            s[QLatin1String("stages")] = stages;
            s[QLatin1String("gracefulRampDown")] = formatDuration(config.gracefulRampDown);
        } else {
            s[QLatin1String("vus")] = config.vus;
            s[QLatin1String("duration")] = formatDuration(config.duration);
        }
        s[QLatin1String("gracefulStop")] = formatDuration(config.gracefulStop);
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
