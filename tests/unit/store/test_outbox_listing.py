"""Listing the outbox: one damaged sidecar hides no other message."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.store.outbox import Outbox
from mailcomposer.store.paths import Home
from tests.smtp_fixtures import make_built


def test_a_damaged_sidecar_is_skipped_and_hides_no_other_entry(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    entries = [outbox.add(make_built(subject=f"number {n}")) for n in range(3)]
    first = min(entries, key=lambda e: e.id)  # listed in name order: damage the first
    first.path.with_suffix(".json").write_text("{half a sidecar", encoding="utf-8")

    listed = outbox.pending()

    assert sorted(e.id for e in listed) == sorted(e.id for e in entries if e is not first)
    assert first.path.is_file()  # the message itself is left alone for the user
