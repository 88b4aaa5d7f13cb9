"""The outbox window: scheduled, retrying, failed and cut-short messages; retry, edit, delete."""

from __future__ import annotations

import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHeaderView, QMessageBox, QTableWidgetItem, QWidget

from mailcomposer.i18n import _
from mailcomposer.store.outbox import OutboxEntry, OutboxState
from mailcomposer.store.paths import Home
from mailcomposer.ui.listdialog import ROW_ROLE, ListDialog

ENTRY_ROLE = ROW_ROLE


# The states Edit takes out of the queue (the others may have been delivered: kept).
QUEUED_STATES = (OutboxState.SCHEDULED, OutboxState.RETRY, OutboxState.FAILED)


def describe_state(entry: OutboxEntry) -> str:
    """What is known of an entry's fate, in words."""
    if entry.state is OutboxState.UNKNOWN:
        return _("Outcome unknown: the connection ended after the whole message was sent")
    if entry.state is OutboxState.SCHEDULED:
        return _("Scheduled: waits for its time")
    if entry.state is OutboxState.RETRY:
        return _("Will retry: the server asked to try again later")
    if entry.state is OutboxState.FAILED:
        return _("Failed: the server refused it; fix it with Edit, or delete it")
    return _("Interrupted: the app stopped before the server confirmed it")


def local_time(created: str) -> str:
    """The ISO 8601 UTC time an entry was queued, as local date and time ('' if none)."""
    if not created:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(created)
    except ValueError:
        return created
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class OutboxDialog(ListDialog):
    """Lists the outbox (``outboxDialog``): retry now, edit in the composer, or delete.

    Scheduled (Send Later) and retrying messages go by themselves when due. Failed
    ones wait for the user. Messages whose send was cut short after the message left
    (outcome unknown) or when the app stopped mid-send are never resent by
    themselves: they may have been delivered.

    Attributes:
        queue: the ``OutboxQueue`` shown.
        table: the list (``outboxTable``), one row per message: queued, subject,
            recipients, server, state, next try, attempts, last error.

    Signals:
        open_requested: the user asked to reopen an entry (carries the ``OutboxEntry``).
        retry_requested: the user asked to send an entry now (carries its id).
    """

    open_requested = Signal(object)
    retry_requested = Signal(str)

    def __init__(self, home: Home, parent: QWidget | None = None, queue: object = None) -> None:
        super().__init__(
            parent,
            name="outboxDialog",
            title=_("Outbox"),
            intro=_(
                "Scheduled messages and those the server asked to retry are sent by "
                "themselves when due. Messages whose outcome is unknown may have been "
                "delivered: check with the recipients before sending again. Retry now "
                "sends one at once with the same Message-ID; Edit reopens it in the "
                "composer; Delete removes it."
            ),
            table_name="outboxTable",
            columns=[
                _("Queued"), _("Subject"), _("Recipients"), _("Server"), _("Status"),
                _("Next try"), _("Attempts"), _("Last error"),
            ],
        )  # fmt: skip
        self.resize(1100, 380)
        from mailcomposer.store.outboxqueue import OutboxQueue

        self.queue = queue if queue is not None else OutboxQueue(home)
        self.outbox = self.queue.outbox

        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        for column in (2, 4, 7):  # recipients, status, last error: elided, full in tooltips
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        # The subject says which message it is: as wide as it is (within reason), never
        # the stretched column's leftover (the others left it "Happy new y…" at 1100
        # pixels); the last error takes the spare width instead.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(_("Messages in the outbox"))

        self.retry_button = self.add_button(
            _("Retry now"), "outboxRetryButton", self.retry_selected
        )
        self.open_button = self.add_button(_("Edit"), "outboxOpenButton", self.open_selected)
        self.delete_button = self.add_button(
            _("Delete"), "outboxDeleteButton", self.delete_selected
        )
        self.refresh()

    # -- public API ----------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Re-read the outbox."""
        selected = self.selected_entry() if self.table.rowCount() else None
        entries = self.queue.entries()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = [
                local_time(entry.created),
                entry.subject() or _("(no subject)"),
                ", ".join(entry.recipients),
                entry.server or _("local test server"),
                describe_state(entry),
                local_time(entry.next_try),
                str(entry.attempts),
                entry.last_error,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(ENTRY_ROLE, entry)
                self.table.setItem(row, column, item)
        for column, width in ((2, 180), (4, 260), (7, 220)):
            self.table.setColumnWidth(column, width)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(1, max(120, min(self.table.columnWidth(1), 320)))
        ids = [entry.id for entry in entries]
        if entries:
            self.table.selectRow(ids.index(selected.id) if selected and selected.id in ids else 0)
        self._update_buttons()

    def entries(self) -> list[OutboxEntry]:
        """The entries listed, in order."""
        return [self.table.item(row, 0).data(ENTRY_ROLE) for row in range(self.table.rowCount())]

    def selected_entry(self) -> OutboxEntry | None:
        return self.selected_data()

    @Slot()
    def retry_selected(self) -> None:
        """Ask for the selected message to be sent now (its state and time do not matter)."""
        entry = self.selected_entry()
        if entry is not None:
            self.retry_requested.emit(entry.id)

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

        def delete() -> None:
            from mailcomposer.store.outboxqueue import EntryBusy

            try:
                self.queue.delete(entry.id)
            except EntryBusy:
                QMessageBox.information(
                    self, _("Outbox"), _("It is being sent right now; it was not deleted.")
                )
            except KeyError:
                pass  # already gone
            self.refresh()

        self.ask_to_delete(
            "outboxDeleteQuestion",
            _("Delete from the outbox?"),
            _("Delete “{subject}”? Only this copy is deleted; it cannot be restored.").format(
                subject=entry.subject() or _("(no subject)")
            ),
            delete,
        )

    # -- internals -----------------------------------------------------------------------------

    @Slot()
    def _update_buttons(self) -> None:
        selected = self.selected_entry() is not None
        self.retry_button.setEnabled(selected)
        self.open_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
