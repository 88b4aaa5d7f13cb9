"""Loads off the GUI thread for the inbox and its MIME view: one QThread per load, and their owner.

A load is a Qt-free job, ``job(cancelled) -> result``, that asks ``cancelled()``
between its steps and returns None once it is true (see ``sandbox/previewload.py``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.sandbox.preview import Limits
from mailcomposer.sandbox.previewload import load_preview

__all__ = ["Job", "LoadWorker", "Loader", "PreviewLoader", "running_loads", "wait_for_loads"]

Job = Callable[[Callable[[], bool]], object]

# Every load's thread and worker until its thread has ended. A load outlives its
# dialog (closing never waits for a parse): the dialog's loader only stops listening,
# and the application waits for what is left when it quits.
_LIVE: list[tuple[QThread, QObject]] = []
_quit_hooked = False
# While a load parses (pure Python), every call from Qt into Python on the GUI thread
# (a timer, an event handler, a virtual method of a widget made in Python) waits for
# the worker to give up the GIL: 5 ms by default, so showing a dialog took 0.2 s.
# 1 ms while loads run: the window keeps up, the parse is barely slower.
LOAD_SWITCH_INTERVAL = 0.001
_saved_interval: float | None = None


def running_loads() -> int:
    """Return how many loads are still running (their dialogs may be gone)."""
    _reap()
    return len(_LIVE)


def wait_for_loads(timeout_ms: int = 30000) -> bool:
    """Wait for every running load to end; True when none is left (at quit and in tests)."""
    for thread, worker in list(_LIVE):
        worker.cancel()
        thread.wait(timeout_ms)
    _reap()
    return not _LIVE


def _reap() -> None:
    global _saved_interval
    _LIVE[:] = [(thread, worker) for thread, worker in _LIVE if not thread.isFinished()]
    if not _LIVE and _saved_interval is not None:
        sys.setswitchinterval(_saved_interval)
        _saved_interval = None


def _hand_over_often() -> None:
    global _saved_interval
    if _saved_interval is None:
        _saved_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(_saved_interval, LOAD_SWITCH_INTERVAL))


def _hook_quit() -> None:
    global _quit_hooked
    app = QCoreApplication.instance()
    if app is not None and not _quit_hooked:
        # A running QThread destroyed at exit aborts the process.
        app.aboutToQuit.connect(wait_for_loads)
        _quit_hooked = True


class LoadWorker(QObject):
    """Runs one job in its thread and always reports, then ends that thread.

    Signals:
        loaded: the job's result (immutable, or no longer touched by the job; not
            sent when cancelled).
        failed: a translated sentence: why the file could not be read.
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop at the next step and report nothing (from any thread)."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._cancel.is_set)
            if result is not None and not self._cancel.is_set():
                self.loaded.emit(result)
        except OSError as exc:
            self.failed.emit(
                _("Cannot read {path}: {reason}").format(
                    path=exc.filename, reason=exc.strerror or exc
                )
            )
        except BaseException as exc:  # the thread must always report back
            self.failed.emit(
                _("The message could not be shown because of an unexpected error: {error}").format(
                    error=f"{type(exc).__name__}: {exc}"
                )
            )
        finally:
            self._job = None  # what it holds (a whole message) goes with the thread
            # Ends the thread even when no one listens any more (the dialog closed).
            QThread.currentThread().quit()


class Loader(QObject):
    """Starts loads for one widget and relays the result of the latest one only.

    Starting a load, or ``cancel()``, drops the one before: it finishes on its own
    thread, unheard. Deleting the loader (its widget closed) drops it the same way.

    Attributes:
        key: what is being loaded (a Maildir key, a path), or ``""``.

    Signals:
        loaded: the key and the job's result.
        failed: the key and a translated sentence.
    """

    loaded = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None, *, name: str = "loadThread") -> None:
        super().__init__(parent)
        self.key = ""
        self._name = name
        self._worker: LoadWorker | None = None

    @property
    def loading(self) -> bool:
        """True from ``start`` until its result is relayed (or it is cancelled)."""
        return self._worker is not None

    def start(self, key: str, job: Job) -> None:
        """Run ``job`` on a worker thread; its result is relayed as ``loaded(key, result)``."""
        self.cancel()
        _hook_quit()
        thread = QThread()
        thread.setObjectName(self._name)
        worker = LoadWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.loaded.connect(self._on_worker_loaded)
        worker.failed.connect(self._on_worker_failed)
        thread.finished.connect(self._on_thread_finished)
        _reap()
        _LIVE.append((thread, worker))
        _hand_over_often()
        self.key, self._worker = key, worker
        thread.start()

    def cancel(self) -> bool:
        """Drop the running load (its result is never relayed); True if there was one."""
        worker, self._worker = self._worker, None
        self.key = ""
        if worker is None:
            return False
        worker.cancel()
        return True

    @Slot(object)
    def _on_worker_loaded(self, result: object) -> None:
        if self.sender() is self._worker:
            key, self.key, self._worker = self.key, "", None
            self.loaded.emit(key, result)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        if self.sender() is self._worker:
            key, self.key, self._worker = self.key, "", None
            self.failed.emit(key, message)

    @Slot()
    def _on_thread_finished(self) -> None:
        _reap()


class PreviewLoader(Loader):
    """The inbox's preview loads: ``load_preview`` of one stored message at a time."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, name="inboxPreviewThread")

    def load(self, key: str, path: Path, limits: Limits, *, full: bool = False) -> None:
        """Load the preview of the message ``key`` stored at ``path`` on a worker thread."""
        self.start(key, partial(_preview_job, path, limits, full))


def _preview_job(path: Path, limits: Limits, full: bool, cancelled: Callable[[], bool]):
    return load_preview(path, limits, full=full, cancelled=cancelled)
