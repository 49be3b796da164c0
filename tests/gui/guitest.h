// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What every GUI test shares: it runs offscreen when started by hand too, as under ctest (an
// explicit QT_QPA_PLATFORM wins), and types into fields the way a user does.

#include <QLineEdit>
#include <QTest>

namespace loadbench::test {

// Set before QApplication exists: a static initializer in the one test file that includes this.
inline const bool offscreenByDefault = [] {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    return true;
}();

// Replaces a line edit's text by typing, as a user does.
inline void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace loadbench::test
