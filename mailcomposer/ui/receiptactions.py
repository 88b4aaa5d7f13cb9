"""The Options menu's receipt requests: a read receipt and a delivery notification."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.message.receipts import DEFAULT_NOTIFY


class ReceiptActions(QObject):
    """Two checkable actions that fill and show a draft's ``read_receipt`` and ``dsn``.

    Attributes:
        read_receipt_action: *Request read receipt* (``readReceiptAction``).
        dsn_action: *Request delivery notification* (``dsnAction``).

    Signals:
        changed: the user checked or unchecked one of them.
    """

    changed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.read_receipt_action = QAction(_("Request &read receipt"), parent)
        self.read_receipt_action.setObjectName("readReceiptAction")
        self.read_receipt_action.setToolTip(
            _("Ask the recipient's mail program to confirm the message was read")
        )
        self.dsn_action = QAction(_("Request &delivery notification"), parent)
        self.dsn_action.setObjectName("dsnAction")
        self.dsn_action.setToolTip(
            _("Ask the servers to report delivery or failure (if the server offers DSN)")
        )
        self._notify: tuple[str, ...] = DEFAULT_NOTIFY
        for action in (self.read_receipt_action, self.dsn_action):
            action.setCheckable(True)
            action.triggered.connect(self._on_action_triggered)

    def fields(self) -> dict[str, Any]:
        """The draft fields the actions set: ``read_receipt`` and ``dsn``."""
        return {
            "read_receipt": self.read_receipt_action.isChecked(),
            "dsn": list(self._notify) if self.dsn_action.isChecked() else [],
        }

    def show(self, draft: Draft) -> None:
        """Check the actions as ``draft`` asks (its own NOTIFY choice is kept)."""
        self.read_receipt_action.setChecked(draft.read_receipt)
        self.dsn_action.setChecked(bool(draft.dsn))
        self._notify = tuple(draft.dsn) or DEFAULT_NOTIFY

    @Slot()
    def _on_action_triggered(self) -> None:
        self.changed.emit()
