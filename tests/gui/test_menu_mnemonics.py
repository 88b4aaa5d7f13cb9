"""Each menu's entries have mnemonics of their own, in every shipped language."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu

MNEMONIC = re.compile(r"&([^&])")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(menu: QMenu, path: str) -> list[str]:
    """Entries of ``menu`` (and its submenus) whose mnemonic another entry has too."""
    seen: dict[str, str] = {}
    found = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        key = mnemonic(action.text())
        if key is None:
            found.append(f"{path}: {action.text()!r} has none")
        elif key in seen:
            found.append(f"{path}: {seen[key]!r} and {action.text()!r} share &{key}")
        else:
            seen[key] = action.text()
        if action.menu() is not None:
            found += clashes(action.menu(), f"{path} > {action.text()}")
    return found


def test_no_two_entries_of_a_menu_share_a_mnemonic(language, make_window, monkeypatch) -> None:
    # Two entries with one letter make the key step between them instead of choosing.
    monkeypatch.setenv("MAILCOMPOSER_LANG", language)  # the window reads it as it starts
    window = make_window()
    bar = window.menuBar()
    found = []
    for action in bar.actions():
        found += clashes(action.menu(), action.text())
    assert (bar.actions()[0].text() == "&File") == (language == "en")  # built in it
    tops = [mnemonic(action.text()) for action in bar.actions()]
    assert len(set(tops)) == len(tops), tops
    assert found == []
