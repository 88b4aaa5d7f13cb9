"""Notice colours (error, warning, info) derived from the palette, light or dark."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

# The hue of each kind of notice; how much of it shows depends on the palette.
ACCENTS = {
    "error": QColor(0xD9, 0x30, 0x25),
    "warning": QColor(0xE0, 0xA8, 0x00),
    "info": QColor(0x2A, 0x9D, 0x5B),
}


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` with ``amount`` (0..1) of ``b`` blended in."""
    return QColor.fromRgbF(
        *(x + (y - x) * amount for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True))
    )


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour.getRgbF()[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21; 4.5 is readable body text)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_dark(palette: QPalette) -> bool:
    """True for a dark palette (light text on a dark base)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def notice_colours(palette: QPalette, kind: str) -> tuple[QColor, QColor, QColor, QColor]:
    """``(background, border, text, link)`` of a notice of ``kind`` on ``palette``."""
    base = palette.color(QPalette.ColorRole.Base)
    accent = ACCENTS[kind]
    background = mix(base, accent, 0.28 if is_dark(palette) else 0.16)
    border = mix(base, accent, 0.75)
    return (
        background,
        border,
        palette.color(QPalette.ColorRole.Text),
        palette.color(QPalette.ColorRole.Link),
    )


def notice_css(palette: QPalette, kind: str) -> str:
    """Style sheet declarations (background, border, colour) of a notice of ``kind``."""
    background, border, text, _link = notice_colours(palette, kind)
    return (
        f"background: {background.name()}; border: 1px solid {border.name()}; color: {text.name()};"
    )


def error_text(palette: QPalette) -> QColor:
    """A red for error words that reads on the palette's window (light or dark)."""
    text = palette.color(QPalette.ColorRole.WindowText)
    return mix(text, ACCENTS["error"], 0.45 if is_dark(palette) else 0.8)


def accent_text(palette: QPalette, kind: str) -> QColor:
    """Text in the hue of ``kind`` that reads (4.5:1) on the palette's window and base."""
    text = palette.color(QPalette.ColorRole.WindowText)
    grounds = (palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base))
    amount = 0.45 if is_dark(palette) else 0.8
    colour = mix(text, ACCENTS[kind], amount)
    while amount > 0 and min(contrast(colour, ground) for ground in grounds) < 4.5:
        amount = max(0.0, amount - 0.05)
        colour = mix(text, ACCENTS[kind], amount)
    return colour


class NoticeTint(QObject):
    """Keeps a widget's notice style in step with the palette (re-applied on PaletteChange).

    The style is ``template`` with ``{css}`` replaced by :func:`notice_css`, ``{text}``
    by the text colour, ``{error}`` by :func:`error_text` and ``{accent}`` by
    :func:`accent_text` of ``kind``, of the parent's palette
    (the widget's own is coloured by the style sheet itself).

    A ``lazy`` tint sets nothing until its first :meth:`apply` or :meth:`set_kind`: a
    widget with a style sheet is polished and painted through Qt's style-sheet style,
    so a notice that is hidden at start (a banner, a warning) or keyed on a state that
    is not there yet (an invalid address) costs the launch nothing.

    Attributes:
        kind: ``error``, ``warning`` or ``info``.
    """

    _EVENTS = (
        QEvent.Type.PaletteChange,
        QEvent.Type.ApplicationPaletteChange,
        QEvent.Type.ParentChange,
    )

    def __init__(self, widget: QWidget, kind: str, template: str, *, lazy: bool = False) -> None:
        super().__init__(widget)
        self.widget = widget
        self.kind = kind
        self.template = template
        self._queued = False
        self._parent: QWidget | None = None
        self._watching = False
        if not lazy:
            self.apply()

    def _watch(self) -> None:
        if not self._watching:
            self._watching = True
            self.widget.installEventFilter(self)
            self._watch_parent()

    def _watch_parent(self) -> None:
        # A widget with a style sheet keeps its colours when the application palette
        # changes, so it may hear nothing: its parent does.
        parent = self.widget.parentWidget()
        if parent is not self._parent:
            if self._parent is not None:
                with contextlib.suppress(RuntimeError):  # the old parent is gone
                    self._parent.removeEventFilter(self)
            if parent is not None:
                parent.installEventFilter(self)
            self._parent = parent

    def set_kind(self, kind: str, template: str | None = None) -> None:
        """Colour the widget as a notice of ``kind`` (with a new ``template`` if given)."""
        self.kind = kind
        self.template = template or self.template
        self.apply()

    def palette(self) -> QPalette:
        parent = self.widget.parentWidget()
        return parent.palette() if parent is not None else QGuiApplication.palette()

    def apply(self) -> None:
        """Set the style for the current palette (only when it differs: no event loop)."""
        self._watch()
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text).name()
        sheet = self.template.replace("{css}", notice_css(palette, self.kind))
        sheet = sheet.replace("{text}", text).replace("{error}", error_text(palette).name())
        sheet = sheet.replace("{accent}", accent_text(palette, self.kind).name())
        if sheet != self.widget.styleSheet():
            self.widget.setStyleSheet(sheet)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Re-apply when the palette (or the parent the palette comes from) changes."""
        # Later, not now: a child hears of a new application palette before its parent
        # has taken it, so the parent's palette may still be the old one here.
        if event.type() == QEvent.Type.ParentChange and watched is self.widget:
            self._watch_parent()
        if event.type() in self._EVENTS and not self._queued:
            self._queued = True
            QTimer.singleShot(0, self, self._on_timer_timeout)
        return super().eventFilter(watched, event)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._queued = False
        self.apply()
