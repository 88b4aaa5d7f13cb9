"""The send controller: owns the worker and its QThread, relays their signals to the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from mailcomposer.ui.sendworker import SendJob, SendWorker, run_job

# About 20 batches a second at most: fast enough to look live, slow enough never to
# flood the event loop during a large upload.
BATCH_INTERVAL_MS = 50

# Every QThread started for a send, until it has finished and been waited for.
# Tests fail if one survives (a running QThread destroyed at exit aborts the process).
_LIVE: list[QThread] = []


def live_threads() -> list[QThread]:
    """Return the send threads that have been started and not yet finished and joined."""
    return list(_LIVE)


def _new_cancel_token() -> Any:
    from mailcomposer.smtp.session import CancelToken

    return CancelToken()


class SendController(QObject):
    """Runs one send at a time on a worker thread, from the GUI thread.

    Signals:
        started: a send began.
        event_batch: a tuple of ``TranscriptEvent`` (at most ~20 batches a second).
        progress: bytes of the message uploaded so far, and the total.
        succeeded: the ``SendResult`` (accepted for at least one recipient).
        failed: the ``SendError``.
        cancelled: the user cancelled and nothing was delivered.
        finished: the thread is gone; emitted after exactly one of the three above.
    """

    started = Signal()
    event_batch = Signal(tuple)
    progress = Signal("qlonglong", "qlonglong")
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None, runner=run_job) -> None:
        super().__init__(parent)
        self._runner = runner
        self._thread: QThread | None = None
        self._worker: SendWorker | None = None
        self._token: Any = None
        self._last_progress: tuple[int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(BATCH_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def is_running(self) -> bool:
        """True from ``start`` until ``finished`` has been emitted."""
        return self._thread is not None

    def start(self, job: SendJob, cancel_token: Any = None) -> None:
        """Start sending ``job`` on a new thread.

        Raises:
            RuntimeError: a send is already running.
        """
        if self._thread is not None:
            raise RuntimeError("a send is already running")
        self._token = cancel_token if cancel_token is not None else _new_cancel_token()
        self._last_progress = None
        thread = QThread()
        thread.setObjectName("mailcomposer-send")
        worker = SendWorker(job, self._token, self._runner)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.succeeded.connect(self._on_worker_succeeded)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        # quit() is thread-safe; calling it from the worker's thread lets shutdown() wait()
        # for the thread without needing the GUI event loop to run meanwhile.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        _LIVE.append(thread)
        self._timer.start()
        self.started.emit()
        thread.start()

    @Slot()
    def cancel(self) -> None:
        """Ask the running send to stop (thread-safe flag + socket close; never terminate)."""
        if self._token is not None and self._thread is not None:
            self._token.cancel()

    def shutdown(self, timeout_ms: int | None = 10000) -> bool:
        """Cancel and block until the thread has ended (for application exit). True if ended.

        Args:
            timeout_ms: how long to wait; None waits for as long as it takes.
        """
        thread = self._thread
        if thread is None:
            return True
        self.cancel()
        ended = thread.wait() if timeout_ms is None else thread.wait(timeout_ms)
        if ended:
            # Deliver the worker's queued signals so the terminal one is still emitted.
            for _attempt in range(100):
                if self._thread is None:
                    break
                QCoreApplication.processEvents()
            if self._thread is thread:
                self._finish_thread()
        return ended

    # -- relaying --

    def _flush(self) -> None:
        worker = self._worker
        if worker is None:
            return
        events = worker.take_events()
        if events:
            self.event_batch.emit(events)
        progress = worker.latest_progress()
        if progress is not None and progress != self._last_progress:
            self._last_progress = progress
            self.progress.emit(*progress)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._flush()

    @Slot(object)
    def _on_worker_succeeded(self, result: object) -> None:
        self._flush()
        self.succeeded.emit(result)

    @Slot(object)
    def _on_worker_failed(self, error: object) -> None:
        self._flush()
        self.failed.emit(error)

    @Slot()
    def _on_worker_cancelled(self) -> None:
        self._flush()
        self.cancelled.emit()

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._finish_thread()

    def _finish_thread(self) -> None:
        thread, worker = self._thread, self._worker
        assert thread is not None
        thread.wait()
        self._timer.stop()
        self._flush()
        self._thread = self._worker = None
        self._token = None
        if thread in _LIVE:
            _LIVE.remove(thread)
        if worker is not None:
            worker.deleteLater()
        thread.deleteLater()
        self.finished.emit()
