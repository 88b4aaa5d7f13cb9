"""Filing the sender's copy in Sent on a real Dovecot over TLS and STARTTLS."""

from __future__ import annotations

import pytest

from mailcomposer.smtp.settings import Secret, Security
from mailcomposer.store import imaputf7
from mailcomposer.store.imapsent import ImapError, append_sent
from mailcomposer.store.imapsettings import ImapSettings
from tests.integration.imap.conftest import PASSWORD, USER, Dovecot

MESSAGE = (
    b"From: ann@example.org\r\nTo: bob@example.org\r\nBcc: carol@example.org\r\n"
    b"Subject: hello\r\nMessage-ID: <x1@example.org>\r\n\r\nhi\r\n"
)


def test_append_over_tls_finds_the_special_use_folder(dovecot: Dovecot) -> None:
    imap = ImapSettings("127.0.0.1", dovecot.tls_port, Security.TLS)
    folder = append_sent(imap, USER, Secret(PASSWORD), MESSAGE, cafile=dovecot.cafile)
    assert folder == "Sent"
    [stored] = dovecot.folder_messages("Sent")
    assert b"Bcc: carol@example.org" in stored


@pytest.mark.parametrize("sent_name", ["已发送"])
def test_append_over_starttls_to_a_chinese_sent_folder(dovecot: Dovecot) -> None:
    imap = ImapSettings("127.0.0.1", dovecot.plain_port, Security.STARTTLS)
    folder = append_sent(imap, USER, Secret(PASSWORD), MESSAGE, cafile=dovecot.cafile)
    assert folder == "已发送"
    assert len(dovecot.folder_messages(imaputf7.encode("已发送"))) == 1


def test_untrusted_certificate_is_refused(dovecot: Dovecot) -> None:
    imap = ImapSettings("127.0.0.1", dovecot.tls_port, Security.TLS)
    with pytest.raises(ImapError, match="not trusted"):
        append_sent(imap, USER, Secret(PASSWORD), MESSAGE)
    assert dovecot.folder_messages("Sent") == []


def test_wrong_password_is_reported(dovecot: Dovecot) -> None:
    imap = ImapSettings("127.0.0.1", dovecot.tls_port, Security.TLS)
    with pytest.raises(ImapError, match="refused the login"):
        append_sent(imap, USER, Secret("wrong"), MESSAGE, cafile=dovecot.cafile)
