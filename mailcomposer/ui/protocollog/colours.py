"""Colours of the log: each line class's text and tint on light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QPalette

from mailcomposer.ui.protocollog.lines import Kind

# (foreground on light, foreground on dark, background tint); None keeps the palette's.
_COLOURS: dict[str, tuple[str | None, str | None, str | None]] = {
    Kind.OK: ("#1b6e20", "#8fd694", "#2e7d32"),
    Kind.MORE: ("#1c4f9c", "#90b8f0", "#1565c0"),
    Kind.TEMP: ("#8a5300", "#f0c060", "#ef9f00"),
    Kind.FAIL: ("#b71c1c", "#ff8a80", "#d32f2f"),
    Kind.CLIENT: (None, None, None),
    Kind.NOTE: ("#5f6368", "#a8adb3", None),
    Kind.TLS: ("#1b6e20", "#8fd694", "#2e7d32"),
}
_TINT_ALPHA = 26


class LineBrushes:
    """The text and background colours and brushes of each line class, built once per palette.

    Attributes:
        dark: True when the colours are for a dark palette.
    """

    def __init__(self) -> None:
        self.dark = False
        self._brushes: dict[tuple[str, bool], QBrush | None] = {}
        self._colours: dict[tuple[str, bool], QColor | None] = {}

    def set_dark(self, dark: bool) -> bool:
        """Pick colours readable on a dark (True) or light palette; return True if changed."""
        if dark == self.dark:
            return False
        self.dark = dark
        self._brushes.clear()
        self._colours.clear()
        return True

    def colour(self, kind: str, background: bool) -> QColor | None:
        """Return the text or background colour of a line class (None: the palette's).

        The painter takes colours: a brush is built only for the model's colour roles
        (the first QBrush made from a QColor costs ~4 ms of shiboken type building).
        """
        key = (kind, background)
        try:
            return self._colours[key]
        except KeyError:
            pass
        light, dark, tint = _COLOURS[kind]
        colour = None
        if not background:
            name = dark if self.dark else light
            if name:
                colour = QColor(name)
        elif tint:
            colour = QColor(tint)
            colour.setAlpha(_TINT_ALPHA * (2 if self.dark else 1))
        self._colours[key] = colour
        return colour

    def brush(self, kind: str, background: bool) -> QBrush | None:
        """Return the text or background brush of a line class (None: the palette's)."""
        key = (kind, background)
        if key not in self._brushes:
            colour = self.colour(kind, background)
            self._brushes[key] = QBrush(colour) if colour is not None else None
        return self._brushes[key]


def tls_rule_colour(palette: QPalette) -> QColor:
    """Return the colour of the rule drawn where encryption starts."""
    return QColor(_COLOURS[Kind.TLS][1 if is_dark(palette) else 0])


def muted(palette: QPalette) -> QColor:
    """A grey between text and base: secondary, yet readable (disabled grey is too faint)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() * 11 + base.red() * 9) // 20,
        (text.green() * 11 + base.green() * 9) // 20,
        (text.blue() * 11 + base.blue() * 9) // 20,
    )


def is_dark(palette: QPalette) -> bool:
    """Return True for a palette with a dark base (light text on it)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128
