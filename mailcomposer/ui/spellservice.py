"""The spelling engine of the window: results from a background checker, the highlighter.

Loaded when spelling starts (after the first paint), not with the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from mailcomposer.spelling import (
    BackgroundChecker,
    Speller,
    UserDictionary,
    available_languages,
    choose_languages,
    words_to_check,
)

UNDERLINE_COLOR = QColor(220, 30, 30)
MAX_SUGGESTIONS = 6


class SpellService(QObject):
    """Known results for words, filled by a background checker; one for the whole app.

    Signals:
        results_arrived(frozenset[str]): lower-case words whose result just came back.
    """

    results_arrived = Signal(object)
    _worker_checked = Signal(object)

    def __init__(self, speller: Speller | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if speller is None:
            names = [name.replace("-", "_") for name in QLocale.system().uiLanguages()]
            speller = Speller(choose_languages(names, available_languages()))
        self.speller = speller
        self._known: dict[str, bool] = {}
        self._pending: set[str] = set()
        self._worker_checked.connect(self._on_worker_checked, Qt.ConnectionType.QueuedConnection)
        self._checker = BackgroundChecker(speller, self._from_worker)

    _shared: SpellService | None = None

    @classmethod
    def shared(cls) -> SpellService:
        """The application's service (created on first use)."""
        if cls._shared is None:
            cls._shared = cls(parent=QCoreApplication.instance())
        return cls._shared

    def status(self, word: str) -> bool | None:
        """True/False once checked, None while unknown (ask with :meth:`request`)."""
        return self._known.get(word.lower())

    def request(self, words: list[str]) -> None:
        """Check these words on the worker thread (each word once)."""
        batch = {w.lower() for w in words} - self._pending - self._known.keys()
        if batch:
            self._pending |= batch
            self._checker.submit(sorted(batch))

    def suggestions(self, word: str) -> list[str]:
        """Corrections for ``word`` (asked on right click; the dictionary is loaded by then)."""
        return self.speller.suggestions(word, MAX_SUGGESTIONS)

    def words_added(self, words: frozenset[str]) -> None:
        """Tell every highlighter that the user's dictionary now holds ``words``."""
        self.results_arrived.emit(frozenset(w.lower() for w in words))

    def _from_worker(self, results: tuple[tuple[str, bool], ...]) -> None:
        try:
            self._worker_checked.emit(results)
        except RuntimeError:  # the service was deleted while the worker checked
            pass

    @Slot(object)
    def _on_worker_checked(self, results: tuple[tuple[str, bool], ...]) -> None:
        for word, known in results:
            self._known[word] = known
            self._pending.discard(word)
        self.results_arrived.emit(frozenset(word for word, _known in results))


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines the words of a document that neither the dictionaries nor the user know."""

    def __init__(
        self, document: QTextDocument, service: SpellService, user_words: UserDictionary
    ) -> None:
        super().__init__(document)
        self.service = service
        self.user_words = user_words
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(UNDERLINE_COLOR)
        service.results_arrived.connect(self._on_service_results_arrived)

    def is_misspelled(self, word: str) -> bool:
        """True when ``word`` was checked and is unknown (and not in the user's words)."""
        return self.service.status(word) is False and word not in self.user_words

    def highlightBlock(self, text: str) -> None:
        """Underline the misspelled words of one block; ask about the unknown ones."""
        unknown = []
        for word in words_to_check(text):
            status = self.service.status(word.text)
            if status is None:
                unknown.append(word.text)
            elif not status and word.text not in self.user_words:
                self.setFormat(word.start, word.length, self._format)
        if unknown:
            self.service.request(unknown)

    def rehighlight_words(self, words: frozenset[str] | set[str]) -> None:
        """Highlight again the blocks holding any of ``words`` (lower case)."""
        document = self.document()
        if document is None:
            return
        # Only the look changes: without the blocker the editor would report textChanged
        # and the draft would count as edited.
        blocker = QSignalBlocker(document)
        block = document.begin()
        while block.isValid():
            if any(w.text.lower() in words for w in words_to_check(block.text())):
                self.rehighlightBlock(block)
            block = block.next()
        blocker.unblock()

    @Slot(object)
    def _on_service_results_arrived(self, words: frozenset[str]) -> None:
        self.rehighlight_words(words)


def default_dictionary_path() -> Path:
    """``MAILCOMPOSER_HOME/dictionary.txt``."""
    from mailcomposer.store.paths import Home

    return Home.from_env().root / "dictionary.txt"


_user_dictionaries: dict[Path, UserDictionary] = {}


def user_dictionary(path: Path | None = None) -> UserDictionary:
    """The user's dictionary at ``path`` (default: the home's), one object per file."""
    path = Path(path or default_dictionary_path())
    return _user_dictionaries.setdefault(path, UserDictionary(path))


def underline_format() -> QTextCharFormat:
    """The red wave under a misspelled word."""
    underline = QTextCharFormat()
    underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    underline.setUnderlineColor(UNDERLINE_COLOR)
    return underline
