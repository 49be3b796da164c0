// SPDX-License-Identifier: GPL-3.0-or-later
#include "metriccard.h"

#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace loadbench {

MetricCard::MetricCard(const QString &title, QWidget *parent)
    : QFrame(parent), m_title(new QLabel(title, this)), m_value(new QLabel(u"–"_s, this)),
      m_detail(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName(u"metricCard"_s);
    setStyleSheet(u"#metricCard { background: palette(base); border: 1px solid palette(mid); "
                  "border-radius: 6px; }"_s);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.85);
    m_title->setFont(titleFont);
    m_title->setStyleSheet(u"color: palette(dark);"_s);
    QFont valueFont = font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.6);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    m_detail->setFont(titleFont);
    m_detail->setStyleSheet(u"color: palette(dark);"_s);
    for (QLabel *label : {m_title, m_value, m_detail})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(0);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    setMinimumWidth(110);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void MetricCard::setValue(const QString &value, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
    m_detail->setToolTip(detail); // the card may be narrower than its detail
}

void MetricCard::setAccent(const QColor &color)
{
    m_value->setStyleSheet(color.isValid() ? u"color: %1;"_s.arg(color.name()) : QString());
}

QString MetricCard::value() const
{
    return m_value->text();
}

QString MetricCard::detail() const
{
    return m_detail->text();
}

} // namespace loadbench
