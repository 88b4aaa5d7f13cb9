"""The outbox queue on its own: classification, backoff, due times, locks, stored bytes."""

from __future__ import annotations

import datetime
import os
import random
from pathlib import Path

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message
from mailcomposer.smtp.errors import ExitCode, SendError, SendResult, Stage, error_from_reply
from mailcomposer.store.attemptlog import cap, recipient_fields
from mailcomposer.store.outbox import OutboxState
from mailcomposer.store.outboxqueue import (
    MAX_ATTEMPTS,
    STALE_LOCK_S,
    EntryBusy,
    NotDue,
    OutboxQueue,
    backoff,
    classify,
)
from mailcomposer.store.paths import Home
from mailcomposer.store.storedmessage import StoredMessage

T0 = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
GREYLISTED = (451, "4.7.1 Recipient greylisted, try again later")
TOO_BIG = (552, "5.3.4 Message size exceeds fixed limit")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now


def built(text: str = "Hello Bob", **kw: str):
    draft = Draft(
        from_addr="Ann <ann@example.org>",
        to=kw.get("to", "Bob <bob@example.org>"),
        cc=kw.get("cc", ""),
        bcc=kw.get("bcc", ""),
        subject="Later",
        text=text,
    )
    return build_message(draft)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(tmp_path: Path, clock: Clock) -> OutboxQueue:
    return OutboxQueue(Home(tmp_path), clock=clock, rng=random.Random(7))


def failing(error: SendError):
    def run(entry):
        raise error

    return run


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (error_from_reply(Stage.RCPT, *GREYLISTED), OutboxState.RETRY),
        (error_from_reply(Stage.MAIL, 421, "4.3.2 Closing"), OutboxState.RETRY),
        (error_from_reply(Stage.FINAL_DOT, 451, "4.3.0 Try later"), OutboxState.RETRY),
        (error_from_reply(Stage.FINAL_DOT, *TOO_BIG), OutboxState.FAILED),
        (error_from_reply(Stage.AUTH, 535, "5.7.8 Bad credentials"), OutboxState.FAILED),
        (SendError(Stage.CONNECT, ExitCode.CONNECTION, "refused"), OutboxState.RETRY),
        (SendError(Stage.UPLOAD, ExitCode.CONNECTION, "timed out"), OutboxState.RETRY),
        (SendError(Stage.FINAL_DOT, ExitCode.UNKNOWN, "lost"), OutboxState.UNKNOWN),
        (SendError(Stage.CONNECT, ExitCode.TLS, "untrusted"), OutboxState.FAILED),
        (SendError(Stage.AUTH, ExitCode.AUTH, "no mechanism"), OutboxState.FAILED),
        (SendError(Stage.DATA, ExitCode.CANCELLED, "cancelled"), OutboxState.RETRY),
    ],
)
def test_classify_temporary_permanent_and_unknown(error: SendError, state: OutboxState) -> None:
    assert classify(error) is state


def test_backoff_grows_then_stays_hourly_with_a_little_jitter() -> None:
    rng = random.Random(1)
    minutes = [backoff(n, rng).total_seconds() / 60 for n in range(1, 9)]
    for got, base in zip(minutes, [1, 5, 15, 30, 60, 60, 60, 60], strict=True):
        assert base <= got <= base * 1.1


def test_a_scheduled_entry_is_due_at_its_time_only(queue: OutboxQueue, clock: Clock) -> None:
    message = built()
    entry = queue.schedule(message, T0 + datetime.timedelta(hours=1), account="Work")
    assert entry.state is OutboxState.SCHEDULED and entry.attempts == 0
    assert queue.due() == []
    assert queue.next_due() == T0 + datetime.timedelta(hours=1)
    with pytest.raises(NotDue):
        queue.send_entry(entry.id, failing(SendError(Stage.CONNECT, ExitCode.CONNECTION, "x")))
    clock.now = T0 + datetime.timedelta(hours=1)
    assert [e.id for e in queue.due()] == [entry.id]
    assert StoredMessage(entry).message_id == message.message_id


def test_temporary_failures_back_off_then_give_up(queue: OutboxQueue, clock: Clock) -> None:
    entry = queue.schedule(built(), T0)
    greylisted = failing(error_from_reply(Stage.RCPT, *GREYLISTED))
    attempt = queue.send_entry(entry.id, greylisted)
    assert attempt.state is OutboxState.RETRY and attempt.exit_code is ExitCode.REFUSED
    assert datetime.timedelta(minutes=1) <= attempt.next_try - T0 <= datetime.timedelta(minutes=1.1)
    entry = queue.get(entry.id)
    assert (entry.attempts, entry.last_error) == (1, "451 " + GREYLISTED[1])
    assert queue.due() == []  # not before its next try
    for _n in range(MAX_ATTEMPTS - 1):
        clock.now = queue.next_due()
        queue.send_entry(entry.id, greylisted)
    entry = queue.get(entry.id)
    assert entry.state is OutboxState.FAILED and entry.attempts == MAX_ATTEMPTS
    assert entry.last_error.startswith(f"Gave up after {MAX_ATTEMPTS} tries")
    assert queue.next_due() is None


def test_permanent_failure_is_kept_with_its_reason_and_not_retried(
    queue: OutboxQueue, clock: Clock
) -> None:
    entry = queue.schedule(built(), T0)
    attempt = queue.send_entry(entry.id, failing(error_from_reply(Stage.FINAL_DOT, *TOO_BIG)))
    assert attempt.state is OutboxState.FAILED and attempt.next_try is None
    clock.now = T0 + datetime.timedelta(days=30)
    assert queue.due() == [] and queue.next_due() is None
    assert queue.get(entry.id).last_error == "552 " + TOO_BIG[1]


def test_cancel_leaves_the_entry_as_it_was(queue: OutboxQueue) -> None:
    entry = queue.schedule(built(), T0)
    queue.send_entry(entry.id, failing(SendError(Stage.DATA, ExitCode.CANCELLED, "stop")))
    again = queue.get(entry.id)
    assert (again.state, again.attempts, again.next_try) == (
        OutboxState.SCHEDULED,
        0,
        entry.next_try,
    )


def test_unknown_waits_for_the_user_and_an_explicit_retry_sends_it(queue: OutboxQueue) -> None:
    entry = queue.schedule(built(), T0)
    queue.send_entry(entry.id, failing(SendError(Stage.FINAL_DOT, ExitCode.UNKNOWN, "lost")))
    assert [e.id for e in queue.unknown()] == [entry.id]
    kept = entry.read_bytes()
    assert queue.due() == []
    with pytest.raises(NotDue):
        queue.send_entry(entry.id, failing(SendError(Stage.CONNECT, ExitCode.CONNECTION, "x")))
    sent = []

    def accept(stored):
        sent.append(StoredMessage(stored).wire().to_bytes())
        return SendResult(message_id=stored.message_id, accepted=stored.recipients)

    attempt = queue.send_entry(entry.id, accept, explicit=True)
    assert attempt.result is not None and attempt.result.message_id == entry.message_id
    assert sent == [kept]
    assert queue.entries() == []


def test_one_sender_at_a_time_and_dead_senders_leave_unknown(
    queue: OutboxQueue, tmp_path: Path
) -> None:
    entry = queue.schedule(built(), T0)
    with queue.claim(entry.id):
        assert queue.busy(entry.id) and queue.due() == []
        with pytest.raises(EntryBusy):
            queue.delete(entry.id)
    assert not queue.busy(entry.id)
    # A sender that died mid-send (its lock is old): the outcome is unknown.
    lock = tmp_path / "outbox" / f"{entry.id}.lock"
    lock.write_text(str(os.getpid()), encoding="ascii")
    old = lock.stat().st_mtime - STALE_LOCK_S - 60
    os.utime(lock, (old, old))
    [left] = queue.entries()
    assert left.state is OutboxState.UNKNOWN and not lock.exists()
    queue.delete(entry.id)
    assert queue.entries() == []


@pytest.mark.parametrize("chunk", [1, 5, 64, 65536])
def test_stored_bytes_go_out_dot_stuffed_exactly_as_built(tmp_path: Path, chunk: int) -> None:
    message = built(".starts with a dot\n..two\nmiddle\n.\nend.")
    entry = OutboxQueue(Home(tmp_path)).schedule(message, T0)
    wire = StoredMessage(entry).wire(eight_bit=True)
    expected = b"".join(message.wire().data_chunks(65536))
    assert wire.size == message.wire().size
    got = b"".join(wire.data_chunks(chunk))
    assert got == expected
    assert b"\r\n..starts with a dot\r\n...two\r\n" in got


def test_the_senders_copy_of_a_stored_entry_has_the_bcc_header_the_wire_never_has(
    tmp_path: Path,
) -> None:
    message = built(
        to="Bob <bob@example.org>",
        cc="cc@example.org",
        bcc="王芳 <wang@bücher.example>, Carol Lee <carol@example.org>",
    )
    entry = OutboxQueue(Home(tmp_path)).schedule(message, T0)
    stored = StoredMessage(entry)
    copy = stored.wire(include_bcc=True)
    data = copy.to_bytes()
    # The same header lines and body as the built message's own copy for Sent.
    assert sorted(data.split(b"\r\n")) == sorted(message.sent_copy_bytes().split(b"\r\n"))
    assert copy.size == len(data)
    head, _sep, body = data.partition(b"\r\n\r\n")
    assert b"\r\nBcc: " in head and b"<wang@xn--bcher-kva.example>" in head
    assert body == message.wire().to_bytes().partition(b"\r\n\r\n")[2]
    # Over SMTP the stored bytes go exactly as kept: no Bcc.
    assert b"Bcc" not in b"".join(stored.wire().data_chunks(64))
    assert stored.wire().to_bytes() == message.wire().to_bytes()
    # Without Bcc recipients there is nothing to add.
    plain = OutboxQueue(Home(tmp_path)).schedule(built(), T0)
    assert StoredMessage(plain).wire(include_bcc=True).to_bytes() == plain.read_bytes()


def test_recipient_fields_and_a_capped_transcript(tmp_path: Path) -> None:
    message = built(to="Bob <BOB@example.org>", cc="cc@example.org", bcc="hidden@example.org")
    # RFC 5321 §2.4: the local part is kept as written (BOB@ and bob@ may be two
    # mailboxes), the domain is compared in any case.
    assert recipient_fields(message) == {
        "BOB@example.org": "to",
        "cc@example.org": "cc",
        "hidden@example.org": "bcc",
    }
    entry = OutboxQueue(Home(tmp_path)).schedule(message, T0)
    assert recipient_fields(StoredMessage(entry))["hidden@example.org"] == "bcc"
    text = "\n".join(f"S: 250-line {n}" for n in range(40_000))
    capped = cap(text, 1024)
    assert len(capped.encode()) < 1200
    assert capped.startswith("S: 250-line 0\n") and capped.endswith("line 39999")
    assert "bytes of the transcript left out" in capped
    assert cap("short") == "short"
