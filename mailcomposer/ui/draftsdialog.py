"""The Drafts list: the autosaved message and every draft kept aside, to open or delete."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from mailcomposer.i18n import _
from mailcomposer.ui.listdialog import ROW_ROLE, ListDialog

PATH_ROLE = ROW_ROLE


def draft_summary(path: Path) -> tuple[str, str]:
    """The local date and the subject of a draft file ('' and a note when unreadable)."""
    try:
        stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        stamp = ""
    try:
        subject = str(json.loads(path.read_bytes())["draft"].get("subject") or "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return stamp, _("(cannot be read)")
    return stamp, subject or _("(no subject)")


class DraftsDialog(ListDialog):
    """Lists the drafts (``draftsDialog``): the one being written and those kept aside.

    Attributes:
        store: the ``DraftStore``.
        table: the list (``draftsTable``); the autosaved draft comes first.

    Signals:
        open_requested: open a kept draft in the composer (carries its path).
    """

    open_requested = Signal(object)

    def __init__(self, store: object, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            name="draftsDialog",
            title=_("Drafts"),
            intro=_(
                "The message being written is saved by itself; messages you replaced "
                "before sending them were kept aside here. Open one to go on with it."
            ),
            table_name="draftsTable",
            columns=[_("Saved"), _("Subject"), _("Kind")],
        )
        self.resize(700, 320)
        self.table.setAccessibleName(_("Drafts"))
        self.store = store
        self.open_button = self.add_button(_("Open"), "draftsOpenButton", self.open_selected)
        self.delete_button = self.add_button(
            _("Delete"), "draftsDeleteButton", self.delete_selected
        )
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read the drafts folder."""
        rows: list[tuple[Path, str]] = []
        if self.store.exists():
            rows.append((self.store.path, _("In the composer (saved by itself)")))
        rows += [(path, _("Kept aside")) for path in self.store.kept()]
        self.table.setRowCount(len(rows))
        for number, (path, kind) in enumerate(rows):
            stamp, subject = draft_summary(path)
            for column, text in enumerate((stamp, subject, kind)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(path) if column == 2 else text)
                item.setData(PATH_ROLE, path)
                self.table.setItem(number, column, item)
        if rows:
            self.table.selectRow(len(rows) - 1 if len(rows) > 1 else 0)
        self._update_buttons()

    def paths(self) -> list[Path]:
        """The draft files listed, in order."""
        return [self.table.item(row, 0).data(PATH_ROLE) for row in range(self.table.rowCount())]

    def selected_path(self) -> Path | None:
        return self.selected_data()

    def _is_kept(self, path: Path | None) -> bool:
        return path is not None and path != self.store.path

    @Slot()
    def open_selected(self) -> None:
        """Ask the composer to open the selected kept draft (the current one is kept safe)."""
        path = self.selected_path()
        if self._is_kept(path):
            self.open_requested.emit(path)

    @Slot()
    def delete_selected(self) -> None:
        """Ask (``draftsDeleteQuestion``), then delete the selected kept draft."""
        path = self.selected_path()
        if not self._is_kept(path):
            return
        _stamp, subject = draft_summary(path)

        def delete() -> None:
            path.unlink(missing_ok=True)
            self.refresh()

        self.ask_to_delete(
            "draftsDeleteQuestion",
            _("Delete this draft?"),
            _("Delete “{subject}”? It cannot be restored.").format(subject=subject),
            delete,
        )

    @Slot()
    def _update_buttons(self) -> None:
        kept = self._is_kept(self.selected_path())
        self.open_button.setEnabled(kept)
        self.delete_button.setEnabled(kept)
