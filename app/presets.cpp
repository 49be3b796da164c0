// SPDX-License-Identifier: GPL-3.0-or-later
#include "presets.h"

#include "appresources.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

QString normalized(QString name)
{
    name = name.trimmed().toLower();
    name.replace(u'_', u'-');
    name.replace(u' ', u'-');
    return name;
}

} // namespace

QList<Preset> Preset::all()
{
    return {
        {u"smoke"_s, u"smoke"_s},   {u"average-load"_s, u"average load"_s},
        {u"stress"_s, u"stress"_s}, {u"spike"_s, u"spike"_s},
        {u"soak"_s, u"soak"_s},     {u"breakpoint"_s, u"breakpoint"_s},
    };
}

std::optional<Preset> Preset::find(const QString &name)
{
    const QString wanted = normalized(name);
    for (const Preset &preset : all()) {
        if (preset.id == wanted || normalized(preset.title) == wanted)
            return preset;
    }
    return std::nullopt;
}

QString Preset::description() const
{
    initAppResources();
    QFile file(resourcePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"description"_s).toString();
}

std::optional<Scenario> Preset::load(const QString &name, QString *why)
{
    initAppResources();
    const auto preset = find(name);
    if (!preset) {
        if (why) {
            QStringList titles;
            for (const Preset &p : all())
                titles << p.title;
            *why = QObject::tr("unknown preset \"%1\" (one of: %2)")
                       .arg(name, titles.join(u", "_s));
        }
        return std::nullopt;
    }
    QFile file(preset->resourcePath());
    if (!file.open(QIODevice::ReadOnly)) {
        if (why)
            *why = QObject::tr("preset %1: %2").arg(preset->title, file.errorString());
        return std::nullopt;
    }
    QString reason;
    auto scenario = Scenario::fromJson(file.readAll(), &reason);
    if (!scenario && why)
        *why = QObject::tr("preset %1: %2").arg(preset->title, reason);
    return scenario;
}

} // namespace loadbench
