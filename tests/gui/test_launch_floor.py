"""The launch benchmark's floor holds what the real window holds, so the ratio is fair.

``benchmarks/gui_launch.py`` compares the composer with the same widgets built with no
application code. When the window gains menus, actions or bars, the floor must gain
them too (or the budget would flatter or punish the window): these counts must match.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar

from benchmarks import gui_launch as floor


def menu_entries(menu: QMenu) -> int:
    """Entries of ``menu`` and its submenus, separators not counted."""
    count = 0
    for action in menu.actions():
        if action.isSeparator():
            continue
        count += 1
        if action.menu() is not None:
            count += menu_entries(action.menu())
    return count


def bar_actions(window, name: str) -> int:
    bar = window.findChild(QToolBar, name)
    return len([a for a in bar.actions() if not a.isSeparator() and a.isVisible()])


def test_the_floor_has_the_windows_menus_actions_and_bars(window) -> None:
    menus = [action.menu() for action in window.menuBar().actions()]
    assert tuple(action.text() for action in window.menuBar().actions()) == floor.MENU_TITLES
    assert sum(menu_entries(menu) for menu in menus) == floor.MENU_ENTRIES
    assert len(window.findChildren(QMenu)) - len(menus) == floor.SUBMENUS
    actions = window.findChildren(QAction)
    assert len(actions) == floor.ACTIONS
    assert sum(1 for a in actions if not a.icon().isNull()) == floor.ICON_ACTIONS
    assert sum(1 for a in actions if not a.shortcut().isEmpty()) == floor.SHORTCUTS
    assert bar_actions(window, "mainToolbar") == floor.MAIN_TOOLBAR_ACTIONS
    assert bar_actions(window, "protocolLogToolbar") == floor.LOG_TOOLBAR_ACTIONS
    # the format bar's buttons, beside its font and size combo boxes
    assert bar_actions(window, "formatToolBar") - 2 == floor.FORMAT_BAR_BUTTONS
    # The floor paints as many pixels as the window at its first start (no saved size).
    assert (window.width(), window.height()) == floor.WINDOW_SIZE


def test_the_floor_builds_those_counts(qtbot) -> None:
    """The floor script itself reaches the window's totals (run here, not shown)."""
    from pathlib import Path

    from PySide6.QtWidgets import QApplication, QMainWindow

    icons = Path(floor.__file__).resolve().parent.parent / "resources" / "icons"
    script = floor.SAME_WIDGETS.replace("ICONS = sys.argv[1]", f"ICONS = {str(icons)!r}")
    script = script.split("window.show()")[0].replace("app = QApplication(sys.argv[:1])", "")
    scope = {"QApplication": QApplication}
    exec(compile(script, "same_widgets", "exec"), scope)  # our own script
    window = scope["window"]
    assert isinstance(window, QMainWindow)
    qtbot.addWidget(window)
    actions = window.findChildren(QAction)
    assert len(actions) == floor.ACTIONS
    assert sum(1 for a in actions if not a.icon().isNull()) == floor.ICON_ACTIONS
    assert sum(1 for a in actions if not a.shortcut().isEmpty()) == floor.SHORTCUTS
    assert len(window.menuBar().actions()) == len(floor.MENU_TITLES)
