"""The find and replace bar under the body editor (Ctrl+F, Ctrl+H)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from mailcomposer.i18n import _, ngettext

_HIGHLIGHT = QColor("#fff2a8")
_HIGHLIGHT_TEXT = QColor("#1f1f1f")


class FindBar(QWidget):
    """Finds text in ``editor``: match case, whole words, previous/next, wraps, highlights all.

    Attributes:
        find_field, replace_field: what to find and what to put instead.
        case_box, words_box: the match-case and whole-words options.
        note: says how many matches there are, or that the search wrapped.

    Signals:
        closed: the bar was hidden (Esc or its close button).
    """

    closed = Signal()

    def __init__(self, editor: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._editor = editor
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        self.find_field = self._field("findField", _("Find in the message"))
        self.replace_field = self._field("replaceField", _("Replace with"))
        self.case_box = QCheckBox(_("Match &case"), self)
        self.case_box.setObjectName("findMatchCase")
        self.words_box = QCheckBox(_("&Whole words"), self)
        self.words_box.setObjectName("findWholeWords")
        self.previous_button = self._button("findPreviousButton", _("Previous"), self.find_previous)
        self.next_button = self._button("findNextButton", _("Next"), self.find_next)
        self.replace_button = self._button("replaceButton", _("Replace"), self.replace)
        self.replace_all_button = self._button(
            "replaceAllButton", _("Replace all"), self.replace_all
        )
        close = self._button("findCloseButton", "✕", self.close_bar)
        close.setToolTip(_("Close (Esc)"))
        self.note = QLabel(self)
        self.note.setObjectName("findNote")
        grid.addWidget(self.find_field, 0, 0)
        grid.addWidget(self.previous_button, 0, 1)
        grid.addWidget(self.next_button, 0, 2)
        grid.addWidget(self.case_box, 0, 3)
        grid.addWidget(self.words_box, 0, 4)
        grid.addWidget(self.note, 0, 5)
        grid.addWidget(close, 0, 6)
        grid.addWidget(self.replace_field, 1, 0)
        grid.addWidget(self.replace_button, 1, 1)
        grid.addWidget(self.replace_all_button, 1, 2)
        grid.setColumnStretch(5, 1)
        self._replace_row = (self.replace_field, self.replace_button, self.replace_all_button)
        for key, slot in (
            (QKeySequence.StandardKey.FindNext, self.find_next),
            (QKeySequence.StandardKey.FindPrevious, self.find_previous),
            (QKeySequence(Qt.Key.Key_Escape), self.close_bar),
        ):
            action = QAction(self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.find_field.textChanged.connect(self._on_find_field_text_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace)
        self.case_box.toggled.connect(self.highlight_all)
        self.words_box.toggled.connect(self.highlight_all)
        editor.textChanged.connect(self._on_editor_text_changed)
        self.hide()

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setClearButtonEnabled(True)
        return field

    def _button(self, name: str, text: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.clicked.connect(slot)
        return button

    # -- showing ---------------------------------------------------------------------------

    def open_find(self, *, replace: bool = False) -> None:
        """Show the bar (with the replace row if ``replace``), the selection as the text."""
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        for widget in self._replace_row:
            widget.setVisible(replace)
        self.replace_button.setEnabled(not self._editor.isReadOnly())
        self.replace_all_button.setEnabled(not self._editor.isReadOnly())
        self.show()
        self.highlight_all()
        field = self.replace_field if replace and self.find_field.text() else self.find_field
        field.setFocus()
        field.selectAll()

    @Slot()
    def close_bar(self) -> None:
        """Hide the bar, drop the highlights and give the focus back to the body."""
        self.hide()
        self._editor.setExtraSelections([])
        self._editor.setFocus()
        self.closed.emit()

    def is_replacing(self) -> bool:
        """True when the replace row shows."""
        return not self.replace_field.isHidden()

    # -- finding ---------------------------------------------------------------------------

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self.words_box.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def matches(self) -> list[QTextCursor]:
        """Every match of the find text in the body, in order."""
        text = self.find_field.text()
        found: list[QTextCursor] = []
        if not text:
            return found
        doc = self._editor.document()
        cursor = doc.find(text, 0, self._flags())
        while not cursor.isNull():
            found.append(cursor)
            cursor = doc.find(text, cursor, self._flags())
        return found

    @Slot()
    def highlight_all(self) -> list[QTextCursor]:
        """Paint every match and say how many there are; return them."""
        found = self.matches()
        selections = []
        for cursor in found:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format.setBackground(_HIGHLIGHT)
            # Dark text on the marker yellow, so a match reads in a dark palette too.
            selection.format.setForeground(_HIGHLIGHT_TEXT)
            selections.append(selection)
        self._editor.setExtraSelections(selections)
        if not self.find_field.text():
            self.note.clear()
        elif found:
            self.note.setText(ngettext("{n} match", "{n} matches", len(found)).format(n=len(found)))
        else:
            self.note.setText(_("Not found"))
        return found

    @Slot()
    def find_next(self) -> bool:
        """Select the next match (wrapping to the top); False when there is none."""
        return self._find(backward=False)

    @Slot()
    def find_previous(self) -> bool:
        """Select the previous match (wrapping to the bottom); False when there is none."""
        return self._find(backward=True)

    def _find(self, *, backward: bool) -> bool:
        text = self.find_field.text()
        if not text:
            return False
        doc = self._editor.document()
        found = doc.find(text, self._editor.textCursor(), self._flags(backward))
        wrapped = False
        if found.isNull():
            start = QTextCursor(doc)
            start.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            found = doc.find(text, start, self._flags(backward))
            wrapped = not found.isNull()
        self.highlight_all()
        if found.isNull():
            return False
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        if wrapped:
            self.note.setText(
                _("Reached the top, continued from the bottom")
                if backward
                else _("Reached the end, continued from the top")
            )
        return True

    def _selection_matches(self) -> bool:
        selected = self._editor.textCursor().selectedText()
        text = self.find_field.text()
        if self.case_box.isChecked():
            return selected == text
        return bool(selected) and selected.casefold() == text.casefold()

    # -- replacing -------------------------------------------------------------------------

    @Slot()
    def replace(self) -> bool:
        """Replace the selected match and select the next one; False if none was selected."""
        if self._editor.isReadOnly():
            return False
        replaced = self._selection_matches()
        if replaced:
            self._editor.textCursor().insertText(self.replace_field.text())
        self.find_next()
        return replaced

    @Slot()
    def replace_all(self) -> int:
        """Replace every match as one undo step; return how many were replaced."""
        text = self.find_field.text()
        if not text or self._editor.isReadOnly():
            return 0
        doc = self._editor.document()
        replacement = self.replace_field.text()
        edit = QTextCursor(doc)
        count = 0
        found = doc.find(text, 0, self._flags())
        edit.beginEditBlock()
        while not found.isNull():
            edit.setPosition(found.selectionStart())
            edit.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            edit.insertText(replacement)
            count += 1
            found = doc.find(text, edit.position(), self._flags())
        edit.endEditBlock()
        self.highlight_all()
        self.note.setText(
            ngettext("Replaced {n} time", "Replaced {n} times", count).format(n=count)
        )
        return count

    # -- wiring slots ----------------------------------------------------------------------

    @Slot(str)
    def _on_find_field_text_changed(self, _text: str) -> None:
        self.highlight_all()

    @Slot()
    def _on_editor_text_changed(self) -> None:
        if self.isVisible():
            self.highlight_all()
