// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/duration.h"

#include <cmath>

namespace loadbench {

namespace {

// Nanoseconds per unit, longest suffixes first so "ms" is not read as "m" followed by "s".
struct Unit {
    QStringView suffix;
    double ns;
};
constexpr Unit units[] = {
    {u"ns", 1.0},        {u"us", 1e3},         {u"\u00b5s", 1e3}, {u"\u03bcs", 1e3},
    {u"ms", 1e6},        {u"s", 1e9},          {u"m", 60e9},      {u"h", 3600e9},
    {u"d", 86400e9},
};

bool fail(QString *why, const QString &text)
{
    if (why)
        *why = text;
    return false;
}

// The one message for every duration past the limit, whichever syntax it came in.
bool tooLong(QString *why, const QString &shown)
{
    return fail(why, shown + QStringLiteral(" is not a duration Loadbench accepts (longer than %1, "
                                            "one year; a bare number means milliseconds)")
                             .arg(formatDuration(maxAcceptedDuration)));
}

bool isAllNumber(QStringView s)
{
    bool ok = false;
    [[maybe_unused]] const double value = s.toDouble(&ok);
    return ok;
}

} // namespace

std::optional<Nanoseconds> parseDuration(QStringView text, QString *why)
{
    const QString quoted = u'"' + text.toString() + u'"';
    if (text.isEmpty()) {
        fail(why, QStringLiteral("\"\" is not a duration"));
        return std::nullopt;
    }
    // A bare number means milliseconds (k6's types.ParseExtendedDuration).
    if (isAllNumber(text)) {
        const double ms = text.toDouble();
        if (!std::isfinite(ms) || ms < 0) {
            fail(why, quoted + QStringLiteral(" is not a duration (must be 0 or more)"));
            return std::nullopt;
        }
        if (ms * 1e6 > double(maxAcceptedDuration.count())) {
            tooLong(why, quoted);
            return std::nullopt;
        }
        return Nanoseconds(qint64(std::llround(ms * 1e6)));
    }
    if (text.startsWith(u'-')) {
        fail(why, quoted + QStringLiteral(" is not a duration (must be 0 or more)"));
        return std::nullopt;
    }
    double totalNs = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const qsizetype numberStart = i;
        while (i < n && (text[i].isDigit() || text[i] == u'.'))
            ++i;
        if (i == numberStart) {
            fail(why, quoted + QStringLiteral(" is not a duration (expected a number at position %1; "
                                              "use e.g. \"500ms\", \"30s\", \"1m30s\", \"2h\")")
                              .arg(numberStart + 1));
            return std::nullopt;
        }
        bool ok = false;
        const double value = text.mid(numberStart, i - numberStart).toDouble(&ok);
        if (!ok) {
            fail(why, quoted + QStringLiteral(" is not a duration (bad number \"%1\")")
                              .arg(text.mid(numberStart, i - numberStart)));
            return std::nullopt;
        }
        const Unit *matched = nullptr;
        for (const Unit &unit : units) {
            if (text.mid(i).startsWith(unit.suffix)) {
                matched = &unit;
                break;
            }
        }
        if (!matched) {
            fail(why, quoted + QStringLiteral(" is not a duration (expected a unit ns, us, ms, s, m, "
                                              "h or d after \"%1\")")
                              .arg(text.mid(numberStart, i - numberStart)));
            return std::nullopt;
        }
        i += matched->suffix.size();
        // "10sec": a unit followed by letters that start no number.
        if (i < n && text[i].isLetter()) {
            fail(why, quoted + QStringLiteral(" is not a duration (unknown unit \"%1\")")
                              .arg(text.mid(i - matched->suffix.size())));
            return std::nullopt;
        }
        totalNs += value * matched->ns;
    }
    if (!std::isfinite(totalNs) || totalNs > double(maxAcceptedDuration.count())) {
        tooLong(why, quoted);
        return std::nullopt;
    }
    return Nanoseconds(qint64(std::llround(totalNs)));
}

std::optional<Nanoseconds> parseDuration(const QJsonValue &value, QString *why)
{
    if (value.isDouble()) {
        const double ms = value.toDouble();
        if (!std::isfinite(ms) || ms < 0) {
            fail(why, QString::number(ms) + QStringLiteral(" is not a duration (must be 0 or more)"));
            return std::nullopt;
        }
        if (ms * 1e6 > double(maxAcceptedDuration.count())) {
            tooLong(why, QString::number(ms));
            return std::nullopt;
        }
        return Nanoseconds(qint64(std::llround(ms * 1e6)));
    }
    if (value.isString())
        return parseDuration(QStringView(value.toString()), why);
    fail(why, QStringLiteral("expected a duration string such as \"30s\" or a number of milliseconds"));
    return std::nullopt;
}

namespace {

// Go's fmtFrac/fmtInt: the fraction without trailing zeros.
QString trimmedNumber(qint64 whole, qint64 fraction, int digits)
{
    QString s = QString::number(whole);
    if (fraction) {
        QString f = QString::number(fraction).rightJustified(digits, u'0');
        while (f.endsWith(u'0'))
            f.chop(1);
        s += u'.' + f;
    }
    return s;
}

} // namespace

QString formatDuration(Nanoseconds d)
{
    qint64 ns = d.count();
    if (ns == 0)
        return QStringLiteral("0s");
    QString sign;
    if (ns < 0) {
        sign = QStringLiteral("-");
        ns = -ns;
    }
    if (ns < 1'000)
        return sign + QString::number(ns) + QStringLiteral("ns");
    if (ns < 1'000'000)
        return sign + trimmedNumber(ns / 1'000, ns % 1'000, 3) + QStringLiteral("µs");
    if (ns < 1'000'000'000)
        return sign + trimmedNumber(ns / 1'000'000, ns % 1'000'000, 6) + QStringLiteral("ms");
    const qint64 hours = ns / 3'600'000'000'000LL;
    ns %= 3'600'000'000'000LL;
    const qint64 minutes = ns / 60'000'000'000LL;
    ns %= 60'000'000'000LL;
    QString out = sign;
    if (hours)
        out += QString::number(hours) + u'h';
    if (hours || minutes)
        out += QString::number(minutes) + u'm';
    out += trimmedNumber(ns / 1'000'000'000, ns % 1'000'000'000, 9) + u's';
    return out;
}

} // namespace loadbench
