"""The body's find and replace bar, its tables, printing and PDF export, wired to their actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtWidgets import QMainWindow


class EditingTools(QObject):
    """Connects Find, Replace, Table…, Print… and Export as PDF… to the composer ``window``.

    The find bar is built on the first Ctrl+F and placed under the body editor; the
    table and printing modules load on first use (importing them costs start-up time).
    """

    def __init__(self, window: QMainWindow, actions: Any) -> None:
        super().__init__(window)
        self._window = window
        self._find_bar = None
        self._printer = None
        self._tables = None
        editor = window.editor
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._on_editor_custom_context_menu_requested)
        actions.insert_table_action.triggered.connect(self.insert_table)
        editor.plain_text_mode_changed.connect(self._on_editor_plain_text_mode_changed)
        self._table_action = actions.insert_table_action
        actions.find_action.triggered.connect(self.show_find)
        actions.replace_action.triggered.connect(self.show_replace)
        actions.print_action.triggered.connect(self.print_message)
        actions.export_pdf_action.triggered.connect(self.export_pdf)

    def find_bar(self) -> Any:
        """The find bar (``findBar``) under the body editor, built on first use."""
        if self._find_bar is None:
            from mailcomposer.ui.findbar import FindBar

            editor = self._window.editor
            parent = editor.parentWidget()
            self._find_bar = FindBar(editor, parent)
            layout = parent.layout()
            layout.insertWidget(layout.indexOf(editor) + 1, self._find_bar)
        return self._find_bar

    @Slot()
    def show_find(self) -> None:
        """Ctrl+F: open the find bar on the body."""
        self.find_bar().open_find(replace=False)

    @Slot()
    def show_replace(self) -> None:
        """Ctrl+H: open the find bar with its replace row."""
        self.find_bar().open_find(replace=True)

    def tables(self) -> Any:
        """The ``TableTools`` of the body editor, built on first use."""
        if self._tables is None:
            from mailcomposer.ui.tables import TableTools

            self._tables = TableTools(self._window.editor)
        return self._tables

    @Slot()
    def insert_table(self) -> None:
        """Format > Table…: ask for the size and insert the table."""
        self.tables().ask_and_insert()

    def printer(self) -> Any:
        """The ``MessagePrinter`` of the window, built on first use."""
        if self._printer is None:
            from mailcomposer.ui.printing import MessagePrinter

            self._printer = MessagePrinter(self._window)
        return self._printer

    @Slot()
    def print_message(self) -> None:
        self.printer().print_message()

    @Slot()
    def export_pdf(self) -> None:
        self.printer().export_pdf()

    @Slot(QPoint)
    def _on_editor_custom_context_menu_requested(self, pos: QPoint) -> None:
        self.tables().show_context_menu(pos)

    @Slot(bool)
    def _on_editor_plain_text_mode_changed(self, plain: bool) -> None:
        self._table_action.setEnabled(not plain)
