"""The event loop keeps turning while a job runs on a worker: a 10 ms timer counts.

``needs_ticks`` wraps a job so it cannot finish before the timer ticked three times:
a test using it passes only if the GUI thread kept running its event loop while the
job worked, however fast or loaded the machine is (responsiveness, not speed).
"""

from __future__ import annotations

import threading
from functools import wraps

from PySide6.QtCore import QElapsedTimer, Qt, QTimer


class Ticks:
    """A 10 ms timer: the gaps between its ticks say whether the event loop kept running."""

    def __init__(self) -> None:
        self.count = 0
        self.longest = 0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        self.count += 1
        self.longest = max(self.longest, self._clock.restart())


def needs_ticks(
    module, name: str, ticks: Ticks, monkeypatch, release: threading.Event | None = None
):
    """Wrap ``module.name`` (a job): it returns only after three ticks (or ``release``)."""
    job = getattr(module, name)
    ran_on = []

    @wraps(job)
    def slow(*args):
        result = job(*args)
        ran_on.append(threading.current_thread())
        waited = release or threading.Event()
        for _step in range(500):  # at most 5 s: a stalled loop then fails the test
            if (ticks.count >= 3 and release is None) or waited.is_set():
                break
            waited.wait(0.01)
        return result

    monkeypatch.setattr(module, name, slow)
    return ran_on
