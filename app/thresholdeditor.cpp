// SPDX-License-Identifier: GPL-3.0-or-later
#include "thresholdeditor.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace loadbench {

namespace {

// The colon that ends the metric name: the first one outside {tags}, since tags hold colons
// (http_req_duration{expected_response:true}).
qsizetype metricSeparator(const QString &line)
{
    int depth = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == u'{')
            ++depth;
        else if (c == u'}')
            depth = qMax(0, depth - 1);
        else if (c == u':' && depth == 0)
            return i;
    }
    return -1;
}

} // namespace

ThresholdEditor::Parsed ThresholdEditor::parse(const QString &text)
{
    Parsed parsed;
    const QStringList lines = text.split(u'\n');
    for (int lineIndex = 0; lineIndex < lines.size(); ++lineIndex) {
        const QString line = lines.at(lineIndex).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        auto fail = [&](const QString &why) {
            parsed.errors << tr("line %1: %2").arg(lineIndex + 1).arg(why);
            parsed.badLines << lineIndex;
        };
        const qsizetype colon = metricSeparator(line);
        if (colon <= 0) {
            fail(tr("write \"metric: expression\", e.g. \"http_req_duration: p(95)<200\""));
            continue;
        }
        const QString metric = line.left(colon).trimmed();
        QString expression = line.mid(colon + 1).trimmed();
        bool abortOnFail = false;
        Nanoseconds delayAbortEval{0};
        QString optionError;
        if (expression.endsWith(u']')) {
            const qsizetype open = expression.lastIndexOf(u'[');
            if (open < 0) {
                fail(tr("unmatched ]"));
                continue;
            }
            const QStringList options =
                expression.mid(open + 1, expression.size() - open - 2).split(u',', Qt::SkipEmptyParts);
            expression = expression.left(open).trimmed();
            for (const QString &rawOption : options) {
                const QString option = rawOption.trimmed();
                if (option == u"abortOnFail"_s) {
                    abortOnFail = true;
                } else if (option.startsWith(u"delayAbortEval="_s)) {
                    QString why;
                    const auto delay = parseDuration(QStringView(option.mid(15).trimmed()), &why);
                    if (!delay)
                        optionError = tr("delayAbortEval: %1").arg(why);
                    else
                        delayAbortEval = *delay;
                } else {
                    optionError = tr("unknown option \"%1\" (abortOnFail, delayAbortEval=10s)")
                                      .arg(option);
                }
            }
        }
        if (!optionError.isEmpty()) {
            fail(optionError);
            continue;
        }
        QString why;
        auto threshold = Threshold::parse(metric, expression, &why);
        if (!threshold) {
            fail(why.isEmpty() ? tr("\"%1: %2\" is not a threshold").arg(metric, expression) : why);
            continue;
        }
        threshold->abortOnFail = abortOnFail;
        threshold->delayAbortEval = delayAbortEval;
        parsed.thresholds << *threshold;
    }
    return parsed;
}

QString ThresholdEditor::format(const QList<Threshold> &thresholds)
{
    QStringList lines;
    for (const Threshold &threshold : thresholds) {
        QString line = threshold.metric + u": "_s + threshold.expression;
        QStringList options;
        if (threshold.abortOnFail)
            options << u"abortOnFail"_s;
        if (threshold.delayAbortEval.count() > 0)
            options << u"delayAbortEval="_s + formatDuration(threshold.delayAbortEval);
        if (!options.isEmpty())
            line += u" ["_s + options.join(u", "_s) + u']';
        lines << line;
    }
    return lines.join(u'\n');
}

ThresholdEditor::ThresholdEditor(QWidget *parent)
    : QWidget(parent), m_edit(new QPlainTextEdit(this)), m_errors(new QLabel(this))
{
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setTabChangesFocus(true);
    m_edit->setPlaceholderText(u"http_req_duration: p(95)<200\nhttp_req_failed: rate<0.01"_s);
    m_edit->setToolTip(
        tr("One threshold per line: \"metric: expression\" in k6's syntax, e.g.\n"
           "http_req_duration: p(95)<200\n"
           "http_req_failed: rate<0.01 [abortOnFail]"));
    m_edit->setFixedHeight(QFontMetrics(m_edit->font()).lineSpacing() * 4 + 14);
    m_errors->setWordWrap(true);
    m_errors->setStyleSheet(u"color: #c62828;"_s);
    m_errors->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit);
    layout->addWidget(m_errors);

    connect(m_edit, &QPlainTextEdit::textChanged, this, &ThresholdEditor::onTextChanged);
}

void ThresholdEditor::setThresholds(const QList<Threshold> &thresholds)
{
    m_edit->setPlainText(format(thresholds));
}

void ThresholdEditor::onTextChanged()
{
    m_parsed = parse(m_edit->toPlainText());
    QList<QTextEdit::ExtraSelection> marks;
    for (const int line : std::as_const(m_parsed.badLines)) {
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_edit->document()->findBlockByNumber(line));
        mark.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        mark.format.setForeground(QColor(0xc6, 0x28, 0x28));
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(QColor(0xc6, 0x28, 0x28));
        marks << mark;
    }
    m_edit->setExtraSelections(marks);
    m_errors->setText(errorText());
    m_errors->setVisible(!isValid());
    Q_EMIT changed();
}

} // namespace loadbench
