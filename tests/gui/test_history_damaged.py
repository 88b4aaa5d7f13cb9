"""The History and Statistics windows on a damaged send log: they open and say what happened."""

from __future__ import annotations

import datetime
import sqlite3

from mailcomposer.store.paths import Home
from mailcomposer.ui.historywindow import HistoryWindow
from mailcomposer.ui.statswindow import StatsWindow
from tests.unit.store.test_history_damaged import NOT_A_DATABASE


def test_history_opens_on_a_file_that_is_not_a_database(qtbot, tmp_path) -> None:
    home = Home(tmp_path)
    home.history_db.write_bytes(NOT_A_DATABASE)
    window = HistoryWindow(home)
    qtbot.add_widget(window)
    (kept,) = tmp_path.glob("history.sqlite3.damaged-*")
    assert not window.notice.isHidden()
    assert str(kept) in window.notice.text()
    assert window.model.rowCount() == 0


def test_both_windows_say_why_a_log_cannot_be_read(qtbot, tmp_path) -> None:
    home = Home(tmp_path)
    with sqlite3.connect(home.history_db) as conn:
        conn.execute("CREATE TABLE other (x)")
        conn.execute("PRAGMA user_version = 9")
    conn.close()
    history = HistoryWindow(home)
    qtbot.add_widget(history)
    stats = StatsWindow(home, today=datetime.date(2026, 12, 6))
    qtbot.add_widget(stats)
    for notice in (history.notice, stats.notice):
        assert not notice.isHidden()
        assert "cannot be read" in notice.text() and str(home.history_db) in notice.text()
    assert stats.stats is not None and stats.stats.attempts == 0
