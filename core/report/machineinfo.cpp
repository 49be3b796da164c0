// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/summary.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

namespace loadbench
{

namespace
{

QByteArray readProcFile(const char *path)
{
    // /proc files report size 0; readAll() reads until EOF regardless.
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return file.readAll();
}

// The value of the first "key : value" line of a /proc file.
QString procField(const QByteArray &text, const char *key)
{
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0 || line.left(colon).trimmed() != key)
            continue;
        return QString::fromUtf8(line.mid(colon + 1).trimmed()).simplified();
    }
    return {};
}

QString readCpuModel()
{
    const QByteArray cpuinfo = readProcFile("/proc/cpuinfo");
    // x86 says "model name"; other architectures use other keys.
    for (const char *key : {"model name", "Model", "Hardware", "cpu model", "cpu"}) {
        const QString value = procField(cpuinfo, key);
        if (!value.isEmpty())
            return value;
    }
    return QSysInfo::currentCpuArchitecture();
}

qint64 readMemoryBytes()
{
    const QString memTotal = procField(readProcFile("/proc/meminfo"), "MemTotal"); // "24683664 kB"
    const QStringList parts = memTotal.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return 0;
    bool ok = false;
    const qint64 value = parts.first().toLongLong(&ok);
    if (!ok)
        return 0;
    const QString unit = parts.value(1).toLower();
    if (unit == QLatin1String("kb"))
        return value * 1024;
    if (unit == QLatin1String("mb"))
        return value * 1024 * 1024;
    return value;
}

} // namespace

MachineInfo MachineInfo::current()
{
    MachineInfo info;
    info.cpuModel = readCpuModel();
    info.cores = QThread::idealThreadCount();
    info.memoryBytes = readMemoryBytes();
    info.os = QSysInfo::prettyProductName();
    info.qtVersion = QString::fromLatin1(qVersion());
    info.hostName = QSysInfo::machineHostName();
    return info;
}

QString MachineInfo::oneLine() const
{
    QStringList parts;
    if (!cpuModel.isEmpty())
        parts.append(cpuModel);
    if (cores > 0)
        parts.append(cores == 1 ? QStringLiteral("1 core") : QStringLiteral("%1 cores").arg(cores));
    if (memoryBytes > 0)
        parts.append(
            QStringLiteral("%1 GiB RAM")
                .arg(QString::number(double(memoryBytes) / (1024.0 * 1024.0 * 1024.0), 'f', 1)));
    if (!os.isEmpty())
        parts.append(os);
    if (!qtVersion.isEmpty())
        parts.append(QStringLiteral("Qt ") + qtVersion);
    return parts.join(QStringLiteral(", "));
}

} // namespace loadbench
