"""Tables in the body: Format > Table…, and adding or removing rows and columns at the cursor."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QTextCharFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMenu,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from mailcomposer.i18n import _


def table_format(*, header: bool) -> QTextTableFormat:
    """The format of a new table: thin solid borders, collapsed, padded cells, full width."""
    fmt = QTextTableFormat()
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QBrush(QColor("#888888")))
    fmt.setBorderCollapse(True)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(4)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    fmt.setHeaderRowCount(1 if header else 0)
    return fmt


def insert_table(editor: QTextEdit, rows: int, columns: int, *, header: bool) -> QTextTable:
    """Insert a ``rows`` x ``columns`` table at the cursor (one undo step); the header row bold."""
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    table = cursor.insertTable(rows, columns, table_format(header=header))
    if header:
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        for column in range(columns):
            cell_cursor = table.cellAt(0, column).firstCursorPosition()
            cell_cursor.mergeBlockCharFormat(bold)
            cell_cursor.mergeCharFormat(bold)
    cursor.endEditBlock()
    editor.setTextCursor(table.cellAt(0, 0).firstCursorPosition())
    return table


class TableDialog(QDialog):
    """Asks for the rows, the columns and whether the first row is a header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insertTableDialog")
        self.setWindowTitle(_("Insert table"))
        form = QFormLayout(self)
        self.rows_spin = self._spin("tableRowsSpin", 2)
        self.columns_spin = self._spin("tableColumnsSpin", 3)
        self.header_box = QCheckBox(_("First row is a &header"), self)
        self.header_box.setObjectName("tableHeaderCheck")
        form.addRow(_("&Rows:"), self.rows_spin)
        form.addRow(_("&Columns:"), self.columns_spin)
        form.addRow(self.header_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _spin(self, name: str, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(1, 50)
        spin.setValue(value)
        return spin


class TableTools(QObject):
    """Inserts tables in ``editor`` and edits the one at the cursor (its context menu).

    Attributes:
        row_above_action, row_below_action, column_left_action, column_right_action,
        remove_row_action, remove_column_action: act on the table at the cursor.
    """

    def __init__(self, editor: QTextEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self.row_above_action = self._action("tableRowAboveAction", _("Insert row &above"))
        self.row_below_action = self._action("tableRowBelowAction", _("Insert row &below"))
        self.column_left_action = self._action("tableColumnLeftAction", _("Insert column &left"))
        self.column_right_action = self._action("tableColumnRightAction", _("Insert column &right"))
        self.remove_row_action = self._action("tableRemoveRowAction", _("Remove r&ow"))
        self.remove_column_action = self._action("tableRemoveColumnAction", _("Remove colu&mn"))
        self.row_above_action.triggered.connect(lambda: self.insert_row(below=False))
        self.row_below_action.triggered.connect(lambda: self.insert_row(below=True))
        self.column_left_action.triggered.connect(lambda: self.insert_column(right=False))
        self.column_right_action.triggered.connect(lambda: self.insert_column(right=True))
        self.remove_row_action.triggered.connect(self.remove_row)
        self.remove_column_action.triggered.connect(self.remove_column)

    def _action(self, name: str, text: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        return action

    def table_actions(self) -> list[QAction]:
        """The row and column actions, in menu order."""
        return [
            self.row_above_action, self.row_below_action,
            self.column_left_action, self.column_right_action,
            self.remove_row_action, self.remove_column_action,
        ]  # fmt: skip

    @Slot()
    def ask_and_insert(self) -> None:
        """Ask for the size (window-modal) and insert the table."""
        if self._editor.isReadOnly():
            return  # a send is running
        dialog = TableDialog(self._editor.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: insert_table(
                self._editor,
                dialog.rows_spin.value(),
                dialog.columns_spin.value(),
                header=dialog.header_box.isChecked(),
            )
        )
        dialog.open()

    def _table(self) -> QTextTable | None:
        return self._editor.textCursor().currentTable()

    @Slot()
    def insert_row(self, *, below: bool = True) -> None:
        """Add a row above or below the cursor's."""
        table = self._table()
        if table is not None:
            row = table.cellAt(self._editor.textCursor()).row()
            table.insertRows(row + 1 if below else row, 1)

    @Slot()
    def insert_column(self, *, right: bool = True) -> None:
        """Add a column left or right of the cursor's."""
        table = self._table()
        if table is not None:
            column = table.cellAt(self._editor.textCursor()).column()
            table.insertColumns(column + 1 if right else column, 1)

    @Slot()
    def remove_row(self) -> None:
        """Remove the cursor's row (the whole table with its last row)."""
        table = self._table()
        if table is not None:
            table.removeRows(table.cellAt(self._editor.textCursor()).row(), 1)

    @Slot()
    def remove_column(self) -> None:
        """Remove the cursor's column (the whole table with its last column)."""
        table = self._table()
        if table is not None:
            table.removeColumns(table.cellAt(self._editor.textCursor()).column(), 1)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The editor's standard menu, with the table actions when ``pos`` is in a table."""
        editor = self._editor
        if not editor.textCursor().hasSelection():
            editor.setTextCursor(editor.cursorForPosition(pos))
        scrolled = QPoint(editor.horizontalScrollBar().value(), editor.verticalScrollBar().value())
        menu = editor.createStandardContextMenu(pos + scrolled)  # document coordinates
        menu.setParent(editor, menu.windowFlags())
        if self._table() is not None and not editor.isReadOnly():
            menu.addSeparator()
            menu.addActions(self.table_actions())
        return menu

    def show_context_menu(self, pos: QPoint) -> None:
        """Pop the context menu up at ``pos`` (viewport coordinates)."""
        menu = self.context_menu(pos)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self._editor.viewport().mapToGlobal(pos))
