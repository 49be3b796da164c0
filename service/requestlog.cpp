// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestlog.h"

#include <QByteArray>
#include <QDateTime>

#include <cstdio>

namespace loadbench
{

void RequestLog::write(const QHostAddress &peer, QByteArrayView method, QByteArrayView target,
                       int status) const
{
    if (!m_enabled)
        return;
    QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    line += ' ';
    line += peer.isNull() ? QByteArray("-") : peer.toString().toLatin1();
    line += " \"";
    line += method.isEmpty() ? QByteArrayView("-") : method;
    line += ' ';
    line += target.isEmpty() ? QByteArrayView("-") : target;
    line += "\" ";
    line += QByteArray::number(status);
    line += '\n';
    // A pipe to a log collector is block-buffered: flush so each request shows at once.
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fflush(stdout);
}

} // namespace loadbench
