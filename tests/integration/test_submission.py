"""Submission end to end: outbox before the final dot, removal after 250, history, states."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.errors import ExitCode, SendError
from mailcomposer.smtp.session import CancelToken
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store.history import History
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from mailcomposer.submission import State, Submission
from tests.servers import (
    NO_SUCH_USER,
    Close,
    RecordingHandler,
    ScriptedServer,
    SmtpTestServer,
    accepting_dialogue,
)
from tests.smtp_fixtures import settings_for

PASSWORD = "s3cret-P@ss-word"


def built_message(**kw: str):
    draft = Draft(
        from_addr="Ann <ann@example.org>",
        to=kw.get("to", "Bob <bob@example.org>"),
        bcc=kw.get("bcc", "carol@example.org"),
        subject="Quarterly report",
        text="Hello Bob",
    )
    return build_message(draft)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def test_success_removes_outbox_entry_and_records_history(home: Home, tmp_path: Path) -> None:
    states: list[State] = []
    events: list[TranscriptEvent] = []
    at_mail_from: list[int] = []
    at_final_dot: list[bytes] = []
    built = built_message()

    def on_event(event: TranscriptEvent) -> None:
        events.append(event)
        if event.text.startswith("MAIL FROM"):
            at_mail_from.append(len(Outbox(home).pending()))
        if event.text == ".":
            at_final_dot.extend(entry.read_bytes() for entry in Outbox(home).pending())

    with SandboxServer(tmp_path / "Maildir", auth=("ann", PASSWORD)) as server:
        submission = Submission(
            home, server.settings(), server.secret(), built, "Lab", on_state=states.append
        )
        result = submission.run(on_event)
    assert result.exit_code is ExitCode.OK
    assert submission.state is State.SENT
    assert states[:3] == [State.QUEUED, State.CONNECTING, State.SENDING]
    assert states[-1] is State.SENT
    # The copy is written while DATA streams: nothing is listed before, and the
    # whole message is in the outbox when the final dot goes out.
    assert at_mail_from == [0]
    assert at_final_dot == [built.wire(eight_bit=True).to_bytes()]
    assert Outbox(home).pending() == []
    assert len(Inbox(tmp_path / "Maildir").messages()) == 1
    history = History(home)
    [record] = history.recent()
    history.close()
    assert record.result == "sent"
    assert record.date[:4].isdigit() and "T" in record.date  # ISO 8601 from the Date header
    assert record.subject == "Quarterly report"
    assert "carol@example.org" in record.recipients
    assert any(r == "Bob <bob@example.org>" for r in record.recipients)
    # The password is nowhere in the transcript or the home folder.
    assert all(PASSWORD not in e.text for e in events)
    for path in home.root.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes()


def test_unknown_outcome_keeps_the_outbox_entry(home: Home) -> None:
    with ScriptedServer(accepting_dialogue(after_dot=[Close()])) as server:
        # The script expects one RCPT TO.
        submission = Submission(home, settings_for(server), None, built_message(bcc=""))
        with pytest.raises(SendError) as info:
            submission.run(lambda event: None)
    assert info.value.exit_code is ExitCode.UNKNOWN
    assert submission.state is State.UNKNOWN
    [entry] = Outbox(home).pending()
    assert entry.state is OutboxState.UNKNOWN
    assert entry.recipients == ("bob@example.org",)
    assert entry.read_bytes().startswith(b"From: ") or b"\r\nFrom: " in entry.read_bytes()
    # Issue 10: every attempt is logged; this one as unknown, pointing at the kept copy.
    history = History(home)
    [record] = history.recent()
    history.close()
    assert (record.result, record.stage, record.exit_code) == ("unknown", "final-dot", 8)
    assert record.copy_path == str(entry.path)


def test_definite_failure_removes_the_entry(home: Home) -> None:
    handler = RecordingHandler(
        rcpt_replies={"bob@example.org": NO_SUCH_USER, "carol@example.org": NO_SUCH_USER}
    )
    with SmtpTestServer(handler=handler) as server:
        submission = Submission(home, settings_for(server), None, built_message())
        with pytest.raises(SendError) as info:
            submission.run(lambda event: None)
    assert info.value.exit_code is ExitCode.REFUSED
    assert submission.state is State.FAILED
    assert Outbox(home).pending() == []


def test_partial_refusal_is_sent_and_recorded_as_partial(home: Home) -> None:
    handler = RecordingHandler(rcpt_replies={"carol@example.org": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        result = Submission(home, settings_for(server), None, built_message()).run(
            lambda event: None
        )
    assert result.exit_code is ExitCode.PARTIAL
    assert [r.address for r in result.refused] == ["carol@example.org"]
    history = History(home)
    [record] = history.recent()
    history.close()
    assert record.result == "partial"
    assert record.refused[0].startswith("carol@example.org: 550")


def test_cancel_before_connecting(home: Home, tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with SandboxServer(tmp_path / "Maildir") as server:
        submission = Submission(home, server.settings(), None, built_message())
        with pytest.raises(SendError) as info:
            submission.run(lambda event: None, cancel=token)
    assert info.value.exit_code is ExitCode.CANCELLED
    assert submission.state is State.CANCELLED
    assert Outbox(home).pending() == []
    assert Inbox(tmp_path / "Maildir").messages() == []


def test_outbox_copy_has_no_bcc_header(home: Home) -> None:
    entry = Outbox(home).add(built_message())
    assert entry.recipients == ("bob@example.org", "carol@example.org")
    assert b"\r\nBcc:" not in entry.read_bytes()
    assert not entry.read_bytes().startswith(b"Bcc:")
