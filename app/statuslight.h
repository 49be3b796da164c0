// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QWidget>

class QLabel;

namespace loadbench {

// A coloured dot and a line of text: green good, red bad, grey unknown.
class StatusLight : public QWidget
{
    Q_OBJECT
public:
    enum class Light { Unknown, Good, Bad };
    Q_ENUM(Light)

    explicit StatusLight(QWidget *parent = nullptr);

    void setStatus(Light light, const QString &text);
    Light light() const { return m_light; }
    QString text() const;
    static QColor colorOf(Light light);

private:
    class Dot;
    Dot *m_dot;
    QLabel *m_label;
    Light m_light = Light::Unknown;
};

} // namespace loadbench
