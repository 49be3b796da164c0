// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/jsonfieldreader.h"

#include <QLocale>
#include <QSet>

#include <cmath>

namespace loadbench {

QString showJson(const QJsonValue &v)
{
    if (v.isString())
        return u'"' + v.toString() + u'"';
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull())
        return QStringLiteral("null");
    if (v.isArray())
        return QStringLiteral("an array");
    if (v.isObject())
        return QStringLiteral("an object");
    return QStringLiteral("nothing");
}

bool JsonFieldReader::failAt(const QString &path, const QString &message)
{
    if (error.isEmpty())
        error = path.isEmpty() ? message : path + QStringLiteral(": ") + message;
    return false;
}

bool JsonFieldReader::checkKeys(const QString &path, const QJsonObject &o, const QStringList &allowed)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!allowed.contains(it.key()))
            return failAt(path.isEmpty() ? it.key() : path + u'.' + it.key(),
                          QStringLiteral("unknown field (expected one of: %1)").arg(allowed.join(QStringLiteral(", "))));
    }
    return true;
}

bool JsonFieldReader::readString(const QString &path, const QJsonValue &v, QString *out)
{
    if (!v.isString())
        return failAt(path, showJson(v) + QStringLiteral(" is not a string"));
    *out = v.toString();
    return true;
}

bool JsonFieldReader::readDuration(const QString &path, const QJsonValue &v, Nanoseconds *out)
{
    QString why;
    const auto d = parseDuration(v, &why);
    if (!d)
        return failAt(path, v.isString() || v.isDouble() ? why : showJson(v) + QStringLiteral(" is not a duration"));
    *out = *d;
    return true;
}

bool JsonFieldReader::readPositiveDuration(const QString &path, const QJsonValue &v, Nanoseconds *out)
{
    if (!readDuration(path, v, out))
        return false;
    if (out->count() == 0)
        return failAt(path, showJson(v) + QStringLiteral(": must be greater than 0"));
    return true;
}

bool JsonFieldReader::readCount(const QString &path, const QJsonValue &v, int *out, int minimum)
{
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d) || d < minimum || d > 1'000'000)
        return failAt(path, QStringLiteral("%1 is not a whole number from %2 to 1000000").arg(showJson(v)).arg(minimum));
    *out = int(d);
    return true;
}

bool JsonFieldReader::readTags(const QString &path, const QJsonValue &v, QMap<QString, QString> *out)
{
    if (!v.isObject())
        return failAt(path, showJson(v) + QStringLiteral(" is not an object of name: value"));
    // k6 sets these itself on every sample; a request's name has its own field.
    static const QSet<QString> system = {
        QStringLiteral("method"), QStringLiteral("url"), QStringLiteral("name"), QStringLiteral("status"),
        QStringLiteral("proto"), QStringLiteral("error"), QStringLiteral("error_code"),
        QStringLiteral("expected_response"), QStringLiteral("scenario"), QStringLiteral("group"),
        QStringLiteral("check")};
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString at = path + u'.' + it.key();
        if (it.key().isEmpty())
            return failAt(at, QStringLiteral("a tag needs a name"));
        if (system.contains(it.key()))
            return failAt(at, QStringLiteral("\"%1\" is a tag Loadbench sets itself%2")
                                  .arg(it.key(), it.key() == QLatin1String("name")
                                                     ? QStringLiteral(" (give the request a \"name\")")
                                                     : QString()));
        QString value;
        if (!readString(at, it.value(), &value))
            return false;
        out->insert(it.key(), value);
    }
    return true;
}

} // namespace loadbench
