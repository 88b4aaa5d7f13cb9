"""Questions to the user that never block: one open at a time, answered through a callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from mailcomposer.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


def message_box(parent: QWidget, kind: QMessageBox.Icon, title: str, text: str, name: str):
    """A window-modal ``QMessageBox`` named ``name`` that deletes itself once closed."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(kind, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


class Questions(QObject):
    """The one pending question of a window (close, discard, replace...).

    Every room that asks the user something before acting goes through here, so a
    second question never stacks on the first: it raises the open one instead.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._pending: QMessageBox | None = None

    def pending(self) -> QMessageBox | None:
        """The open question, if any."""
        return self._pending

    def raise_pending(self) -> bool:
        """Bring the open question forward; False when there is none."""
        if self._pending is None:
            return False
        self._pending.raise_()
        return True

    def ask(self, box: QMessageBox, then: Callable[[QMessageBox.StandardButton], None]) -> None:
        """Open ``box``; once answered, call ``then`` with the button clicked."""

        def finished(_result: int) -> None:
            self._pending = None
            then(box.standardButton(box.clickedButton()))

        box.finished.connect(finished)
        self._pending = box
        box.open()

    def ask_unsaved(self, then: Callable[[str], None]) -> None:
        """Ask what to do with unsaved edits; ``then`` gets ``save``, ``discard`` or ``cancel``."""
        from PySide6.QtWidgets import QMessageBox

        button = QMessageBox.StandardButton
        box = message_box(
            self._window,
            QMessageBox.Icon.Question,
            _("Unsaved message"),
            _("This message has changes that are not saved as a draft."),
            "unsavedDialog",
        )
        box.setInformativeText(_("Save it as a draft to continue later?"))
        box.setStandardButtons(button.Save | button.Discard | button.Cancel)
        box.button(button.Save).setText(_("Save draft"))
        box.button(button.Discard).setText(_("Discard"))
        box.setDefaultButton(button.Save)
        box.setEscapeButton(button.Cancel)
        choices = {button.Save: "save", button.Discard: "discard"}
        self.ask(box, lambda clicked: then(choices.get(clicked, "cancel")))


def confirm_plain_text(parent: QWidget, document_empty: bool) -> bool:
    """Ask before plain text drops the formatting and inline images (not for an empty body)."""
    from PySide6.QtWidgets import QMessageBox

    if document_empty:
        return True
    answer = QMessageBox.question(
        parent,
        _("Switch to plain text?"),
        _("Plain text removes all formatting and inline images from this message."),
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Ok
