"""The lab in the window: a lesson's or the panel's server settings reach the next send."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from mailcomposer.sandbox.config import Reply, SandboxConfig
from mailcomposer.sandbox.labfile import save_lab_config
from tests.gui.test_send_gui import send_and_wait


def visible(name: str):
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


def test_menus_open_the_panel_and_the_lessons(qtbot, window):
    action = window.findChild(type(window.send_action), "sandboxPanelAction")
    action.trigger()
    qtbot.wait_until(lambda: bool(visible("sandboxPanel")))
    visible("sandboxPanel")[0].reject()
    window.findChild(type(window.send_action), "lessonsAction").trigger()
    qtbot.wait_until(lambda: bool(visible("lessonsDialog")))
    visible("lessonsDialog")[0].close()


def test_a_changed_lab_config_applies_from_the_next_send(qtbot, window):
    window.to_field.setText("x@example.org, y@example.org")
    window.subject_field.setText("lab")
    window.editor.setPlainText("hello")
    send_and_wait(qtbot, window)
    assert window.last_error is None
    config = SandboxConfig(rejects=(("x@example.org", Reply(550, "5.1.1 No such user here")),))
    save_lab_config(window.home, config)
    window.tool_windows.lab_config_changed.emit(config)
    assert window.send_flow.local_server.current() is None, "restarted at the next send"
    window.to_field.setText("x@example.org, y@example.org")
    window.subject_field.setText("lab 2")
    window.editor.setPlainText("hello")
    send_and_wait(qtbot, window)
    result = window.last_result
    assert result is not None
    assert [r.address for r in result.refused] == ["x@example.org"]
    assert result.refused[0].code == 550


def test_the_preview_shows_the_wire_form_without_bcc(qtbot, window):
    window.to_field.setText("a@example.org")
    window.bcc_field.setText("hidden@example.org")
    window.subject_field.setText("preview")
    window.editor.setPlainText("hi")
    window.findChild(type(window.send_action), "mimeAction").trigger()
    qtbot.wait_until(lambda: bool(visible("mimeView")))
    view = visible("mimeView")[0]
    assert b"Bcc:" not in view.raw
    view.close()


def test_copy_as_swaks_command_puts_it_on_the_clipboard(qtbot, window):
    window.to_field.setText("bob@example.org")
    window.bcc_field.setText("carol@example.org")
    window.subject_field.setText("swaks")
    window.editor.setPlainText("hello")
    window.findChild(type(window.send_action), "swaksAction").trigger()
    qtbot.wait_until(lambda: bool(visible("swaksDialog")))
    text = QApplication.clipboard().text()
    assert text.startswith("swaks --server 127.0.0.1 --port ")
    assert "--to bob@example.org,carol@example.org" in text
    assert "Bcc:" not in text
    visible("swaksDialog")[0].close()
