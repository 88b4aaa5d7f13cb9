"""Save as template offers a name it can keep, and a refused name can be fixed in place."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from mailcomposer.store.templates import TemplateStore, check_name, suggested_name


@pytest.mark.parametrize(
    ("subject", "name"),
    [
        ("Re: 周报: 第3周?", "Re 周报 第3周"),
        ("Weekly report", "Weekly report"),
        ('a/b\\c*"d"<e>|f', "a b c d e f"),
        ("...hidden.", "hidden"),
        ("CON", ""),
        ("", ""),
        ("x" * 200, "x" * 60),
    ],
)
def test_the_suggested_name_is_one_the_store_takes(subject, name):
    assert suggested_name(subject) == name
    if name:
        assert check_name(name) == name


def _ask(window):
    window.findChild(QAction, "saveTemplateAction").trigger()
    return window.tool_windows.templates.name_dialog


def test_a_reply_subject_is_offered_as_a_name_that_saves(qtbot, window) -> None:
    """ "Re: 周报: 第3周?" was offered as is, then refused once the user pressed OK."""
    window.subject_field.setText("Re: 周报: 第3周?")
    dialog = _ask(window)
    assert dialog.textValue() == "Re 周报 第3周"
    dialog.accept()
    assert TemplateStore(window.home).names() == ["Re 周报 第3周"]
    assert not window.banner.isVisible()


def test_a_refused_name_is_asked_again_with_the_reason(qtbot, window) -> None:
    """The typed name is not lost: the question comes back with it and what to change."""
    window.subject_field.setText("Weekly")
    first = _ask(window)
    first.setTextValue("plans: Q3")
    first.accept()
    again = window.tool_windows.templates.name_dialog
    assert again is not first and again.isVisible()
    assert again.textValue() == "plans: Q3"
    assert "cannot be a template name: leave out “:”" in again.labelText()
    assert TemplateStore(window.home).names() == []
    again.setTextValue("plans Q3")
    again.accept()
    assert TemplateStore(window.home).names() == ["plans Q3"]


def _replace_box(window):
    from PySide6.QtWidgets import QMessageBox

    shown = [b for b in window.findChildren(QMessageBox, "replaceTemplateDialog") if b.isVisible()]
    assert len(shown) == 1  # (an answered one lingers until deleted later)
    return shown[0]


def test_a_template_is_replaced_only_when_the_user_says_so(qtbot, window) -> None:
    """Saving under a name in use (in any case: Windows ignores it) asks first."""
    from PySide6.QtWidgets import QMessageBox

    from mailcomposer.message.draft import Draft

    store = TemplateStore(window.home)
    store.save("Weekly", Draft(subject="the old one"))
    window.subject_field.setText("the new one")
    dialog = _ask(window)
    dialog.setTextValue("weekly")
    dialog.accept()
    box = _replace_box(window)
    assert "“Weekly” already exists" in box.text()
    box.button(QMessageBox.StandardButton.No).click()  # Choose another name
    again = window.tool_windows.templates.name_dialog
    assert again.isVisible() and again.textValue() == "weekly"
    assert store.load("Weekly").subject == "the old one"
    again.accept()
    _replace_box(window).button(QMessageBox.StandardButton.Yes).click()
    assert store.names() == ["weekly"]  # one template, under the name given last
    assert store.load("weekly").subject == "the new one"
