"""File → Copy as swaks command: what swaks cannot carry (a DSN request) is said beside it."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication


def visible(name: str):
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


def test_a_dsn_request_is_named_in_the_swaks_dialog(qtbot, window):
    window.to_field.setText("bob@example.org")
    window.subject_field.setText("receipts")
    window.editor.setPlainText("hello")
    window.findChild(QAction, "dsnAction").trigger()
    window.findChild(QAction, "swaksAction").trigger()
    qtbot.wait_until(lambda: bool(visible("swaksDialog")))
    box = visible("swaksDialog")[0]
    command = QApplication.clipboard().text()
    details = box.detailedText()
    assert command.startswith("swaks ") and details.endswith(command)
    notes = details[: -len(command)].splitlines()
    assert any(line.startswith("# ") and "DSN" in line for line in notes), notes
    box.close()
