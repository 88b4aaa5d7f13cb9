"""Walking a QTextDocument: its blocks, fragments, links and lists (light to import at start)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextFragment, QTextList, QTextListFormat

LINE_SEPARATOR = "\u2028"
# Colour the editor gives new links; exported links do not repeat it (mail clients
# colour links themselves).
LINK_COLOR = "#0b57d0"

# The getters below also avoid the None-returning calls where it is easy.


def blocks(first: QTextBlock) -> Iterator[QTextBlock]:
    """``first`` and every block after it, in document order."""
    block = first
    while block.isValid():
        yield block
        block = block.next()


def fragments(block: QTextBlock) -> Iterator[QTextFragment]:
    """The fragments of ``block`` in order (Qt's iterator as a generator)."""
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        it += 1
        if fragment.isValid():
            yield fragment


def link_of(fmt: QTextCharFormat) -> str | None:
    """The link target of a character format, or None."""
    return fmt.anchorHref() if fmt.isAnchor() and fmt.anchorHref() else None


def list_of(block: QTextBlock) -> QTextList | None:
    """The list ``block`` belongs to, or None (without the PySide6 None bug)."""
    if not block.isValid() or block.blockFormat().objectIndex() < 0:
        return None
    return block.textList()


def new_char_format() -> QTextCharFormat:
    """A new, empty character format.

    The text-format types load here, at the first formatting, not with the modules that
    use them: QTextFormat builds a 116-member enum (about a millisecond of the launch).
    """
    from PySide6.QtGui import QTextCharFormat

    return QTextCharFormat()


def font_families(fmt: QTextCharFormat) -> list[str]:
    """The font families set on ``fmt`` (empty when none are)."""
    from PySide6.QtGui import QTextFormat

    if not fmt.hasProperty(QTextFormat.Property.FontFamilies):
        return []
    return [str(f) for f in (fmt.fontFamilies() or []) if f]


def is_ordered(style: QTextListFormat.Style) -> bool:
    """True for numbered/lettered list styles."""
    return style in _ordered_styles()


@functools.cache
def _ordered_styles() -> frozenset[QTextListFormat.Style]:
    from PySide6.QtGui import QTextListFormat

    style = QTextListFormat.Style
    return frozenset(
        (
            style.ListDecimal,
            style.ListLowerAlpha,
            style.ListUpperAlpha,
            style.ListLowerRoman,
            style.ListUpperRoman,
        )
    )
