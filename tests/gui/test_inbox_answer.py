"""Reply, Reply all and Forward from the local inbox: the composer answers the message."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from mailcomposer.message.replymode import Mode
from mailcomposer.sandbox.server import write_maildir_message
from mailcomposer.ui.inbox import SandboxInboxDialog
from mailcomposer.ui.inboxloader import wait_for_loads


def stored(sender: str, subject: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Bob <bob@example.org>"
    msg["Cc"] = "carol@example.org"
    msg["Subject"] = subject
    msg["Message-ID"] = "<lunch-1@localhost>"
    msg.set_content("Lunch at noon?\n")
    return msg.as_bytes()


@pytest.fixture
def inbox(qtbot, window):
    def opened(sender: str, subject: str) -> SandboxInboxDialog:
        write_maildir_message(window.home.sandbox_maildir, stored(sender, subject))
        window.inbox_action.trigger()
        dialog = window.findChild(QWidget, "sandboxInbox")
        assert isinstance(dialog, SandboxInboxDialog)
        qtbot.wait_until(lambda: len(dialog.messages()) == 1)
        return dialog

    yield opened
    assert wait_for_loads()


def test_reply_to_a_message_i_sent_answers_its_recipients_in_the_composer(
    qtbot, window, inbox
) -> None:
    dialog = inbox("Me <me@localhost>", "Lunch")  # the built-in account's own address
    reply = dialog.answer_buttons
    assert not any(b.isEnabled() for b in reply.values())  # nothing selected yet
    dialog.table.selectRow(0)
    assert all(b.isEnabled() for b in reply.values())
    qtbot.mouseClick(dialog.findChild(QWidget, "inboxReplyButton"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.subject_field.text() == "Re: Lunch")
    assert window.to_field.text() == "Bob <bob@example.org>" and window.cc_field.text() == ""
    assert window.replies.source == dialog.messages()[0].path
    dialog.close()


def test_reply_all_and_forward_from_the_inbox(qtbot, window, inbox) -> None:
    dialog = inbox("Dana <dana@example.net>", "Plans")
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.findChild(QWidget, "inboxReplyAllButton"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.subject_field.text() == "Re: Plans")
    assert window.to_field.text() == "Dana <dana@example.net>"
    assert (
        "bob@example.org" in window.cc_field.text()
        and "carol@example.org" in window.cc_field.text()
    )
    dialog.close()


def test_forward_from_the_inbox_leaves_the_recipients_to_the_user(qtbot, window, inbox) -> None:
    dialog = inbox("Dana <dana@example.net>", "Plans")
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.findChild(QWidget, "inboxForwardButton"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.subject_field.text() == "Fwd: Plans")
    assert window.to_field.text() == ""
    assert "Lunch at noon?" in window.editor.toPlainText()  # the forwarded message
    dialog.close()


def test_nothing_is_asked_with_no_message_selected(qtbot, window, inbox) -> None:
    dialog = inbox("Dana <dana@example.net>", "Plans")
    dialog.table.clearSelection()
    asked = []
    dialog.answer_requested.connect(lambda *args: asked.append(args))
    assert dialog.answer_selected(Mode.REPLY) is False and asked == []
    dialog.close()
