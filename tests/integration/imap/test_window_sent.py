"""A send from the window files its copy in Sent too, and says so in the protocol log."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest

from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.imapsettings import ImapSettings
from tests.gui.conftest import close_window
from tests.gui.test_send_gui import QUICK, fill, send_and_wait
from tests.integration.imap.conftest import PASSWORD, USER, Dovecot
from tests.servers import SmtpTestServer


@pytest.fixture
def window(qtbot) -> Iterator[object]:
    from mailcomposer.ui.app import create_window

    window = create_window(["mailcomposer"])
    yield window
    close_window(window)


def test_window_send_files_the_copy_with_bcc(
    qtbot, window, tmp_path: Path, auth_server: SmtpTestServer, dovecot: Dovecot
) -> None:
    AccountStore(window.home).save(
        Account(
            name="Work",
            server=ServerSettings(
                "127.0.0.1",
                auth_server.port,
                Security.NONE,
                username=USER,
                cafile=dovecot.cafile,
                timeouts=QUICK,
            ),
            identities=[Identity("Ann Sender", "ann@example.org")],
            imap=ImapSettings("127.0.0.1", dovecot.tls_port, Security.TLS),
        )
    )
    window.header.reload_accounts()
    assert window.select_identity("ann@example.org")
    window.ask_password = lambda account: Secret(PASSWORD)
    fill(window, tmp_path)
    send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error and window.last_error.user_message
    assert "* Saved to Sent (“Sent”)" in window.log_dock.transcript_text()
    [stored] = dovecot.folder_messages("Sent")
    assert message_from_bytes(stored)["Bcc"] == "hidden@example.org"
