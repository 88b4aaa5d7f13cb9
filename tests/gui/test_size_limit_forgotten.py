"""A server's size limit is forgotten once it no longer has one (lab switched, SIZE gone)."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.store.accounts import SANDBOX_NAME
from tests.gui.test_send_gui import fill, send_and_wait, use_server
from tests.servers import SmtpTestServer


def test_a_server_that_stops_announcing_size_clears_the_limit(qtbot, window, tmp_path: Path):
    """A limit learned once must not warn about every later message to that account."""
    with SmtpTestServer(data_size_limit=200_000) as server:
        use_server(window, server.port)
        fill(window, tmp_path)
        send_and_wait(qtbot, window)
    assert window.ui_settings.server_size_limit("Test server") == 200_000
    with SmtpTestServer(data_size_limit=None) as unlimited:
        use_server(window, unlimited.port)
        send_and_wait(qtbot, window)
    assert window.last_error is None
    assert window.ui_settings.server_size_limit("Test server") is None
    assert window.attachments.size_limit is None or window.attachments.size_limit <= 0


def test_changing_the_lab_server_replaces_what_was_learned_of_it(qtbot, window):
    """Turning the lab's size limit off ends the "server takes at most 100 bytes" warnings."""
    assert window.current_account().name == SANDBOX_NAME
    window.ui_settings.set_server_size_limit(SANDBOX_NAME, 100)
    window.attachments.set_size_limit(100)
    window.tool_windows.lab_config_changed.emit(SandboxConfig())
    assert window.ui_settings.server_size_limit(SANDBOX_NAME) is None
    assert window.attachments.effective_limit() > 100
    window.tool_windows.lab_config_changed.emit(SandboxConfig(size_limit=5000))
    assert window.ui_settings.server_size_limit(SANDBOX_NAME) == 5000
    assert window.attachments.effective_limit() == 5000
