"""Paragraph edits of a rich-text editor: bulleted and numbered lists, nesting, indents, rules."""

from __future__ import annotations

from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextLength,
    QTextListFormat,
)
from PySide6.QtWidgets import QTextEdit

from mailcomposer.ui.textblocks import is_ordered, list_of

_BULLETS = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)
_NUMBERS = (
    QTextListFormat.Style.ListDecimal,
    QTextListFormat.Style.ListLowerAlpha,
    QTextListFormat.Style.ListLowerRoman,
)


def list_style(ordered: bool, level: int) -> QTextListFormat.Style:
    """The bullet or numbering style for nesting ``level`` (1 = outermost)."""
    styles = _NUMBERS if ordered else _BULLETS
    return styles[(max(1, level) - 1) % len(styles)]


def selected_blocks(editor: QTextEdit) -> list[QTextBlock]:
    """Return the paragraphs the selection (or the cursor) touches, in order."""
    cursor = editor.textCursor()
    doc = editor.document()
    block = doc.findBlock(cursor.selectionStart())
    last = doc.findBlock(cursor.selectionEnd())
    blocks = []
    while block.isValid():
        blocks.append(block)
        if block == last:
            break
        block = block.next()
    return blocks


def toggle_list(editor: QTextEdit, *, ordered: bool) -> None:
    """Make the selected paragraphs a bulleted/numbered list, or back to paragraphs."""
    cursor = editor.textCursor()
    current = list_of(cursor.block())
    cursor.beginEditBlock()
    if current is not None and is_ordered(current.format().style()) == ordered:
        for block in selected_blocks(editor):
            text_list = list_of(block)
            if text_list is not None:
                text_list.remove(block)
                fmt = block.blockFormat()
                fmt.setIndent(0)
                QTextCursor(block).setBlockFormat(fmt)
    elif current is not None:
        for text_list in {
            id(list_of(b)): list_of(b) for b in selected_blocks(editor) if list_of(b) is not None
        }.values():
            fmt = text_list.format()
            fmt.setStyle(list_style(ordered, fmt.indent()))
            text_list.setFormat(fmt)
    else:
        block_fmt = cursor.blockFormat()
        block_fmt.setIndent(0)
        cursor.mergeBlockFormat(block_fmt)
        fmt = QTextListFormat()
        fmt.setIndent(1)
        fmt.setStyle(list_style(ordered, 1))
        cursor.createList(fmt)
    cursor.endEditBlock()


def change_indent(editor: QTextEdit, delta: int) -> None:
    """Nest list items one level deeper/shallower, or indent paragraphs."""
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    for block in selected_blocks(editor):
        _indent_block(block, delta, edit)
    edit.endEditBlock()


def _indent_block(block: QTextBlock, delta: int, edit: QTextCursor) -> None:
    edit.setPosition(block.position())
    text_list = list_of(block)
    if text_list is None:
        fmt = block.blockFormat()
        fmt.setIndent(max(0, fmt.indent() + delta))
        edit.setBlockFormat(fmt)
        return
    list_fmt = text_list.format()
    level = list_fmt.indent() + delta
    if level <= 0:
        text_list.remove(block)
        fmt = block.blockFormat()
        fmt.setIndent(0)
        edit.setBlockFormat(fmt)
        return
    # An item can only go one level below the item above it (HTML cannot say more).
    above = list_of(block.previous())
    if delta > 0 and (above is None or above.format().indent() < level - 1):
        return
    # Join the list at that level just above, so items stay one numbered list.
    previous = block.previous()
    while previous.isValid() and list_of(previous) is not None:
        other = list_of(previous)
        if other.format().indent() == level:
            other.add(block)
            return
        if other.format().indent() < level:
            break
        previous = previous.previous()
    new_fmt = QTextListFormat(list_fmt)
    new_fmt.setIndent(level)
    new_fmt.setStyle(list_style(is_ordered(list_fmt.style()), level))
    edit.createList(new_fmt)


def insert_horizontal_rule(editor: QTextEdit) -> None:
    """Insert a horizontal line as its own paragraph and continue below it."""
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.clearSelection()
    if cursor.block().length() > 1:
        cursor.insertBlock(QTextBlockFormat(), cursor.charFormat())
    rule = QTextBlockFormat()
    rule.setProperty(
        QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
        QTextLength(QTextLength.Type.PercentageLength, 100),
    )
    cursor.setBlockFormat(rule)
    if cursor.block().next().isValid():
        cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    else:
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
