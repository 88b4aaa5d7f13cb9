"""The outbox copy is written while DATA streams: complete and fsynced before the final dot."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.message.mime import build_message
from mailcomposer.smtp.errors import ExitCode, SendError
from mailcomposer.smtp.session import CancelToken
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from mailcomposer.submission import State, Submission
from tests.servers import Close, RecordingHandler, ScriptedServer, SmtpTestServer
from tests.servers import accepting_dialogue as dialogue
from tests.smtp_fixtures import settings_for

ATTACHMENT_SIZE = 600_000  # several DATA chunks


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def built(tmp_path: Path):
    attachment = tmp_path / "photo.bin"
    attachment.write_bytes(os.urandom(ATTACHMENT_SIZE))
    draft = Draft(
        from_addr="Ann <ann@example.org>",
        to="Bob <bob@example.org>",
        subject="Big",
        text=".a line that starts with a dot\nHello Bob",
        attachments=[Attachment(filename="photo.bin", path=attachment)],
    )
    return build_message(draft)


def outbox_files(home: Home) -> list[str]:
    folder = home.outbox
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


class OutboxAtDot(RecordingHandler):
    """Records, when the final dot arrives, what the sender's outbox lists."""

    def __init__(self, home: Home, order: list[str]) -> None:
        super().__init__()
        self.home = home
        self.order = order
        self.at_dot: list[tuple[OutboxState, bytes, int]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.order.append("dot")
        self.at_dot = [(e.state, e.read_bytes(), e.size) for e in Outbox(self.home).pending()]
        return await super().handle_DATA(server, session, envelope)


def test_the_copy_is_complete_and_fsynced_before_the_final_dot(
    home: Home, built, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        # What was synced (by size), in order with the server seeing the dot.
        order.append(f"fsync {os.fstat(fd).st_size}")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    handler = OutboxAtDot(home, order)
    with SmtpTestServer(handler=handler, data_size_limit=None) as server:
        result = Submission(home, settings_for(server), None, built).run(lambda event: None)
    assert result.exit_code is ExitCode.OK
    eight_bit = "BODY=8BITMIME" in {o.upper() for o in handler.received[0].mail_options}
    expected = built.wire(eight_bit=eight_bit).to_bytes()
    [(state, data, size)] = handler.at_dot
    assert state is OutboxState.QUEUED
    assert data == expected and size == len(expected)
    # The whole message file was synced before the dot.
    assert f"fsync {len(expected)}" in order[: order.index("dot")]
    # The received message is the kept one, dot-unstuffed by the server.
    assert handler.received[0].data.replace(b"\r\n", b"\n") == expected.replace(b"\r\n", b"\n")
    assert outbox_files(home) == []  # removed after the 250


def test_a_failure_to_finish_the_copy_stops_before_the_final_dot(
    home: Home, built, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)  # the fault comes after the last chunk
    handler = RecordingHandler()
    with SmtpTestServer(handler=handler, data_size_limit=None) as server:
        submission = Submission(home, settings_for(server), None, built)
        with pytest.raises(SendError) as info:
            submission.run(lambda event: None)
    assert info.value.exit_code is ExitCode.INPUT
    assert "outbox" in info.value.user_message
    assert submission.state is State.FAILED
    assert handler.received == []  # the server never got the final dot
    assert outbox_files(home) == []  # no half copy, no sidecar


def test_cancel_mid_data_leaves_no_copy_that_could_be_resent(home: Home, built) -> None:
    token = CancelToken()
    seen: list[list[str]] = []

    def progress(sent: int, total: int) -> None:
        if 0 < sent < total and not token.cancelled:
            seen.append(outbox_files(home))  # the copy is being written, hidden
            token.cancel()

    handler = RecordingHandler()
    with SmtpTestServer(handler=handler, data_size_limit=None) as server:
        submission = Submission(home, settings_for(server), None, built)
        with pytest.raises(SendError) as info:
            submission.run(lambda event: None, on_progress=progress, cancel=token)
    assert info.value.exit_code is ExitCode.CANCELLED
    assert submission.state is State.CANCELLED
    [during] = seen
    assert len(during) == 1 and during[0].startswith(".") and during[0].endswith(".tmp")
    assert Outbox(home).pending() == []
    assert outbox_files(home) == []
    assert handler.received == []


def test_unknown_outcome_keeps_the_full_copy(home: Home, built) -> None:
    with ScriptedServer(dialogue(after_dot=[Close()])) as server:
        submission = Submission(home, settings_for(server), None, built)
        with pytest.raises(SendError) as info:
            submission.run(lambda event: None)
    assert info.value.exit_code is ExitCode.UNKNOWN
    assert submission.state is State.UNKNOWN
    [entry] = Outbox(home).pending()
    assert submission.outbox_id == entry.id
    assert entry.state is OutboxState.UNKNOWN
    assert entry.read_bytes() == built.wire().to_bytes()
    assert entry.size == len(entry.read_bytes())
    assert sorted(outbox_files(home)) == sorted([f"{entry.id}.eml", f"{entry.id}.json"])


def test_an_unwritable_outbox_stops_the_send_before_connecting(home: Home, built) -> None:
    home.root.mkdir(parents=True, exist_ok=True)
    home.outbox.write_text("not a folder")  # the outbox cannot be created
    handler = RecordingHandler()
    with SmtpTestServer(handler=handler) as server:
        submission = Submission(home, settings_for(server), None, built)
        events: list[str] = []
        with pytest.raises(SendError) as info:
            submission.run(lambda event: events.append(event.text))
    assert info.value.exit_code is ExitCode.INPUT
    assert "outbox" in info.value.user_message  # not taken for an unreadable attachment
    assert info.value.field != "attachment"
    assert events == []  # nothing reached the server
