"""History and Statistics left open: a send, or an attempt logged elsewhere, shows up in them."""

from __future__ import annotations

from mailcomposer.store.history import History
from mailcomposer.ui.historywindow import HistoryWindow
from mailcomposer.ui.statswindow import StatsWindow
from tests.gui.test_send_gui import SEND_TIMEOUT_MS
from tests.unit.store.test_send_log import _week


def open_both(window) -> tuple[HistoryWindow, StatsWindow]:
    window.composer_actions.history_action.trigger()
    window.composer_actions.stats_action.trigger()
    (history,) = window.findChildren(HistoryWindow, "historyWindow")
    (stats,) = window.findChildren(StatsWindow, "statsWindow")
    return history, stats


def test_a_send_from_the_window_appears_in_the_open_windows(qtbot, window) -> None:
    history, stats = open_both(window)
    assert history.model.rowCount() == 0 and stats.stats.attempts == 0
    window.to_field.setText("me@localhost")
    window.subject_field.setText("just sent")
    window.editor.setPlainText("hello")
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        assert window.send()
    assert [r.subject for r in history.model.records()] == ["just sent"]
    assert history.count_label.text() == "1 attempt."
    assert stats.stats.attempts == 1 and stats.stats.by_outcome["sent"] == 1


def test_an_attempt_logged_elsewhere_is_read_again_keeping_the_selection(qtbot, window) -> None:
    log = History(window.home)
    _week(log)
    history, stats = open_both(window)
    history.table.selectRow(3)
    chosen = history.selected()
    assert not history.reload_if_changed(), "nothing new: nothing read"
    log.record("<new@x>", None, "me@x.org", ["b@x.org"], "from the outbox", 1, "h:25", "sent")
    log.close()
    assert history.reload_if_changed()
    assert history.model.record(0).subject == "from the outbox"
    assert history.selected().id == chosen.id, "what the user was reading stays selected"
    assert stats.reload_if_changed() and not stats.reload_if_changed()
