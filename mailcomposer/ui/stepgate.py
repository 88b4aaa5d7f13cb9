"""The window's step gate: the send thread waits in ``decide()`` until the pause bar answers."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from mailcomposer.smtp.step import Choice, PlannedStep

# How often a waiting send thread looks at its cancel switch (Esc, closing the window).
_POLL_SECONDS = 0.05


class StepGate(QObject):
    """A ``step.Gate`` for a send running on a worker thread, answered from the GUI thread.

    ``decide()`` runs on the send thread: it emits ``paused`` (queued to the GUI thread,
    where this object lives) and blocks on a ``threading.Event`` until ``answer()`` is
    called or the send's cancel token is set; the GUI thread never blocks. A cancel
    while waiting ends the wait with an abort (the session then sees the token and
    reports the send as cancelled).

    Signals:
        paused: the send waits before this ``PlannedStep``.
        resumed: the wait ended (answered or cancelled).
    """

    paused = Signal(object)
    resumed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._answered = threading.Event()
        self._choice: Choice | None = None
        self._token: Any = None
        self._waiting: PlannedStep | None = None

    def arm(self, cancel_token: Any) -> None:
        """Get ready for a new send whose cancel switch is ``cancel_token``."""
        with self._lock:
            self._token = cancel_token
            self._choice = None
            self._waiting = None
            self._answered.clear()

    @property
    def waiting(self) -> PlannedStep | None:
        """The step the send waits before, or None when it is not paused."""
        with self._lock:
            return self._waiting

    def answer(self, choice: Choice) -> bool:
        """Let the waiting send go on with ``choice`` (any thread); False when none waits."""
        with self._lock:
            if self._waiting is None or self._answered.is_set():
                return False
            self._choice = choice
            self._answered.set()
            return True

    def decide(self, step: PlannedStep) -> Choice:
        """Wait for the user's choice about ``step`` (called on the send thread)."""
        with self._lock:
            token = self._token
            self._choice = None
            self._answered.clear()
            self._waiting = step
        self.paused.emit(step)
        try:
            while not self._answered.wait(_POLL_SECONDS):
                if token is not None and token.cancelled:
                    return Choice.abort()
            with self._lock:
                choice = self._choice
            return choice if choice is not None else Choice.abort()
        finally:
            with self._lock:
                self._waiting = None
            self.resumed.emit()
