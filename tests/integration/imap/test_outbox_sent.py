"""An outbox entry sent later (timer, Retry now, ``outbox run``) is filed in Sent too."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.imapsettings import ImapSettings
from mailcomposer.store.outbox import OutboxState
from mailcomposer.store.outboxqueue import OutboxQueue
from mailcomposer.store.paths import Home
from mailcomposer.store.sentcopies import SentCopies
from tests.gui.conftest import close_window
from tests.gui.test_send_gui import QUICK
from tests.integration.imap.conftest import PASSWORD, USER, Dovecot
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import make_built

SEND_TIMEOUT_MS = 20000


class Clock:
    """A "now" the test moves on (the queue's injectable clock): nothing sleeps."""

    def __init__(self) -> None:
        self.now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

    def __call__(self) -> datetime.datetime:
        return self.now


def save_account(home: Home, smtp: SmtpTestServer, dovecot: Dovecot, **imap: object) -> None:
    AccountStore(home).save(
        Account(
            name="Work",
            server=ServerSettings(
                "127.0.0.1",
                smtp.port,
                Security.NONE,
                username=USER,
                cafile=dovecot.cafile,
                timeouts=QUICK,
            ),
            identities=[Identity("Ann Sender", "ann@example.test")],
            imap=ImapSettings("127.0.0.1", dovecot.tls_port, Security.TLS, **imap),  # type: ignore[arg-type]
        )
    )


def schedule(home: Home, clock: Clock, subject: str, *, minutes: float = -1):
    """An entry for the account "Work", due ``minutes`` from the clock's now."""
    built = make_built(subject=subject, to="bo@example.org", bcc="Carol <carol@example.org>")
    due = clock() + datetime.timedelta(minutes=minutes)
    return built, OutboxQueue(home, clock=clock).schedule(built, due, account="Work")


@pytest.fixture
def window(qtbot, mailcomposer_home: Path) -> Iterator[object]:
    from mailcomposer.ui.app import create_window

    window = create_window(["mailcomposer"])
    yield window
    close_window(window)


def runner_of(window):
    return window.tool_windows.send_later.runner


def test_the_timer_files_a_due_entry_in_sent_with_its_bcc(
    qtbot, window, auth_server: SmtpTestServer, dovecot: Dovecot
) -> None:
    home = window.home
    save_account(home, auth_server, dovecot)
    Credentials().set("Work", PASSWORD, USER)  # known: the timer never asks
    clock = Clock()
    runner = runner_of(window)
    runner.set_clock(clock)
    built, _entry = schedule(home, clock, "Sent later, filed too")

    runner.arm()
    qtbot.wait_until(lambda: len(auth_server.handler.received) == 1, timeout=SEND_TIMEOUT_MS)
    qtbot.wait_until(lambda: not runner.is_sending(), timeout=SEND_TIMEOUT_MS)
    assert OutboxQueue(home).entries() == []
    assert b"carol" not in auth_server.handler.received[0].data  # never on the wire

    [stored] = dovecot.folder_messages("Sent")
    filed = message_from_bytes(stored)
    assert filed["Message-ID"] == built.message_id
    assert filed["Subject"] == "Sent later, filed too"
    assert filed["Bcc"] == "Carol <carol@example.org>"
    assert "* Saved to Sent (“Sent”)" in window.log_dock.transcript_text()


def test_retry_now_files_the_copy_and_a_failed_copy_waits_without_failing_the_send(
    qtbot, window, auth_server: SmtpTestServer, dovecot: Dovecot
) -> None:
    home = window.home
    save_account(home, auth_server, dovecot)
    window.ask_password = lambda account: Secret(PASSWORD)  # Retry now may ask
    clock = Clock()
    runner = runner_of(window)
    runner.set_clock(clock)
    _built, entry = schedule(home, clock, "Failed once", minutes=30)
    OutboxQueue(home).outbox.update(entry.id, state=OutboxState.FAILED, last_error="451 later")
    dovecot.stop()

    runner.retry_now(entry.id)
    qtbot.wait_until(lambda: len(auth_server.handler.received) == 1, timeout=SEND_TIMEOUT_MS)
    qtbot.wait_until(lambda: not runner.is_sending(), timeout=SEND_TIMEOUT_MS)
    assert OutboxQueue(home).entries() == []  # sent: the copy's trouble changes nothing
    assert "* The copy for Sent is waiting: could not connect" in (
        window.log_dock.transcript_text()
    )
    [waiting] = SentCopies(home).waiting("Work")
    assert b"Subject: Failed once" in waiting.path.read_bytes()
    assert b"Bcc: Carol <carol@example.org>" in waiting.path.read_bytes()


def test_outbox_run_files_the_copy_in_sent(
    auth_server: SmtpTestServer,
    dovecot: Dovecot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = Home.from_env()
    save_account(home, auth_server, dovecot)
    monkeypatch.setenv("MAILCOMPOSER_PASSWORD", PASSWORD)
    clock = Clock()
    built, _entry = schedule(home, clock, "Run by cron")
    assert cli.main(["outbox", "run"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "* Saved to Sent (“Sent”)" in out
    [stored] = dovecot.folder_messages("Sent")
    assert message_from_bytes(stored)["Message-ID"] == built.message_id
    assert message_from_bytes(stored)["Bcc"] == "Carol <carol@example.org>"

    _built, _entry = schedule(home, clock, "Run by cron, in JSON")
    assert cli.main(["outbox", "run", "--json"]) == ExitCode.OK
    [attempt] = json.loads(capsys.readouterr().out)["attempts"]
    assert attempt["notes"] == ["Saved to Sent (“Sent”)"]
    assert len(dovecot.folder_messages("Sent")) == 2


def test_outbox_retry_files_the_copy_in_sent(
    auth_server: SmtpTestServer,
    dovecot: Dovecot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = Home.from_env()
    save_account(home, auth_server, dovecot)
    monkeypatch.setenv("MAILCOMPOSER_PASSWORD", PASSWORD)
    _built, entry = schedule(home, Clock(), "Retried by hand", minutes=60)
    assert cli.main(["outbox", "retry", entry.id]) == ExitCode.OK
    assert "* Saved to Sent (“Sent”)" in capsys.readouterr().out
    [stored] = dovecot.folder_messages("Sent")
    assert message_from_bytes(stored)["Subject"] == "Retried by hand"
