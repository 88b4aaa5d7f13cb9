"""Every window the composer opens: each control has a name, each Alt+letter one owner."""

from __future__ import annotations

import itertools
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMenu,
    QPushButton,
    QTabBar,
    QWidget,
)

# The actions of ComposerActions that open a window or dialog of their own.
OPENERS = (
    "inbox_action", "accounts_action", "address_book_action", "history_action",
    "stats_action", "console_action", "sandbox_panel_action", "lessons_action",
    "checks_settings_action", "outbox_action", "drafts_action", "insert_table_action",
)  # fmt: skip


def reachable(top: QWidget) -> list[QWidget]:
    """The controls of ``top`` that Tab can reach as it stands."""
    return [
        widget
        for widget in top.findChildren(QWidget)
        if widget.isVisibleTo(top)
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
    ]


def unnamed(top: QWidget) -> list[str]:
    """Controls a screen reader would announce with no name."""
    found = []
    for widget in reachable(top):
        interface = QAccessible.queryAccessibleInterface(widget)
        if not interface.text(QAccessible.Text.Name).strip():
            found.append(f"{type(widget).__name__}#{widget.objectName()}")
    return found


def mnemonic_owners(top: QWidget) -> tuple[dict[str, list[str]], list[str]]:
    """Who answers each Alt+key in ``top``; and labels with a key but no buddy (dead keys)."""
    owners: dict[str, list[str]] = defaultdict(list)
    dead = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        texts = []
        if isinstance(widget, QAbstractButton):
            texts = [widget.text()]
        elif isinstance(widget, QLabel) and "<" not in widget.text():
            texts = [widget.text()]
            if widget.buddy() is None and not QKeySequence.mnemonic(widget.text()).isEmpty():
                dead.append(widget.text())
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count())]
        for text in texts:
            key = QKeySequence.mnemonic(text).toString()
            if key:
                owners[key].append(text)
    return {k: v for k, v in owners.items() if len(v) > 1}, dead


def open_each(window):
    """Open every window and dialog in turn; yield each new top-level one."""
    actions = window.composer_actions
    for name in OPENERS:
        before = set(QApplication.topLevelWidgets())
        getattr(actions, name).trigger()
        QApplication.processEvents()
        new = [
            top
            for top in QApplication.topLevelWidgets()
            if top not in before and top.isVisible() and not isinstance(top, QMenu)
        ]
        assert new, name
        for top in new:
            yield name, top
            top.close()
        QApplication.processEvents()


def test_every_window_names_its_controls_and_shares_no_mnemonic(
    language, make_window, monkeypatch
) -> None:
    monkeypatch.setenv("MAILCOMPOSER_LANG", language)
    window = make_window()
    problems = {}
    for name, top in itertools.chain([("composer", window)], open_each(window)):
        if name == "accounts_action":  # the form of a new account, every field editable
            top.findChild(QPushButton, "addAccountButton").click()
        clashes, dead = mnemonic_owners(top)
        found = {"unnamed": unnamed(top), "clashes": clashes, "dead keys": dead}
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[name] = found
    assert problems == {}
