"""The console on the window's built-in server keeps reaching it when a lab switch restarts it."""

from __future__ import annotations

import smtplib

import pytest
from PySide6.QtCore import Qt

from mailcomposer.sandbox.config import Reply, SandboxConfig
from mailcomposer.sandbox.labfile import save_lab_config
from mailcomposer.smtp.settings import Security
from mailcomposer.store.paths import Home
from mailcomposer.ui.console import ConsoleWindow
from mailcomposer.ui.localserver import LocalServer
from mailcomposer.ui.uisettings import UiSettings

BUSY = Reply(450, "4.2.0 Mailbox busy")


@pytest.fixture
def local_server(tmp_path):
    home = Home(tmp_path / "home")
    server = LocalServer(home, UiSettings(home))
    yield home, server
    server.stop()


def switch(home: Home, server: LocalServer, config: SandboxConfig) -> None:
    """What the Local server panel's Apply does (the window is not sending)."""
    save_lab_config(home, config)
    server.config_changed(sending=False)


def test_a_lab_switch_keeps_the_port_and_applies_to_the_next_connection(local_server):
    home, server = local_server
    port = server.ensure().port
    switch(home, server, SandboxConfig(faults=(("RCPT", BUSY),)))
    assert server.ensure().port == port, "a command line or console still reaches it"
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo()
        client.mail("ann@example.org")
        code, text = client.rcpt("bob@example.org")
    assert (code, text) == (450, b"4.2.0 Mailbox busy")


def connect(qtbot, window: ConsoleWindow) -> None:
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.command_line.isEnabled())


def test_the_console_follows_the_server_after_a_lab_switch(qtbot, local_server):
    home, server = local_server
    window = ConsoleWindow.for_local_server(server)
    qtbot.add_widget(window)
    window.show()
    assert window.security_combo.currentData() == Security.NONE.value
    connect(qtbot, window)
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)  # Disconnect
    qtbot.wait_until(window.host_field.isEnabled)
    # The student switches the lab server to TLS from the first byte (as on port 465).
    switch(home, server, SandboxConfig(implicit_tls=True))
    connect(qtbot, window)
    assert window.security_combo.currentData() == Security.TLS.value
    assert window.port_field.value() == server.current().port
    greeting = [line for line in window.lines if line.code == 220][-1]
    assert greeting.secure, "the greeting came inside TLS, its certificate trusted"
    window.close()


def test_a_lab_switch_that_drops_the_session_says_so_in_the_console(qtbot, local_server):
    # It said only "The server closed the connection." with nothing about the cause.
    home, server = local_server
    window = ConsoleWindow.for_local_server(server)
    qtbot.add_widget(window)
    window.show()
    connect(qtbot, window)
    switch(home, server, SandboxConfig(faults=(("RCPT", BUSY),)))
    assert "restarts with its new settings" in window.lines[-1].text
    assert "Connect again" in window.transcript.toPlainText()
    # The session learns it at its next command; then Connect reaches the new server.
    window.command_line.setText("NOOP")
    qtbot.keyClick(window.command_line, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: window.host_field.isEnabled(), timeout=10000)
    connect(qtbot, window)
    assert [line for line in window.lines if line.code == 220]
    thread = window.session.thread
    window.close()
    qtbot.wait_until(lambda: not thread.isRunning())


def test_no_note_when_the_console_is_not_connected(qtbot, local_server):
    home, server = local_server
    window = ConsoleWindow.for_local_server(server)
    qtbot.add_widget(window)
    switch(home, server, SandboxConfig(faults=(("RCPT", BUSY),)))
    assert window.lines == []
    window.close()
