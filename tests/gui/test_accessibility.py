"""Keyboard and screen-reader reach of the composer: mnemonics and accessible names."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget


def mnemonics(window) -> Counter:
    """How many labels, buttons and menus of the window answer each Alt+key."""
    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)]
    texts += [action.text() for action in window.menuBar().actions()]
    keys = (QKeySequence.mnemonic(text) for text in texts)
    return Counter(key.toString() for key in keys if not key.isEmpty())


def test_cc_and_bcc_toggles_have_mnemonics_that_clash_with_nothing(window) -> None:
    keys = mnemonics(window)
    assert QKeySequence.mnemonic(window.cc_button.text()).toString() == "Alt+C"
    assert QKeySequence.mnemonic(window.bcc_button.text()).toString() == "Alt+B"
    for key in ("Alt+C", "Alt+B", "Alt+R", "Alt+S"):  # Cc, Bcc, From, Subject
        assert keys[key] == 1, key


def test_cc_mnemonic_unfolds_the_row_and_focuses_it(qtbot, window) -> None:
    window.activateWindow()
    window.to_field.setFocus()
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.to_field)
    qtbot.keyClick(window.to_field, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.cc_field)
    assert window.cc_field.isVisible()


def test_every_control_says_what_it_is(window) -> None:
    bar = window.format_bar
    controls = {
        "fontFamilyCombo": bar.font_combo,
        "fontSizeCombo": bar.size_combo,
        "textColour": bar.widgetForAction(bar.text_color_action),
        "highlight": bar.widgetForAction(bar.highlight_action),
        "attachmentList": window.attachments.view,
        "protocolLog": window.findChild(QWidget, "protocolLog"),
        "ccToggle": window.cc_button,
        "bccToggle": window.bcc_button,
        "bodyEditor": window.editor,
    }
    for name, widget in controls.items():
        assert widget is not None, name
        assert widget.accessibleName(), name
        interface = QAccessible.queryAccessibleInterface(widget)
        # Qt names a combo box by its current value; the rest by the name we gave.
        if not isinstance(widget, QComboBox):
            assert interface.text(QAccessible.Text.Name) == widget.accessibleName(), name
