"""Spelling as you type: a red wave under unknown words, suggestions on right click.

What the window builds at start; the engine (:mod:`mailcomposer.ui.spellservice`)
and the word lists load when spelling starts, after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from mailcomposer.i18n import _

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QLineEdit, QMenu, QTextEdit

    from mailcomposer.spelling import UserDictionary, Word
    from mailcomposer.ui.spellservice import SpellHighlighter, SpellService


def _user_dictionary(path: Path | None) -> UserDictionary:
    from mailcomposer.ui.spellservice import user_dictionary

    return user_dictionary(path)


def lead_with_suggestions(
    menu: QMenu,
    word: str,
    suggestions: list[str],
    replace: Callable[[str], object],
    add: Callable[[str], object],
) -> None:
    """Put the corrections of ``word`` at the top of ``menu``, then *Add to dictionary*.

    Each suggestion calls ``replace(suggestion)``; none gives a disabled "No
    suggestions"; *Add “word” to dictionary* (``addToDictionaryAction``) calls ``add``.
    """
    from PySide6.QtGui import QAction

    first = menu.actions()[0] if menu.actions() else None
    entries: list[QAction] = []
    for suggestion in suggestions:
        action = QAction(suggestion, menu)
        action.triggered.connect(lambda _c=False, s=suggestion: replace(s))
        entries.append(action)
    if not suggestions:
        none = QAction(_("No suggestions"), menu)
        none.setEnabled(False)
        entries.append(none)
    entry = QAction(_("Add “{word}” to dictionary").format(word=word), menu)
    entry.setObjectName("addToDictionaryAction")
    entry.triggered.connect(lambda _c=False: add(word))
    entries.append(entry)
    menu.insertActions(first, entries)
    menu.insertSeparator(first)


class SpellChecking(QObject):
    """Spelling for a :class:`QTextEdit`: starts after its first paint, adds to its menu.

    Attributes:
        highlighter: the highlighter, None until the editor was first painted.
        service: the checker to use (the app's shared one unless set before start).
        user_words: the user's dictionary.
    """

    started = Signal()

    def __init__(
        self,
        editor: QTextEdit,
        service: SpellService | None = None,
        user_words: UserDictionary | None = None,
    ) -> None:
        super().__init__(editor)
        self.editor = editor
        self.service = service
        self._user_words = user_words
        self.highlighter: SpellHighlighter | None = None
        self._start_scheduled = False

    @property
    def user_words(self) -> UserDictionary:
        if self._user_words is None:
            self._user_words = _user_dictionary(None)
        return self._user_words

    def painted(self) -> None:
        """The body painted: start soon (start-up is budgeted, the first paint comes first).

        The editor calls this from ``paintEvent``: an event filter would need
        ``viewport()`` at start, whose first call makes shiboken build every QWidget
        subclass to find the viewport's type (~10 ms of the launch).
        """
        if self.highlighter is None and not self._start_scheduled:
            self._start_scheduled = True
            QTimer.singleShot(0, self, self.start)

    def show_context_menu(self, pos: QPoint, global_pos: QPoint) -> bool:
        """Show the editor's menu with suggestions at ``pos``; False before spelling started."""
        if self.highlighter is None:
            return False
        menu = self.context_menu(pos)
        menu.exec(global_pos)
        menu.deleteLater()
        return True

    @Slot()
    def start(self) -> None:
        """Attach the highlighter now (normally done after the first paint)."""
        if self.highlighter is not None:
            return
        from mailcomposer.ui.spellservice import SpellHighlighter, SpellService

        self.service = service = self.service or SpellService.shared()
        self.highlighter = SpellHighlighter(self.editor.document(), service, self.user_words)
        self.started.emit()

    def word_at(self, pos: QPoint) -> tuple[QTextCursor, Word] | None:
        """The checked word under viewport position ``pos`` and a cursor selecting it."""
        from PySide6.QtGui import QTextCursor

        from mailcomposer.spelling import words_to_check

        cursor = self.editor.cursorForPosition(pos)
        block = cursor.block()
        column = cursor.position() - block.position()
        for word in words_to_check(block.text()):
            if word.start <= column <= word.start + word.length:
                cursor.setPosition(block.position() + word.start)
                cursor.setPosition(
                    block.position() + word.start + word.length, QTextCursor.MoveMode.KeepAnchor
                )
                return cursor, word
        return None

    def context_menu(self, pos: QPoint) -> QMenu:
        """The editor's menu, led by suggestions when ``pos`` is on a misspelled word."""
        menu = self.editor.createStandardContextMenu()
        found = self.word_at(pos) if self.highlighter is not None else None
        if found is None or not self.highlighter.is_misspelled(found[1].text):
            return menu
        cursor, word = found
        suggestions = self.highlighter.service.suggestions(word.text)
        lead_with_suggestions(
            menu, word.text, suggestions, lambda s: self._replace(cursor, s), self.add_word
        )
        return menu

    def _replace(self, cursor: QTextCursor, text: str) -> None:
        cursor.insertText(text)

    def add_word(self, word: str) -> None:
        """Add ``word`` to the user's dictionary and take its underline away."""
        self.user_words.add(word)
        if self.highlighter is not None:
            self.highlighter.service.words_added(frozenset({word}))


class LineSpelling(QObject):
    """Spelling for a one-line field (the subject): the same underline and menu.

    A QLineEdit has no highlighter; its text layout takes formats through an input
    method event with no text in it. None is sent while an input method composes
    (pinyin, for one), so the user's composition is never disturbed.

    Attributes:
        service: the checker to use (the app's shared one unless set before start).
        underlined: the words underlined now, in order.
    """

    def __init__(
        self,
        field: QLineEdit,
        service: SpellService | None = None,
        user_words: UserDictionary | None = None,
        *,
        dictionary: Path | None = None,
    ) -> None:
        """Check ``field``; the user's words are ``user_words``, else those in ``dictionary``."""
        super().__init__(field)
        self.field = field
        self.service = service
        self._user_words = user_words
        self._dictionary = dictionary
        self.started = False
        self.underlined: list[str] = []
        self._composing = False
        self._sending = False
        self._format: Any = None

    @property
    def user_words(self) -> UserDictionary:
        if self._user_words is None:
            self._user_words = _user_dictionary(self._dictionary)
        return self._user_words

    def _on_field_event(self, event: QEvent) -> bool:
        """Follow input methods; suggestions on right click (True: the menu was shown)."""
        kind = event.type()
        if kind == QEvent.Type.InputMethod and not self._sending:
            self._composing = bool(event.preeditString())
        elif kind == QEvent.Type.ContextMenu and self.started:
            menu = self.context_menu(event.pos())
            menu.exec(event.globalPos())
            menu.deleteLater()
            return True
        return False

    @Slot()
    def start(self) -> None:
        """Check the field from now on: the composer starts it with the body's spelling.

        That is after the first paint, where watching the field's events no longer
        costs the launch (ui/eventwatch.py).
        """
        if self.started:
            return
        from mailcomposer.ui.eventwatch import EventWatcher
        from mailcomposer.ui.spellservice import SpellService, underline_format

        EventWatcher(self.field, self._on_field_event)
        self.started = True
        self._format = underline_format()
        self.service = self.service or SpellService.shared()
        self.service.results_arrived.connect(self._on_service_results_arrived)
        self.field.textChanged.connect(self._on_field_text_changed)
        self.refresh()

    def is_misspelled(self, word: str) -> bool:
        return self.service.status(word) is False and word not in self.user_words

    def refresh(self) -> None:
        """Ask about new words and underline the misspelled ones."""
        if self._composing:
            return
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtGui import QInputMethodEvent

        from mailcomposer.spelling import words_to_check

        words = list(words_to_check(self.field.text()))
        self.service.request([w.text for w in words if self.service.status(w.text) is None])
        wrong = [w for w in words if self.is_misspelled(w.text)]
        if [w.text for w in wrong] == self.underlined and not wrong:
            return
        self.underlined = [w.text for w in wrong]
        cursor = self.field.cursorPosition()
        kind = QInputMethodEvent.AttributeType.TextFormat
        attributes = [
            QInputMethodEvent.Attribute(kind, w.start - cursor, w.length, self._format)
            for w in wrong
        ]
        self._sending = True
        try:
            QCoreApplication.sendEvent(self.field, QInputMethodEvent("", attributes))
        finally:
            self._sending = False

    @Slot(str)
    def _on_field_text_changed(self, _text: str) -> None:
        self.refresh()

    @Slot(object)
    def _on_service_results_arrived(self, words: frozenset[str]) -> None:
        from mailcomposer.spelling import words_to_check

        if any(w.text.lower() in words for w in words_to_check(self.field.text())):
            self.refresh()

    def context_menu(self, pos: QPoint) -> QMenu:
        """The field's menu, led by suggestions when ``pos`` is on a misspelled word."""
        from mailcomposer.spelling import words_to_check

        menu = self.field.createStandardContextMenu()
        column = self.field.cursorPositionAt(pos)
        found = [
            w for w in words_to_check(self.field.text()) if w.start <= column <= w.start + w.length
        ]
        if not found or not self.is_misspelled(found[0].text):
            return menu
        word = found[0]
        suggestions = self.service.suggestions(word.text)
        lead_with_suggestions(
            menu, word.text, suggestions, lambda s: self._replace(word, s), self._add
        )
        return menu

    def _replace(self, word: Word, text: str) -> None:
        self.field.setSelection(word.start, word.length)
        self.field.insert(text)

    def _add(self, word: str) -> None:
        self.user_words.add(word)
        self.service.words_added(frozenset({word}))
