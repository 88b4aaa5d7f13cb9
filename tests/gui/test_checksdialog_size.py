"""The pre-send checks dialog takes the height its content needs: no empty band between rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from mailcomposer.message.screening import Action, Finding
from mailcomposer.ui.checksdialog import ChecksDialog

FINDINGS = [
    Finding("domain-typo", Action.WARN, "“bob@gmial.com”: did you mean gmail.com?", "to", "x"),
    Finding("attachment", Action.WARN, "The message mentions an attachment, but none is attached."),
    Finding("rule", Action.BLOCK, "A rule blocks this message: it mentions a card number (…7894)."),
]


def assert_fits(dialog: ChecksDialog) -> None:
    assert dialog.height() == dialog.heightForWidth(dialog.width())
    # The heading and the rows are as tall as their lines, not stretched with space around.
    assert dialog.heading.height() == dialog.heading.heightForWidth(dialog.heading.width())
    rows = dialog.findChild(QLabel, "finding_attachment").parentWidget()
    assert rows.height() == rows.heightForWidth(rows.width())
    buttons = dialog.findChild(QDialogButtonBox)
    bottom_margin = dialog.layout().contentsMargins().bottom()
    assert dialog.height() - buttons.geometry().bottom() - 1 == bottom_margin


@pytest.fixture
def dialog(qtbot) -> Iterator[ChecksDialog]:
    parent = QWidget()
    qtbot.add_widget(parent)
    shown = ChecksDialog(FINDINGS, parent)
    shown.show()
    qtbot.wait_exposed(shown)
    yield shown


def test_the_dialog_is_as_tall_as_its_content(dialog) -> None:
    assert_fits(dialog)


def test_after_a_fix_it_shrinks_to_what_is_left(qtbot, dialog) -> None:
    before = dialog.height()
    dialog.set_findings(FINDINGS[1:2])
    qtbot.wait_until(lambda: not dialog.findChildren(QLabel, "finding_rule"))  # deleted
    assert dialog.height() < before
    assert_fits(dialog)
