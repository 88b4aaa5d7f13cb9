"""``send`` files its copy (Bcc kept) in Sent; with IMAP down it waits, a retry files it."""

from __future__ import annotations

from email import message_from_bytes

import pytest

from mailcomposer.cli import main
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.imapsettings import ImapSettings
from mailcomposer.store.paths import Home
from mailcomposer.store.sentcopies import SentCopies
from tests.integration.imap.conftest import PASSWORD, USER, Dovecot
from tests.servers import SmtpTestServer


def _save_account(smtp: SmtpTestServer, dovecot: Dovecot, **imap: object) -> None:
    AccountStore(Home.from_env()).save(
        Account(
            name="Work",
            server=ServerSettings(
                host="127.0.0.1",
                port=smtp.port,
                security=Security.NONE,
                username=USER,
                cafile=dovecot.cafile,  # the account's extra CA: IMAP's TLS is checked with it
            ),
            identities=[Identity(name="Ann", address="ann@example.org")],
            imap=ImapSettings("127.0.0.1", dovecot.tls_port, Security.TLS, **imap),  # type: ignore[arg-type]
        )
    )


def _send(subject: str) -> int:
    return main(["send", "--account", "Work", "--to", "bob@example.org",
                 "--bcc", "carol@example.org", "--subject", subject, "--text", "hi"])  # fmt: skip


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILCOMPOSER_PASSWORD", PASSWORD)


def test_sent_copy_with_bcc_then_waiting_then_retried(
    auth_server: SmtpTestServer, dovecot: Dovecot, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_account(auth_server, dovecot)
    assert _send("first") == ExitCode.OK
    out = capsys.readouterr().out
    assert "* Saved to Sent (“Sent”)" in out
    [stored] = dovecot.folder_messages("Sent")
    assert b"Bcc: carol@example.org" in stored and b"Subject: first" in stored
    # What went over SMTP has no Bcc.
    assert all(b"carol" not in m.data for m in auth_server.handler.received)

    dovecot.stop()
    assert _send("second") == ExitCode.OK  # a failed copy never fails the send
    out = capsys.readouterr().out
    assert "* The copy for Sent is waiting: could not connect to 127.0.0.1" in out
    [waiting] = SentCopies(Home.from_env()).waiting("Work")
    assert b"Subject: second" in waiting.path.read_bytes()

    dovecot.start()
    assert main(["account", "sent-retry"]) == 0
    assert "* Saved to Sent (“Sent”)" in capsys.readouterr().out
    assert SentCopies(Home.from_env()).waiting() == []
    subjects = sorted(message_from_bytes(m)["Subject"] for m in dovecot.folder_messages("Sent"))
    assert subjects == ["first", "second"]


def test_a_waiting_copy_goes_out_with_the_next_send(
    auth_server: SmtpTestServer, dovecot: Dovecot, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_account(auth_server, dovecot)
    dovecot.stop()
    assert _send("one") == ExitCode.OK
    dovecot.start()
    assert _send("two") == ExitCode.OK
    out = capsys.readouterr().out
    assert out.count("* Saved to Sent") == 2
    assert len(dovecot.folder_messages("Sent")) == 2


def test_save_sent_off_says_so(
    auth_server: SmtpTestServer, dovecot: Dovecot, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_account(auth_server, dovecot, save_sent=False)
    assert _send("x") == ExitCode.OK
    assert "* Not saved to Sent: saving to Sent is off for this account" in capsys.readouterr().out
    assert dovecot.folder_messages("Sent") == []
