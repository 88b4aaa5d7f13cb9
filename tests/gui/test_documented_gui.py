"""The window has what the README and docs/design.md name: menu paths, shortcuts, object names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QTextEdit,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
MENUS = ("File", "Edit", "Format", "View", "Message", "Options", "Tools", "Help")
# "*Edit → Find…* (Ctrl+F)": an italic menu path, perhaps with its shortcut after it.
MENU_PATH = re.compile(
    r"\*((?:" + "|".join(MENUS) + r") → [^*]+?)\*(?: \(((?:Ctrl|Alt|Shift)\+[^)]+)\))?"
)
# The object names the README and the tests rely on that only show in a moment of a
# send (a question, a result) or of a click in the log: found where the code names them.
SITUATIONAL = {
    "sentDialog",
    "partialRefusalDialog",
    "passwordDialog",
    "certificateDialog",
    "preSendChecks",
    "sendAnywayButton",
    "cancelChecksButton",
    "checksOverride",
    "rfcReferencePopup",
    "replaceTemplateDialog",
}
# The documented windows and dialogs, and the action (documented beside them) that opens them.
OPENED_BY = {
    "accountDialog": "accountsAction",
    "detectLog": "accountsAction",
    "detectVerdict": "accountsAction",
    "sandboxInbox": "inboxAction",
    "mimeView": "mimeAction",
    "smtpConsole": "consoleAction",
    "sandboxPanel": "sandboxPanelAction",
    "lessonsDialog": "lessonsAction",
    "historyWindow": "historyAction",
    "statsWindow": "statsAction",
    "screeningSettings": "checksSettingsAction",
    "outboxDialog": "outboxAction",
    "historyNotice": "historyAction",
    "statsNotice": "statsAction",
    "undoDeleteButton": "addressBookAction",
}


def flat(path: Path) -> str:
    """The file's text with code blocks removed and each run of white space one space."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.sub(r"\s+", " ", text)


def documented_menu_paths() -> list[tuple[str, str, str]]:
    """(file, "Menu → Entry", shortcut or "") for every menu path README and design.md name."""
    found = []
    for name in ("README.md", "docs/design.md"):
        for path, shortcut in MENU_PATH.findall(flat(ROOT / name)):
            found.append((name, path, shortcut))
    return found


def documented_object_names() -> list[str]:
    """The object names in design.md's "Object names" section, in order, no repeats."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = text.split("### Object names", 1)[1].split("\n### ", 1)[0]
    names = re.findall(r"`([a-z][A-Za-z]+)`", section)
    return list(dict.fromkeys(name for name in names if name != "objectName"))


def menu_entry(window: QMainWindow, path: str) -> QAction | None:
    """The action at ``path`` ("View → History…") in the window's menu bar, or None."""
    actions = window.menuBar().actions()
    action = None
    for step in path.split(" → "):
        action = next((a for a in actions if a.text().replace("&", "") == step.strip()), None)
        if action is None:
            return None
        menu = action.menu()
        actions = menu.actions() if isinstance(menu, QMenu) else []
    return action


def test_the_docs_name_menu_paths_and_object_names() -> None:
    paths = [path for _doc, path, _shortcut in documented_menu_paths()]
    assert "Edit → Find…" in paths and "View → History…" in paths
    names = documented_object_names()
    assert {"composerWindow", "sendAction", "historyWindow", "detectVerdict"} <= set(names)
    assert set(OPENED_BY) | SITUATIONAL <= set(names)  # the tables below stay in step


def test_every_documented_menu_path_and_shortcut_is_in_the_window(window) -> None:
    wrong = []
    for doc, path, shortcut in documented_menu_paths():
        action = menu_entry(window, path)
        if action is None:
            wrong.append(f"{doc}: no menu entry *{path}*")
            continue
        keys = [
            key.toString(QKeySequence.SequenceFormat.PortableText) for key in action.shortcuts()
        ]
        if shortcut and shortcut not in keys:
            wrong.append(f"{doc}: *{path}* ({shortcut}) has {keys}")
    assert wrong == []


def test_the_window_has_its_documented_widgets_and_actions(window) -> None:
    assert window.objectName() == "composerWindow"
    assert isinstance(window, QMainWindow)
    for name in ("toField", "ccField", "bccField", "subjectField"):
        assert isinstance(window.findChild(QLineEdit, name), QLineEdit), name
    assert isinstance(window.findChild(QTextEdit, "bodyEditor"), QTextEdit)
    assert isinstance(window.findChild(QProgressBar, "sendProgress"), QProgressBar)
    assert isinstance(window.findChild(QAbstractItemView, "protocolLog"), QAbstractItemView)
    send = window.findChild(QAction, "sendAction")
    cancel = window.findChild(QAction, "cancelSendAction")
    assert send.shortcut().toString(QKeySequence.SequenceFormat.PortableText) == "Ctrl+Return"
    assert cancel.shortcut().toString(QKeySequence.SequenceFormat.PortableText) == "Esc"
    assert window.findChild(QMenu, "messageMenu") is not None


def test_every_documented_object_name_exists(window, qtbot) -> None:
    """Each name is in the window, in what its action opens, or (a moment of a send) in the code."""
    window.to_field.setText("bob@example.org")  # the MIME view needs a message to show
    app = QApplication.instance()
    missing = []
    for name in documented_object_names():
        if name == window.objectName() or window.findChild(QWidget, name):
            continue
        if window.findChild(QAction, name):
            continue
        if name in SITUATIONAL:
            sources = "\n".join(
                p.read_text(encoding="utf-8") for p in (ROOT / "mailcomposer" / "ui").rglob("*.py")
            )
            if f'"{name}"' not in sources:
                missing.append(f"{name}: named nowhere in mailcomposer/ui")
            continue
        opener = OPENED_BY.get(name)
        if opener is None:
            missing.append(f"{name}: not in the window, and no action documented to open it")
            continue
        window.findChild(QAction, opener).trigger()
        qtbot.wait_until(
            lambda: any(w.isVisible() for w in app.topLevelWidgets() if w is not window)
        )
        opened = [w for w in app.topLevelWidgets() if w.isVisible() and w is not window]
        if not any(w.objectName() == name or w.findChild(QWidget, name) for w in opened):
            missing.append(f"{name}: {opener} opened {[w.objectName() for w in opened]}")
        for widget in opened:
            widget.close()
        qtbot.wait_until(
            lambda: not any(w.isVisible() for w in app.topLevelWidgets() if w is not window)
        )
    assert missing == []


@pytest.mark.parametrize(
    ("name", "action"),
    [("smtpConsole", "consoleAction"), ("lessonsDialog", "lessonsAction")],
)
def test_design_names_the_menu_entry_of_each_tool_window(window, name: str, action: str) -> None:
    # design.md says "`smtpConsole` (*Tools → SMTP console…*, action `consoleAction`)".
    text = flat(ROOT / "docs" / "design.md")
    found = re.search(rf"`{name}` \(\*([^*]+)\*, (?:action )?`{action}`\)", text)
    assert found is not None
    assert menu_entry(window, found.group(1)) is window.findChild(QAction, action)
