"""The outbox window: messages whose sending was cut short, to reopen or delete."""

from __future__ import annotations

import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.store.outbox import Outbox, OutboxEntry, OutboxState
from mailcomposer.store.paths import Home

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


def describe_state(entry: OutboxEntry) -> str:
    """What is known of an entry's fate, in words."""
    if entry.state is OutboxState.UNKNOWN:
        return _("Outcome unknown: the connection ended after the whole message was sent")
    return _("Interrupted: the app stopped before the server confirmed it")


def local_time(created: str) -> str:
    """The ISO 8601 UTC time an entry was queued, as local date and time."""
    try:
        moment = datetime.datetime.fromisoformat(created)
    except ValueError:
        return created
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class OutboxDialog(QDialog):
    """Lists the outbox (``outboxDialog``): open a message in the composer, or delete it.

    Messages stay in the outbox when a send was cut short after the message left
    (outcome unknown) or when the app stopped mid-send. They are never resent by
    themselves: they may have been delivered.

    Attributes:
        outbox: the outbox shown.
        table: the list (``outboxTable``), one row per message.

    Signals:
        open_requested: the user asked to reopen an entry (carries the ``OutboxEntry``).
    """

    open_requested = Signal(object)

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxDialog")
        self.setWindowTitle(_("Outbox"))
        self.resize(1000, 380)
        self.outbox = Outbox(home)

        intro = QLabel(
            _(
                "These messages were being sent when the connection ended or the app "
                "stopped, before the server confirmed them. They may have been delivered: "
                "check with the recipients before sending again. Reopen one in the "
                "composer to resend it (it keeps its Message-ID, so a duplicate can be "
                "recognised), or delete it."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("outboxTable")
        self.table.setHorizontalHeaderLabels(
            [_("Queued"), _("Subject"), _("Recipients"), _("Server"), _("Status")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setAccessibleName(_("Messages in the outbox"))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)

        self.open_button = QPushButton(_("Open in composer"), self)
        self.open_button.setObjectName("outboxOpenButton")
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setObjectName("outboxDeleteButton")
        self.delete_button.clicked.connect(self.delete_selected)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.refresh()

    # -- public API ----------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Re-read the outbox."""
        entries = self.outbox.pending()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = [
                local_time(entry.created),
                entry.subject() or _("(no subject)"),
                ", ".join(entry.recipients),
                entry.server,
                describe_state(entry),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(ENTRY_ROLE, entry)
                self.table.setItem(row, column, item)
        self.table.setColumnWidth(2, 200)
        if entries:
            self.table.selectRow(0)
        self._update_buttons()

    def entries(self) -> list[OutboxEntry]:
        """The entries listed, in order."""
        return [self.table.item(row, 0).data(ENTRY_ROLE) for row in range(self.table.rowCount())]

    def selected_entry(self) -> OutboxEntry | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.table.item(min(rows), 0).data(ENTRY_ROLE) if rows else None

    @Slot()
    def open_selected(self) -> None:
        """Ask the composer to reopen the selected message."""
        entry = self.selected_entry()
        if entry is not None:
            self.open_requested.emit(entry)

    @Slot()
    def delete_selected(self) -> None:
        """Ask (``outboxDeleteQuestion``), then delete the selected message from the outbox."""
        entry = self.selected_entry()
        if entry is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Delete from the outbox?"),
            _("Delete “{subject}”? Only this copy is deleted; it cannot be restored.").format(
                subject=entry.subject() or _("(no subject)")
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("outboxDeleteQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.outbox.remove(entry.id)
                self.refresh()

        box.finished.connect(answered)
        box.open()

    # -- internals -----------------------------------------------------------------------------

    @Slot()
    def _update_buttons(self) -> None:
        selected = self.selected_entry() is not None
        self.open_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    @Slot(QTableWidgetItem)
    def _on_table_item_double_clicked(self, _item: QTableWidgetItem) -> None:
        self.open_selected()
