"""Colour choices of the formatting toolbar: quick swatch menus, and icons showing the colour."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from mailcomposer.i18n import N_, _
from mailcomposer.store.paths import Home
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


def colour_icon(file_stem: str, color: QColor, folder: Path | None = None) -> QIcon:
    """Our icon ``resources/icons/<file_stem>.svg`` with a bar of ``color`` along its foot.

    The bar is one more rectangle in the SVG (whose view box is 24 units square). The
    changed SVG is kept as ``<folder>/<file_stem>-<rrggbb>.svg`` (default: the home
    folder's ``cache/icons``) and the icon made from that file, like every other icon:
    Qt draws it when shown, at the size and pixel ratio asked (sharp at 150 % or 200 %
    scaling), and nothing is drawn at start. Where the file cannot be written, the
    icon is drawn now at 16, 20, 24 and 32 pixels instead.
    """
    svg = (icons_dir() / f"{file_stem}.svg").read_text(encoding="utf-8")
    svg = svg.replace(
        "</svg>", f'<rect x="2" y="20" width="20" height="4" fill="{color.name()}"/></svg>'
    )
    if folder is None:
        folder = Home.from_env().cache / "icons"
    path = folder / f"{file_stem}-{color.name()[1:]}.svg"
    try:
        if not path.is_file() or path.read_text(encoding="utf-8") != svg:
            folder.mkdir(parents=True, exist_ok=True)
            # Written whole under another name first: a reader never sees half of it.
            part = path.with_name(f"{path.name}.{os.getpid()}.part")
            part.write_text(svg, encoding="utf-8")
            os.replace(part, path)
        return QIcon(str(path))
    except (OSError, UnicodeDecodeError):
        return _drawn_icon(svg)


def _drawn_icon(svg: str) -> QIcon:
    """The icon of ``svg`` drawn now at the usual icon sizes (no file to draw it from)."""
    root_end = svg.index(">", svg.index("<svg"))
    root = re.sub(r'\s(?:width|height)="[^"]*"', "", svg[:root_end])
    result = QIcon()
    for extent in (16, 20, 24, 32):
        pixmap = QPixmap()
        sized = f'{root} width="{extent}" height="{extent}"{svg[root_end:]}'
        if pixmap.loadFromData(sized.encode("utf-8"), "SVG"):
            result.addPixmap(pixmap)
    return result
