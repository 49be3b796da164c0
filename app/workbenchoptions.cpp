// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbenchoptions.h"

#include "presets.h"

#include <QCommandLineParser>
#include <QObject>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

const QString launchServiceOption = u"launch-service"_s;
const QString servicePortOption = u"service-port"_s;

// QCommandLineParser has no options with an optional value, so `--launch-service=PORT` becomes
// `--launch-service --service-port PORT` before parsing.
QStringList rewritten(const QStringList &arguments)
{
    QStringList result;
    result.reserve(arguments.size() + 1);
    for (const QString &argument : arguments) {
        const QString prefix = u"--"_s + launchServiceOption + u'=';
        if (argument.startsWith(prefix)) {
            result << u"--"_s + launchServiceOption << u"--"_s + servicePortOption
                   << argument.mid(prefix.size());
        } else {
            result << argument;
        }
    }
    return result;
}

void setUp(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QObject::tr("Loadbench: design, run and report HTTP load tests (k6 formats)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({launchServiceOption,
                      QObject::tr("Launch the bundled loadbench-service at startup and target it; "
                                  "--launch-service=PORT picks its port (default: a free one).")});
    QCommandLineOption port(servicePortOption, QObject::tr("Port of the launched service."),
                            QObject::tr("port"));
    port.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(port);
    QStringList titles;
    for (const Preset &preset : Preset::all())
        titles << QChar(u'"') + preset.title + QChar(u'"');
    parser.addOption({u"preset"_s,
                      QObject::tr("Load a bundled preset: %1.").arg(titles.join(u", "_s)),
                      QObject::tr("name")});
    parser.addOption({u"scenario"_s, QObject::tr("Open a scenario JSON file."), QObject::tr("file")});
    parser.addOption({u"url"_s, QObject::tr("Target this URL (a service already running)."),
                      QObject::tr("url")});
    parser.addOption({u"run"_s, QObject::tr("Start the run as soon as the target answers.")});
}

} // namespace

std::optional<WorkbenchOptions> WorkbenchOptions::parse(const QStringList &arguments, QString *why)
{
    QCommandLineParser parser;
    setUp(parser);
    auto fail = [why](const QString &message) -> std::optional<WorkbenchOptions> {
        if (why)
            *why = message;
        return std::nullopt;
    };
    if (!parser.parse(rewritten(arguments)))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(QObject::tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    WorkbenchOptions options;
    options.showHelp = parser.isSet(u"help"_s) || parser.isSet(u"help-all"_s);
    options.showVersion = parser.isSet(u"version"_s);
    options.launchService = parser.isSet(launchServiceOption);
    if (parser.isSet(servicePortOption)) {
        bool ok = false;
        const int port = parser.value(servicePortOption).toInt(&ok);
        if (!ok || port < 0 || port > 65535)
            return fail(QObject::tr("--launch-service: \"%1\" is not a port (0 … 65535)")
                            .arg(parser.value(servicePortOption)));
        options.launchService = true;
        options.servicePort = port;
    }
    options.preset = parser.value(u"preset"_s);
    options.scenarioFile = parser.value(u"scenario"_s);
    options.url = parser.value(u"url"_s);
    options.runAtStart = parser.isSet(u"run"_s);

    if (!options.preset.isEmpty() && !options.scenarioFile.isEmpty())
        return fail(QObject::tr("--preset and --scenario exclude each other"));
    if (!options.preset.isEmpty() && !Preset::find(options.preset)) {
        QStringList titles;
        for (const Preset &preset : Preset::all())
            titles << preset.title;
        return fail(QObject::tr("--preset: unknown preset \"%1\" (one of: %2)")
                        .arg(options.preset, titles.join(u", "_s)));
    }
    if (options.launchService && !options.url.isEmpty())
        return fail(QObject::tr("--launch-service and --url exclude each other"));
    return options;
}

QString WorkbenchOptions::helpText()
{
    QCommandLineParser parser;
    setUp(parser);
    QString text = parser.helpText();
    // Before QCoreApplication exists the parser cannot know the program's name.
    text.replace(u"<executable_name>"_s, u"loadbench"_s);
    // The parser shows the flag without its optional value: give it a line of its own with the
    // value, and start the description under the others.
    const QString flag = u"--launch-service"_s;
    const qsizetype at = text.indexOf(flag + u' ');
    if (at >= 0) {
        const qsizetype lineStart = text.lastIndexOf(u'\n', at) + 1;
        qsizetype end = at + flag.size();
        while (end < text.size() && text.at(end) == u' ')
            ++end;
        text.replace(at, end - at,
                     flag + u"[=PORT]\n"_s + QString(end - lineStart, u' '));
    }
    return text;
}

} // namespace loadbench
