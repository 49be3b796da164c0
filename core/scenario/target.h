// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace loadbench {

using namespace std::chrono_literals;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// k6's http.expectedStatuses: the statuses that count as an expected response. They decide
// the expected_response tag and http_req_failed; a network error (status 0) is never expected.
struct ExpectedStatuses {
    struct Range {
        int min = 200;
        int max = 399;
        friend bool operator==(const Range &, const Range &) = default;
    };
    // k6's default: 200–399. Built by a function, not an initializer list: GCC 12 warns
    // (-Wmaybe-uninitialized, a false positive) on the list's inlined copy.
    static QList<Range> defaultRanges() { return QList<Range>(1, Range{}); }
    QList<Range> ranges = defaultRanges();

    bool contains(int status) const;
    bool isDefault() const { return ranges == defaultRanges(); }
    friend bool operator==(const ExpectedStatuses &, const ExpectedStatuses &) = default;
};

// A pause after a request, like k6's sleep(): fixed, or uniform in [min, max].
struct ThinkTime {
    Nanoseconds min{0};
    Nanoseconds max{0};

    ThinkTime() = default;
    ThinkTime(Nanoseconds fixed) : min(fixed), max(fixed) {} // NOLINT: a fixed pause reads as a duration
    ThinkTime(Nanoseconds low, Nanoseconds high) : min(low), max(high) {}

    bool isRange() const { return min != max; }
    bool isZero() const { return max.count() == 0; }
    Nanoseconds draw() const; // uniform in [min, max], from QRandomGenerator::global()
    // "1s" for a fixed pause, "1s..3s" for a range; parse() reads both back.
    QString toString() const;
    static std::optional<ThinkTime> parse(QStringView text, QString *why);
    friend bool operator==(const ThinkTime &, const ThinkTime &) = default;
};

// What one response came with, for checks.
struct HttpResponse {
    QByteArray body;
    HeaderList headers;
};

// A response as the checks see it; the body is parsed as JSON at most once, on demand.
class CheckedResponse
{
public:
    CheckedResponse(int status, const HttpResponse &response) : m_status(status), m_response(response) {}
    int status() const { return m_status; }
    const HttpResponse &response() const { return m_response; }
    const QJsonValue &json() const; // undefined when the body is not JSON

private:
    int m_status;
    const HttpResponse &m_response;
    mutable std::optional<QJsonValue> m_json;
};

// One check on a response, counted in k6's `checks` rate under its name.
struct Check {
    enum class Kind {
        Status,        // the status equals `status`
        BodyContains,  // the body contains `text`
        HeaderPresent, // the response has the header `text` (case-insensitive)
        JsonEquals,    // the body's JSON at the dot path `text` equals the scalar `value`
    };
    Kind kind = Kind::Status;
    QString name; // as the user named it; empty: defaultName()
    int status = 200;
    QString text;
    QJsonValue value;

    QString displayName() const { return name.isEmpty() ? defaultName() : name; }
    // k6-style names: `status is 200`, `body contains ok`, `header Content-Type is present`,
    // `json data.items.0.id is 42` (a string value in quotes).
    QString defaultName() const;
    bool passes(const CheckedResponse &response) const;
    friend bool operator==(const Check &, const Check &) = default;
};

// The JSON value at a dot path ("data.items.0.id": object keys, and array indexes as numbers);
// undefined when the path does not exist.
QJsonValue jsonAtPath(const QJsonValue &root, QStringView path);

// One request of an iteration as written in `target.requests`. Unset fields fall back to the
// target's: timeout, thinkTime and expectedStatuses; headers add to the target's.
struct RequestConfig {
    QString name;              // k6's `name` tag; empty: the URL
    QByteArray method = "GET";
    QString url;               // absolute, or relative to target.url (RFC 3986 resolution)
    HeaderList headers;
    QByteArray body;
    std::optional<Nanoseconds> timeout;
    std::optional<ThinkTime> thinkTime;
    std::optional<ExpectedStatuses> expectedStatuses;
    QList<Check> checks;
    QMap<QString, QString> tags;
    friend bool operator==(const RequestConfig &, const RequestConfig &) = default;
};

// A request ready to send: every default applied and the URL resolved.
struct PlannedRequest {
    QUrl url;
    QString urlText;  // the `url` tag
    QString name;     // the `name` tag
    QByteArray method;
    QString methodText;
    HeaderList headers;
    QByteArray body;
    Nanoseconds timeout{60s};
    ThinkTime thinkTime;
    ExpectedStatuses expectedStatuses;
    QList<Check> checks; // each with its name filled in
    QMap<QString, QString> tags;
    // The request as the native engine writes it (http1Request()), built once by plan() so
    // that sending it costs no formatting; empty for a request built by hand.
    QByteArray wire;
};

// `request` as HTTP/1.1 bytes: request line with the path and query, Host (the URL's
// authority, brackets around an IPv6 address), User-Agent loadbench/VERSION unless the
// request sets one, its headers, Content-Length for a body (and 0 for a bodiless POST, PUT or
// PATCH, as Go sends it), the blank line and the body.
QByteArray http1Request(const PlannedRequest &request);

// What each iteration does. Either one request (url, method, headers, body, the checks
// expectedStatus, bodyContains and `checks`, then thinkTime), or the list `requests` sent in
// order, each followed by its think time. target.url is always given: it is the base of
// relative request URLs, and what `--url` and the GUI's target field change.
struct TargetConfig {
    QUrl url;
    QByteArray method = "GET";
    HeaderList headers;         // with `requests`: sent with every request
    QByteArray body;
    int expectedStatus = 200;   // the check "status is N"; 0 = no status check
    QString bodyContains;       // the check 'body contains ...'; empty = none
    ThinkTime thinkTime;        // after each request (with `requests`: unless the request sets its own)
    Nanoseconds timeout{60s};   // k6's default request timeout
    ExpectedStatuses expectedStatuses;
    QList<Check> checks;        // more checks on the single request
    QMap<QString, QString> tags;// added to every request's samples
    QList<RequestConfig> requests;

    QString statusCheckName() const;
    QString bodyCheckName() const;
    // The requests one iteration sends, in order.
    QList<PlannedRequest> plan() const;
    // What an iteration sends, in one line for summaries and reports (plain text, no password):
    // "GET http://host/" for one request, "3 requests per iteration: POST /login, GET /items,
    // GET /items/1" for a list, a request on target.url's origin by its path; past `listed`
    // requests an ellipsis stands for the rest.
    QString describe(int listed = 3) const;

    // Reads a `target` object; errors name the field and the value, e.g.
    // `target.requests[1].checks[0].status: "ok" is not an HTTP status (100-599)`. `path` is
    // where the object sits, for a target given elsewhere (e.g. "scenarios.api.target").
    static std::optional<TargetConfig> fromJson(const QJsonValue &value, QString *why,
                                                const QString &path = QStringLiteral("target"));
    QJsonObject toJson() const;
};

} // namespace loadbench
