// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QHostAddress>

namespace loadbench
{

// One line per request on stdout in development, nothing in production. Cheap to copy: every
// thread gets its own, and each line goes out in one locked stdio call so threads never
// interleave inside a line.
class RequestLog
{
public:
    explicit RequestLog(bool enabled = false) : m_enabled(enabled) {}

    bool isEnabled() const { return m_enabled; }
    // "2025-01-31T12:00:00.123Z 127.0.0.1 \"GET /api/health\" 200"
    void write(const QHostAddress &peer, QByteArrayView method, QByteArrayView target,
               int status) const;

private:
    bool m_enabled = false;
};

} // namespace loadbench
