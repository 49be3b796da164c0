// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/threshold.h"

#include <QList>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace loadbench {

// Thresholds as lines of text, one per threshold, in k6's words:
//     http_req_duration: p(95)<200
//     http_req_duration{expected_response:true}: p(99)<500
//     http_req_failed: rate<0.01 [abortOnFail]
//     checks: rate>0.99 [abortOnFail, delayAbortEval=10s]
// Empty lines and lines starting with # are ignored. Each line is checked with
// Threshold::parse as it is typed; bad lines are marked red and the reasons listed under them.
class ThresholdEditor : public QWidget
{
    Q_OBJECT
public:
    struct Parsed {
        QList<Threshold> thresholds;
        QStringList errors; // "line 2: ..."
        QList<int> badLines; // 0-based
    };
    static Parsed parse(const QString &text);
    static QString format(const QList<Threshold> &thresholds);

    explicit ThresholdEditor(QWidget *parent = nullptr);

    void setThresholds(const QList<Threshold> &thresholds);
    QList<Threshold> thresholds() const { return m_parsed.thresholds; }
    bool isValid() const { return m_parsed.errors.isEmpty(); }
    QString errorText() const { return m_parsed.errors.join(u'\n'); }

    QPlainTextEdit *textEdit() const { return m_edit; }
    QLabel *errorLabel() const { return m_errors; }

Q_SIGNALS:
    void changed();

private:
    void onTextChanged();

    QPlainTextEdit *m_edit;
    QLabel *m_errors;
    Parsed m_parsed;
};

} // namespace loadbench
