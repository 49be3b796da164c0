// SPDX-License-Identifier: GPL-3.0-or-later
// The `target` block: every field, its errors, the iteration plan, checks and k6's tags.
#include "output/resultsjsonl.h"
#include "scenario/scenario.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace loadbench;
using namespace std::chrono_literals;

namespace {

std::optional<Scenario> load(const QByteArray &target, QString *why = nullptr)
{
    return Scenario::fromJson("{\"target\": " + target + ", \"vus\": 1, \"duration\": \"1s\"}", why);
}

HttpResponse response(const QByteArray &body, const HeaderList &headers = {})
{
    return HttpResponse{body, headers};
}

// The tags object of the first `metric` point in a k6 results file, keys in file order.
QList<QPair<QString, QJsonValue>> fixtureTags(const QString &file, const QByteArray &metric)
{
    QFile f(QStringLiteral(LOADBENCH_K6_FIXTURES "/") + file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(file));
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        if (!line.startsWith(QByteArray("{\"metric\":\"" + metric + "\",\"type\":\"Point\"")))
            continue;
        const qsizetype start = line.indexOf("\"tags\":{") + 7;
        return [&] {
            QList<QPair<QString, QJsonValue>> tags;
            const QByteArray object = line.mid(start, line.lastIndexOf("}}}") - start + 1);
            // QJsonObject sorts keys; read the raw order by scanning the keys in the text.
            const QJsonObject o = QJsonDocument::fromJson(object).object();
            qsizetype at = 0;
            while ((at = object.indexOf("\":", at)) >= 0) {
                const qsizetype keyStart = object.lastIndexOf('"', at - 1) + 1;
                const QString key = QString::fromUtf8(object.mid(keyStart, at - keyStart));
                if (o.contains(key) && std::none_of(tags.begin(), tags.end(), [&](const auto &t) { return t.first == key; }))
                    tags.append({key, o.value(key)});
                at += 2;
            }
            return tags;
        }();
    }
    qFatal("no %s point in %s", metric.constData(), qPrintable(file));
}

QList<QPair<QString, QJsonValue>> ourTags(const RequestSample &s)
{
    const QByteArray object = '{' + resultsjsonl::requestTags(resultsjsonl::Context{}, s) + '}';
    const QJsonObject o = QJsonDocument::fromJson(object).object();
    QList<QPair<QString, QJsonValue>> tags;
    qsizetype at = 0;
    while ((at = object.indexOf("\":", at)) >= 0) {
        const qsizetype keyStart = object.lastIndexOf('"', at - 1) + 1;
        const QString key = QString::fromUtf8(object.mid(keyStart, at - keyStart));
        if (o.contains(key) && std::none_of(tags.begin(), tags.end(), [&](const auto &t) { return t.first == key; }))
            tags.append({key, o.value(key)});
        at += 2;
    }
    return tags;
}

} // namespace

class TestTarget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void singleRequestKeepsItsFields();
    void everyNewFieldParses();
    void requestsPlan();
    void roundTrip_data();
    void roundTrip();
    void errors_data();
    void errors();
    void errorsNameWhereTheTargetSits();
    void expectedStatuses();
    void thinkTime();
    void checks_data();
    void checks();
    void jsonPath();
    void tagsMatchK6Fixtures();
    void userTagsAreMergedSorted();
};

void TestTarget::singleRequestKeepsItsFields()
{
    // What presets, the GUI and old scenario files use keeps working, and plans one request.
    const auto s = load(R"({"url": "http://127.0.0.1:8080/api/health", "method": "POST", "headers": {"X-A": "1"},
        "body": "{}", "expectedStatus": 201, "bodyContains": "ok", "thinkTime": "1s", "timeout": "2s"})");
    QVERIFY(s);
    const QList<PlannedRequest> plan = s->target.plan();
    QCOMPARE(plan.size(), 1);
    const PlannedRequest &p = plan.first();
    QCOMPARE(p.url, QUrl(QStringLiteral("http://127.0.0.1:8080/api/health")));
    QCOMPARE(p.method, QByteArray("POST"));
    QCOMPARE(p.methodText, QStringLiteral("POST"));
    QCOMPARE(p.name, QStringLiteral("http://127.0.0.1:8080/api/health"));
    QCOMPARE(p.body, QByteArray("{}"));
    QCOMPARE(p.timeout, Nanoseconds(2s));
    QCOMPARE(p.thinkTime, ThinkTime(1s));
    QCOMPARE(p.expectedStatuses, ExpectedStatuses{});
    QCOMPARE(p.checks.size(), 2);
    QCOMPARE(p.checks[0].name, QStringLiteral("status is 201"));
    QCOMPARE(p.checks[1].name, QStringLiteral("body contains ok"));
    QCOMPARE(s->target.statusCheckName(), QStringLiteral("status is 201"));

    // Defaults: GET, k6's 60 s timeout, no think time, status 200 checked, 200-399 expected.
    const auto d = load(R"({"url": "http://a/"})");
    QVERIFY(d);
    const PlannedRequest q = d->target.plan().first();
    QCOMPARE(q.method, QByteArray("GET"));
    QCOMPARE(q.timeout, Nanoseconds(60s));
    QVERIFY(q.thinkTime.isZero());
    QCOMPARE(q.checks.size(), 1);
    QVERIFY(q.expectedStatuses.contains(200) && q.expectedStatuses.contains(399));
    QVERIFY(!q.expectedStatuses.contains(400) && !q.expectedStatuses.contains(199) && !q.expectedStatuses.contains(0));
}

void TestTarget::everyNewFieldParses()
{
    const auto s = load(R"({"url": "http://a/", "expectedStatuses": [201, {"min": 400, "max": 404}],
        "thinkTime": {"min": "1s", "max": "3s"}, "tags": {"team": "web"},
        "checks": [{"status": 201}, {"bodyContains": "x", "name": "has x"}, {"header": "ETag"},
                   {"json": "data.items.0.id", "equals": 42}, {"json": "ok", "equals": true},
                   {"json": "name", "equals": "n"}, {"json": "gone", "equals": null}]})");
    QVERIFY(s);
    const TargetConfig &t = s->target;
    QCOMPARE(t.expectedStatuses.ranges.size(), 2);
    QCOMPARE(t.expectedStatuses.ranges[0], (ExpectedStatuses::Range{201, 201}));
    QCOMPARE(t.expectedStatuses.ranges[1], (ExpectedStatuses::Range{400, 404}));
    QCOMPARE(t.thinkTime, ThinkTime(1s, 3s));
    QCOMPARE(t.tags.value(QStringLiteral("team")), QStringLiteral("web"));
    const PlannedRequest p = t.plan().first();
    QStringList names;
    for (const Check &c : p.checks)
        names << c.name;
    QCOMPARE(names, (QStringList{QStringLiteral("status is 200"), QStringLiteral("status is 201"), QStringLiteral("has x"),
                                 QStringLiteral("header ETag is present"), QStringLiteral("json data.items.0.id is 42"),
                                 QStringLiteral("json ok is true"), QStringLiteral("json name is \"n\""),
                                 QStringLiteral("json gone is null")}));
    QCOMPARE(p.tags.value(QStringLiteral("team")), QStringLiteral("web"));
}

void TestTarget::requestsPlan()
{
    const auto s = load(R"({"url": "http://h:8080/api/v1/health", "headers": {"Authorization": "Bearer t", "X-B": "base"},
        "timeout": "5s", "thinkTime": "100ms", "expectedStatuses": [200], "tags": {"team": "web"},
        "requests": [
          {"name": "login", "method": "POST", "url": "/login", "body": "{\"u\":1}", "headers": {"x-b": "own"},
           "timeout": "2s", "thinkTime": {"min": "1s", "max": "3s"}, "checks": [{"status": 200}],
           "tags": {"step": "1"}},
          {"url": "items?page=2", "expectedStatuses": [{"min": 200, "max": 299}, 404]},
          {"url": "https://other.example:8443/x", "method": "DELETE"}
        ]})");
    QVERIFY(s);
    const QList<PlannedRequest> plan = s->target.plan();
    QCOMPARE(plan.size(), 3);

    QCOMPARE(plan[0].url.toString(), QStringLiteral("http://h:8080/login"));
    QCOMPARE(plan[0].name, QStringLiteral("login"));
    QCOMPARE(plan[0].urlText, QStringLiteral("http://h:8080/login"));
    QCOMPARE(plan[0].method, QByteArray("POST"));
    QCOMPARE(plan[0].body, QByteArray("{\"u\":1}"));
    QCOMPARE(plan[0].headers, (HeaderList{{"Authorization", "Bearer t"}, {"x-b", "own"}}));
    QCOMPARE(plan[0].timeout, Nanoseconds(2s));
    QCOMPARE(plan[0].thinkTime, ThinkTime(1s, 3s));
    QCOMPARE(plan[0].checks.size(), 1);
    QCOMPARE(plan[0].tags, (QMap<QString, QString>{{QStringLiteral("team"), QStringLiteral("web")}, {QStringLiteral("step"), QStringLiteral("1")}}));

    // A relative path resolves against target.url as RFC 3986 says (a sibling of "health").
    QCOMPARE(plan[1].url.toString(), QStringLiteral("http://h:8080/api/v1/items?page=2"));
    QCOMPARE(plan[1].name, plan[1].urlText);
    QCOMPARE(plan[1].method, QByteArray("GET"));
    QCOMPARE(plan[1].timeout, Nanoseconds(5s));
    QCOMPARE(plan[1].thinkTime, ThinkTime(100ms));
    QVERIFY(plan[1].expectedStatuses.contains(404) && plan[1].expectedStatuses.contains(204));
    QVERIFY(plan[1].checks.isEmpty()); // no implicit status check in the list form
    QCOMPARE(plan[1].headers.size(), 2);

    QCOMPARE(plan[2].url.toString(), QStringLiteral("https://other.example:8443/x"));
    QCOMPARE(plan[2].methodText, QStringLiteral("DELETE"));
    QVERIFY(!plan[2].expectedStatuses.contains(204)); // the target's [200]

    // Changing target.url (the CLI's --url, the GUI's field) moves the relative requests along.
    TargetConfig moved = s->target;
    moved.url = QUrl(QStringLiteral("http://127.0.0.1:9/api/v1/health"));
    QCOMPARE(moved.plan()[1].url.toString(), QStringLiteral("http://127.0.0.1:9/api/v1/items?page=2"));
    QCOMPARE(moved.plan()[2].url.host(), QStringLiteral("other.example"));
}

void TestTarget::roundTrip_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addRow("single, plain") << QByteArray(R"({"url": "http://a/"})");
    QTest::addRow("single, everything") << QByteArray(R"({"url": "http://a/x", "method": "PUT", "headers": {"A": "1"},
        "body": "b", "expectedStatus": 0, "bodyContains": "ok", "thinkTime": {"min": "1s", "max": "3s"}, "timeout": "2s",
        "expectedStatuses": [200, {"min": 400, "max": 499}], "tags": {"t": "v"},
        "checks": [{"name": "n", "header": "ETag"}, {"json": "a.0", "equals": 1.5}, {"json": "s", "equals": "x"},
                   {"json": "z", "equals": null}, {"bodyContains": "q"}, {"status": 204}]})");
    QTest::addRow("requests") << QByteArray(R"({"url": "http://a/x", "headers": {"A": "1"}, "thinkTime": "1s", "timeout": "9s",
        "requests": [{"name": "one", "method": "POST", "url": "/p", "headers": {"B": "2"}, "body": "{}", "timeout": "1s",
                      "thinkTime": {"min": "10ms", "max": "20ms"}, "expectedStatuses": [201], "checks": [{"status": 201}],
                      "tags": {"k": "v"}},
                     {"url": "http://b/"}]})");
}

void TestTarget::roundTrip()
{
    QFETCH(QByteArray, target);
    QString why;
    const auto first = load(target, &why);
    QVERIFY2(first, qPrintable(why));
    const QByteArray saved = QJsonDocument(first->toJson()).toJson();
    const auto second = Scenario::fromJson(saved, &why);
    QVERIFY2(second, qPrintable(why + u'\n' + QString::fromUtf8(saved)));
    QCOMPARE(second->toJson(), first->toJson());
    const TargetConfig &a = first->target, &b = second->target;
    QCOMPARE(b.url, a.url);
    QCOMPARE(b.method, a.method);
    QCOMPARE(b.headers, a.headers);
    QCOMPARE(b.body, a.body);
    QCOMPARE(b.expectedStatus, a.expectedStatus);
    QCOMPARE(b.bodyContains, a.bodyContains);
    QCOMPARE(b.thinkTime, a.thinkTime);
    QCOMPARE(b.timeout, a.timeout);
    QCOMPARE(b.expectedStatuses, a.expectedStatuses);
    QCOMPARE(b.checks, a.checks);
    QCOMPARE(b.tags, a.tags);
    QVERIFY(b.requests == a.requests);
}

void TestTarget::errors_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("error");
    auto row = [](const char *name, const char *target, const char *error) {
        QTest::addRow("%s", name) << QByteArray(target) << QString::fromUtf8(error);
    };
    row("unknown field", R"({"url": "http://a/", "expectedStatuss": [200]})", "target.expectedStatuss: unknown field");
    row("statuses not a list", R"({"url": "http://a/", "expectedStatuses": 200})", "target.expectedStatuses: 200 is not a list");
    row("statuses empty", R"({"url": "http://a/", "expectedStatuses": []})", "target.expectedStatuses: empty list");
    row("status out of range", R"({"url": "http://a/", "expectedStatuses": [200, 600]})", "target.expectedStatuses[1]: 600 is not an HTTP status");
    row("status not whole", R"({"url": "http://a/", "expectedStatuses": [200.5]})", "target.expectedStatuses[0]: 200.5 is not an HTTP status");
    row("range inverted", R"({"url": "http://a/", "expectedStatuses": [{"min": 299, "max": 200}]})", "target.expectedStatuses[0].max: 200 is below min 299");
    row("range half", R"({"url": "http://a/", "expectedStatuses": [{"min": 200}]})", "target.expectedStatuses[0].max: missing");
    row("range extra", R"({"url": "http://a/", "expectedStatuses": [{"min": 200, "max": 300, "step": 1}]})", "target.expectedStatuses[0].step: unknown field");
    row("think bad", R"({"url": "http://a/", "thinkTime": "1x"})", "target.thinkTime: \"1x\"");
    row("think negative", R"({"url": "http://a/", "thinkTime": "-1s"})", "target.thinkTime: \"-1s\"");
    // A bare number is milliseconds; 1e13 of them would wrap a nanosecond count.
    row("think huge number", R"({"url": "http://a/", "thinkTime": 1e13})", "target.thinkTime: 1e+13 is not a duration Loadbench accepts (longer than 8760h0m0s");
    row("timeout huge number", R"({"url": "http://a/", "timeout": 1e13})", "target.timeout: 1e+13 is not a duration Loadbench accepts");
    row("timeout huge text", R"({"url": "http://a/", "timeout": "9000h"})", "target.timeout: \"9000h\" is not a duration Loadbench accepts");
    row("think list", R"({"url": "http://a/", "thinkTime": ["1s"]})", "target.thinkTime: an array is not a duration or {");
    row("think range inverted", R"({"url": "http://a/", "thinkTime": {"min": "3s", "max": "1s"}})", "target.thinkTime.max: \"1s\" is below min \"3s\"");
    row("think range half", R"({"url": "http://a/", "thinkTime": {"min": "3s"}})", "target.thinkTime.max: missing");
    row("timeout zero", R"({"url": "http://a/", "timeout": "0s"})", "target.timeout: must be greater than 0");
    row("checks not a list", R"({"url": "http://a/", "checks": {"status": 200}})", "target.checks: an object is not a list of checks");
    row("check empty", R"({"url": "http://a/", "checks": [{}]})", "target.checks[0]: says nothing to check");
    row("check two kinds", R"({"url": "http://a/", "checks": [{"status": 200, "header": "A"}]})", "target.checks[0]: status and header in one check");
    row("check status text", R"({"url": "http://a/", "checks": [{"status": "ok"}]})", "target.checks[0].status: \"ok\" is not an HTTP status");
    row("check unknown", R"({"url": "http://a/", "checks": [{"status": 200, "is": 1}]})", "target.checks[0].is: unknown field");
    row("check empty body text", R"({"url": "http://a/", "checks": [{"bodyContains": ""}]})", "target.checks[0].bodyContains: empty text");
    row("check header name", R"({"url": "http://a/", "checks": [{"header": "A: b"}]})", "target.checks[0].header: \"A: b\" is not a header name");
    row("check json no value", R"({"url": "http://a/", "checks": [{"json": "a.b"}]})", "target.checks[0].equals: missing");
    row("check json object", R"({"url": "http://a/", "checks": [{"json": "a", "equals": {"b": 1}}]})", "target.checks[0].equals: an object is not a JSON scalar");
    row("check json path", R"({"url": "http://a/", "checks": [{"json": "a..b", "equals": 1}]})", "target.checks[0].json: \"a..b\" is not a dot path");
    row("check equals on status", R"({"url": "http://a/", "checks": [{"status": 200, "equals": 1}]})", "target.checks[0].equals: only a json check");
    row("check name empty", R"({"url": "http://a/", "checks": [{"status": 200, "name": " "}]})", "target.checks[0].name: must not be empty");
    row("tag system", R"({"url": "http://a/", "tags": {"status": "x"}})", "target.tags.status: \"status\" is a tag Loadbench sets itself");
    row("tag name", R"({"url": "http://a/", "tags": {"name": "x"}})", "(give the request a \"name\")");
    row("tag number", R"({"url": "http://a/", "tags": {"a": 1}})", "target.tags.a: 1 is not a string");
    row("requests empty", R"({"url": "http://a/", "requests": []})", "target.requests: an array is not a non-empty list");
    row("requests object", R"({"url": "http://a/", "requests": {"url": "/x"}})", "target.requests: an object is not a non-empty list");
    row("request not object", R"({"url": "http://a/", "requests": ["/x"]})", "target.requests[0]: \"/x\" is not a request object");
    row("request no url", R"({"url": "http://a/", "requests": [{"method": "GET"}]})", "target.requests[0].url: missing");
    row("request bad url", R"({"url": "http://a/", "requests": [{"url": "/ok"}, {"url": "ftp://x/"}]})", "target.requests[1].url: \"ftp://x/\" is neither an http(s) URL");
    row("request bad method", R"({"url": "http://a/", "requests": [{"url": "/x", "method": "FETCH"}]})", "target.requests[0].method: \"FETCH\" is not one of");
    row("request unknown", R"({"url": "http://a/", "requests": [{"url": "/x", "expectedStatus": 200}]})", "target.requests[0].expectedStatus: unknown field");
    row("request bad timeout", R"({"url": "http://a/", "requests": [{"url": "/x", "timeout": "soon"}]})", "target.requests[0].timeout: \"soon\"");
    row("request bad check", R"({"url": "http://a/", "requests": [{"url": "/x", "checks": [{"header": 5}]}]})", "target.requests[0].checks[0].header: 5 is not a string");
    row("request bad header", R"({"url": "http://a/", "requests": [{"url": "/x", "headers": {"A B": "1"}}]})", "target.requests[0].headers.A B: not a valid header");
    row("request empty name", R"({"url": "http://a/", "requests": [{"url": "/x", "name": ""}]})", "target.requests[0].name: must not be empty");
    row("request bad statuses", R"({"url": "http://a/", "requests": [{"url": "/x", "expectedStatuses": ["2xx"]}]})", "target.requests[0].expectedStatuses[0]: \"2xx\" is not an HTTP status");
    row("single field with requests", R"({"url": "http://a/", "bodyContains": "ok", "requests": [{"url": "/x"}]})", "target.bodyContains: applies to the single request");
    row("method with requests", R"({"url": "http://a/", "method": "POST", "requests": [{"url": "/x"}]})", "target.method: applies to the single request");
    row("no url with requests", R"({"requests": [{"url": "http://b/x"}]})", "target.url: missing");
}

void TestTarget::errors()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!load(target, &why));
    QVERIFY2(why.contains(error), qPrintable(QStringLiteral("got: ") + why));
}

void TestTarget::errorsNameWhereTheTargetSits()
{
    QString why;
    const QJsonObject o = QJsonDocument::fromJson(R"({"url": "http://a/", "requests": [{"url": "/x", "timeout": "0s"}]})").object();
    QVERIFY(!TargetConfig::fromJson(o, &why, QStringLiteral("scenarios.api.target")));
    QCOMPARE(why, QStringLiteral("scenarios.api.target.requests[0].timeout: must be greater than 0"));
    QVERIFY(!TargetConfig::fromJson(QJsonValue(3), &why, QStringLiteral("scenarios.api.target")));
    QCOMPARE(why, QStringLiteral("scenarios.api.target: 3 is not an object"));
}

void TestTarget::expectedStatuses()
{
    ExpectedStatuses e;
    e.ranges = {{200, 204}, {301, 301}, {404, 404}};
    QVERIFY(e.contains(200) && e.contains(204) && e.contains(301) && e.contains(404));
    QVERIFY(!e.contains(205) && !e.contains(302) && !e.contains(0) && !e.contains(500));
    QVERIFY(!e.isDefault());
    QVERIFY(ExpectedStatuses{}.isDefault());
}

void TestTarget::thinkTime()
{
    const ThinkTime fixed(250ms);
    QVERIFY(!fixed.isRange());
    QCOMPARE(fixed.draw(), Nanoseconds(250ms));
    QCOMPARE(fixed.toString(), QStringLiteral("250ms"));

    const ThinkTime range(1s, 3s);
    QVERIFY(range.isRange());
    QCOMPARE(range.toString(), QStringLiteral("1s..3s"));
    Nanoseconds low = 3s, high = 1s, sum{0};
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
        const Nanoseconds d = range.draw();
        QVERIFY(d >= 1s && d <= 3s);
        low = std::min(low, d);
        high = std::max(high, d);
        sum += d;
    }
    // Uniform: spread over the range, mean near the middle (σ of the mean ≈ 13 ms here).
    QVERIFY(low < 1100ms && high > 2900ms);
    QVERIFY(sum / n > 1900ms && sum / n < 2100ms);

    QString why;
    QCOMPARE(ThinkTime::parse(u"1s..3s", &why), std::optional<ThinkTime>(range));
    QCOMPARE(ThinkTime::parse(u" 500ms ", &why), std::optional<ThinkTime>(ThinkTime(500ms)));
    QVERIFY(!ThinkTime::parse(u"3s..1s", &why));
    QVERIFY(why.contains(u"below the minimum"));
    QVERIFY(!ThinkTime::parse(u"1s..", &why));
}

void TestTarget::checks_data()
{
    QTest::addColumn<QByteArray>("check");
    QTest::addColumn<bool>("passes");
    // The response: 200, {"data":{"items":[{"id":42,"name":"x"}]},"ok":true,"n":null}, header ETag.
    QTest::addRow("status equal") << QByteArray(R"({"status": 200})") << true;
    QTest::addRow("status other") << QByteArray(R"({"status": 201})") << false;
    QTest::addRow("body contains") << QByteArray(R"({"bodyContains": "items"})") << true;
    QTest::addRow("body lacks") << QByteArray(R"({"bodyContains": "nope"})") << false;
    QTest::addRow("header present") << QByteArray(R"({"header": "etag"})") << true;
    QTest::addRow("header absent") << QByteArray(R"({"header": "X-Missing"})") << false;
    QTest::addRow("json number") << QByteArray(R"({"json": "data.items.0.id", "equals": 42})") << true;
    QTest::addRow("json number as float") << QByteArray(R"({"json": "data.items.0.id", "equals": 42.0})") << true;
    QTest::addRow("json number other") << QByteArray(R"({"json": "data.items.0.id", "equals": 43})") << false;
    QTest::addRow("json number vs string") << QByteArray(R"({"json": "data.items.0.id", "equals": "42"})") << false;
    QTest::addRow("json string") << QByteArray(R"({"json": "data.items.0.name", "equals": "x"})") << true;
    QTest::addRow("json bool") << QByteArray(R"({"json": "ok", "equals": true})") << true;
    QTest::addRow("json bool other") << QByteArray(R"({"json": "ok", "equals": false})") << false;
    QTest::addRow("json null") << QByteArray(R"({"json": "n", "equals": null})") << true;
    QTest::addRow("json missing is not null") << QByteArray(R"({"json": "gone", "equals": null})") << false;
    QTest::addRow("json index out of range") << QByteArray(R"({"json": "data.items.1.id", "equals": 42})") << false;
    QTest::addRow("json index not a number") << QByteArray(R"({"json": "data.items.first.id", "equals": 42})") << false;
}

void TestTarget::checks()
{
    QFETCH(QByteArray, check);
    QFETCH(bool, passes);
    QString why;
    const auto s = load(R"({"url": "http://a/", "expectedStatus": 0, "checks": [)" + check + "]}", &why);
    QVERIFY2(s, qPrintable(why));
    const Check c = s->target.plan().first().checks.first();
    const HttpResponse r = response(R"({"data":{"items":[{"id":42,"name":"x"}]},"ok":true,"n":null})",
                                    {{"Content-Type", "application/json"}, {"ETag", "\"1\""}});
    QCOMPARE(c.passes(CheckedResponse(200, r)), passes);
    // A body that is not JSON fails every json check, and a network error fails everything.
    if (c.kind == Check::Kind::JsonEquals)
        QVERIFY(!c.passes(CheckedResponse(200, response("not json"))));
    QVERIFY(!c.passes(CheckedResponse(0, HttpResponse{})));
}

void TestTarget::jsonPath()
{
    const QJsonValue root = QJsonDocument::fromJson(R"([{"a":{"b":[1,2,{"c":"d"}]}}])").array();
    QCOMPARE(jsonAtPath(root, u"0.a.b.2.c"), QJsonValue(QStringLiteral("d")));
    QCOMPARE(jsonAtPath(root, u"0.a.b.1"), QJsonValue(2));
    QVERIFY(jsonAtPath(root, u"0.a.x").isUndefined());
    QVERIFY(jsonAtPath(root, u"1").isUndefined());
    QVERIFY(jsonAtPath(root, u"0.a.b.-1").isUndefined());
    QVERIFY(jsonAtPath(root, u"0.a.b.2.c.d").isUndefined());
}

void TestTarget::tagsMatchK6Fixtures()
{
    // Key by key, in order and type, against k6's own lines.
    RequestSample ok;
    ok.scenario = QStringLiteral("default");
    ok.method = QStringLiteral("GET");
    ok.url = ok.name = QStringLiteral("http://127.0.0.1:18080/api/health");
    ok.status = 200;
    ok.expected = true;
    ok.proto = QStringLiteral("HTTP/1.1");
    QCOMPARE(ourTags(ok).size(), 8);
    QCOMPARE(ourTags(ok), fixtureTags(QStringLiteral("smoke-results.jsonl"), "http_req_duration"));

    RequestSample refused;
    refused.method = QStringLiteral("GET");
    refused.url = refused.name = QStringLiteral("http://127.0.0.1:1/api/health");
    refused.errorCode = 1212;
    refused.error = QStringLiteral("dial: connection refused");
    // No scenario set: "default", as k6 names the scenario of the shorthand options.
    QCOMPARE(ourTags(refused).size(), 9);
    QCOMPARE(ourTags(refused), fixtureTags(QStringLiteral("refused-results.jsonl"), "http_req_duration"));

    // An HTTP error: k6 adds error_code (1000 + status) to the success tags, and no error.
    RequestSample limited = ok;
    limited.status = 429;
    limited.expected = false;
    limited.errorCode = 1429;
    QList<QPair<QString, QJsonValue>> expected = fixtureTags(QStringLiteral("smoke-results.jsonl"), "http_req_duration");
    expected.insert(0, {QStringLiteral("error_code"), QStringLiteral("1429")});
    expected[1].second = QStringLiteral("false");
    for (auto &tag : expected) {
        if (tag.first == QLatin1String("status"))
            tag.second = QStringLiteral("429");
    }
    QCOMPARE(ourTags(limited), expected);
}

void TestTarget::userTagsAreMergedSorted()
{
    RequestSample s;
    s.method = QStringLiteral("POST");
    s.url = QStringLiteral("http://a/login");
    s.name = QStringLiteral("login");
    s.status = 201;
    s.expected = true;
    s.proto = QStringLiteral("HTTP/1.1");
    s.scenario = QStringLiteral("api");
    s.tags = {{QStringLiteral("zone"), QStringLiteral("eu")}, {QStringLiteral("api_version"), QStringLiteral("2")}};
    const QByteArray tags = resultsjsonl::requestTags(resultsjsonl::Context{}, s);
    const QByteArray expected = "\"api_version\":\"2\",\"expected_response\":\"true\",\"group\":\"\",\"method\":\"POST\","
                                "\"name\":\"login\",\"proto\":\"HTTP/1.1\",\"scenario\":\"api\",\"status\":\"201\","
                                "\"url\":\"http://a/login\",\"zone\":\"eu\"";
    QCOMPARE(tags, expected);
}

QTEST_GUILESS_MAIN(TestTarget)
#include "tst_target.moc"
