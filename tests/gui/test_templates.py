"""Templates in the composer: Save as template…, New from template, and --template NAME."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from mailcomposer.cli import wants_gui
from mailcomposer.message.draft import Draft
from mailcomposer.store.templates import TemplateStore
from mailcomposer.ui.messagefiles import initial_argument
from mailcomposer.ui.templates import template_argument


def templates_menu(window) -> QMenu:
    menu = window.findChild(QMenu, "templatesMenu")
    assert menu is not None
    return menu


def test_file_menu_has_save_as_template_and_the_templates_submenu(window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    actions = file_menu.actions()
    assert templates_menu(window).menuAction() in actions
    assert window.findChild(QAction, "saveTemplateAction") in actions


def test_save_as_template_asks_a_name_and_keeps_the_message(qtbot, window) -> None:
    window.to_field.setText("team@example.org")
    window.subject_field.setText("Weekly report")
    window.editor.setPlainText("Done this week:")
    window.findChild(QAction, "saveTemplateAction").trigger()
    dialog = window.tool_windows.templates.name_dialog
    assert dialog is not None and dialog.objectName() == "templateNameDialog"
    assert dialog.textValue() == "Weekly report"
    dialog.setTextValue("weekly")
    dialog.accept()
    kept = TemplateStore(window.home).load("weekly")
    assert kept.to == "team@example.org"
    assert kept.subject == "Weekly report"
    assert "Done this week:" in kept.text
    assert kept.message_id is None


def test_a_bad_name_shows_an_error_and_saves_nothing(window) -> None:
    assert not window.tool_windows.templates.save("../x")
    assert window.banner.isVisible()
    assert TemplateStore(window.home).names() == []


def test_the_menu_lists_templates_and_starts_a_message_from_one(qtbot, window) -> None:
    TemplateStore(window.home).save("reply", Draft(to="a@example.org", subject="Re: hi"))
    menu = templates_menu(window)
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if a.data()]
    assert [a.text() for a in entries] == ["reply"]
    entries[0].trigger()
    assert window.to_field.text() == "a@example.org"
    assert window.subject_field.text() == "Re: hi"
    assert window.isWindowModified()


def test_an_empty_menu_says_how_to_make_a_template(window) -> None:
    menu = templates_menu(window)
    menu.aboutToShow.emit()
    (only,) = menu.actions()
    assert not only.isEnabled()


def test_template_start_argument(qtbot, make_window, home) -> None:
    TemplateStore(home).save("weekly", Draft(to="team@example.org", subject="Weekly"))
    window = make_window(["--template", "weekly"])
    assert window.subject_field.text() == "Weekly"
    assert window.to_field.text() == "team@example.org"
    assert not window.banner.isVisible() or "weekly" not in window.banner.text()


def test_an_unknown_template_at_start_is_an_error_not_a_file(qtbot, make_window) -> None:
    window = make_window(["--template", "nope"])
    assert window.banner.isVisible()
    assert "nope" in window.banner.text()
    assert window.subject_field.text() == ""


def test_another_start_with_a_template_opens_it_here(qtbot, window) -> None:
    TemplateStore(window.home).save("t", Draft(subject="From the other start"))
    window.open_from_another_start(["--template", "t"])
    window.tool_windows.templates.open_argument(["--template", "t"])
    assert window.subject_field.text() == "From the other start"


def test_the_command_line_knows_the_flag() -> None:
    assert wants_gui(["--template", "weekly"]) and not wants_gui(["--template"])
    assert template_argument(["--template", "w"]) == "w"
    assert template_argument(["--template=w x"]) == "w x"
    assert template_argument(["x.eml"]) is None
    assert initial_argument(["--template", "weekly"]) is None
