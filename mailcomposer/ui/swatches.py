"""Colour choices of the formatting toolbar: quick swatch menus, and icons showing the colour."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from mailcomposer.i18n import N_, _
from mailcomposer.ui.icons import icons_dir

TEXT_COLORS = (
    (N_("Red"), "#c5221f"),
    (N_("Orange"), "#e8710a"),
    (N_("Green"), "#188038"),
    (N_("Blue"), "#1a73e8"),
    (N_("Purple"), "#9334e6"),
    (N_("Grey"), "#5f6368"),
)
HIGHLIGHT_COLORS = (
    (N_("Yellow"), "#fff475"),
    (N_("Green"), "#ccff90"),
    (N_("Blue"), "#cbf0f8"),
    (N_("Pink"), "#fdcfe8"),
    (N_("Orange"), "#fbbc04"),
)


def swatch_menu(
    parent: QWidget,
    name: str,
    none_text: str,
    colors: tuple[tuple[str, str], ...],
    apply: Callable[[QColor | None], None],
) -> QMenu:
    """A menu of ``none_text`` (applies None), then one swatch per (label, colour)."""
    menu = QMenu(parent)
    menu.setObjectName(name)
    menu.addAction(none_text).triggered.connect(lambda: apply(None))
    menu.addSeparator()
    for label, value in colors:
        pixmap = QPixmap(16, 16)
        pixmap.fill(QColor(value))
        action = menu.addAction(QIcon(pixmap), _(label))
        action.setData(value)
        action.triggered.connect(lambda _checked=False, v=value: apply(QColor(v)))
    return menu


def colour_icon(file_stem: str, color: QColor) -> QIcon:
    """Our icon ``resources/icons/<file_stem>.svg`` with a bar of ``color`` along its foot."""
    base = QIcon(str(icons_dir() / f"{file_stem}.svg"))
    result = QIcon()
    for extent in (16, 20, 24, 32):
        pixmap = base.pixmap(extent, extent)
        if pixmap.isNull():
            pixmap = QPixmap(extent, extent)
            pixmap.fill(Qt.GlobalColor.transparent)
        bar = max(3, extent // 6)
        # A filled pixmap drawn, not fillRect: fillRect's overloads make shiboken
        # build QGradient and its 169 presets (~4 ms of start-up).
        strip = QPixmap(extent - 2 * (extent // 12), bar)
        strip.fill(color)
        painter = QPainter(pixmap)
        painter.drawPixmap(extent // 12, extent - bar, strip)
        painter.end()
        result.addPixmap(pixmap)
    return result
