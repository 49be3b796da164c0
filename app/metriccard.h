// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QFrame>

class QLabel;

namespace loadbench {

// One number of the run in large type, with its name above and a detail below.
class MetricCard : public QFrame
{
    Q_OBJECT
public:
    explicit MetricCard(const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &detail = {});
    // An invalid colour restores the normal text colour.
    void setAccent(const QColor &color);
    QString value() const;
    QString detail() const;

private:
    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_detail;
};

} // namespace loadbench
