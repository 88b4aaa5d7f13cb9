"""A long text goes into the inbox's text views a piece at a time, as setPlainText would show it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QTextBrowser

from mailcomposer.ui import inboxfill
from mailcomposer.ui.inboxfill import TextFiller, text_pieces

LONG = "".join(f"Line {n}: the quick brown fox\u00e9 jumps \U0001f600.\r\n" for n in range(4000))
PIECE = 16 * 1024


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr(inboxfill, "PIECE_CHARS", PIECE)
    monkeypatch.setattr(inboxfill, "FIRST_CHARS", 4096)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab\r\n\u00e9", max_size=200), size=st.integers(1, 20))
def test_pieces_join_back_and_never_cut_a_crlf(text: str, size: int) -> None:
    pieces = text_pieces(text, size)
    assert "".join(pieces) == text
    assert all(pieces[:-1]) and all(len(p) <= 2 * size + 1 for p in pieces)
    for before, after in itertools.pairwise(pieces):
        assert not (before.endswith("\r") and after.startswith("\n"))


def reference(cls, text: str, font=None):
    view = cls()
    if font is not None:
        view.setFont(font)
    view.setPlainText(text)
    return view


@pytest.mark.parametrize("cls", [QTextBrowser, QPlainTextEdit])
def test_a_long_text_shows_its_first_screen_then_the_rest_in_pieces(qtbot, cls) -> None:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    view = cls()
    qtbot.add_widget(view)
    view.setFont(font if cls is QPlainTextEdit else view.font())
    filler = TextFiller(view)
    with qtbot.wait_signal(filler.filled, timeout=20000):
        filler.fill(LONG)
        # The click returns with the first screen shown and the rest still to come.
        assert filler.filling
        shown = view.toPlainText()
        assert 0 < len(shown) <= 4096 and LONG.replace("\r\n", "\n").startswith(shown)
    assert not filler.filling
    expected = reference(cls, LONG, font if cls is QPlainTextEdit else None)
    qtbot.add_widget(expected)
    assert view.toPlainText() == expected.toPlainText()
    assert view.document().toHtml() == expected.document().toHtml()
    assert view.document().blockCount() == expected.document().blockCount()
    assert not view.document().isUndoAvailable()
    assert len(text_pieces(LONG, PIECE)) > 3  # the test text is long enough to be cut


def test_a_short_text_goes_in_at_once(qtbot) -> None:
    view = QTextBrowser()
    qtbot.add_widget(view)
    filler = TextFiller(view)
    with qtbot.wait_signal(filler.filled, timeout=1000):
        filler.fill("x" * (PIECE - 1))
        assert not filler.filling and view.toPlainText() == "x" * (PIECE - 1)


def test_a_new_text_drops_the_one_still_going_in(qtbot) -> None:
    view = QTextBrowser()
    qtbot.add_widget(view)
    filler = TextFiller(view)
    filler.fill(LONG)
    assert filler.filling
    with qtbot.assert_not_emitted(filler.filled, wait=200):
        filler.cancel()
        view.setPlainText("other")
    assert view.toPlainText() == "other" and not filler.filling
    with qtbot.wait_signal(filler.filled, timeout=20000):
        filler.fill(LONG)
        filler.fill("short")
    qtbot.wait(100)
    assert view.toPlainText() == "short"
