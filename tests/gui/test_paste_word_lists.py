"""A list pasted from Word (or Outlook, WPS) arrives as a list, not as typed Symbol dots."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData

from mailcomposer.message.wordlists import word_lists_to_html
from mailcomposer.ui.editor import BodyEditor

# What Word 2016 puts on the clipboard (CF_HTML) for a bulleted list with a second
# level and a numbered list, trimmed of its <head> and Office namespaces.
WORD = (Path(__file__).parent.parent / "data" / "word_list_clipboard.html").read_text(
    encoding="utf-8"
)


def test_word_list_paragraphs_become_nested_lists() -> None:
    out = word_lists_to_html(WORD)
    assert "supportLists" not in out and "&middot;" not in out and "&sect;" not in out
    assert out.count("<ul>") == 2 and out.count("<ol>") == 1
    assert out.index("<ul>") < out.index("完成登录页") < out.rindex("<ul>") < out.index("含验证码")
    assert "本周进展" in out and "下周" in out  # the paragraphs around stay
    assert "text-indent" not in out  # the room Word made for the typed marker
    assert word_lists_to_html("<p>no list</p>") == "<p>no list</p>"


@pytest.fixture
def editor(qtbot):
    widget = BodyEditor()
    qtbot.addWidget(widget)
    return widget


def test_a_pasted_word_list_is_sent_as_a_list(editor) -> None:
    mime = QMimeData()
    mime.setHtml(WORD)
    mime.setText("本周进展：")
    editor.insertFromMimeData(mime)
    text, html = editor.body()[:2]
    assert html is not None
    assert "<ul" in html and "<ol" in html and "<li" in html
    assert "·" not in html and "Symbol" not in html
    # The plain-text part numbers and bullets them as lists, once.
    assert "1. 发布 1.2" in text and "2. 写周报" in text
    assert text.count("完成登录页") == 1
