"""The inbox shows a Bcc copy whose address differs from a To only in case (RFC 5321 §2.4)."""

from __future__ import annotations

from mailcomposer.sandbox.server import write_maildir_message
from mailcomposer.ui.inbox import hidden_recipients, list_messages

HEAD = b"From: alice@example.org\r\nTo: bob@Example.NET\r\nSubject: case\r\n\r\nhello\r\n"


def test_a_bcc_differing_from_a_to_only_in_case_is_shown(tmp_path):
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    # The envelope: bob@ (the To, its domain in another case) and Bob@ (a Bcc copy).
    write_maildir_message(maildir, b"X-RcptTo: bob@example.net, Bob@example.net\r\n" + HEAD)
    [stored] = list_messages(maildir)
    assert hidden_recipients(stored) == ["Bob@example.net"]
