"""What painting a log line needs that depends on the font, palette and screen, not on the line.

Loaded with the first painted line, not at start-up. One ``PaintKit`` serves every row
until the font or the palette changes; the delegate then builds a new one, so nothing
measured in the old font (widths, elided texts, pictures) outlives it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPixmap,
    QStaticText,
)

from mailcomposer.ui.protocollog.colours import muted

# Caches keyed by text are emptied when they reach this many entries: the same few
# labels and explanations repeat, but a resize can produce new elisions for a while.
CACHE_LIMIT = 2048
PICTURE_LIMIT = 256  # small pictures (tags, markers): a few dozen in practice


class PaintKit:
    """Fonts, metrics, colours and cached texts and pictures for one font and palette.

    Attributes:
        font: the font the lines are painted in; ``bold`` is it in bold (the TLS note).
        metrics: its metrics; ``bold_metrics`` those of ``bold``.
        char: the advance of a digit, the unit of the gutter's columns.
        line_height: the height of a row's first line.
        baseline: from a line's top to its text's baseline (text centred vertically).
        bold_baseline: the same for ``bold``.
        text_top: from a line's top to the top of its (centred) text.
        grey, link, tint, text: the muted, link, tag-frame and text colours.
        highlight: the brush of a selected row; ``highlighted_text`` its text colour,
            ``selected_tint`` its tags' frame.
        centre_flags: the drawText alignment of a centred marker, as an int.
        metrics_f: the metrics of ``font`` in fractions of a pixel.
        advance: the advance of every printable ASCII character in ``font`` when it is
            monospaced, else None: such a text's width then needs no shaping.
    """

    __slots__ = (
        "_elided",
        "_pictures",
        "_statics",
        "_tag_labels",
        "_widths",
        "advance",
        "baseline",
        "bold",
        "bold_baseline",
        "bold_metrics",
        "centre_flags",
        "char",
        "font",
        "grey",
        "group",
        "highlight",
        "highlighted_text",
        "line_height",
        "link",
        "metrics",
        "metrics_f",
        "palette_key",
        "selected_tint",
        "text",
        "text_top",
        "tint",
    )  # fmt: skip

    def __init__(self, font: QFont, palette: QPalette) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.metrics = QFontMetrics(self.font)
        self.bold_metrics = QFontMetrics(self.bold)
        self.char = self.metrics.horizontalAdvance("0")
        height = self.metrics.height()
        self.line_height = height + 4
        # Where drawText(rect, AlignVCenter) puts a line's text, for the cheaper calls.
        self.text_top = (self.line_height - height) / 2
        self.baseline = self.text_top + self.metrics.ascent()
        bold_height = self.bold_metrics.height()
        self.bold_baseline = (self.line_height - bold_height) / 2 + self.bold_metrics.ascent()
        self.palette_key = palette.cacheKey()
        self.group = palette.currentColorGroup()
        role = QPalette.ColorRole
        base = palette.color(role.Base)
        self.text = palette.color(role.Text)
        self.grey = muted(palette)
        self.link = palette.color(role.Link)
        self.tint = mix(self.link, base)
        self.highlight = palette.brush(role.Highlight)
        self.highlighted_text = palette.color(role.HighlightedText)
        self.selected_tint = mix(self.highlighted_text, base)
        self.centre_flags = int(Qt.AlignmentFlag.AlignCenter)
        self._widths: dict[str, int] = {}
        self._statics: dict[str, QStaticText] = {}
        self._elided: dict[tuple[str, int], tuple[str, int]] = {}
        self._pictures: dict[tuple, QPixmap] = {}
        self._tag_labels: dict[tuple[int, int], list] = {}
        self.metrics_f = QFontMetricsF(self.font)
        self.advance = _ascii_advance(self.metrics, self.metrics_f)

    def text_width(self, text: str) -> int:
        """Return the advance of ``text`` (a line: many differ, so none is kept).

        In a monospaced font printable ASCII is as wide as its characters (checked when
        the kit is made): no text shaping for a width. The rest is measured.
        """
        advance = self.advance
        if advance is not None and text.isascii() and text.isprintable():
            return int(len(text) * advance + 0.5)  # as Qt rounds
        return self.metrics.horizontalAdvance(text)

    def bold_text_width(self, text: str) -> int:
        """Return the advance of ``text`` in the bold font (the TLS note: one a session)."""
        return self.bold_metrics.horizontalAdvance(text)

    def exact_width(self, text: str) -> float:
        """Return the advance of ``text`` unrounded (to right-align it as Qt aligns)."""
        advance = self.advance
        if advance is not None and text.isascii() and text.isprintable():
            return len(text) * advance
        return self.metrics_f.horizontalAdvance(text)

    def tag_labels(self, ref_set: int, most: int) -> list:
        """Return (label, width, ref) of the first ``most`` references of a set.

        Args:
            ref_set: the set's index in ``lines.REF_SETS`` (as a row keeps it).
            most: how many references are shown at most.
        """
        key = (ref_set, most)
        found = self._tag_labels.get(key)
        if found is None:
            from mailcomposer.ui.protocollog.lines import REF_SETS

            found = self._tag_labels[key] = [
                (ref.label, self.width(ref.label) + self.char, ref)
                for ref in REF_SETS[ref_set][:most]
            ]
        return found

    def fits(self, font: QFont, palette: QPalette) -> bool:
        """Return True when this kit paints in ``font`` and ``palette`` as they are now."""
        return (
            palette.cacheKey() == self.palette_key
            and palette.currentColorGroup() == self.group
            and font == self.font
        )

    def width(self, text: str) -> int:
        """Return the advance of ``text`` (a label or marker: measured once)."""
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= CACHE_LIMIT:
                self._widths.clear()
            width = self._widths[text] = self.metrics.horizontalAdvance(text)
        return width

    def elided(self, text: str, room: int) -> tuple[str, int]:
        """Return ``text`` cut to ``room`` pixels with an ellipsis, and its width."""
        key = (text, room)
        found = self._elided.get(key)
        if found is None:
            if len(self._elided) >= CACHE_LIMIT:
                self._elided.clear()
            shown = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            found = self._elided[key] = (shown, self.width(shown) if shown else 0)
        return found

    def static(self, text: str) -> QStaticText:
        """Return ``text`` laid out once for painting (a label, marker or explanation)."""
        found = self._statics.get(text)
        if found is None:
            if len(self._statics) >= CACHE_LIMIT:
                self._statics.clear()
            found = QStaticText(text)
            found.setTextFormat(Qt.TextFormat.PlainText)
            found.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            self._statics[text] = found
        return found

    def picture(
        self,
        key: tuple,
        width: float,
        height: float,
        ratio: float,
        draw: Callable[[QPainter], None],
    ) -> QPixmap:
        """Return what ``draw`` paints in a ``width`` x ``height`` box, as a picture.

        Drawn once per ``key`` (which names everything the picture shows) and device
        pixel ``ratio``: a tag, or a marker with its padlock, is then one call per
        row instead of five to fifteen (a path with an arc alone costs ~25 µs).
        """
        key = (*key, width, height, ratio)
        pixmap = self._pictures.get(key)
        if pixmap is None:
            if len(self._pictures) >= PICTURE_LIMIT:
                self._pictures.clear()
            pixmap = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setFont(self.font)
            draw(painter)
            painter.end()
            self._pictures[key] = pixmap
        return pixmap


def _ascii_advance(metrics: QFontMetrics, exact: QFontMetricsF) -> float | None:
    """The advance every printable ASCII character has in a monospaced font, else None.

    Checked alone and in runs (no pair kerned, whole runs rounded as Qt rounds them), so
    a text's width is its length times the advance.
    """
    sample = "".join(chr(code) for code in range(32, 127))
    advance = exact.horizontalAdvance("0")
    if any(exact.horizontalAdvance(c) != advance for c in sample):
        return None
    for run in (sample, "AVATo.r,LTff->", sample[:7], sample[:13], sample[40:43]):
        if exact.horizontalAdvance(run) != len(run) * advance:
            return None
        if metrics.horizontalAdvance(run) != int(len(run) * advance + 0.5):
            return None
    return advance


def mix(colour: QColor, base: QColor) -> QColor:
    """An opaque colour between ``colour`` (45%) and ``base``: the tags' frame."""
    return QColor(
        (colour.red() * 9 + base.red() * 11) // 20,
        (colour.green() * 9 + base.green() * 11) // 20,
        (colour.blue() * 9 + base.blue() * 11) // 20,
    )
