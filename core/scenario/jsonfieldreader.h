// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/duration.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

namespace loadbench {

// How a JSON value reads in an error message: strings quoted, numbers as written, containers
// by kind ("an array").
QString showJson(const QJsonValue &v);

// The field readers every part of a scenario file shares. Each returns false after recording the
// first error as `path: what is wrong`, naming the value, e.g.
// `scenarios.api.rate: "x" is not a whole number from 1 to 1000000`; later errors are ignored so
// the user sees the first problem. Scenario and target parsing derive their own readers from it.
class JsonFieldReader
{
public:
    QString error;

    bool failAt(const QString &path, const QString &message);
    // Rejects fields not in `allowed` (a typo is an error, never silently ignored).
    bool checkKeys(const QString &path, const QJsonObject &o, const QStringList &allowed);
    bool readString(const QString &path, const QJsonValue &v, QString *out);
    bool readDuration(const QString &path, const QJsonValue &v, Nanoseconds *out);
    // A duration that must be greater than 0 (BC-12: 0 would mean "nothing runs" or "forever").
    bool readPositiveDuration(const QString &path, const QJsonValue &v, Nanoseconds *out);
    // A whole number from `minimum` to 1 000 000.
    bool readCount(const QString &path, const QJsonValue &v, int *out, int minimum);
    // Custom tags {"name": "value"}. Tags Loadbench sets itself on every sample (method, url,
    // status, scenario, ...) are refused: a custom one would silently replace them.
    bool readTags(const QString &path, const QJsonValue &v, QMap<QString, QString> *out);
};

} // namespace loadbench
