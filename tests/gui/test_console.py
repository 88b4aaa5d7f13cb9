"""The SMTP console window driven with qtbot against a real aiosmtpd server."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit

from mailcomposer.smtp.settings import Security
from mailcomposer.ui.console import CommandLine, ConsoleWindow
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER


@pytest.fixture
def console_window(qtbot):
    windows = []

    def make(server, security=Security.NONE, cafile=None) -> ConsoleWindow:
        window = ConsoleWindow(server.host, server.port, security, cafile=cafile)
        window.show()
        windows.append((window, window.session.thread))
        return window

    yield make
    for window, thread in windows:
        if not shiboken6.isValid(window):
            continue  # the test closed it (deleted on close)
        window.close()
        assert not thread.isRunning()  # the thread ended with the window


def connect(qtbot, window: ConsoleWindow) -> None:
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.command_line.isEnabled())


def type_command(qtbot, window: ConsoleWindow, text: str) -> None:
    count = len(window.lines)
    window.command_line.setText(text)
    qtbot.keyClick(window.command_line, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: window.command_line.isEnabled() and len(window.lines) > count)


def test_connect_type_noop_and_read_the_explained_reply(qtbot, console_window, smtp_server):
    window = console_window(smtp_server)
    assert window.objectName() == "smtpConsole"
    connect(qtbot, window)
    assert window.lines[-1].text.startswith("220 ")
    assert window.connect_button.text() == "Disconnect"

    type_command(qtbot, window, "NOOP")

    reply = window.lines[-1]
    assert reply.text == "250 OK"
    assert reply.explanation.text == "The server is still there."
    shown = window.transcript.toPlainText()
    assert "C: NOOP" in shown
    assert "The server is still there. RFC 5321 §4.1.1.9" in shown
    assert 'href="https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.9"' in (
        window.transcript.toHtml()
    )
    assert window.command_line.history == ["NOOP"]


def test_quick_buttons_and_quit_disconnect(qtbot, console_window, smtp_server):
    window = console_window(smtp_server)
    connect(qtbot, window)
    count = len(window.lines)
    qtbot.mouseClick(window.quick_buttons["EHLO"], Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.command_line.isEnabled() and len(window.lines) > count)
    assert "EHLO [127.0.0.1]" in window.transcript_text()

    qtbot.mouseClick(window.quick_buttons["VRFY"], Qt.MouseButton.LeftButton)
    assert window.command_line.text() == "VRFY "  # waits for the argument

    qtbot.mouseClick(window.quick_buttons["QUIT"], Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.connect_button.text() == "Connect")
    assert window.lines[-1].text.startswith("221")
    assert not window.command_line.isEnabled()
    assert window.host_field.isEnabled()


def test_history_walks_with_up_and_down(qtbot):
    line = CommandLine()
    qtbot.add_widget(line)
    for text in ("EHLO a", "NOOP"):
        line.setText(text)
        qtbot.keyClick(line, Qt.Key.Key_Return)
    line.setText("HE")
    qtbot.keyClick(line, Qt.Key.Key_Up)
    assert line.text() == "NOOP"
    qtbot.keyClick(line, Qt.Key.Key_Up)
    assert line.text() == "EHLO a"
    qtbot.keyClick(line, Qt.Key.Key_Down)
    qtbot.keyClick(line, Qt.Key.Key_Down)
    assert line.text() == "HE"  # back to what was being typed


def test_auth_helper_asks_the_password_and_never_shows_it(qtbot, console_window, auth_server):
    window = console_window(auth_server)
    connect(qtbot, window)
    type_command(qtbot, window, "EHLO lab")
    window.command_line.setText(f"auth plain {AUTH_USER}")
    qtbot.keyClick(window.command_line, Qt.Key.Key_Return)
    dialog = window.findChild(QInputDialog, "consolePassword")
    assert dialog is not None and dialog.textEchoMode() is QLineEdit.EchoMode.Password
    dialog.setTextValue(AUTH_PASSWORD)
    dialog.accept()
    qtbot.wait_until(lambda: any(line.code == 235 for line in window.lines))
    assert AUTH_PASSWORD not in window.transcript.toPlainText()
    assert AUTH_PASSWORD not in window.transcript_text()
    assert AUTH_PASSWORD not in window.command_line.history


def test_disconnect_during_a_session_ends_cleanly(qtbot, console_window, smtp_server):
    window = console_window(smtp_server)
    connect(qtbot, window)
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.connect_button.text() == "Connect")
    assert window.session.running  # the thread stays for the next connection
    connect(qtbot, window)
    assert window.lines[-1].text.startswith("220 ")


def test_closing_the_window_ends_its_thread_and_deletes_it(qtbot, console_window, smtp_server):
    window = console_window(smtp_server)
    connect(qtbot, window)
    thread = window.session.thread
    window.close()
    assert not thread.isRunning()
    qtbot.wait_until(lambda: not shiboken6.isValid(window))


def test_a_refused_connection_is_reported(qtbot, console_window):
    from tests.servers import refusing_port

    with refusing_port() as port:

        class Nowhere:
            host = "127.0.0.1"

        Nowhere.port = port
        window = console_window(Nowhere)
        qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
        qtbot.wait_until(lambda: window.connect_button.isEnabled() and len(window.lines) > 1)
    assert "refused" in window.lines[-1].text
    assert window.connect_button.text() == "Connect"


def test_deleting_the_parent_window_stops_the_thread(qtbot, smtp_server):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    window = ConsoleWindow(smtp_server.host, smtp_server.port, parent=parent)
    window.show()
    connect(qtbot, window)
    thread = window.session.thread
    parent.deleteLater()  # no closeEvent reaches the console window
    qtbot.wait_until(lambda: not thread.isRunning())


def test_tools_menu_opens_the_console_on_the_built_in_server(qtbot, window):
    from PySide6.QtWidgets import QApplication, QMainWindow

    action = window.findChild(type(window.send_action), "consoleAction")
    assert action is not None
    action.trigger()
    consoles = [
        w for w in QApplication.topLevelWidgets()
        if w.objectName() == "smtpConsole" and w.isVisible()
    ]  # fmt: skip
    assert len(consoles) == 1
    console = consoles[0]
    server = window.send_flow.local_server.current()
    assert server is not None, "the built-in server was started for the console"
    connect(qtbot, console)
    type_command(qtbot, console, "NOOP")
    assert console.lines[-1].text.startswith("250")
    thread = console.session.thread
    console.close()
    qtbot.wait_until(lambda: not thread.isRunning())
    assert isinstance(window, QMainWindow)


def test_the_tools_menu_console_follows_a_lab_switch_of_the_built_in_server(qtbot, window):
    # A console opened on a fixed port and security stayed on the old server: the
    # student's next Connect was refused (or waited for a greeting TLS would carry).
    from PySide6.QtWidgets import QApplication

    from mailcomposer.sandbox.config import SandboxConfig
    from mailcomposer.sandbox.labfile import save_lab_config

    window.findChild(type(window.send_action), "consoleAction").trigger()
    (console,) = [
        w for w in QApplication.topLevelWidgets()
        if w.objectName() == "smtpConsole" and w.isVisible()
    ]  # fmt: skip
    local = window.send_flow.local_server
    save_lab_config(window.home, SandboxConfig(implicit_tls=True))  # what Apply saves
    local.config_changed(sending=False)
    try:
        connect(qtbot, console)
        assert console.security_combo.currentData() == Security.TLS.value
        assert console.port_field.value() == local.current().port
        assert [line for line in console.lines if line.code == 220][-1].secure
    finally:
        thread = console.session.thread if console.session is not None else None
        console.close()
        if thread is not None:
            qtbot.wait_until(lambda: not thread.isRunning(), timeout=30000)
