"""Checks before sending in the window: an address whose domain has no dot."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from tests.gui.test_send_gui import SEND_TIMEOUT_MS, maildir_messages


def test_a_domain_without_a_dot_asks_first_and_edit_selects_it(qtbot, window) -> None:
    window.to_field.setText("ann@example.org")
    window.cc_field.setText("王五 <wangwu@qq.com>，zhangsan@example")
    window.subject_field.setText("周报")
    window.editor.setPlainText("大家好")
    assert not window.send()
    dialog = window.send_log.checks.dialog
    assert [f.check for f in dialog.findings] == ["domain-incomplete"]
    assert maildir_messages(window.home) == []
    dialog.findChild(QPushButton, "fix_domain-incomplete").click()
    assert window.send_log.checks.dialog is None
    assert window.cc_field.isVisible()
    assert window.cc_field.selectedText() == "zhangsan@example"
    assert window.cc_field.text() == "王五 <wangwu@qq.com>，zhangsan@example", "nothing changed"


def test_the_local_server_address_sends_without_a_question(qtbot, window) -> None:
    window.to_field.setText("me@localhost")
    window.subject_field.setText("test")
    window.editor.setPlainText("hello")
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        assert window.send()
    assert window.send_log.checks.dialog is None
    assert len(maildir_messages(window.home)) == 1
