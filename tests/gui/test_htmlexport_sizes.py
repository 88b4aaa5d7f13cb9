"""Text sizes that arrive by paste (pixels, <font size>, CSS keywords, <big>) reach the message."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QTextDocument, QTextFormat

from mailcomposer.ui.htmlexport import document_to_email_html


@pytest.fixture
def doc(qapp):
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 11))
    return document


def sizes_of(document: QTextDocument) -> dict[str, tuple]:
    """Each fragment's text -> (point size, pixel size, size adjustment) as Qt holds it."""
    found = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            found[it.fragment().text()] = (
                fmt.fontPointSize(),
                fmt.property(QTextFormat.Property.FontPixelSize),
                fmt.property(QTextFormat.Property.FontSizeAdjustment),
                block.blockFormat().headingLevel(),
            )
            it += 1
        block = block.next()
    return found


PASTED = (
    "<p>normal <span style='font-size:32px'>big px</span> <font size=6>font six</font> "
    "<span style='font-size:x-large'>x large</span> <small>small one</small> "
    "<span style='font-size:9px'>tiny px</span> <font size=1>font one</font></p>"
)


def test_pasted_sizes_survive_the_export(doc):
    """A user pastes sized text from a web page: what they see is what is sent (and kept)."""
    doc.setHtml(PASTED)
    shown = sizes_of(doc)
    again = QTextDocument()
    again.setDefaultFont(QFont("DejaVu Sans", 11))
    again.setHtml(document_to_email_html(doc))
    reread = sizes_of(again)
    for text in ("big px", "font six", "x large", "small one", "tiny px", "font one"):
        assert _font_of(again, text).pointSizeF() == pytest.approx(
            _font_of(doc, text).pointSizeF(), abs=0.01
        ), (text, shown[text], reread.get(text))
        assert _font_of(again, text).pixelSize() == _font_of(doc, text).pixelSize(), text


def _font_of(document: QTextDocument, text: str) -> QFont:
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().text() == text:
                return it.fragment().charFormat().font()
            it += 1
        block = block.next()
    raise AssertionError(f"{text!r} not in the document")


def test_a_heading_is_not_given_its_size_twice(doc):
    doc.setHtml("<h1>Title</h1><h2>Sub</h2><p>body</p>")
    html = document_to_email_html(doc)
    assert "<h1><b>Title</b></h1>" in html
    assert "<h2><b>Sub</b></h2>" in html
    assert "font-size" not in html


def test_a_heading_merged_into_a_paragraph_keeps_its_size(doc):
    """Pasted into a line that has text, a heading's block becomes a paragraph: its size stays."""
    doc.setHtml("<p>Before <span style='font-size:x-large'>heading text</span></p>")
    html = document_to_email_html(doc)
    assert '<span style="font-size:x-large">heading text</span>' in html
