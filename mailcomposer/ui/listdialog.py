"""The layout the Drafts and Outbox dialogs share: an intro, a one-row table, its buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Slot
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

# Where each row keeps what it lists (on the items of every column).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class ListDialog(QDialog):
    """A read-only table with one selected row, buttons acting on it, and Close.

    Subclasses add their buttons with ``add_button``, fill ``table`` and override
    ``open_selected`` (also run on a double click) and ``_update_buttons`` (run when
    the selection changes).

    Attributes:
        intro: the explanation above the table.
        table: the list; column 1 takes the spare width, the others their content's.
    """

    def __init__(
        self,
        parent: QWidget | None,
        *,
        name: str,
        title: str,
        intro: str,
        table_name: str,
        columns: Sequence[str],
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(columns), self)
        self.table.setObjectName(table_name)
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)
        self._button_row = QHBoxLayout()
        self._button_row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addLayout(self._button_row)
        layout.addWidget(buttons)

    def add_button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        """Add a button below the table, after those added before."""
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        self._button_row.insertWidget(self._button_row.count() - 1, button)
        return button

    def selected_data(self) -> object:
        """What the selected row lists (``ROW_ROLE``), or None."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.table.item(min(rows), 0).data(ROW_ROLE) if rows else None

    def ask_to_delete(
        self, name: str, title: str, text: str, on_yes: Callable[[], None]
    ) -> QMessageBox:
        """Ask a Yes/No question (No by default, objectName ``name``); ``on_yes`` on Yes."""
        button = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, title, text, button.Yes | button.No, self)
        box.setObjectName(name)
        box.setDefaultButton(button.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == button.Yes:
                on_yes()

        box.finished.connect(answered)
        box.open()
        return box

    def open_selected(self) -> None:
        """Act on the selected row (a double click does the same)."""

    @Slot()
    def _update_buttons(self) -> None:
        """Enable the buttons that apply to the selection."""

    @Slot(QTableWidgetItem)
    def _on_table_item_double_clicked(self, _item: QTableWidgetItem) -> None:
        self.open_selected()
