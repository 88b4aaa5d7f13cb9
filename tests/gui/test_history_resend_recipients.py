"""History → Resend keeps a Bcc whose address differs from a To only in its local part case."""

from __future__ import annotations

import datetime
from pathlib import Path

from mailcomposer.message.draft import Draft
from mailcomposer.store.history import History
from tests.gui.test_historywindow import open_history
from tests.gui.test_send_gui import maildir_messages, send_and_wait

COPY = (
    b"From: Ann <ann@example.org>\r\nTo: bob@example.org\r\nSubject: two Bobs\r\n"
    b"Message-ID: <bobs@example.org>\r\nDate: Sun, 06 Dec 2026 09:00:00 +0800\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nFor both of you.\r\n"
)


def test_resend_of_a_kept_copy_keeps_a_bcc_that_differs_in_case(qtbot, window, tmp_path) -> None:
    # RFC 5321 §2.4: Bob@ and bob@ may be two mailboxes; the envelope had both.
    copy = tmp_path / "copy.eml"
    copy.write_bytes(COPY)
    history = History(window.home)
    history.record(
        "<bobs@example.org>", datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC),
        "Ann <ann@example.org>", ["bob@example.org", "Bob@example.org"], "two Bobs", 300,
        "127.0.0.1:25", "sent", exit_code=0, copy_path=str(copy),
        rcpt_results=[{"address": "bob@example.org", "field": "to", "code": 250, "text": "OK"},
                      {"address": "Bob@example.org", "field": "bcc", "code": 250, "text": "OK"}],
    )  # fmt: skip
    history.close()
    open_history(window).resend_button.click()
    assert window.subject_field.text() == "two Bobs"
    assert window.to_field.text() == "bob@example.org"
    assert window.bcc_field.text() == "Bob@example.org"


def test_resend_of_a_kept_copy_adds_no_bcc_for_a_domain_in_other_case(
    qtbot, window, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.eml"
    copy.write_bytes(COPY.replace(b"To: bob@example.org", b"To: bob@Example.ORG"))
    history = History(window.home)
    history.record(
        "<bobs@example.org>", None, "Ann <ann@example.org>", ["bob@Example.ORG"], "two Bobs",
        300, "127.0.0.1:25", "sent", exit_code=0, copy_path=str(copy),
        rcpt_results=[{"address": "bob@example.org", "field": "bcc", "code": 250, "text": "OK"}],
    )  # fmt: skip
    history.close()
    open_history(window).resend_button.click()
    assert window.to_field.text() == "bob@Example.ORG"
    assert window.bcc_field.text() == ""  # the same mailbox: already in To


def test_a_sent_bcc_that_differs_in_case_is_logged_and_resent_as_bcc(qtbot, window) -> None:
    window.to_field.setText("bob@example.org")
    window.bcc_field.setText("Bob@example.org")
    window.subject_field.setText("two Bobs")
    window.editor.setPlainText("For both of you.")
    send_and_wait(qtbot, window)  # to the built-in server
    assert window.last_error is None
    (raw,) = maildir_messages(window.home)
    assert b"X-RcptTo: bob@example.org, Bob@example.org" in raw

    history = open_history(window)
    record = history.selected()
    assert [(r["address"], r["field"], r["code"]) for r in record.rcpt_results] == [
        ("bob@example.org", "to", 250),
        ("Bob@example.org", "bcc", 250),
    ]
    window.load_draft(Draft())
    assert window.bcc_field.text() == ""
    history.resend_button.click()
    assert window.to_field.text() == "bob@example.org"
    assert window.bcc_field.text() == "Bob@example.org"
