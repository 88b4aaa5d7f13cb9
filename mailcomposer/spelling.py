"""Spell checking words: tokenising, what to skip, the user's dictionary, a background checker.

Qt-free. The dictionaries come from ``pyspellchecker`` (word-frequency lists it ships
for English and other languages); the user's own words live in a plain text file,
one word a line (``MAILCOMPOSER_HOME/dictionary.txt``).
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from mailcomposer.message.files import atomic_write, decode_hand_edited

# A word: letters, optionally joined by an apostrophe (don't, l'été). Digits and
# underscores end a word, so "abc123" is two pieces and neither is checked.
_WORD_RE = re.compile(r"(?<![\w'’])[^\W\d_]+(?:['’][^\W\d_]+)*(?!\w)")
# Chinese, Japanese and Korean runs are not checked (no word list, no spaces). Ranges,
# not a regex character class: that one takes 6 ms to compile at start-up.
_CJK_RANGES = (
    (0x2E80, 0x2FDF), (0x3000, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)  # fmt: skip
# A whitespace-separated chunk that looks like an address or a link is left alone.
_CHUNK_RE = re.compile(r"\S+")
_LINKISH_RE = re.compile(r"@|://|^[(<\[\"']*www\.|^mailto:", re.IGNORECASE)
MAX_WORD_LENGTH = 40


class Word(NamedTuple):
    """A word to check, by its position in the text it came from."""

    start: int
    length: int
    text: str


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese, Japanese or Korean character."""
    return any(low <= ord(c) <= high for c in text if ord(c) >= 0x2E80 for low, high in _CJK_RANGES)


def words_to_check(text: str) -> Iterator[Word]:
    """Yield the words of ``text`` worth checking.

    Skipped: CJK runs, chunks holding an address or a link (``@``, ``://``,
    ``www.``), single letters, and words with capitals after the first letter
    (acronyms, product names such as ``IMAP`` or ``iCloud``).
    """
    for chunk in _CHUNK_RE.finditer(text):
        if _LINKISH_RE.search(chunk.group()):
            continue
        for match in _WORD_RE.finditer(chunk.group()):
            word = match.group()
            if len(word) < 2 or len(word) > MAX_WORD_LENGTH or has_cjk(word):
                continue
            if any(c.isupper() for c in word[1:]):
                continue
            yield Word(chunk.start() + match.start(), len(word), word)


class UserDictionary:
    """The words the user added, kept in a UTF-8 text file, one word a line.

    Attributes:
        path: the file (created on the first word added).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._words: set[str] | None = None

    def _loaded(self) -> set[str]:
        if self._words is None:
            try:
                lines = decode_hand_edited(self.path.read_bytes()).splitlines()
            except OSError:
                lines = []
            self._words = {line.strip().casefold() for line in lines if line.strip()}
        return self._words

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.casefold() in self._loaded()

    def add(self, word: str) -> None:
        """Remember ``word`` (any case) and append it to the file."""
        word = word.strip()
        if not word or any(c.isspace() for c in word) or word in self:
            return
        self._loaded().add(word.casefold())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        if data and not _is_utf8(data):
            # Notepad's "ANSI" (GBK) or "Unicode": written again as UTF-8, words kept.
            text = decode_hand_edited(data).replace("\r\n", "\n").replace("\r", "\n")
            atomic_write(self.path, (text.rstrip("\n") + "\n" + word + "\n").encode("utf-8"))
            return
        # An editor may have saved the file without a last line end: the word would be
        # glued onto the last one ("naïvemailcomposer"), and both lost.
        glue = b"" if not data or data.endswith((b"\n", b"\r")) else b"\n"
        with self.path.open("ab") as handle:
            handle.write(glue + (word + "\n").encode("utf-8"))


def _is_utf8(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def available_languages() -> tuple[str, ...]:
    """The languages pyspellchecker ships a dictionary for (``en``, ``de``, ...)."""
    from spellchecker import SpellChecker

    return tuple(SpellChecker.languages())


def choose_languages(locale_names: Iterable[str], available: Iterable[str]) -> tuple[str, ...]:
    """Pick dictionaries for the system's languages (``zh-CN``, ``de_DE``...), English always."""
    available = set(available)
    chosen: list[str] = []
    for name in [*locale_names, "en"]:
        code = re.split(r"[-_.@]", name.strip().lower(), maxsplit=1)[0]
        if code in available and code not in chosen:
            chosen.append(code)
    return tuple(chosen)


class Speller:
    """The dictionaries of some languages; a word is right when one of them knows it.

    Loading takes a moment (English: about 0.15 s), so it happens on first use.

    Attributes:
        languages: the language codes, in order of preference.
    """

    def __init__(self, languages: Iterable[str] = ("en",)) -> None:
        self.languages = tuple(languages) or ("en",)
        self._checkers: list | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> list:
        with self._lock:
            if self._checkers is None:
                from spellchecker import SpellChecker

                self._checkers = [SpellChecker(language=code) for code in self.languages]
            return self._checkers

    def is_known(self, word: str) -> bool:
        """True when some dictionary knows ``word`` (case does not matter)."""
        lower = word.lower()
        return any(lower in checker for checker in self._loaded())

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Likely corrections, most frequent first, in the case the word was typed in."""
        lower = word.lower()
        scored: dict[str, float] = {}
        for checker in self._loaded():
            for candidate in checker.candidates(lower) or ():
                if candidate != lower:
                    scored[candidate] = max(scored.get(candidate, 0), checker[candidate])
        ranked = sorted(scored, key=lambda c: (-scored[c], c))[:limit]
        if word[:1].isupper():
            ranked = [c[:1].upper() + c[1:] for c in ranked]
        return ranked


class BackgroundChecker:
    """Checks batches of words on one daemon thread, so the caller never waits.

    ``on_checked`` is called on that thread with a tuple of ``(word, known)`` pairs
    for each batch; the caller hands the results to its own thread.
    """

    def __init__(
        self, speller: Speller, on_checked: Callable[[tuple[tuple[str, bool], ...]], None]
    ) -> None:
        self.speller = speller
        self._on_checked = on_checked
        self._jobs: queue.SimpleQueue[tuple[str, ...]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, words: Iterable[str]) -> None:
        """Queue ``words`` for checking."""
        batch = tuple(words)
        if not batch:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="spell-checker", daemon=True)
                self._thread.start()
        self._jobs.put(batch)

    def _run(self) -> None:
        while True:
            batch = self._jobs.get()
            try:
                results = tuple((word, self.speller.is_known(word)) for word in batch)
            except Exception:  # a broken dictionary must not mark everything wrong
                results = tuple((word, True) for word in batch)
            self._on_checked(results)
