"""Tests for the QTextDocument to e-mail HTML / plain text export."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextLength,
    QTextListFormat,
)

from mailcomposer.ui.htmlexport import (
    HR_TEXT,
    document_to_email_html,
    document_to_plain_text,
)

# The offscreen platform warns about window size hints it cannot forward.


@pytest.fixture
def doc(qapp):
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 11))
    return document


def body_of(html: str) -> str:
    return html.split("<body>", 1)[1].split("</body>", 1)[0].strip()


def test_no_style_block_no_qt_properties_no_ui_font(doc):
    doc.setHtml("<p>Hello <b>world</b></p>")
    html = document_to_email_html(doc)
    assert "font-family" not in html and "font-size" not in html
    assert "<style" not in html
    assert "-qt-" not in html
    assert not re.search(r"<body[^>]*style", html)
    assert "<b>world</b>" in html


def test_default_font_is_not_repeated_on_every_span(doc):
    cursor = QTextCursor(doc)
    fmt = QTextCharFormat()
    fmt.setFontFamilies(["DejaVu Sans"])
    fmt.setFontPointSize(11)
    cursor.insertText("plain", fmt)
    assert body_of(document_to_email_html(doc)) == "<div>plain</div>"


def test_char_formats_become_small_inline_tags(doc):
    cursor = QTextCursor(doc)
    for text, setup in [
        ("B", lambda f: f.setFontWeight(QFont.Weight.Bold)),
        ("I", lambda f: f.setFontItalic(True)),
        ("U", lambda f: f.setFontUnderline(True)),
        ("S", lambda f: f.setFontStrikeOut(True)),
        ("C", lambda f: f.setForeground(QColor("#123456"))),
        ("H", lambda f: f.setBackground(QColor("#ffff00"))),
        ("F", lambda f: f.setFontFamilies(["Courier New"])),
        ("Z", lambda f: f.setFontPointSize(18)),
    ]:
        fmt = QTextCharFormat()
        setup(fmt)
        cursor.insertText(text, fmt)
    body = body_of(document_to_email_html(doc))
    assert "<b>B</b>" in body
    assert "<i>I</i>" in body
    assert "<u>U</u>" in body
    assert "<s>S</s>" in body
    assert '<span style="color:#123456">C</span>' in body
    assert '<span style="background-color:#ffff00">H</span>' in body
    assert "<span style=\"font-family:'Courier New'\">F</span>" in body
    assert '<span style="font-size:18pt">Z</span>' in body


def test_text_is_escaped_and_spacing_kept(doc):
    QTextCursor(doc).insertText('a <b> & "q"  two\u2028next')
    body = body_of(document_to_email_html(doc))
    assert body == '<div>a &lt;b&gt; &amp; "q" &nbsp;two<br>next</div>'


def test_alignment_and_indent_are_inline_styles(doc):
    cursor = QTextCursor(doc)
    fmt = QTextBlockFormat()
    fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    cursor.setBlockFormat(fmt)
    cursor.insertText("centred")
    fmt = QTextBlockFormat()
    fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
    fmt.setIndent(2)
    cursor.insertBlock(fmt)
    cursor.insertText("right")
    body = body_of(document_to_email_html(doc))
    assert '<div style="text-align:center">centred</div>' in body
    assert '<div style="text-align:right;margin-left:80px">right</div>' in body


def test_nested_lists(doc):
    cursor = QTextCursor(doc)
    cursor.insertText("intro")
    cursor.insertBlock()
    outer = QTextListFormat()
    outer.setStyle(QTextListFormat.Style.ListDecimal)
    outer.setIndent(1)
    cursor.createList(outer)
    cursor.insertText("one")
    cursor.insertBlock()
    inner = QTextListFormat()
    inner.setStyle(QTextListFormat.Style.ListDisc)
    inner.setIndent(2)
    cursor.createList(inner)
    cursor.insertText("one-a")
    cursor.insertBlock()
    doc.findBlockByNumber(1).textList().add(cursor.block())
    cursor.insertText("two")
    html = body_of(document_to_email_html(doc))
    flat = html.replace("\n", "")
    assert flat == ("<div>intro</div><ol><li>one<ul><li>one-a</li></ul></li><li>two</li></ol>")
    text = document_to_plain_text(doc)
    assert text == "intro\n1. one\n  - one-a\n2. two"


def test_link_and_rule(doc):
    cursor = QTextCursor(doc)
    cursor.insertText("see ")
    link = QTextCharFormat()
    link.setAnchor(True)
    link.setAnchorHref("https://example.org/?a=1&b=2")
    link.setFontUnderline(True)
    link.setForeground(QColor("#0b57d0"))
    cursor.insertText("the site", link)
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    rule = QTextBlockFormat()
    rule.setProperty(
        QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
        QTextLength(QTextLength.Type.PercentageLength, 100),
    )
    cursor.setBlockFormat(rule)
    cursor.insertBlock(QTextBlockFormat())
    cursor.insertText("end")
    body = body_of(document_to_email_html(doc))
    assert '<a href="https://example.org/?a=1&amp;b=2">the site</a>' in body
    assert "<u>" not in body  # links are underlined by the mail client anyway
    assert "\n<hr>\n" in body
    text = document_to_plain_text(doc)
    assert text == f"see the site <https://example.org/?a=1&b=2>\n{HR_TEXT}\nend"


def test_image_exported_by_name_and_removed_from_plain_text(doc):
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("mc-image-1.png"), image)
    cursor = QTextCursor(doc)
    cursor.insertText("before ")
    fmt = QTextImageFormat()
    fmt.setName("mc-image-1.png")
    fmt.setWidth(300)
    cursor.insertImage(fmt)
    cursor.insertText(" after")
    body = body_of(document_to_email_html(doc))
    assert '<img src="mc-image-1.png" width="300" alt="">' in body
    text = document_to_plain_text(doc)
    assert "\ufffc" not in text
    assert text == "before  after"


def test_empty_lines_and_table(doc):
    doc.setHtml("<div>a</div><div></div><table border=1><tr><td>1</td><td>2</td></tr></table>")
    html = document_to_email_html(doc)
    assert "<table" in html and "<td" in html
    assert document_to_plain_text(doc).splitlines()[-1] == "1 | 2"  # " | " between cells


def test_empty_document(doc):
    assert body_of(document_to_email_html(doc)) == "<div><br></div>"
    assert document_to_plain_text(doc) == ""
