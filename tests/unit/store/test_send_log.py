"""The send log: every attempt recorded, searched, exported, and its statistics."""

from __future__ import annotations

import csv
import datetime
import io
import sqlite3
from pathlib import Path

import pytest

from mailcomposer.store.history import History
from mailcomposer.store.historyquery import FAILED_OUTCOMES, Query, parse_day, search, to_csv
from mailcomposer.store.paths import Home
from mailcomposer.store.stats import compute


def _week(history: History) -> None:
    """A week of mixed sends, as the Statistics window and the CLI would see it."""
    rows = [
        ("2026-11-30T09:00:00+08:00", "sent", "bob@example.org", 2_000, 0.4, "", None),
        ("2026-11-30T10:00:00+08:00", "sent", "ann@qq.com", 30_000, 1.2, "", None),
        ("2026-12-01T09:00:00+08:00", "failed", "x@example.org", 0, None, "rcpt", 550),
        ("2026-12-02T09:00:00+08:00", "partial", "bob@example.org, y@163.com", 5_000_000, 3.0,
         "", None),
        ("2026-12-03T09:00:00+08:00", "unknown", "bob@example.org", 20_000_000, None, "dot", None),
        ("2026-12-04T09:00:00+08:00", "cancelled", "bob@example.org", 0, None, "data", None),
        ("2026-12-05T09:00:00+08:00", "failed", "z@example.org", 0, None, "auth", 535),
        ("2026-12-06T09:00:00+08:00", "sent", "c@qq.com", 800, 0.2, "", None),
    ]  # fmt: skip
    for n, (date, outcome, to, size, duration, stage, code) in enumerate(rows):
        history.record(
            f"<{n}@example.org>", date, "Ann <ann@example.org>", to.split(", "),
            f"report {n} 报告", size, "smtp.example.org:587", outcome,
            account="work" if n % 2 else "home", stage=stage, reply_code=code,
            reply_text="5.1.1 No such user" if code == 550 else "", duration=duration,
            exit_code={"failed": 6, "unknown": 8, "cancelled": 7}.get(outcome, 0),
            rcpt_results=[{"address": to, "field": "to", "code": 250, "text": "OK"}],
        )  # fmt: skip


@pytest.fixture
def history(tmp_path: Path):
    history = History(Home(tmp_path))
    _week(history)
    yield history
    history.close()


def test_every_attempt_is_kept_with_its_details(history):
    records = history.recent(100)
    assert len(records) == 8
    failed = [r for r in records if r.result == "failed"]
    assert {r.stage for r in failed} == {"rcpt", "auth"}
    rcpt = next(r for r in failed if r.stage == "rcpt")
    assert (rcpt.reply_code, rcpt.reply_text, rcpt.exit_code) == (550, "5.1.1 No such user", 6)
    assert rcpt.rcpt_results[0]["address"] == "x@example.org"
    assert history.get(rcpt.id) == rcpt
    assert "transcript" not in rcpt.to_json()


def test_completion_uses_only_addresses_that_were_sent_to(history):
    used = [addr for send in history.sends() for addr in send.recipients]
    assert "x@example.org" not in used and "z@example.org" not in used
    assert "c@qq.com" in used


def test_search_by_text_date_outcome_and_account(history):
    assert len(search(history, Query(outcomes=FAILED_OUTCOMES))) == 4
    assert [r.message_id for r in search(history, Query(text="qq.com"))] == [
        "<7@example.org>", "<1@example.org>",
    ]  # fmt: skip
    assert len(search(history, Query(text="报告 3"))) == 1
    assert len(search(history, Query(text="100%_"))) == 0, "LIKE wildcards are literal"
    dated = search(
        history, Query(since=datetime.date(2026, 12, 2), until=datetime.date(2026, 12, 4))
    )
    assert len(dated) == 3
    assert all(r.account == "work" for r in search(history, Query(account="work")))
    assert len(search(history, Query(limit=2))) == 2


def test_bad_filters_say_what_to_fix():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("1.12.2026")
    with pytest.raises(ValueError, match="Unknown outcome lost"):
        Query(outcomes=("lost",))


def test_csv_export_reads_back(history):
    text = to_csv(history.recent())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 8
    assert rows[-1]["subject"] == "report 0 报告"
    assert rows[5]["reply_code"] == "550"


def test_statistics_for_a_mixed_week(history):
    stats = compute(history.recent(100))
    assert (stats.since, stats.until) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    assert stats.attempts == 8
    assert stats.by_outcome == {"sent": 3, "partial": 1, "failed": 2, "cancelled": 1, "unknown": 1}
    assert len(stats.per_day) == 7
    assert stats.per_day[0][1]["sent"] == 2
    assert stats.success_rate == pytest.approx(0.5)
    assert stats.failures_by_stage == {"rcpt": 1, "dot": 1, "data": 1, "auth": 1}
    assert stats.failures_by_code["550"] == 1 and stats.failures_by_code["none"] == 2
    assert stats.top_domains[0] == ("qq.com", 2)
    assert stats.sizes["< 10 KiB"] == 2 and stats.sizes["< 10 MiB"] == 1
    assert stats.median_time == pytest.approx(0.8)
    data = stats.to_json()
    assert data["per_day"][0] == {"day": "2026-11-30", "sent": 2, "partial": 0, "failed": 0,
                                  "cancelled": 0, "unknown": 0}  # fmt: skip


def test_statistics_of_a_period_and_of_nothing(history):
    stats = compute(history.recent(100), since=datetime.date(2026, 12, 5))
    assert stats.attempts == 2 and len(stats.per_day) == 2
    empty = compute([], since=datetime.date(2026, 12, 1), until=datetime.date(2026, 12, 3))
    assert empty.attempts == 0 and empty.success_rate is None and len(empty.per_day) == 3


def test_a_version_1_database_is_upgraded_in_place(tmp_path: Path):
    path = Home(tmp_path).history_db
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE sent (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL,"
        " date TEXT NOT NULL, sender TEXT NOT NULL, recipients TEXT NOT NULL,"
        " subject TEXT NOT NULL, size INTEGER NOT NULL, server TEXT NOT NULL,"
        " result TEXT NOT NULL, refused TEXT NOT NULL);"
        "INSERT INTO sent VALUES (1, '<old@x>', '2025-01-01T00:00:00+00:00', 'a@x.org',"
        " '[\"b@x.org\"]', 'old', 10, 's:25', 'sent', '[]');"
        "PRAGMA user_version = 1;"
    )
    conn.close()
    history = History(Home(tmp_path))
    (old,) = history.recent()
    assert (old.subject, old.account, old.stage, old.rcpt_results) == ("old", "", "", ())
    history.record(
        "<new@x>", None, "a@x.org", ["b@x.org"], "new", 1, "s", "failed", stage="connect"
    )
    assert history.recent()[0].stage == "connect"
    history.close()


def test_unknown_outcomes_and_fields_are_refused(tmp_path: Path):
    history = History(Home(tmp_path))
    with pytest.raises(ValueError):
        history.record("<1@x>", None, "a@x.org", [], "s", 1, "s", "lost")
    with pytest.raises(TypeError):
        history.record("<1@x>", None, "a@x.org", [], "s", 1, "s", "sent", colour="red")
    history.close()


def test_first_use_by_many_threads_and_two_handles_never_fails(tmp_path: Path):
    """Switching to WAL fails at once on a busy database; set-up must wait its turn."""
    import threading

    errors: list[BaseException] = []
    for trial in range(10):
        home = Home(tmp_path / str(trial))
        handles = [History(home), History(home)]

        def worker(n: int, handles=handles) -> None:
            try:
                handles[n % 2].record(f"<{n}@x>", None, "a@x.org", ["b@x.org"], "s", 1, "s", "sent")
            except BaseException as exc:  # carried back to the test thread
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(handles[0].recent(100)) == 8
        for handle in handles:
            handle.close()
    assert errors == []


def test_lists_leave_the_transcripts_out_and_one_attempt_reads_its_own(tmp_path: Path):
    history = History(Home(tmp_path))
    row = history.record(
        "<1@x>", None, "a@x.org", ["b@x.org"], "s", 1, "s", "failed", transcript="C: EHLO x\n" * 100
    )
    (listed,) = search(history, Query())
    assert listed.transcript == ""
    assert history.get(row).transcript.startswith("C: EHLO x")
    history.close()
