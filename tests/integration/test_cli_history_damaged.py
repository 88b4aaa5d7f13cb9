"""``mailcomposer history`` and ``stats`` on a damaged send log: a sentence, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from tests.unit.store.test_history_damaged import NOT_A_DATABASE, logged


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    return Home(tmp_path)


@pytest.mark.parametrize("command", ["history", "stats"])
def test_a_file_that_is_not_a_database_is_set_aside_with_a_warning(home, capsys, command):
    home.history_db.parent.mkdir(parents=True, exist_ok=True)
    home.history_db.write_bytes(NOT_A_DATABASE)
    assert cli.main([command]) == 0
    err = capsys.readouterr().err
    (kept,) = home.history_db.parent.glob("history.sqlite3.damaged-*")
    assert f"warning: The send log was damaged and could not be read; it was kept as {kept}" in err
    assert "Traceback" not in err
    assert kept.read_bytes() == NOT_A_DATABASE


@pytest.mark.parametrize("command", ["history", "stats"])
def test_a_database_without_the_log_exits_2_naming_the_file(home, capsys, command):
    home.history_db.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(home.history_db) as conn:
        conn.execute("CREATE TABLE other (x)")
        conn.execute("PRAGMA user_version = 9")
    conn.close()
    assert cli.main([command]) == 2
    err = capsys.readouterr().err
    assert f"mailcomposer: error: The send log {home.history_db} cannot be read" in err
    assert "Move it elsewhere" in err


def test_a_damaged_row_still_lists_the_others(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    home = logged(tmp_path)
    with sqlite3.connect(home.history_db) as conn:
        conn.execute("UPDATE sent SET notify = '5', recipients = 'x' WHERE id = 2")
    conn.close()
    assert cli.main(["history"]) == 0
    out = capsys.readouterr().out
    assert all(f"<{i}@x>" in out for i in range(3))
    History(home).close()
