"""The History window's Size column: what went out, and a dash for an attempt that sent nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mailcomposer.store.paths import Home
from mailcomposer.ui.historywindow import SIZE, HistoryWindow, details_html
from tests.unit.store.test_send_log import _week


def test_a_failed_attempt_shows_no_size_and_a_sent_one_its_size(qtbot, tmp_path) -> None:
    from mailcomposer.store.history import History

    home = Home(tmp_path)
    history = History(home)
    _week(history)
    history.close()
    window = HistoryWindow(home)
    qtbot.add_widget(window)
    model = window.model
    shown = {
        (model.record(row).result, model.data(model.index(row, SIZE), Qt.ItemDataRole.DisplayRole))
        for row in range(model.rowCount())
    }
    assert ("failed", "—") in shown and ("cancelled", "—") in shown
    assert ("sent", "800 bytes") in shown and ("partial", "4.8 MiB") in shown
    assert not any(size == "0 bytes" for _result, size in shown)
    failed = next(r for r in model.records() if r.result == "failed")
    assert "0 bytes" not in details_html(failed)
