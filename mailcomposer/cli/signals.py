"""Ctrl+C, SIGTERM and SIGHUP during ``send``: a clean cancel with the contract's exit code.

The send runs in a worker thread; the main thread waits and handles the signals.
A signal before the send starts stops the command (nothing was sent); a signal
during the send cancels it through its ``CancelToken``, and the session then says
what happened: not sent (exit 7), or unknown after the final dot (exit 8, the
outbox copy marked ``unknown``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

# SIGHUP does not exist on Windows.
CANCEL_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Cancelled(KeyboardInterrupt):
    """A cancel signal arrived before the send started (nothing was sent).

    A KeyboardInterrupt, so code that already treats Ctrl+C (a password prompt)
    treats SIGTERM the same way.
    """


class SignalCancel:
    """Turns the cancel signals into a cancel of the one send ``run`` performs.

    Attributes:
        signum: the first cancel signal received, or None.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._requested = threading.Event()
        self._token: Any = None
        self._disarmed = False

    def handle(self, signum: int, _frame: object) -> None:
        """The signal handler (runs in the main thread, between bytecodes)."""
        if self._disarmed:
            return
        if self.signum is None:
            self.signum = signum
        self._requested.set()
        token = self._token
        if token is None:
            raise Cancelled(signum)
        token.cancel()  # thread-safe; wakes the worker from any blocking socket call

    def disarm(self) -> None:
        """Ignore later signals: the outcome is decided and being reported."""
        self._disarmed = True

    def run(self, submission: Any, out: Any, gate: Any = None) -> Any:
        """Run ``submission`` in a worker thread; a cancel signal cancels it.

        A step ``gate`` (``send --step``) is given the same cancel token, so a
        signal also ends its wait for the user's answer.

        Returns the ``SendResult``, or raises what the submission raised (a
        ``SendError`` saying cancelled or unknown after a signal).
        """
        from mailcomposer.smtp.session import CancelToken

        token = CancelToken()
        if gate is not None:
            gate.cancel = token
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["result"] = submission.run(out.event, out.progress, token, gate=gate)
            except BaseException as exc:  # carried back to the main thread
                outcome["error"] = exc
            finally:
                done.set()

        worker = threading.Thread(target=work, name="mailcomposer-send")
        # From here on a signal cancels the token instead of raising: the worker's
        # outcome (sent, cancelled, unknown) is the one to report, even after it ended.
        self._token = token
        worker.start()
        noted = False
        # WORKAROUND for https://github.com/python/cpython/issues/90882: a signal that
        # interrupts Thread.join() can make later joins return while the thread still
        # runs, so wait on an Event the worker sets instead.
        while not done.wait(0.2):
            if self._requested.is_set() and not noted:
                noted = True
                out.note(_("Cancelling…"))
        worker.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]


@contextlib.contextmanager
def cancel_on_signals(signals: tuple[int, ...] = CANCEL_SIGNALS) -> Iterator[SignalCancel]:
    """Install ``SignalCancel.handle`` for ``signals`` in the block; restore them after.

    Installed explicitly, SIGINT included: a process started with SIGINT ignored
    (``cmd &`` in a script) would otherwise never see Ctrl+C, and SIGTERM would kill
    it without cleanup (exit status 143, the outbox entry left ``queued``). Outside
    the main thread (a test calling ``main()`` from a thread) nothing is installed.
    """
    canceller = SignalCancel()
    previous: list[tuple[int, Callable[..., Any] | int | None]] = []
    if threading.current_thread() is threading.main_thread():
        for signum in signals:
            previous.append((signum, signal.signal(signum, canceller.handle)))
    try:
        yield canceller
    finally:
        for signum, handler in reversed(previous):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
