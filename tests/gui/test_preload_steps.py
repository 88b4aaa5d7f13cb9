"""The warm-up after the first paint runs a step per event-loop turn, never all at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

import mailcomposer.ui.preload as preload
from mailcomposer.ui.preload import Preloader


def test_each_warm_up_step_runs_in_its_own_turn_of_the_event_loop(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns = [0]
    ticker = QTimer()
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    ticker.start(0)  # counts the event loop's turns
    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(preload, "warm_up_painting", lambda: seen.append(("paint", turns[0])))
    monkeypatch.setattr(preload, "preload_send_modules", lambda extra=(): None)
    monkeypatch.setattr(preload, "extra_modules_for", lambda account: ())
    preloader = Preloader(lambda: None, lambda: seen.append(("controller", turns[0])))
    preloader.schedule()
    qtbot.wait_until(preloader.warmed_up, timeout=5000)
    ticker.stop()
    preloader.wait()
    assert [name for name, _turn in seen] == ["paint", "controller"]
    assert seen[0][1] < seen[1][1]  # the loop turned in between: input got its chance


def test_the_window_is_warmed_up_before_anyone_could_press_send(qtbot, window) -> None:
    window.show()
    qtbot.wait_until(window.preloader.warmed_up, timeout=5000)
    window.preloader.wait()
