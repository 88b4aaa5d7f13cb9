"""The outbox queue against real servers: retries, permanent failures, unknown outcomes, the log."""

from __future__ import annotations

import base64
import datetime
import random
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message
from mailcomposer.sandbox.parsers import build_config
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.errors import ExitCode, SendError
from mailcomposer.store.history import History
from mailcomposer.store.outbox import OutboxState
from mailcomposer.store.outboxqueue import OutboxQueue
from mailcomposer.store.paths import Home
from mailcomposer.submission import Submission
from tests.servers import (
    LOCAL_ERROR,
    NO_SUCH_USER,
    TOO_BIG,
    TRANSACTION_FAILED,
    RecordingHandler,
    SmtpTestServer,
)
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, settings_for

T0 = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime.datetime:
        return self.now


class DeferOnce(RecordingHandler):
    """Answers the first final dot with 451, accepts every later one."""

    def __init__(self) -> None:
        super().__init__()
        self.dots = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.dots += 1
        if self.dots == 1:
            return LOCAL_ERROR.line
        return await super().handle_DATA(server, session, envelope)


def message(**kw: str):
    return build_message(
        Draft(
            from_addr="Ann <ann@example.org>",
            to="Bob <bob@example.org>",
            cc=kw.get("cc", ""),
            bcc=kw.get("bcc", "carol@example.org"),
            subject="Queued report",
            text="Hello Bob",
        )
    )


def message_ids(raw_messages: list[bytes]) -> list[str]:
    return [
        str(BytesParser(policy=policy.default).parsebytes(r)["Message-ID"]) for r in raw_messages
    ]


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def runner(home: Home, settings, secret=None):
    def run(entry):
        return Submission(home, settings, secret, None, entry.account, entry=entry).run(
            lambda event: None
        )

    return run


def attempts(home: Home):
    history = History(home)
    try:
        return list(reversed(history.recent()))
    finally:
        history.close()


def test_451_then_250_delivers_once_with_one_message_id(home: Home) -> None:
    clock = Clock()
    queue = OutboxQueue(home, clock=clock, rng=random.Random(3))
    built = message()
    handler = DeferOnce()
    with SmtpTestServer(handler=handler) as server:
        entry = queue.schedule(built, T0)
        first = queue.send_entry(entry.id, runner(home, settings_for(server)))
        assert first.state is OutboxState.RETRY and first.error.code == 451
        assert queue.due() == []
        clock.now = queue.next_due()
        [due] = queue.due()
        second = queue.send_entry(due.id, runner(home, settings_for(server)))
    assert second.result is not None and second.result.message_id == built.message_id
    assert queue.entries() == []
    assert message_ids([r.data for r in handler.received]) == [built.message_id]
    assert handler.received[0].rcpt_tos == ("bob@example.org", "carol@example.org")
    failed, sent = attempts(home)
    assert (failed.result, failed.stage, failed.reply_code, failed.exit_code) == (
        "failed", "final-dot", 451, 6,
    )  # fmt: skip
    assert sent.result == "sent" and sent.message_id == failed.message_id == built.message_id
    assert failed.copy_path == str(entry.path)
    assert [(r["address"], r["field"], r["code"]) for r in sent.rcpt_results] == [
        ("bob@example.org", "to", 250),
        ("carol@example.org", "bcc", 250),
    ]
    assert sent.duration is not None and sent.duration >= 0
    assert "C: RCPT TO:<carol@example.org>" in sent.transcript


def test_552_stays_failed_with_its_reason(home: Home) -> None:
    clock = Clock()
    queue = OutboxQueue(home, clock=clock)
    handler = RecordingHandler(data_reply=TOO_BIG)
    with SmtpTestServer(handler=handler) as server:
        entry = queue.schedule(message(), T0)
        attempt = queue.send_entry(entry.id, runner(home, settings_for(server)))
        clock.now = T0 + datetime.timedelta(days=2)
        assert queue.due() == []
    assert attempt.state is OutboxState.FAILED
    [kept] = queue.entries()
    assert kept.state is OutboxState.FAILED and kept.last_error == TOO_BIG.line
    [record] = attempts(home)
    assert (record.result, record.reply_code, record.exit_code) == ("failed", 552, 6)


def test_drop_after_the_dot_stays_unknown_until_retried_by_hand(home: Home, tmp_path: Path) -> None:
    queue = OutboxQueue(home, clock=Clock())
    built = message(bcc="")
    config = build_config(drops=["DOT"])
    with SandboxServer(tmp_path / "drop", cert_dir=tmp_path / "certs", config=config) as server:
        entry = queue.schedule(built, T0)
        attempt = queue.send_entry(entry.id, runner(home, server.settings()))
    assert attempt.state is OutboxState.UNKNOWN and attempt.exit_code is ExitCode.UNKNOWN
    assert queue.due() == [] and queue.next_due() is None
    with SmtpTestServer() as good:
        again = queue.send_entry(entry.id, runner(home, settings_for(good)), explicit=True)
        assert message_ids([r.data for r in good.received]) == [built.message_id]
    assert again.result is not None and queue.entries() == []
    unknown, sent = attempts(home)
    assert (unknown.result, unknown.stage, unknown.exit_code) == ("unknown", "final-dot", 8)
    assert sent.result == "sent" and sent.message_id == unknown.message_id


def test_failed_attempts_are_logged_with_stage_and_per_recipient_replies(home: Home) -> None:
    handler = RecordingHandler(
        rcpt_replies={"carol@example.org": NO_SUCH_USER}, data_reply=TRANSACTION_FAILED
    )
    with SmtpTestServer(handler=handler) as server, pytest.raises(SendError):
        Submission(home, settings_for(server), None, message(cc="dan@example.org")).run(
            lambda event: None
        )
    [record] = attempts(home)
    assert (record.result, record.stage, record.reply_code) == ("failed", "final-dot", 554)
    assert record.reply_text == TRANSACTION_FAILED.text
    assert record.envelope_from == "ann@example.org"
    fields = {r["address"]: (r["field"], r["code"]) for r in record.rcpt_results}
    assert fields == {
        "bob@example.org": ("to", 250),
        "dan@example.org": ("cc", 250),
        "carol@example.org": ("bcc", 550),
    }


def test_the_logged_transcript_holds_no_secret(home: Home, auth_server: SmtpTestServer) -> None:
    from mailcomposer.smtp.settings import Secret

    settings = settings_for(auth_server, user=AUTH_USER, auth="plain")
    Submission(home, settings, Secret(AUTH_PASSWORD), message()).run(lambda event: None)
    auth_server.handler.rcpt_replies["bob@example.org"] = NO_SUCH_USER
    auth_server.handler.rcpt_replies["carol@example.org"] = NO_SUCH_USER
    with pytest.raises(SendError):
        Submission(home, settings, Secret(AUTH_PASSWORD), message()).run(lambda event: None)
    records = attempts(home)
    assert [r.result for r in records] == ["sent", "failed"]
    assert all("AUTH PLAIN ****" in r.transcript for r in records)
    plain = base64.b64encode(f"\0{AUTH_USER}\0{AUTH_PASSWORD}".encode())
    for path in home.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert AUTH_PASSWORD.encode() not in data and plain not in data, path


def test_a_broken_send_log_never_changes_the_outcome(home: Home) -> None:
    home.history_db.mkdir(parents=True)  # sqlite cannot open a folder
    handler = RecordingHandler(data_reply=TOO_BIG)
    with SmtpTestServer(handler=handler) as server:
        with pytest.raises(SendError) as info:
            Submission(home, settings_for(server), None, message()).run(lambda event: None)
        assert (info.value.exit_code, info.value.code) == (ExitCode.REFUSED, 552)
        handler.data_reply = None
        result = Submission(home, settings_for(server), None, message()).run(lambda e: None)
    assert result.exit_code is ExitCode.OK
    assert any("could not be added to the history" in w for w in result.warnings)
