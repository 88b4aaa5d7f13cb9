"""Reply, Reply all and Forward in the real window, and the threaded reply's arrival."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from mailcomposer.store.paths import Home
from mailcomposer.ui.replies import start_mode
from tests.gui.test_send_gui import maildir_messages, send_and_wait

ORIGINAL = (
    b"From: Bob <bob@example.org>\r\n"
    b"To: Me <me@localhost>, carol@example.org\r\n"
    b"Cc: dave@example.net\r\n"
    b"Subject: Re: Plan for Monday\r\n"
    b"Date: Mon, 30 Nov 2026 09:15:00 +0800\r\n"
    b"Message-ID: <plan-2@example.org>\r\n"
    b"References: <plan-1@example.org>\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Shall we meet at ten?\r\n"
)


def opened(window, tmp_path: Path) -> Path:
    path = tmp_path / "plan.eml"
    path.write_bytes(ORIGINAL)
    assert window.open_eml(path)
    return path


def action(window, name):
    return window.findChild(type(window.send_action), name)


def test_the_actions_wait_for_an_opened_message(qtbot, window, tmp_path):
    assert not action(window, "replyAllAction").isEnabled()
    opened(window, tmp_path)
    for name in ("replyAction", "replyAllAction", "forwardAction", "forwardAttachedAction"):
        assert action(window, name).isEnabled(), name
    menu = window.menuBar().findChild(type(window.menuBar().actions()[0].menu()), "messageMenu")
    assert menu is not None and len(menu.actions()) == 4


def test_reply_all_quotes_and_threads_and_arrives_in_the_inbox(qtbot, window, tmp_path):
    opened(window, tmp_path)
    window.draft_keeper.set_modified(False)  # the opened file is not the user's writing
    action(window, "replyAllAction").trigger()
    qtbot.wait_until(lambda: window.subject_field.text() == "Re: Plan for Monday")
    assert window.to_field.text() == "Bob <bob@example.org>"
    assert "me@localhost" not in window.cc_field.text()
    assert "carol@example.org" in window.cc_field.text()
    assert "dave@example.net" in window.cc_field.text()
    body = window.editor.toPlainText()
    assert "> Shall we meet at ten?" in body and "wrote:" in body
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    cursor.insertText("Yes, at ten.")  # a reply with no words of its own is stopped by the checks

    send_and_wait(qtbot, window)
    (stored,) = maildir_messages(Home(Path(window.home.root)))
    message = BytesParser(policy=policy.default).parsebytes(stored)
    assert message["In-Reply-To"] == "<plan-2@example.org>"
    assert message["References"] == "<plan-1@example.org> <plan-2@example.org>"
    assert message["Subject"] == "Re: Plan for Monday"


def test_forward_keeps_the_content_and_asks_for_a_recipient(qtbot, window, tmp_path):
    opened(window, tmp_path)
    window.draft_keeper.set_modified(False)
    action(window, "forwardAction").trigger()
    qtbot.wait_until(lambda: window.subject_field.text() == "Fwd: Plan for Monday")
    assert window.to_field.text() == ""
    assert "Shall we meet at ten?" in window.editor.toPlainText()


def test_the_command_line_flags():
    assert start_mode(["--reply-all", "x.eml"]).value == "reply-all"
    assert start_mode(["x.eml"]) is None
    from mailcomposer.cli import wants_gui

    assert wants_gui(["--reply", "x.eml"]) and not wants_gui(["--reply"])


def test_a_start_with_reply_opens_the_answer(qtbot, make_window, tmp_path):
    path = tmp_path / "plan.eml"
    path.write_bytes(ORIGINAL)
    window = make_window(["--reply", str(path)])
    assert window.subject_field.text() == "Re: Plan for Monday"
    assert window.to_field.text() == "Bob <bob@example.org>"


def test_answering_an_untouched_opened_file_asks_nothing(qtbot, window, tmp_path):
    opened(window, tmp_path)
    action(window, "replyAction").trigger()
    assert window.pending_question() is None
    assert window.subject_field.text() == "Re: Plan for Monday"
