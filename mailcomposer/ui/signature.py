"""The signature in the body: added below ``-- ``, swapped with the identity, never duplicated."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mailcomposer.message.draft import Draft

# The text types load when a signature is first shown or looked for, not at start (a
# new message from an identity without one touches none: ~3 ms of the launch).
if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument

    from mailcomposer.ui.editor import BodyEditor

# Block property marking the blocks of the signature the app inserted (and may replace):
# QTextFormat.Property.UserProperty (0x100000, fixed by Qt's API) + 0x5167.
SIGNATURE_PROPERTY = 0x100000 + 0x5167
SIGNATURE_DELIMITER = "-- "  # RFC 3676 4.3: dash dash space, alone on its line


def iter_blocks(doc: QTextDocument) -> list[Any]:
    """Every block of ``doc``, in order."""
    blocks = []
    block = doc.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    return blocks


def signature_lines(identity: Any) -> list[str]:
    """The lines the signature of ``identity`` shows as, delimiter first ([] for none)."""
    signature = getattr(identity, "signature", "") or ""
    if not signature.strip():
        return []
    if getattr(identity, "signature_is_html", False):
        from PySide6.QtGui import QTextDocument

        scratch = QTextDocument()
        scratch.setHtml(signature)
        lines = [b.text() for b in iter_blocks(scratch)]
    else:
        lines = signature.replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [SIGNATURE_DELIMITER, *lines] if lines else []


class Signature:
    """The signature the app keeps in the body editor for the selected identity.

    The blocks it inserted carry ``SIGNATURE_PROPERTY``; only those (and only with
    the text they were inserted with) are ever removed, so nothing the user typed
    is lost when the identity changes.
    """

    def __init__(self, editor: BodyEditor, identity: Callable[[], Any]) -> None:
        self._editor = editor
        self._identity = identity
        # Texts of the signature blocks the app inserted: only those are ever removed.
        self._texts: list[str] = []

    def _blocks(self) -> list[Any]:
        return iter_blocks(self._editor.document())

    def block_texts(self, identity: Any = None) -> list[str]:
        """The lines the signature of ``identity`` (default: the selected one) shows as."""
        return signature_lines(identity if identity is not None else self._identity())

    def is_current(self) -> bool:
        """True when the signature shown is the selected identity's, as it is now."""
        return self.block_texts() == self._texts

    def start(self) -> None:
        """Give a new message the selected identity's signature (not undoable)."""
        if not self.block_texts():
            self._texts = []
            return
        from PySide6.QtGui import QTextCursor

        doc = self._editor.document()
        doc.setUndoRedoEnabled(False)
        try:
            self.insert()
        finally:
            doc.setUndoRedoEnabled(True)
        doc.setModified(False)
        self._editor.moveCursor(QTextCursor.MoveOperation.Start)

    def insert(self) -> None:
        """Append the selected identity's signature, below the ``-- `` line."""
        identity = self._identity()
        texts = self.block_texts(identity)
        if not texts:
            self._texts = []
            return
        from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor

        signature = identity.signature
        is_html = identity.signature_is_html and not self._editor.plain_text_mode
        doc = self._editor.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        first = cursor.blockNumber()
        cursor.insertText(SIGNATURE_DELIMITER)
        if is_html:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertHtml(signature)
        else:
            for line in texts[1:]:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
                cursor.insertText(line)
        last = cursor.blockNumber()
        mark = QTextBlockFormat()
        mark.setProperty(SIGNATURE_PROPERTY, True)
        inserted = []
        for number in range(first, last + 1):
            block = doc.findBlockByNumber(number)
            QTextCursor(block).mergeBlockFormat(mark)
            inserted.append(block.text())
        cursor.endEditBlock()
        self._texts = inserted

    def remove(self) -> None:
        """Remove the signature the app inserted; text the user typed in it stays."""
        from PySide6.QtGui import QTextBlockFormat, QTextCursor

        allowed = set(self._texts)
        doc = self._editor.document()
        runs: list[list[Any]] = []
        previous = -2
        for block in self._blocks():
            if not block.blockFormat().hasProperty(SIGNATURE_PROPERTY):
                continue
            if block.text() not in allowed:
                # Typed by the user inside the signature (Enter keeps the block format).
                cursor = QTextCursor(block)
                fmt = block.blockFormat()
                fmt.clearProperty(SIGNATURE_PROPERTY)
                cursor.setBlockFormat(fmt)
                previous = -2
                continue
            if block.blockNumber() == previous + 1 and runs:
                runs[-1].append(block)
            else:
                runs.append([block])
            previous = block.blockNumber()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for run in reversed(runs):
            first, last = run[0], run[-1]
            start = first.position() - 1 if first.blockNumber() > 0 else first.position()
            end = last.position() + last.length() - 1
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if first.blockNumber() == 0:
                cursor.setBlockFormat(QTextBlockFormat())
        cursor.endEditBlock()
        self._texts = []

    def replace(self) -> None:
        """Swap the inserted signature for the selected identity's (or just remove it)."""
        from PySide6.QtGui import QTextCursor

        editor = self._editor
        saved = editor.textCursor()
        anchor, position = saved.anchor(), saved.position()
        self.remove()
        self.insert()
        end = editor.document().characterCount() - 1
        cursor = editor.textCursor()
        cursor.setPosition(min(anchor, end))
        cursor.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)

    def is_shown(self) -> bool:
        """True when the body holds a signature the app inserted (or recognised)."""
        return any(b.blockFormat().hasProperty(SIGNATURE_PROPERTY) for b in self._blocks())

    def recognise(self) -> None:
        """Find the selected identity's signature at the end of a loaded body and mark it."""
        self._texts = []
        texts = self.block_texts()
        if not texts:
            return
        blocks = self._blocks()
        while blocks and not blocks[-1].text().strip():
            blocks.pop()
        if len(blocks) < len(texts):
            return
        tail = blocks[-len(texts) :]
        if [b.text().rstrip() for b in tail] != [t.rstrip() for t in texts]:
            return
        from PySide6.QtGui import QTextBlockFormat, QTextCursor

        mark = QTextBlockFormat()
        mark.setProperty(SIGNATURE_PROPERTY, True)
        for block in tail:
            QTextCursor(block).mergeBlockFormat(mark)
        self._texts = [b.text() for b in tail]

    def is_blank(self, draft: Draft) -> bool:
        """True when ``draft`` holds nothing but (at most) the signature the app added."""
        if draft.is_empty():
            return True
        if not self._texts or draft.to or draft.cc or draft.bcc or draft.subject:
            return False
        if draft.attachments or draft.inline_images:
            return False
        body = [
            b.text() for b in self._blocks() if not b.blockFormat().hasProperty(SIGNATURE_PROPERTY)
        ]
        return not "".join(body).strip()
