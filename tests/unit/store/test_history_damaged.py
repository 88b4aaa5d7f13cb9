"""A damaged or hand-edited send log: read what can be read, set aside what cannot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mailcomposer.store.history import History
from mailcomposer.store.paths import Home

NOT_A_DATABASE = b"this is not a database, just text that someone saved here\n" * 4


def logged(tmp_path: Path, n: int = 3) -> Home:
    home = Home(tmp_path)
    history = History(home)
    for i in range(n):
        history.record(f"<{i}@x>", f"2026-12-0{i + 1}T10:00:00+08:00", "me@x.org",
                       ["bob@x.org"], f"s{i}", 100, "h:25", "sent", duration=1.5)  # fmt: skip
    history.close()
    return home


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("recipients", "not json"),
        ("recipients", '[1, null, {"x": 2}]'),
        ("refused", '"abc"'),
        ("rcpt_results", '{"a": 1}'),
        ("notify", "5"),
        ("size", "big"),
        ("reply_code", "abc"),
        ("duration", "slow"),
        ("exit_code", "x"),
        ("subject", 5),
    ],
)
def test_one_damaged_row_does_not_hide_the_others(tmp_path, column, value):
    home = logged(tmp_path)
    with sqlite3.connect(home.history_db) as conn:
        conn.execute(f"UPDATE sent SET {column} = ? WHERE id = 2", (value,))
    conn.close()
    history = History(home)
    try:
        records = history.query()
        assert [r.message_id for r in records] == ["<2@x>", "<1@x>", "<0@x>"]
        damaged = records[1]
        assert isinstance(damaged.size, int) and isinstance(damaged.subject, str)
        assert all(isinstance(r, str) for r in damaged.recipients)
        assert damaged.reply_code is None or isinstance(damaged.reply_code, int)
        assert history.get(2) is not None
    finally:
        history.close()


def test_a_file_that_is_not_a_database_is_kept_aside_and_a_new_log_starts(tmp_path):
    home = Home(tmp_path)
    home.history_db.parent.mkdir(parents=True, exist_ok=True)
    home.history_db.write_bytes(NOT_A_DATABASE)
    history = History(home)
    try:
        assert history.query() == []
        history.record("<1@x>", None, "me@x.org", ["b@x.org"], "s", 1, "h:25", "sent")
        assert [r.message_id for r in history.query()] == ["<1@x>"]
    finally:
        history.close()
    kept = history.set_aside
    assert kept is not None and kept.name.startswith("history.sqlite3.damaged-")
    assert kept.read_bytes() == NOT_A_DATABASE, "kept as it was, never deleted"


def test_a_sound_log_is_not_set_aside(tmp_path):
    history = History(logged(tmp_path))
    try:
        assert len(history.query()) == 3
    finally:
        history.close()
    assert history.set_aside is None
    assert not list(tmp_path.glob("*.damaged-*"))
