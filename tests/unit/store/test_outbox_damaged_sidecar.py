"""An outbox entry whose sidecar is damaged: listed as unknown, never a crash, never hidden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.outboxqueue import OutboxQueue
from mailcomposer.store.paths import Home
from tests.smtp_fixtures import make_built

# Sidecars a crash, a disk error, a sync tool or an editor can leave: cut short,
# valid JSON of the wrong shape, fields of the wrong type.
DAMAGED = [
    pytest.param(b"{half a sidecar", id="cut-short"),
    pytest.param(b"[1, 2]", id="a-list"),
    pytest.param(b"", id="empty"),
    pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
    pytest.param(json.dumps({"id": "x", "size": "big"}).encode(), id="size-not-a-number"),
    pytest.param(json.dumps({"envelope": []}).encode(), id="envelope-a-list"),
    pytest.param(
        json.dumps({"state": "retry", "envelope": {"recipients": "bob@example.org"}}).encode(),
        id="recipients-a-string",
    ),
]


@pytest.mark.parametrize("sidecar", DAMAGED)
def test_a_damaged_sidecar_is_listed_as_unknown_with_its_message(
    tmp_path: Path, sidecar: bytes
) -> None:
    home = Home(tmp_path)
    built = make_built(subject="季度报告 damaged", to="bob@example.org")
    good = OutboxQueue(home).schedule(built, due=_past())
    bad = Outbox(home).add(make_built(subject="季度报告 damaged"))
    bad.path.with_suffix(".json").write_bytes(sidecar)

    queue = OutboxQueue(home)
    listed = {e.id: e for e in queue.entries()}

    assert set(listed) == {good.id, bad.id}
    damaged = listed[bad.id]
    assert damaged.state is OutboxState.UNKNOWN
    assert damaged.recipients == ()  # never a guess (a string read as one letter each)
    assert damaged.subject() == "季度报告 damaged"
    assert str(bad.path.with_suffix(".json")) in damaged.last_error
    assert damaged.message_id == bad.message_id  # read from the message: a resend keeps it
    assert [e.id for e in queue.due()] == [good.id]  # the damaged one never goes by itself
    assert queue.unknown() == [damaged]


def test_a_scheduled_sidecar_without_recipients_never_goes_by_itself(tmp_path: Path) -> None:
    home = Home(tmp_path)
    entry = Outbox(home).add(make_built())
    sidecar = {"state": "scheduled", "next_try": "2020-01-01T00:00:00+00:00"}
    entry.path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")

    queue = OutboxQueue(home)

    assert [e.state for e in queue.entries()] == [OutboxState.UNKNOWN]
    assert queue.due() == [] and queue.next_due() is None


def test_a_damaged_entry_can_be_deleted(tmp_path: Path) -> None:
    home = Home(tmp_path)
    entry = Outbox(home).add(make_built())
    entry.path.with_suffix(".json").write_text("{half", encoding="utf-8")

    OutboxQueue(home).delete(entry.id)

    assert Outbox(home).pending() == []
    assert not entry.path.exists()


def test_a_sidecar_naming_another_id_cannot_reach_another_entry(tmp_path: Path) -> None:
    home = Home(tmp_path)
    outbox = Outbox(home)
    kept, copied = outbox.add(make_built(subject="kept")), outbox.add(make_built(subject="copy"))
    sidecar = json.loads(copied.path.with_suffix(".json").read_text(encoding="utf-8"))
    sidecar["id"] = kept.id  # a copy of another entry's sidecar
    copied.path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")

    [listed] = [e for e in outbox.pending() if e.path == copied.path]
    outbox.remove(listed.id)

    assert [e.id for e in outbox.pending()] == [kept.id]
    assert kept.path.is_file()


def _past():
    import datetime

    return datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
