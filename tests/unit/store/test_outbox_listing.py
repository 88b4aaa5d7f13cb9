"""Listing the outbox: entries read back whole, and one bad sidecar hides no other."""

from __future__ import annotations

import json
from pathlib import Path

from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from tests.smtp_fixtures import make_built


def test_a_damaged_sidecar_hides_no_other_entry_and_not_its_own_message(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    entries = [outbox.add(make_built(subject=f"number {n}")) for n in range(3)]
    first = min(entries, key=lambda e: e.id)  # listed in name order: damage the first
    first.path.with_suffix(".json").write_text("{half a sidecar", encoding="utf-8")

    listed = outbox.pending()

    assert sorted(e.id for e in listed) == sorted(e.id for e in entries)
    [damaged] = [e for e in listed if e.id == first.id]
    assert damaged.state is OutboxState.UNKNOWN  # never sent by itself
    assert damaged.subject() == first.subject()
    assert first.path.is_file()  # the message itself is left alone for the user


def test_an_entry_reads_back_with_everything_it_was_written_with(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    built = make_built(from_addr="Ann <ann@example.org>", to="李雷 <李雷@example.org>")
    assert built.envelope.smtputf8  # a non-ASCII local part: the envelope needs SMTPUTF8
    outbox.add(built, account="Work", server="smtp.example.org:587")

    [entry] = Outbox(Home(tmp_path)).pending()

    assert entry.message_id == built.message_id
    assert entry.sender == "ann@example.org"
    assert entry.recipients == ("李雷@example.org",)
    assert entry.smtputf8 is True
    assert (entry.account, entry.server) == ("Work", "smtp.example.org:587")
    assert entry.state is OutboxState.QUEUED
    assert entry.created.endswith("+00:00")  # UTC, so entries sort the same anywhere
    assert entry.size == entry.path.stat().st_size > 0


def test_a_sidecar_of_another_version_is_listed_safely(tmp_path: Path) -> None:
    """Missing fields read as empty; a state this version does not know reads as unknown."""
    outbox = Outbox(Home(tmp_path))
    entry = outbox.add(make_built())
    sidecar = entry.path.with_suffix(".json")
    sidecar.write_text(json.dumps({"id": entry.id, "state": "paused"}), encoding="utf-8")

    [listed] = outbox.pending()

    assert listed.state is OutboxState.UNKNOWN  # shown as "may have been delivered"
    assert (listed.sender, listed.recipients, listed.smtputf8) == ("", (), False)
    assert (listed.message_id, listed.account, listed.server, listed.created) == ("",) * 4
    assert listed.size == 0
