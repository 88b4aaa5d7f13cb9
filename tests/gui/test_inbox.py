"""Tests for the sandbox inbox dialog, against the real local server."""

from __future__ import annotations

import smtplib
from email import policy
from email.message import EmailMessage

import pytest
from PySide6.QtWidgets import QMessageBox

from mailcomposer.sandbox.server import SandboxServer, write_maildir_message
from mailcomposer.ui.inbox import SandboxInboxDialog
from mailcomposer.ui.mimeview import MimeViewDialog

# The offscreen platform warns about top-level size hints; harmless here.

# How long to wait for the file watcher: generous, since a loaded CI machine can delay the
# watcher's event by seconds, and a passing test never waits this long.
WAIT_MS = 20000


def message(subject: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "alice@example.org"
    msg["To"] = "bob@example.net"
    msg["Subject"] = subject
    msg.set_content("hello\n")
    return msg


@pytest.fixture
def maildir(tmp_path):
    path = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(parents=True)
    return path


def test_lists_what_the_server_received_with_bcc(qtbot, maildir):
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    assert dialog.objectName() == "sandboxInbox"
    assert dialog.messages() == []
    # Only the file watcher tells the dialog: nobody calls refresh().
    with (
        SandboxServer(maildir) as server,
        smtplib.SMTP(server.host, server.port) as smtp,
        qtbot.wait_signal(dialog.refreshed, timeout=WAIT_MS),
    ):
        smtp.sendmail(
            "alice@example.org",
            ["bob@example.net", "hidden@example.com"],
            message("Lab 1").as_bytes(policy=policy.SMTP),
        )
    qtbot.wait_until(lambda: len(dialog.messages()) == 1, timeout=WAIT_MS)
    [stored] = dialog.messages()
    assert stored.rcpt_tos == ("bob@example.net", "hidden@example.com")
    row = [dialog.proxy.index(0, c).data() for c in range(6)]
    assert row[1] == "alice@example.org"
    assert row[2] == "bob@example.net, hidden@example.com"
    assert row[3] == "hidden@example.com"  # in the envelope, in no header: the Bcc copy
    assert row[4] == "Lab 1"
    assert "Bcc" in dialog.proxy.index(0, 2).data(3)  # ToolTipRole


def test_open_shows_the_mime_view(qtbot, maildir):
    write_maildir_message(
        maildir, b"X-RcptTo: b@example.net\r\n" + message("Open me").as_bytes(policy=policy.SMTP)
    )
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.table.selectRow(0)
    viewer = dialog.open_selected()
    assert isinstance(viewer, MimeViewDialog)
    assert viewer.part_paths() == ["text/plain"]
    viewer.close()


def test_delete_removes_the_file(qtbot, maildir, monkeypatch):
    for subject in ("one", "two"):
        write_maildir_message(
            maildir, b"X-RcptTo: b@example.net\r\n" + message(subject).as_bytes(policy=policy.SMTP)
        )
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    assert len(dialog.messages()) == 2
    dialog.table.selectRow(0)
    doomed = dialog.selected_keys()[0]
    # The confirmation is modal; answer it as the user would.
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    dialog.delete_button.click()
    assert [m.key for m in dialog.messages()] != [] and doomed not in [
        m.key for m in dialog.messages()
    ]
    assert len(list((maildir / "new").iterdir())) == 1


def test_delete_declined_keeps_the_file(qtbot, maildir, monkeypatch):
    write_maildir_message(maildir, message("keep").as_bytes(policy=policy.SMTP))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.table.selectRow(0)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    assert dialog.delete_selected() == 0
    assert len(dialog.messages()) == 1


def test_missing_maildir_is_an_empty_inbox(qtbot, tmp_path):
    dialog = SandboxInboxDialog(tmp_path / "nothing")
    qtbot.add_widget(dialog)
    assert dialog.messages() == []
    assert not dialog.delete_button.isEnabled()
    assert "No messages" in dialog.status.text()


def test_column_titles_are_not_cut(qtbot, maildir):
    write_maildir_message(maildir, message("narrow").as_bytes(policy=policy.SMTP))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    header = dialog.table.horizontalHeader()
    for column in (1, 2, 3):  # "Bcc (envelope only)" over an empty column was cut off
        assert dialog.table.columnWidth(column) >= header.sectionSizeHint(column)
