"""Every menu, field and button a lesson step names is there, named so, in both languages."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel, QMenu

from mailcomposer import i18n
from mailcomposer.lessons.catalog import all_lessons, lesson, shown

_PATH = re.compile(r"“([^”]+ → [^”]+)”")


def _plain(text: str) -> str:
    return re.sub(r"\(&[^)]\)|&(?=[^&])", "", text).strip()


def _menu_paths(window) -> set[str]:
    paths: set[str] = set()

    def walk(menu: QMenu, prefix: str) -> None:
        for action in menu.actions():
            name = f"{prefix} → {_plain(action.text())}"
            if action.menu() is not None:
                walk(action.menu(), name)
            elif not action.isSeparator():
                paths.add(name)

    for top in window.menuBar().actions():
        walk(top.menu(), _plain(top.text()))
    return paths


@pytest.fixture(params=["en", "zh_CN"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def test_the_menu_items_a_step_names_are_in_the_menus(language, make_window) -> None:
    window = make_window()
    paths = _menu_paths(window)
    named = [p for ls in all_lessons() for step in ls.steps for p in _PATH.findall(step)]
    assert len(named) >= 3, named  # the Bcc lesson's two views and the AUTH lesson's switch
    assert [p for p in named if p not in paths] == []


def test_the_fields_and_buttons_a_step_names_are_in_the_window(language, make_window) -> None:
    window = make_window()
    steps = " ".join(lesson("envelope").steps + lesson("bcc").steps)
    labels = {shown(label.text()) for label in window.header.findChildren(QLabel)}
    assert shown("F&rom:") in labels
    assert f"“{shown('F&rom:')}”" in steps
    assert f"“{_plain(window.header.bcc_button.text())}”" in steps
    combo = window.header.from_combo
    assert f"“{shown('Local test server')}”" in steps
    assert shown("Local test server") in combo.currentText()


def test_the_bcc_lesson_shows_the_message_before_it_is_sent(language) -> None:
    steps = lesson("bcc").steps
    [mime] = [i for i, s in enumerate(steps) if shown("Show &MIME structure…") in s]
    [inbox] = [i for i, s in enumerate(steps) if shown("Local server &inbox…") in s]
    assert mime < inbox


def test_each_lesson_sets_its_server_up_and_says_how_to_get_past_the_checks(language) -> None:
    setup = i18n._("Set up the local server for this lesson")
    for found in all_lessons():  # a plain lesson resets what a later lesson switched on
        assert setup in found.steps[0], found.key
    assert any(f"“{shown('Send anyway')}”" in step for step in lesson("size").steps)
    auth_steps = " ".join(lesson("auth").steps)
    assert shown("Local test server: s&how the login decoded") in auth_steps
