// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/target.h"

#include "scenario/jsonfieldreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>

#include <cmath>

namespace loadbench {

bool ExpectedStatuses::contains(int status) const
{
    for (const Range &r : ranges) {
        if (status >= r.min && status <= r.max)
            return true;
    }
    return false;
}

Nanoseconds ThinkTime::draw() const
{
    if (!isRange())
        return min;
    // bounded() takes quint64 up to its argument (exclusive): +1 makes max reachable.
    const quint64 span = quint64((max - min).count()) + 1;
    return min + Nanoseconds(qint64(QRandomGenerator::global()->bounded(span)));
}

QString ThinkTime::toString() const
{
    return isRange() ? formatDuration(min) + QStringLiteral("..") + formatDuration(max) : formatDuration(min);
}

std::optional<ThinkTime> ThinkTime::parse(QStringView text, QString *why)
{
    const QStringView trimmed = text.trimmed();
    const qsizetype dots = trimmed.indexOf(QStringLiteral(".."));
    if (dots < 0) {
        const auto fixed = parseDuration(trimmed, why);
        return fixed ? std::optional<ThinkTime>(ThinkTime(*fixed)) : std::nullopt;
    }
    const auto low = parseDuration(trimmed.left(dots).trimmed(), why);
    if (!low)
        return std::nullopt;
    const auto high = parseDuration(trimmed.mid(dots + 2).trimmed(), why);
    if (!high)
        return std::nullopt;
    if (*high < *low) {
        if (why)
            *why = QStringLiteral("\"%1\": the maximum is below the minimum").arg(trimmed);
        return std::nullopt;
    }
    return ThinkTime(*low, *high);
}

const QJsonValue &CheckedResponse::json() const
{
    if (!m_json) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(m_response.body, &error);
        if (error.error != QJsonParseError::NoError)
            m_json = QJsonValue(QJsonValue::Undefined);
        else
            m_json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    return *m_json;
}

QJsonValue jsonAtPath(const QJsonValue &root, QStringView path)
{
    QJsonValue at = root;
    for (const QStringView key : path.tokenize(u'.')) {
        if (at.isObject()) {
            const QJsonObject o = at.toObject();
            const auto it = o.constFind(key);
            if (it == o.constEnd())
                return QJsonValue(QJsonValue::Undefined);
            at = it.value();
        } else if (at.isArray()) {
            bool isIndex = false;
            const qsizetype index = key.toLongLong(&isIndex);
            const QJsonArray a = at.toArray();
            if (!isIndex || index < 0 || index >= a.size())
                return QJsonValue(QJsonValue::Undefined);
            at = a.at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return at;
}

namespace {


} // namespace

QString Check::defaultName() const
{
    switch (kind) {
    case Kind::Status: return QStringLiteral("status is %1").arg(status);
    case Kind::BodyContains: return QStringLiteral("body contains %1").arg(text);
    case Kind::HeaderPresent: return QStringLiteral("header %1 is present").arg(text);
    case Kind::JsonEquals: return QStringLiteral("json %1 is %2").arg(text, showJson(value));
    }
    return {};
}

bool Check::passes(const CheckedResponse &r) const
{
    switch (kind) {
    case Kind::Status:
        return r.status() == status;
    case Kind::BodyContains:
        return r.response().body.contains(text.toUtf8());
    case Kind::HeaderPresent: {
        const QByteArray wanted = text.toLatin1();
        for (const auto &[header, headerValue] : r.response().headers) {
            if (header.compare(wanted, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    case Kind::JsonEquals: {
        const QJsonValue found = jsonAtPath(r.json(), text);
        // Numbers compare as numbers (1 equals 1.0), everything else by type and value.
        if (found.isDouble() && value.isDouble())
            return found.toDouble() == value.toDouble();
        return !found.isUndefined() && found == value;
    }
    }
    return false;
}

QString TargetConfig::statusCheckName() const
{
    return expectedStatus ? QStringLiteral("status is %1").arg(expectedStatus) : QString();
}

QString TargetConfig::bodyCheckName() const
{
    return bodyContains.isEmpty() ? QString()
                                  : QStringLiteral("body contains %1").arg(bodyContains);
}

namespace {

// Request headers override the target's of the same name (case-insensitive, as HTTP).
HeaderList mergeHeaders(const HeaderList &base, const HeaderList &own)
{
    HeaderList merged;
    for (const auto &header : base) {
        const bool overridden = std::any_of(own.begin(), own.end(), [&](const auto &o) {
            return o.first.compare(header.first, Qt::CaseInsensitive) == 0;
        });
        if (!overridden)
            merged.append(header);
    }
    merged += own;
    return merged;
}

QString urlTag(const QUrl &url)
{
    return url.toString(QUrl::RemovePassword);
}

} // namespace

QString TargetConfig::describe(int listed) const
{
    const QList<PlannedRequest> planned = plan();
    if (requests.isEmpty() || planned.size() == 1)
        return planned.first().methodText + u' ' + planned.first().urlText;
    QStringList shown;
    for (const PlannedRequest &p : planned) {
        if (shown.size() == listed) {
            shown.append(QStringLiteral("…"));
            break;
        }
        // The target's own origin goes without saying: its path tells the requests apart.
        const bool sameOrigin = p.url.scheme() == url.scheme() && p.url.host() == url.host()
                                && p.url.port() == url.port() && p.url.userInfo() == url.userInfo();
        const QString where = sameOrigin
            ? p.url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment)
            : p.urlText;
        shown.append(p.methodText + u' ' + (where.isEmpty() ? QStringLiteral("/") : where));
    }
    return QStringLiteral("%1 requests per iteration: %2").arg(planned.size()).arg(shown.join(QStringLiteral(", ")));
}

QList<PlannedRequest> TargetConfig::plan() const
{
    QList<PlannedRequest> planned;
    if (requests.isEmpty()) {
        PlannedRequest p;
        p.url = url;
        p.urlText = urlTag(url);
        p.name = p.urlText;
        p.method = method;
        p.methodText = QString::fromLatin1(method);
        p.headers = headers;
        p.body = body;
        p.timeout = timeout;
        p.thinkTime = thinkTime;
        p.expectedStatuses = expectedStatuses;
        if (expectedStatus)
            p.checks.append(Check{Check::Kind::Status, QString(), expectedStatus, {}, {}});
        if (!bodyContains.isEmpty())
            p.checks.append(Check{Check::Kind::BodyContains, QString(), 0, bodyContains, {}});
        p.checks += checks;
        p.tags = tags;
        p.wire = http1Request(p);
        planned.append(p);
    }
    for (const RequestConfig &r : requests) {
        PlannedRequest p;
        p.url = url.resolved(QUrl(r.url));
        p.urlText = urlTag(p.url);
        p.name = r.name.isEmpty() ? p.urlText : r.name;
        p.method = r.method;
        p.methodText = QString::fromLatin1(r.method);
        p.headers = mergeHeaders(headers, r.headers);
        p.body = r.body;
        p.timeout = r.timeout.value_or(timeout);
        p.thinkTime = r.thinkTime.value_or(thinkTime);
        p.expectedStatuses = r.expectedStatuses.value_or(expectedStatuses);
        p.checks = r.checks;
        p.tags = tags;
        for (auto it = r.tags.begin(); it != r.tags.end(); ++it)
            p.tags.insert(it.key(), it.value());
        p.wire = http1Request(p);
        planned.append(p);
    }
    // Names once here, not per response.
    for (PlannedRequest &p : planned) {
        for (Check &check : p.checks)
            check.name = check.displayName();
    }
    return planned;
}

// --- JSON ------------------------------------------------------------------------------------

namespace {

class TargetReader : public JsonFieldReader
{
public:
    bool readTimeout(const QString &path, const QJsonValue &v, Nanoseconds *out)
    {
        if (!readDuration(path, v, out))
            return false;
        if (out->count() == 0)
            return failAt(path, QStringLiteral("must be greater than 0"));
        return true;
    }

    bool readThinkTime(const QString &path, const QJsonValue &v, ThinkTime *out)
    {
        if (!v.isObject()) {
            Nanoseconds fixed{0};
            if (!v.isString() && !v.isDouble())
                return failAt(path, showJson(v) + QStringLiteral(" is not a duration or {\"min\": ..., \"max\": ...}"));
            if (!readDuration(path, v, &fixed))
                return false;
            *out = ThinkTime(fixed);
            return true;
        }
        const QJsonObject o = v.toObject();
        if (!checkKeys(path, o, {QStringLiteral("min"), QStringLiteral("max")}))
            return false;
        for (const char *key : {"min", "max"}) {
            if (!o.contains(QLatin1String(key)))
                return failAt(path + u'.' + QLatin1String(key), QStringLiteral("missing"));
        }
        Nanoseconds low{0}, high{0};
        if (!readDuration(path + QStringLiteral(".min"), o.value(QLatin1String("min")), &low)
            || !readDuration(path + QStringLiteral(".max"), o.value(QLatin1String("max")), &high))
            return false;
        if (high < low)
            return failAt(path + QStringLiteral(".max"), QStringLiteral("%1 is below min %2")
                                                            .arg(showJson(o.value(QLatin1String("max"))),
                                                                 showJson(o.value(QLatin1String("min")))));
        *out = ThinkTime(low, high);
        return true;
    }

    bool readStatus(const QString &path, const QJsonValue &v, int *out)
    {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != std::floor(d) || d < 100 || d > 599)
            return failAt(path, showJson(v) + QStringLiteral(" is not an HTTP status (100-599)"));
        *out = int(d);
        return true;
    }

    bool readExpectedStatuses(const QString &path, const QJsonValue &v, ExpectedStatuses *out)
    {
        if (!v.isArray())
            return failAt(path, showJson(v) + QStringLiteral(" is not a list of statuses and {\"min\": ..., \"max\": ...} ranges"));
        const QJsonArray a = v.toArray();
        if (a.isEmpty())
            return failAt(path, QStringLiteral("empty list (every response would count as failed)"));
        ExpectedStatuses result;
        result.ranges.clear();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString at = path + QStringLiteral("[%1]").arg(i);
            if (a[i].isObject()) {
                const QJsonObject o = a[i].toObject();
                if (!checkKeys(at, o, {QStringLiteral("min"), QStringLiteral("max")}))
                    return false;
                for (const char *key : {"min", "max"}) {
                    if (!o.contains(QLatin1String(key)))
                        return failAt(at + u'.' + QLatin1String(key), QStringLiteral("missing"));
                }
                ExpectedStatuses::Range r;
                if (!readStatus(at + QStringLiteral(".min"), o.value(QLatin1String("min")), &r.min)
                    || !readStatus(at + QStringLiteral(".max"), o.value(QLatin1String("max")), &r.max))
                    return false;
                if (r.max < r.min)
                    return failAt(at + QStringLiteral(".max"), QStringLiteral("%1 is below min %2").arg(r.max).arg(r.min));
                result.ranges.append(r);
            } else {
                int status = 0;
                if (!readStatus(at, a[i], &status))
                    return false;
                result.ranges.append(ExpectedStatuses::Range{status, status});
            }
        }
        *out = result;
        return true;
    }

    bool readMethod(const QString &path, const QJsonValue &v, QByteArray *out)
    {
        QString method;
        if (!readString(path, v, &method))
            return false;
        static const QStringList methods = {QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("POST"),
                                            QStringLiteral("PUT"), QStringLiteral("PATCH"), QStringLiteral("DELETE"),
                                            QStringLiteral("OPTIONS")};
        if (!methods.contains(method))
            return failAt(path, u'"' + method + QStringLiteral("\" is not one of ") + methods.join(QStringLiteral(", ")));
        *out = method.toLatin1();
        return true;
    }

    bool readHeaders(const QString &path, const QJsonValue &h, HeaderList *out)
    {
        if (!h.isObject())
            return failAt(path, showJson(h) + QStringLiteral(" is not an object of name: value"));
        const QJsonObject ho = h.toObject();
        for (auto it = ho.begin(); it != ho.end(); ++it) {
            QString value;
            if (!readString(path + u'.' + it.key(), it.value(), &value))
                return false;
            if (it.key().isEmpty() || it.key().contains(u':') || it.key().contains(u' ')
                || value.contains(u'\n') || value.contains(u'\r'))
                return failAt(path + u'.' + it.key(), QStringLiteral("not a valid header"));
            out->append({it.key().toLatin1(), value.toUtf8()});
        }
        return true;
    }

    bool readBody(const QString &path, const QJsonValue &v, QByteArray *out)
    {
        QString body;
        if (!readString(path, v, &body))
            return false;
        *out = body.toUtf8();
        return true;
    }

    bool readCheck(const QString &path, const QJsonValue &v, Check *out)
    {
        if (!v.isObject())
            return failAt(path, showJson(v) + QStringLiteral(" is not a check such as {\"status\": 200}"));
        const QJsonObject o = v.toObject();
        if (!checkKeys(path, o, {QStringLiteral("name"), QStringLiteral("status"), QStringLiteral("bodyContains"),
                                 QStringLiteral("header"), QStringLiteral("json"), QStringLiteral("equals")}))
            return false;
        QStringList kinds;
        for (const char *key : {"status", "bodyContains", "header", "json"}) {
            if (o.contains(QLatin1String(key)))
                kinds << QLatin1String(key);
        }
        if (kinds.size() != 1)
            return failAt(path, kinds.isEmpty()
                                    ? QStringLiteral("says nothing to check (give one of status, bodyContains, header, json)")
                                    : QStringLiteral("%1 in one check; give each its own").arg(kinds.join(QStringLiteral(" and "))));
        Check check;
        if (o.contains(QLatin1String("name"))) {
            if (!readString(path + QStringLiteral(".name"), o.value(QLatin1String("name")), &check.name))
                return false;
            if (check.name.trimmed().isEmpty())
                return failAt(path + QStringLiteral(".name"), QStringLiteral("must not be empty"));
        }
        const QString kind = kinds.first();
        const QString at = path + u'.' + kind;
        const QJsonValue value = o.value(kind);
        if (kind != QLatin1String("json") && o.contains(QLatin1String("equals")))
            return failAt(path + QStringLiteral(".equals"), QStringLiteral("only a json check compares a value"));
        if (kind == QLatin1String("status")) {
            check.kind = Check::Kind::Status;
            if (!readStatus(at, value, &check.status))
                return false;
        } else if (kind == QLatin1String("bodyContains")) {
            check.kind = Check::Kind::BodyContains;
            if (!readString(at, value, &check.text))
                return false;
            if (check.text.isEmpty())
                return failAt(at, QStringLiteral("empty text (every body contains it)"));
        } else if (kind == QLatin1String("header")) {
            check.kind = Check::Kind::HeaderPresent;
            if (!readString(at, value, &check.text))
                return false;
            if (check.text.isEmpty() || check.text.contains(u':') || check.text.contains(u' '))
                return failAt(at, showJson(value) + QStringLiteral(" is not a header name"));
        } else {
            check.kind = Check::Kind::JsonEquals;
            if (!readString(at, value, &check.text))
                return false;
            if (check.text.isEmpty() || check.text.startsWith(u'.') || check.text.endsWith(u'.')
                || check.text.contains(QStringLiteral("..")))
                return failAt(at, showJson(value) + QStringLiteral(" is not a dot path such as \"data.items.0.id\""));
            if (!o.contains(QLatin1String("equals")))
                return failAt(path + QStringLiteral(".equals"), QStringLiteral("missing (the value the field must have)"));
            check.value = o.value(QLatin1String("equals"));
            if (check.value.isArray() || check.value.isObject())
                return failAt(path + QStringLiteral(".equals"),
                              showJson(check.value) + QStringLiteral(" is not a JSON scalar (string, number, true, false or null)"));
        }
        *out = check;
        return true;
    }

    bool readChecks(const QString &path, const QJsonValue &v, QList<Check> *out)
    {
        if (!v.isArray())
            return failAt(path, showJson(v) + QStringLiteral(" is not a list of checks"));
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            Check check;
            if (!readCheck(path + QStringLiteral("[%1]").arg(i), a[i], &check))
                return false;
            out->append(check);
        }
        return true;
    }

    bool readRequest(const QString &path, const QJsonValue &v, const QUrl &base, RequestConfig *out)
    {
        if (!v.isObject())
            return failAt(path, showJson(v) + QStringLiteral(" is not a request object such as {\"url\": \"/path\"}"));
        const QJsonObject o = v.toObject();
        if (!checkKeys(path, o, {QStringLiteral("name"), QStringLiteral("method"), QStringLiteral("url"),
                                 QStringLiteral("headers"), QStringLiteral("body"), QStringLiteral("timeout"),
                                 QStringLiteral("checks"), QStringLiteral("thinkTime"),
                                 QStringLiteral("expectedStatuses"), QStringLiteral("tags")}))
            return false;
        RequestConfig r;
        if (!o.contains(QLatin1String("url")))
            return failAt(path + QStringLiteral(".url"), QStringLiteral("missing (absolute, or a path relative to target.url)"));
        if (!readString(path + QStringLiteral(".url"), o.value(QLatin1String("url")), &r.url))
            return false;
        const QUrl own(r.url, QUrl::StrictMode);
        const QUrl resolved = base.resolved(own);
        if (r.url.isEmpty() || !own.isValid() || !resolved.isValid() || resolved.host().isEmpty()
            || (resolved.scheme() != QLatin1String("http") && resolved.scheme() != QLatin1String("https")))
            return failAt(path + QStringLiteral(".url"),
                          u'"' + r.url + QStringLiteral("\" is neither an http(s) URL nor a path relative to target.url"));
        if (o.contains(QLatin1String("name"))) {
            if (!readString(path + QStringLiteral(".name"), o.value(QLatin1String("name")), &r.name))
                return false;
            if (r.name.isEmpty())
                return failAt(path + QStringLiteral(".name"), QStringLiteral("must not be empty (leave it out to name the request by its URL)"));
        }
        if (o.contains(QLatin1String("method"))
            && !readMethod(path + QStringLiteral(".method"), o.value(QLatin1String("method")), &r.method))
            return false;
        if (o.contains(QLatin1String("headers"))
            && !readHeaders(path + QStringLiteral(".headers"), o.value(QLatin1String("headers")), &r.headers))
            return false;
        if (o.contains(QLatin1String("body"))
            && !readBody(path + QStringLiteral(".body"), o.value(QLatin1String("body")), &r.body))
            return false;
        if (o.contains(QLatin1String("timeout"))) {
            Nanoseconds timeout{0};
            if (!readTimeout(path + QStringLiteral(".timeout"), o.value(QLatin1String("timeout")), &timeout))
                return false;
            r.timeout = timeout;
        }
        if (o.contains(QLatin1String("thinkTime"))) {
            ThinkTime think;
            if (!readThinkTime(path + QStringLiteral(".thinkTime"), o.value(QLatin1String("thinkTime")), &think))
                return false;
            r.thinkTime = think;
        }
        if (o.contains(QLatin1String("expectedStatuses"))) {
            ExpectedStatuses expected;
            if (!readExpectedStatuses(path + QStringLiteral(".expectedStatuses"), o.value(QLatin1String("expectedStatuses")), &expected))
                return false;
            r.expectedStatuses = expected;
        }
        if (o.contains(QLatin1String("checks"))
            && !readChecks(path + QStringLiteral(".checks"), o.value(QLatin1String("checks")), &r.checks))
            return false;
        if (o.contains(QLatin1String("tags"))
            && !readTags(path + QStringLiteral(".tags"), o.value(QLatin1String("tags")), &r.tags))
            return false;
        *out = r;
        return true;
    }

    bool readTarget(const QJsonValue &v, TargetConfig *target)
    {
        const QString path = QStringLiteral("target");
        if (!v.isObject())
            return failAt(path, showJson(v) + QStringLiteral(" is not an object"));
        const QJsonObject o = v.toObject();
        if (!checkKeys(path, o, {QStringLiteral("url"), QStringLiteral("method"), QStringLiteral("headers"),
                                 QStringLiteral("body"), QStringLiteral("expectedStatus"),
                                 QStringLiteral("bodyContains"), QStringLiteral("thinkTime"),
                                 QStringLiteral("timeout"), QStringLiteral("expectedStatuses"),
                                 QStringLiteral("checks"), QStringLiteral("tags"), QStringLiteral("requests")}))
            return false;
        QString urlText;
        if (!o.contains(QLatin1String("url")))
            return failAt(QStringLiteral("target.url"), QStringLiteral("missing"));
        if (!readString(QStringLiteral("target.url"), o.value(QLatin1String("url")), &urlText))
            return false;
        const QUrl url(urlText, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return failAt(QStringLiteral("target.url"),
                          u'"' + urlText + QStringLiteral("\" is not an http:// or https:// URL with a host"));
        target->url = url;

        if (o.contains(QLatin1String("requests"))) {
            // The single request's own fields would silently not apply: say so.
            for (const char *key : {"method", "body", "expectedStatus", "bodyContains", "checks"}) {
                if (o.contains(QLatin1String(key)))
                    return failAt(path + u'.' + QLatin1String(key),
                                  QStringLiteral("applies to the single request; with \"requests\", give it in each request"));
            }
            const QJsonValue list = o.value(QLatin1String("requests"));
            if (!list.isArray() || list.toArray().isEmpty())
                return failAt(QStringLiteral("target.requests"),
                              showJson(list) + QStringLiteral(" is not a non-empty list of requests"));
            const QJsonArray a = list.toArray();
            if (a.size() > 100)
                return failAt(QStringLiteral("target.requests"), QStringLiteral("%1 requests; an iteration takes at most 100").arg(a.size()));
            for (qsizetype i = 0; i < a.size(); ++i) {
                RequestConfig r;
                if (!readRequest(QStringLiteral("target.requests[%1]").arg(i), a[i], url, &r))
                    return false;
                target->requests.append(r);
            }
        }
        if (o.contains(QLatin1String("method"))
            && !readMethod(QStringLiteral("target.method"), o.value(QLatin1String("method")), &target->method))
            return false;
        if (o.contains(QLatin1String("headers"))
            && !readHeaders(QStringLiteral("target.headers"), o.value(QLatin1String("headers")), &target->headers))
            return false;
        if (o.contains(QLatin1String("body"))
            && !readBody(QStringLiteral("target.body"), o.value(QLatin1String("body")), &target->body))
            return false;
        if (o.contains(QLatin1String("expectedStatus"))) {
            const QJsonValue s = o.value(QLatin1String("expectedStatus"));
            const double d = s.toDouble(-1);
            if (!s.isDouble() || d != std::floor(d) || (d != 0 && (d < 100 || d > 599)))
                return failAt(QStringLiteral("target.expectedStatus"),
                              showJson(s) + QStringLiteral(" is not an HTTP status (100-599, or 0 for no status check)"));
            target->expectedStatus = int(d);
        }
        if (o.contains(QLatin1String("bodyContains"))
            && !readString(QStringLiteral("target.bodyContains"), o.value(QLatin1String("bodyContains")), &target->bodyContains))
            return false;
        if (o.contains(QLatin1String("thinkTime"))
            && !readThinkTime(QStringLiteral("target.thinkTime"), o.value(QLatin1String("thinkTime")), &target->thinkTime))
            return false;
        if (o.contains(QLatin1String("timeout"))
            && !readTimeout(QStringLiteral("target.timeout"), o.value(QLatin1String("timeout")), &target->timeout))
            return false;
        if (o.contains(QLatin1String("expectedStatuses"))
            && !readExpectedStatuses(QStringLiteral("target.expectedStatuses"), o.value(QLatin1String("expectedStatuses")),
                                     &target->expectedStatuses))
            return false;
        if (o.contains(QLatin1String("checks"))
            && !readChecks(QStringLiteral("target.checks"), o.value(QLatin1String("checks")), &target->checks))
            return false;
        if (o.contains(QLatin1String("tags"))
            && !readTags(QStringLiteral("target.tags"), o.value(QLatin1String("tags")), &target->tags))
            return false;
        return true;
    }
};

QJsonValue thinkTimeJson(const ThinkTime &t)
{
    if (!t.isRange())
        return formatDuration(t.min);
    return QJsonObject{{QStringLiteral("min"), formatDuration(t.min)}, {QStringLiteral("max"), formatDuration(t.max)}};
}

QJsonArray expectedStatusesJson(const ExpectedStatuses &e)
{
    QJsonArray a;
    for (const ExpectedStatuses::Range &r : e.ranges) {
        if (r.min == r.max)
            a.append(r.min);
        else
            a.append(QJsonObject{{QStringLiteral("min"), r.min}, {QStringLiteral("max"), r.max}});
    }
    return a;
}

QJsonObject headersJson(const HeaderList &headers)
{
    QJsonObject h;
    for (const auto &[key, value] : headers)
        h[QString::fromLatin1(key)] = QString::fromUtf8(value);
    return h;
}

QJsonObject tagsJson(const QMap<QString, QString> &tags)
{
    QJsonObject o;
    for (auto it = tags.begin(); it != tags.end(); ++it)
        o[it.key()] = it.value();
    return o;
}

QJsonArray checksJson(const QList<Check> &checks)
{
    QJsonArray a;
    for (const Check &c : checks) {
        QJsonObject o;
        if (!c.name.isEmpty())
            o[QLatin1String("name")] = c.name;
        switch (c.kind) {
        case Check::Kind::Status: o[QLatin1String("status")] = c.status; break;
        case Check::Kind::BodyContains: o[QLatin1String("bodyContains")] = c.text; break;
        case Check::Kind::HeaderPresent: o[QLatin1String("header")] = c.text; break;
        case Check::Kind::JsonEquals:
            o[QLatin1String("json")] = c.text;
            o[QLatin1String("equals")] = c.value;
            break;
        }
        a.append(o);
    }
    return a;
}

} // namespace

std::optional<TargetConfig> TargetConfig::fromJson(const QJsonValue &value, QString *why, const QString &path)
{
    TargetReader reader;
    TargetConfig target;
    if (!reader.readTarget(value, &target)) {
        if (why) {
            static const QString own = QStringLiteral("target");
            *why = path != own && reader.error.startsWith(own) ? path + reader.error.mid(own.size()) : reader.error;
        }
        return std::nullopt;
    }
    return target;
}

QJsonObject TargetConfig::toJson() const
{
    QJsonObject t;
    t[QLatin1String("url")] = url.toString();
    if (requests.isEmpty()) {
        t[QLatin1String("method")] = QString::fromLatin1(method);
        if (!body.isEmpty())
            t[QLatin1String("body")] = QString::fromUtf8(body);
        t[QLatin1String("expectedStatus")] = expectedStatus;
        if (!bodyContains.isEmpty())
            t[QLatin1String("bodyContains")] = bodyContains;
        if (!checks.isEmpty())
            t[QLatin1String("checks")] = checksJson(checks);
    }
    if (!headers.isEmpty())
        t[QLatin1String("headers")] = headersJson(headers);
    if (!thinkTime.isZero())
        t[QLatin1String("thinkTime")] = thinkTimeJson(thinkTime);
    if (timeout != Nanoseconds(60s))
        t[QLatin1String("timeout")] = formatDuration(timeout);
    if (!expectedStatuses.isDefault())
        t[QLatin1String("expectedStatuses")] = expectedStatusesJson(expectedStatuses);
    if (!tags.isEmpty())
        t[QLatin1String("tags")] = tagsJson(tags);
    if (!requests.isEmpty()) {
        QJsonArray list;
        for (const RequestConfig &r : requests) {
            QJsonObject o;
            if (!r.name.isEmpty())
                o[QLatin1String("name")] = r.name;
            o[QLatin1String("method")] = QString::fromLatin1(r.method);
            o[QLatin1String("url")] = r.url;
            if (!r.headers.isEmpty())
                o[QLatin1String("headers")] = headersJson(r.headers);
            if (!r.body.isEmpty())
                o[QLatin1String("body")] = QString::fromUtf8(r.body);
            if (r.timeout)
                o[QLatin1String("timeout")] = formatDuration(*r.timeout);
            if (r.thinkTime)
                o[QLatin1String("thinkTime")] = thinkTimeJson(*r.thinkTime);
            if (r.expectedStatuses)
                o[QLatin1String("expectedStatuses")] = expectedStatusesJson(*r.expectedStatuses);
            if (!r.checks.isEmpty())
                o[QLatin1String("checks")] = checksJson(r.checks);
            if (!r.tags.isEmpty())
                o[QLatin1String("tags")] = tagsJson(r.tags);
            list.append(o);
        }
        t[QLatin1String("requests")] = list;
    }
    return t;
}

QByteArray http1Request(const PlannedRequest &request)
{
    const QUrl &url = request.url;
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target.startsWith('/'))
        target.prepend('/');
    bool hasUserAgent = false;
    bool hasLength = false;
    bool hasHost = false;
    bool hasEncoding = false;
    for (const auto &[name, value] : request.headers) {
        hasEncoding = hasEncoding || name.compare("accept-encoding", Qt::CaseInsensitive) == 0;
        hasUserAgent = hasUserAgent || name.compare("user-agent", Qt::CaseInsensitive) == 0;
        hasLength = hasLength || name.compare("content-length", Qt::CaseInsensitive) == 0;
        hasHost = hasHost || name.compare("host", Qt::CaseInsensitive) == 0;
    }
    QByteArray wire;
    wire.reserve(128 + target.size() + request.body.size());
    wire += request.method + ' ' + target + " HTTP/1.1\r\n";
    if (!hasHost)
        wire += "Host: " + url.authority(QUrl::RemoveUserInfo | QUrl::FullyEncoded).toLatin1() + "\r\n";
    if (!hasUserAgent)
        wire += "User-Agent: loadbench/" LOADBENCH_VERSION "\r\n";
    // As the QNAM engine asks: bodies uncompressed, so both engines read and count the same
    // bytes (without the header a server may pick any coding, RFC 9110 12.5.3).
    if (!hasEncoding)
        wire += "Accept-Encoding: identity\r\n";
    for (const auto &[name, value] : request.headers)
        wire += name + ": " + value + "\r\n";
    const bool bodyMethod = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (!hasLength && (!request.body.isEmpty() || bodyMethod))
        wire += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    wire += "\r\n";
    wire += request.body;
    return wire;
}

} // namespace loadbench
