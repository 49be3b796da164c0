// SPDX-License-Identifier: GPL-3.0-or-later
#include "statuslight.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>

namespace loadbench {

class StatusLight::Dot : public QWidget
{
public:
    explicit Dot(QWidget *parent) : QWidget(parent) { setFixedSize(14, 14); }
    void setColor(const QColor &color)
    {
        m_color = color;
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(m_color.darker(140), 1));
        painter.setBrush(m_color);
        painter.drawEllipse(QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5));
    }

private:
    QColor m_color = StatusLight::colorOf(StatusLight::Light::Unknown);
};

StatusLight::StatusLight(QWidget *parent)
    : QWidget(parent), m_dot(new Dot(this)), m_label(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot, 0, Qt::AlignVCenter);
    layout->addWidget(m_label, 1);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setStatus(Light::Unknown, tr("unknown"));
}

QColor StatusLight::colorOf(Light light)
{
    switch (light) {
    case Light::Good:
        return QColor(0x2e, 0xa0, 0x43);
    case Light::Bad:
        return QColor(0xd7, 0x3a, 0x49);
    case Light::Unknown:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

void StatusLight::setStatus(Light light, const QString &text)
{
    m_light = light;
    m_dot->setColor(colorOf(light));
    m_label->setText(text);
    setToolTip(text);
}

QString StatusLight::text() const
{
    return m_label->text();
}

} // namespace loadbench
