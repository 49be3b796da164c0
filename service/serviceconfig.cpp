// SPDX-License-Identifier: GPL-3.0-or-later
#include "serviceconfig.h"

#include <QCommandLineParser>

#include <optional>

using namespace Qt::StringLiterals;

namespace loadbench
{

namespace
{

constexpr int kMaxThreads = 64;
constexpr int kMaxTimeoutMs = 3600 * 1000;
constexpr int kMaxConnectionsLimit = 1000000;

// Digits only: QString::toInt would accept "+8080" and " 8080", which a typo should not pass.
std::optional<qint64> parseUnsigned(const QString &text, qint64 max)
{
    if (text.isEmpty() || text.size() > 10)
        return std::nullopt;
    qint64 value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value > max)
        return std::nullopt;
    return value;
}

QString quoted(const QString &value)
{
    return u'"' + value + u'"';
}

// One layer of settings (.env, environment or flags) applied on top of the previous ones.
class ConfigLayer
{
public:
    ConfigLayer(ServiceConfig &config, QString &error) : m_config(config), m_error(error) {}

    // where: "PORT from .env", "--port"; each setter returns false and fills the error.
    bool setHost(const QString &where, const QString &value)
    {
        QString text = value.trimmed();
        if (text.startsWith(u'[') && text.endsWith(u']'))
            text = text.mid(1, text.size() - 2);
        if (text.compare(u"localhost"_s, Qt::CaseInsensitive) == 0) {
            m_config.host = QHostAddress(QHostAddress::LocalHost);
            return true;
        }
        QHostAddress address;
        if (!address.setAddress(text))
            return fail(where, value, u"is not an IP address (such as 127.0.0.1 or ::1)"_s);
        m_config.host = address;
        return true;
    }

    bool setPort(const QString &where, const QString &value)
    {
        const auto port = parseUnsigned(value.trimmed(), 65535);
        if (!port)
            return fail(where, value, u"is not a port (0-65535)"_s);
        m_config.port = static_cast<quint16>(*port);
        return true;
    }

    bool setAppEnv(const QString &where, const QString &value)
    {
        const QString text = value.trimmed();
        if (text == u"production"_s)
            m_config.development = false;
        else if (text == u"development"_s)
            m_config.development = true;
        else
            return fail(where, value, u"is not production or development"_s);
        return true;
    }

    bool setThreads(const QString &where, const QString &value)
    {
        const auto threads = parseUnsigned(value.trimmed(), kMaxThreads);
        if (!threads || *threads < 1)
            return fail(where, value, u"is not a thread count (1-%1)"_s.arg(kMaxThreads));
        m_config.threads = static_cast<int>(*threads);
        return true;
    }

    bool setMilliseconds(const QString &where, const QString &value, int &target)
    {
        const auto ms = parseUnsigned(value.trimmed(), kMaxTimeoutMs);
        if (!ms || *ms < 1)
            return fail(where, value,
                        u"is not a duration in milliseconds (1-%1)"_s.arg(kMaxTimeoutMs));
        target = static_cast<int>(*ms);
        return true;
    }

    bool setMaxConnections(const QString &where, const QString &value)
    {
        const auto count = parseUnsigned(value.trimmed(), kMaxConnectionsLimit);
        if (!count || *count < 1)
            return fail(where, value,
                        u"is not a connection count (1-%1)"_s.arg(kMaxConnectionsLimit));
        m_config.maxConnections = static_cast<int>(*count);
        return true;
    }

    // The keys .env and the environment may set; flags add the tuning knobs.
    bool applyVariables(const QHash<QString, QString> &variables, const QString &source)
    {
        const auto from = [&source](const QString &key) -> QString {
            return key + u" from "_s + source;
        };
        if (const auto it = variables.find(u"HOST"_s); it != variables.end())
            if (!setHost(from(it.key()), it.value()))
                return false;
        if (const auto it = variables.find(u"PORT"_s); it != variables.end())
            if (!setPort(from(it.key()), it.value()))
                return false;
        if (const auto it = variables.find(u"APP_ENV"_s); it != variables.end())
            if (!setAppEnv(from(it.key()), it.value()))
                return false;
        if (const auto it = variables.find(u"THREADS"_s); it != variables.end())
            if (!setThreads(from(it.key()), it.value()))
                return false;
        return true;
    }

private:
    bool fail(const QString &where, const QString &value, const QString &problem)
    {
        m_error = where + u": "_s + quoted(value) + u' ' + problem;
        return false;
    }

    ServiceConfig &m_config;
    QString &m_error;
};

// KEY=VALUE lines, '#' comments, optional "export " and quotes: the subset every .env
// loader agrees on. Unknown keys are kept too; the caller only looks at its own.
std::optional<QHash<QString, QString>> parseEnvFile(const QString &text, QString &error)
{
    QHash<QString, QString> variables;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u"export "_s))
            line = line.mid(7).trimmed();
        const qsizetype equals = line.indexOf(u'=');
        const QString key = line.left(equals).trimmed();
        bool keyValid = equals > 0 && !key.isEmpty() && !key.at(0).isDigit();
        for (const QChar c : key)
            keyValid = keyValid && (c.isLetterOrNumber() || c == u'_') && c.unicode() < 128;
        if (!keyValid) {
            error = u".env line %1: expected KEY=VALUE, got "_s.arg(i + 1) + quoted(line);
            return std::nullopt;
        }
        QString value = line.mid(equals + 1).trimmed();
        if (value.size() >= 2 && (value.startsWith(u'"') || value.startsWith(u'\'')) &&
            value.endsWith(value.at(0))) {
            value = value.mid(1, value.size() - 2);
        } else if (const qsizetype comment = value.indexOf(u" #"_s); comment >= 0) {
            value = value.left(comment).trimmed();
        }
        variables.insert(key, value);
    }
    return variables;
}

} // namespace

QString ServiceConfig::url(quint16 actualPort) const
{
    const QString address = host.protocol() == QAbstractSocket::IPv6Protocol
                                ? u'[' + host.toString() + u']'
                                : host.toString();
    return u"http://"_s + address + u':' + QString::number(actualPort);
}

QString ServiceConfig::appEnv() const
{
    return development ? u"development"_s : u"production"_s;
}

ServiceConfigResult loadServiceConfig(const QStringList &arguments, const QString &envFileText,
                                      const QHash<QString, QString> &environment)
{
    ServiceConfigResult result;
    const auto usageError = [&result](const QString &message) {
        result.action = ServiceConfigResult::Action::Exit;
        result.exitCode = 2;
        result.stderrText = u"loadbench-service: "_s + message + u'\n';
        return result;
    };

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Loadbench's HTTP health service: GET /api/health answers {\"status\":\"ok\"}.\n"
        "Settings come from .env in the working directory, then the environment "
        "(HOST, PORT, APP_ENV, THREADS), then these options."_s);
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show this help and exit."_s);
    const QCommandLineOption versionOption(u"version"_s, u"Show the version and exit."_s);
    const QCommandLineOption hostOption(u"host"_s, u"Address to bind (default 127.0.0.1)."_s,
                                        u"address"_s);
    const QCommandLineOption portOption(u"port"_s, u"TCP port, 0 for a free one (default 8080)."_s,
                                        u"port"_s);
    const QCommandLineOption envOption(
        u"env"_s, u"APP_ENV: production (silent) or development (logs each request)."_s, u"name"_s);
    const QCommandLineOption threadsOption(
        u"threads"_s, u"Event loops sharing the port with SO_REUSEPORT (default 1)."_s, u"count"_s);
    const QCommandLineOption idleOption(
        u"idle-timeout-ms"_s, u"Close a connection idle this long (default 15000)."_s, u"ms"_s);
    const QCommandLineOption headerOption(
        u"header-timeout-ms"_s,
        u"Answer 408 and close when a request takes longer to arrive (default 10000)."_s, u"ms"_s);
    const QCommandLineOption maxConnectionsOption(
        u"max-connections"_s, u"Refuse connections beyond this many (default 1024)."_s, u"count"_s);
    parser.addOptions({helpOption, versionOption, hostOption, portOption, envOption, threadsOption,
                       idleOption, headerOption, maxConnectionsOption});

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usageError(u"unexpected argument "_s + quoted(parser.positionalArguments().first()));
    if (parser.isSet(helpOption)) {
        result.action = ServiceConfigResult::Action::Exit;
        result.stdoutText = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.action = ServiceConfigResult::Action::Exit;
        result.stdoutText = u"loadbench-service " LOADBENCH_VERSION "\n"_s;
        return result;
    }

    QString error;
    ConfigLayer layer(result.config, error);

    QString envFileError;
    const auto envFile = parseEnvFile(envFileText, envFileError);
    if (!envFile)
        return usageError(envFileError);
    if (!layer.applyVariables(*envFile, u".env"_s))
        return usageError(error);
    if (!layer.applyVariables(environment, u"the environment"_s))
        return usageError(error);

    const auto flag = [](const QCommandLineOption &option) -> QString {
        return u"--"_s + option.names().constLast();
    };
    bool ok = true;
    if (ok && parser.isSet(hostOption))
        ok = layer.setHost(flag(hostOption), parser.value(hostOption));
    if (ok && parser.isSet(portOption))
        ok = layer.setPort(flag(portOption), parser.value(portOption));
    if (ok && parser.isSet(envOption))
        ok = layer.setAppEnv(flag(envOption), parser.value(envOption));
    if (ok && parser.isSet(threadsOption))
        ok = layer.setThreads(flag(threadsOption), parser.value(threadsOption));
    if (ok && parser.isSet(idleOption))
        ok = layer.setMilliseconds(flag(idleOption), parser.value(idleOption),
                                   result.config.idleTimeoutMs);
    if (ok && parser.isSet(headerOption))
        ok = layer.setMilliseconds(flag(headerOption), parser.value(headerOption),
                                   result.config.headerTimeoutMs);
    if (ok && parser.isSet(maxConnectionsOption))
        ok =
            layer.setMaxConnections(flag(maxConnectionsOption), parser.value(maxConnectionsOption));
    if (!ok)
        return usageError(error);
    return result;
}

} // namespace loadbench
