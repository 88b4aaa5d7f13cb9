"""Icons: the desktop theme's icon when there is one, else ours from ``resources/icons``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from mailcomposer.i18n import resources_dir

APP_ICON = "mailcomposer"


@cache
def icons_dir() -> Path:
    """Return the folder of the bundled SVGs (resolved once: ~0.2 ms of system calls each)."""
    return resources_dir() / "icons"


def icon_path(name: str) -> Path:
    """Return the path of the bundled SVG for ``name`` (may not exist for theme-only names)."""
    return icons_dir() / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    """Return the themed icon ``name`` with the bundled SVG as fallback (empty if neither)."""
    path = icon_path(name)
    fallback = QIcon(str(path)) if path.is_file() else QIcon()
    return QIcon.fromTheme(name, fallback)


@cache
def app_icon() -> QIcon:
    """Return the application icon (always ours: the theme has no mailcomposer icon)."""
    return QIcon(str(icon_path(APP_ICON)))
