"""Pasting rich text: dangerous links lose their target, background images do not blacken."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QMimeData

from mailcomposer.ui.editor import BodyEditor


@pytest.fixture
def editor(qtbot):
    widget = BodyEditor()
    qtbot.addWidget(widget)
    return widget


def paste(editor: BodyEditor, html: str) -> str:
    """Paste ``html`` and return the HTML the message is built from."""
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText(re.sub(r"<[^>]*>", "", html))
    editor.insertFromMimeData(mime)
    return editor.body()[1]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " java\tscript:alert(1)",
        "javascript&#58;alert(1)",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "file://server/share/x.exe",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_pasted_links_the_link_dialog_refuses_lose_their_target(editor, href):
    out = paste(editor, f'<p>before <a href="{href}">click me</a> after</p>')
    assert "click me" in out
    assert "<a " not in out
    assert "script" not in out.lower() and "file:" not in out and "data:" not in out
    assert editor.body()[0] == "before click me after"


def test_pasted_web_and_mail_links_are_kept(editor):
    out = paste(
        editor,
        '<p><a href="https://example.org/a?b=1">web</a> <a href="mailto:ann@example.org">mail</a>'
        ' <a href="tel:+123">call</a></p>',
    )
    assert '<a href="https://example.org/a?b=1">web</a>' in out
    assert '<a href="mailto:ann@example.org">mail</a>' in out
    assert '<a href="tel:+123">call</a>' in out


@pytest.mark.parametrize(
    "style",
    [
        "background:url(https://example.org/bg.png)",
        "background: url('https://example.org/bg.png') no-repeat top left",
        "background-image:url(https://example.org/bg.png)",
        'background-image: url("data:image/png;base64,iVBORw0KGgo=")',
        "background:url(data:image/png;base64,iVBORw0KGgo=) repeat-x",
    ],
)
@pytest.mark.parametrize("tag", ["p", "span", "td"])
def test_a_pasted_background_image_does_not_hide_the_text(editor, style, tag):
    inner = f'<{tag} style="{style}">readable</{tag}>'
    if tag == "td":
        inner = f"<table><tr>{inner}</tr></table>"
    out = paste(editor, inner)
    assert "readable" in out
    assert "background" not in out
    assert "url(" not in out


def test_a_background_image_in_a_style_block_is_dropped(editor):
    out = paste(
        editor,
        "<html><head><style>.x { background: url(https://example.org/bg.png) }</style></head>"
        '<body><p class="x">readable</p></body></html>',
    )
    assert "readable" in out
    assert "background" not in out


@pytest.mark.parametrize(
    ("style", "color"),
    [
        ("background:#ffeeaa url(https://example.org/bg.png) no-repeat", "#ffeeaa"),
        ("background: url(x.png) rgb(255, 0, 0)", "#ff0000"),
        ("background:yellow", "#ffff00"),
        ("background-color:#00ff00; background-image:url(x.png)", "#00ff00"),
    ],
)
def test_a_real_background_colour_is_kept(editor, style, color):
    out = paste(editor, f'<p><span style="{style}">marked</span></p>')
    assert f"background-color:{color}" in out
    assert "url(" not in out
