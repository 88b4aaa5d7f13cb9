"""Long plain text put into the inbox's text views a piece at a time, one event-loop turn each."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

__all__ = ["FIRST_CHARS", "PIECE_CHARS", "TextFiller", "text_pieces"]

# A piece costs Qt about 5-10 ms (in a QPlainTextEdit, or a document no view lays out yet;
# setPlainText() of 2 million characters held the GUI thread 80 ms, of the Source tab's
# megabyte 25-45 ms).
PIECE_CHARS = 256 * 1024
# What is shown at once, before the rest is read in: a few screens.
FIRST_CHARS = 16 * 1024


def text_pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Cut ``text`` into pieces of about ``size`` characters; joined, they are ``text``.

    A piece ends after a line end when one comes within ``size`` more characters, and
    never between the CR and the LF of a CRLF (Qt would read two line ends).
    """
    pieces = []
    start = 0
    while len(text) - start > size:
        cut = text.find("\n", start + size - 1, start + 2 * size)
        cut = start + size if cut < 0 else cut + 1
        if text[cut - 1] == "\r" and text[cut : cut + 1] == "\n":
            cut += 1
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


class TextFiller(QObject):
    """Shows a long text in a ``QTextEdit`` or ``QPlainTextEdit`` without freezing the window.

    A text up to ``PIECE_CHARS`` goes in at once (``setPlainText``). A longer one: its
    first ``FIRST_CHARS`` show at once and the rest follows one piece per turn of the
    event loop, added at the end of a ``QPlainTextEdit``'s document; for a
    ``QTextEdit``, the whole text goes into a new document that no view lays out yet,
    which then replaces the view's (laid out by Qt as it is scrolled to, as after
    ``setPlainText``). Either way: the same text, blocks and formats as ``setPlainText``.

    Attributes:
        view: the text view filled.

    Signals:
        filled: the whole text is in the view.
    """

    filled = Signal()

    def __init__(self, view: QTextEdit | QPlainTextEdit) -> None:
        super().__init__(view)
        self.view = view
        self._pieces: list[str] = []
        self._document: QTextDocument | None = None
        self._undo = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def filling(self) -> bool:
        """True while a long text is still being put in."""
        return self._document is not None

    def fill(self, text: str) -> None:
        """Show ``text`` (plain), in pieces when it is long; ``filled`` follows."""
        self.cancel()
        pieces = text_pieces(text, PIECE_CHARS)
        if len(pieces) == 1:
            self.view.setPlainText(text)
            self.filled.emit()
            return
        first = text_pieces(pieces[0], FIRST_CHARS)[0]
        self.view.setPlainText(first)  # the first screen now
        current = self.view.document()
        self._undo = current.isUndoRedoEnabled()
        if isinstance(self.view, QPlainTextEdit):
            # Its layout keeps up with pieces added at the end (a few ms each), but
            # taking a whole new document costs more than setPlainText.
            document, pieces = current, text_pieces(text[len(first) :], PIECE_CHARS)
        else:
            # A QTextEdit lays out each piece added (15-35 ms), a new document lazily.
            document = QTextDocument(self.view)
            document.setDefaultFont(current.defaultFont())
        document.setUndoRedoEnabled(False)  # no undo step per piece, as in setPlainText
        self._document, self._pieces = document, pieces
        self._timer.start()

    def cancel(self) -> None:
        """Stop putting in a long text (a new one is coming); the view keeps what it shows."""
        self._timer.stop()
        document, self._document = self._document, None
        self._pieces = []
        if document is None:
            return
        if document is self.view.document():
            document.setUndoRedoEnabled(self._undo)
        else:
            document.deleteLater()

    @Slot()
    def _on_timer_timeout(self) -> None:
        document = self._document
        if document is None:
            self._timer.stop()
            return
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self._pieces.pop(0))
        if self._pieces:
            return
        self._timer.stop()
        self._document = None
        document.setUndoRedoEnabled(self._undo)
        old = self.view.document()
        if document is old:
            self.filled.emit()
            return
        ours = old.parent() is self.view  # the view's first document goes with Qt's swap
        scroll = self.view.verticalScrollBar().value()
        self.view.setDocument(document)
        self.view.verticalScrollBar().setValue(scroll)  # where the first screen was read to
        if ours:
            old.deleteLater()
        self.filled.emit()
