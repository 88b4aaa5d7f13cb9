"""To, Cc and Bcc together from the real window: every one in the envelope, Bcc in no header.

Driven only through object names (toField, ccField, bccField, subjectField,
bodyEditor, sendAction, cancelSendAction, sentDialog) and what lands in the built-in
server's Maildir, so it holds whatever shape the window's code takes.
"""

from __future__ import annotations

import email
import email.policy

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QTextEdit

from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.store.paths import Home
from mailcomposer.ui.sendcontroller import live_threads
from tests.gui.conftest import find_box

SEND_TIMEOUT_MS = 15000


def field(window, name: str) -> QLineEdit:
    widget = window.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def action(window, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_to_cc_and_bcc_all_receive_and_bcc_stays_out_of_the_headers(
    qtbot, window, home: Home
) -> None:
    assert window.objectName() == "composerWindow"
    field(window, "toField").setText("Bo <bo@example.org>")
    field(window, "ccField").setText("Cy <cy@example.org>, dee@example.org")
    field(window, "bccField").setText("hidden@example.org")
    field(window, "subjectField").setText("Three kinds of recipient")
    editor = window.findChild(QTextEdit, "bodyEditor")
    assert editor is not None
    editor.setPlainText("Hello all.")
    inbox = Inbox(home.sandbox_maildir)

    action(window, "sendAction").trigger()
    qtbot.wait_until(lambda: find_box("sentDialog") is not None, timeout=SEND_TIMEOUT_MS)
    qtbot.wait_until(lambda: not live_threads(), timeout=SEND_TIMEOUT_MS)

    assert not action(window, "cancelSendAction").isEnabled()
    [stored] = inbox.messages()
    assert sorted(stored.rcpt_tos) == [
        "bo@example.org",
        "cy@example.org",
        "dee@example.org",
        "hidden@example.org",
    ]
    raw = stored.raw()
    head = raw.partition(b"\r\n\r\n")[0]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Bcc"] is None
    assert b"\nBcc:" not in head and b"\nbcc:" not in head.lower()
    # The only header naming the Bcc recipient is the server's envelope record.
    assert [line for line in head.split(b"\r\n") if b"hidden@" in line] == [
        b"X-RcptTo: " + ", ".join(stored.rcpt_tos).encode()
    ]
    assert message["To"] == "Bo <bo@example.org>"
    assert message["Cc"] == "Cy <cy@example.org>, dee@example.org"
