"""What the body editor does after the first paint: images, pasted HTML, links (loaded then)."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor

from mailcomposer.ui.textblocks import blocks, fragments, link_of

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextBlock, QTextCharFormat, QTextDocument

# Image formats mail clients display inline; others are attached as files.
IMAGE_TYPES = {
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "jpg": ("image/jpeg", "jpg"),
    "gif": ("image/gif", "gif"),
    "webp": ("image/webp", "webp"),
    "bmp": ("image/bmp", "bmp"),
}


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """Return ``(content_type, extension)`` when ``data`` is an image Qt can show, else None."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageReader

    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    fmt = bytes(reader.format().data()).decode("ascii", "replace").lower()
    if fmt not in IMAGE_TYPES or not reader.canRead():
        return None
    return IMAGE_TYPES[fmt]


def normalize_url(text: str) -> str | None:
    """Turn what the user typed as a link target into a safe URL, or None if unusable.

    ``example.org`` becomes ``https://example.org``, ``ann@example.org`` becomes
    ``mailto:ann@example.org``; only web, mail, ftp and tel links are allowed
    (no ``javascript:``, ``file:`` or ``data:``).
    """
    from PySide6.QtCore import QUrl

    from mailcomposer.message.pastesafe import is_safe_link

    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if re.fullmatch(r"[^@/:]+@[^@/:]+\.[^@/:]+", text):
        return "mailto:" + text
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if not url.isValid() or not url.scheme():
        url = QUrl("https://" + text, QUrl.ParsingMode.StrictMode)
        if not url.isValid() or "." not in url.host():
            return None
    scheme = url.scheme().lower()
    if not is_safe_link(url.toString()):
        return None
    if scheme in ("http", "https", "ftp") and not url.host():
        return None
    if scheme in ("mailto", "tel") and not url.path():
        return None
    return url.toString(QUrl.ComponentFormattingOption.FullyEncoded)


def missing_image() -> QImage:
    """A small grey box shown for an image the editor has no data for."""
    from PySide6.QtGui import QImage

    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(QColor("#d0d0d0"))
    return image


@functools.cache
def scratch_document_type() -> type[QTextDocument]:
    """The document type pasted HTML is vetted in (defined at the first paste)."""
    from PySide6.QtGui import QTextDocument

    class _ScratchDocument(QTextDocument):
        """Holds pasted HTML while its images are vetted; loads nothing by itself."""

        def loadResource(self, kind: int, name: QUrl) -> object:
            return missing_image()

    return _ScratchDocument


def drop_unsafe_links(doc: QTextDocument) -> None:
    """Turn links to targets the Link dialog refuses into plain text (a second line of
    defence behind clean_pasted_html, on what Qt actually imported)."""
    from PySide6.QtGui import QTextCursor

    from mailcomposer.message.pastesafe import is_safe_link

    cursor = QTextCursor(doc)
    for block in blocks(doc.begin()):
        for fragment in fragments(block):
            fmt = fragment.charFormat()
            href = link_of(fmt)
            if href is not None and not is_safe_link(href):
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                cursor.setCharFormat(without_link(fmt))


def without_link(fmt: QTextCharFormat) -> QTextCharFormat:
    from PySide6.QtGui import QTextCharFormat, QTextFormat

    plain = QTextCharFormat(fmt)
    plain.setAnchor(False)
    plain.clearProperty(QTextFormat.Property.AnchorHref)
    plain.clearProperty(QTextFormat.Property.ForegroundBrush)
    plain.clearProperty(QTextFormat.Property.TextUnderlineStyle)
    plain.clearProperty(QTextFormat.Property.FontUnderline)
    return plain


def fragments_between(
    doc: QTextDocument, start: int, end: int
) -> list[tuple[int, int, QTextCharFormat]]:
    """The pieces of ``doc`` between ``start`` and ``end`` with their formats."""
    pieces: list[tuple[int, int, QTextCharFormat]] = []
    for block in blocks(doc.findBlock(start)):
        if block.position() >= end:
            break
        for fragment in fragments(block):
            low = max(start, fragment.position())
            high = min(end, fragment.position() + fragment.length())
            if high > low:
                pieces.append((low, high - low, fragment.charFormat()))
    return pieces


def link_spans(block: QTextBlock) -> list[tuple[int, int, str, str]]:
    """Runs of ``block`` that link to one target: ``(start, end, text, href)``."""
    spans: list[tuple[int, int, str, str]] = []
    for fragment in fragments(block):
        href = link_of(fragment.charFormat())
        if not href:
            continue
        start, end = fragment.position(), fragment.position() + fragment.length()
        if spans and spans[-1][1] == start and spans[-1][3] == href:
            spans[-1] = (spans[-1][0], end, spans[-1][2] + fragment.text(), href)
        else:
            spans.append((start, end, fragment.text(), href))
    return spans
