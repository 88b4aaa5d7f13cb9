"""Tests for the sent history database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from mailcomposer.smtp.errors import Refusal
from mailcomposer.store.history import SCHEMA_VERSION, History
from mailcomposer.store.paths import Home


def test_record_and_recent_newest_first(tmp_path: Path) -> None:
    history = History(Home(tmp_path))
    history.record(
        "<1@x>",
        None,
        "Ann <ann@example.org>",
        ["bob@example.org"],
        "first",
        10,
        "127.0.0.1:25",
        "sent",
    )
    history.record(
        "<2@x>",
        "2026-11-21T10:00:00+00:00",
        "ann@example.org",
        ["bob@example.org", "carol@example.org"],
        "测试 ✓",
        20,
        "127.0.0.1:25",
        "partial",
        [Refusal("carol@example.org", 550, "5.1.1 No such user")],
    )
    first, second = history.recent(10)
    assert first.message_id == "<2@x>"
    assert first.subject == "测试 ✓"
    assert first.recipients == ("bob@example.org", "carol@example.org")
    assert first.refused == ("carol@example.org: 550 5.1.1 No such user",)
    assert first.result == "partial"
    assert second.subject == "first"
    assert len(history.recent(1)) == 1
    history.close()


def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    history = History(Home(tmp_path))
    history.recent()
    history.close()
    conn = sqlite3.connect(tmp_path / "history.sqlite3")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_sends_list_the_recipients_of_successful_sends_newest_first(tmp_path: Path) -> None:
    history = History(Home(tmp_path))
    history.record("<1@x>", None, "ann@example.org", ["Bob <bob@example.org>"], "a", 1, "s", "sent")
    history.record("<2@x>", None, "ann@example.org", ["typo@gmial.com"], "b", 1, "s", "failed")
    history.record(
        "<3@x>", None, "ann@example.org", ['"Doe, Dan" <dan@example.org>'], "c", 1, "s", "partial"
    )
    sends = history.sends()
    assert [s.recipients for s in sends] == [('"Doe, Dan" <dan@example.org>',),
                                             ("Bob <bob@example.org>",)]  # fmt: skip
    assert [s.result for s in sends] == ["partial", "sent"]
    assert len(history.sends(limit=1)) == 1
    history.close()


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    history = History(Home(tmp_path))
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            history.record(f"<{n}@x>", None, "a@x.org", ["b@x.org"], str(n), 1, "s", "sent")
        except BaseException as exc:  # carried back to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(history.recent()) == 4
    history.close()


def test_receipts_asked_for_are_kept_and_a_version_2_log_gets_their_columns(
    tmp_path: Path,
) -> None:
    from mailcomposer.store.history import _SCHEMA, _V2_COLUMNS

    conn = sqlite3.connect(tmp_path / "history.sqlite3")
    conn.executescript(_SCHEMA)
    for name, sql_type in _V2_COLUMNS:
        conn.execute(f"ALTER TABLE sent ADD COLUMN {name} {sql_type}")
    conn.execute(
        "INSERT INTO sent (message_id, date, sender, recipients, subject, size, server, result,"
        " refused, account) VALUES ('<old@x>', '2026-01-01T00:00:00+00:00', 'a@x.org',"
        " '[\"b@x.org\"]', 'old', 10, 's:25', 'sent', '[]', 'work')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()

    history = History(Home(tmp_path))
    (old,) = history.recent()
    assert (old.subject, old.account, old.read_receipt, old.notify) == ("old", "work", False, ())
    history.record(
        "<new@x>", None, "a@x.org", ["b@x.org"], "new", 1, "s:25", "sent",
        read_receipt=True, notify=("SUCCESS", "DELAY"),
    )  # fmt: skip
    new = history.recent(1)[0]
    assert (new.read_receipt, new.notify) == (True, ("SUCCESS", "DELAY"))
    assert new.to_json()["notify"] == ["SUCCESS", "DELAY"] and new.to_json()["read_receipt"]
    history.close()
