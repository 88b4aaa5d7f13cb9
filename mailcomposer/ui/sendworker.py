"""The send job and the worker QObject that runs it on a QThread."""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.settings import Secret, ServerSettings
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store.paths import Home


@dataclass(frozen=True)
class SendJob:
    """Everything one send needs, fixed before the thread starts (no global state read later).

    Attributes:
        home: the home folder (outbox, history).
        settings: how to reach the server.
        secret: the password or token, looked up in the GUI thread; None for no AUTH.
        built: the ``BuiltMessage`` to send.
        account: the account name (for history and remembered server limits).
        gate: a step gate asked before each client command (``smtp.step``); None: no pauses.
    """

    home: Home
    settings: ServerSettings
    secret: Secret | None
    built: Any
    account: str = ""
    gate: Any = None


def run_job(job: SendJob, on_event, on_progress, cancel) -> Any:
    """Run ``job`` through the submission pipeline (outbox -> SMTP -> history)."""
    from mailcomposer.submission import Submission

    submission = Submission(job.home, job.settings, job.secret, job.built, job.account)
    submission.after_sent = sent_copy_hook(job, on_event)
    return submission.run(on_event=on_event, on_progress=on_progress, cancel=cancel, gate=job.gate)


def sent_copy_hook(job: SendJob, on_event: Any) -> Any:
    """The copy for the account's Sent folder, its outcome shown as a ``*`` line."""
    import time

    from mailcomposer.smtp.transcript import Direction
    from mailcomposer.store.sentcopies import after_send_hook

    def note(text: str) -> None:
        on_event(TranscriptEvent(time.monotonic(), Direction.NOTE, text))

    return after_send_hook(job.home, job.account, job.secret, job.built, note)


def unexpected_error(exc: BaseException) -> SendError:
    """Map an exception nobody classified to a SendError (a bug, but never a silent one)."""
    try:
        from mailcomposer.smtp.errors import error_from_exception
    except ImportError:
        error_from_exception = None
    if error_from_exception is not None:
        try:
            return error_from_exception(exc, Stage.CONNECT)
        except Exception:  # the mapper itself failed: fall through
            pass
    return SendError(
        Stage.CONNECT,
        ExitCode.CONNECTION,
        _("Sending stopped because of an unexpected error: {error}").format(
            error=f"{type(exc).__name__}: {exc}"
        ),
        detail=repr(exc),
    )


class SendWorker(QObject):
    """Runs one ``SendJob`` in its thread; always emits one terminal signal, then ``finished``.

    Transcript events and progress are not signalled one by one: they are queued
    here and collected by the controller's timer (``take_events``/``latest_progress``),
    so a large upload cannot flood the GUI thread's event queue.

    Signals:
        succeeded: carries the ``SendResult``.
        failed: carries the ``SendError``.
        cancelled: the user cancelled before the message was delivered.
        finished: emitted last, whatever happened.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, job: SendJob, cancel_token: Any, runner=run_job) -> None:
        super().__init__()
        self.job = job
        self.cancel_token = cancel_token
        self._runner = runner
        self._events: collections.deque[TranscriptEvent] = collections.deque()
        self._progress_lock = threading.Lock()
        self._progress: tuple[int, int] | None = None

    # -- called from the sending thread --

    def _on_event(self, event: TranscriptEvent) -> None:
        self._events.append(event)  # deque.append is thread-safe

    def _on_progress(self, sent: int, total: int) -> None:
        with self._progress_lock:
            self._progress = (int(sent), int(total))

    @Slot()
    def run(self) -> None:
        """Send; every outcome, including a bug, ends in exactly one terminal signal."""
        try:
            result = self._runner(self.job, self._on_event, self._on_progress, self.cancel_token)
        except SendError as exc:
            if exc.exit_code == ExitCode.CANCELLED or (
                getattr(self.cancel_token, "cancelled", False)
                and exc.exit_code == ExitCode.CONNECTION
            ):
                self.cancelled.emit()
            else:
                self.failed.emit(exc)
        except BaseException as exc:  # the thread must always report back
            self.failed.emit(unexpected_error(exc))
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()

    # -- called from the GUI thread --

    def take_events(self) -> tuple[TranscriptEvent, ...]:
        """Remove and return the events queued so far (immutable)."""
        out = []
        while True:
            try:
                out.append(self._events.popleft())
            except IndexError:
                return tuple(out)

    def latest_progress(self) -> tuple[int, int] | None:
        with self._progress_lock:
            return self._progress
