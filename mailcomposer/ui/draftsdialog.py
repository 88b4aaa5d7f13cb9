"""The Drafts list: the autosaved message and every draft kept aside, to open or delete."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

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

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


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


class DraftsDialog(QDialog):
    """Lists the drafts (``draftsDialog``): the one being written and those kept aside.

    Attributes:
        store: the ``DraftStore``.
        table: the list (``draftsTable``); the autosaved draft comes first.

    Signals:
        open_requested: open a kept draft in the composer (carries its path).
    """

    open_requested = Signal(object)

    def __init__(self, store: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftsDialog")
        self.setWindowTitle(_("Drafts"))
        self.resize(700, 320)
        self.store = store
        intro = QLabel(
            _(
                "The message being written is saved by itself; messages you replaced "
                "before sending them were kept aside here. Open one to go on with it."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("draftsTable")
        self.table.setHorizontalHeaderLabels([_("Saved"), _("Subject"), _("Kind")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)
        self.open_button = QPushButton(_("Open"), self)
        self.open_button.setObjectName("draftsOpenButton")
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setObjectName("draftsDeleteButton")
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
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.table.item(min(rows), 0).data(PATH_ROLE) if rows else None

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
        button = QMessageBox.StandardButton
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Delete this draft?"),
            _("Delete “{subject}”? It cannot be restored.").format(subject=subject),
            button.Yes | button.No,
            self,
        )
        box.setObjectName("draftsDeleteQuestion")
        box.setDefaultButton(button.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == button.Yes:
                path.unlink(missing_ok=True)
                self.refresh()

        box.finished.connect(answered)
        box.open()

    @Slot()
    def _update_buttons(self) -> None:
        kept = self._is_kept(self.selected_path())
        self.open_button.setEnabled(kept)
        self.delete_button.setEnabled(kept)

    @Slot(QTableWidgetItem)
    def _on_table_item_double_clicked(self, _item: QTableWidgetItem) -> None:
        self.open_selected()
