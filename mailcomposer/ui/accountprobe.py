"""Runs an account's connection test or auto-detection on a worker thread, one at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.smtp.errors import SendError
from mailcomposer.smtp.settings import Secret, Security, ServerSettings, Timeouts
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.ui.workerthreads import end_worker_thread

Job = Callable[..., Any]


class ProbeWorker(QObject):
    """Runs one connection test (or auto-detection) on a worker thread.

    Emits exactly one terminal signal (``succeeded``, ``failed`` or ``cancelled``),
    then ``finished``, whatever happens.

    Signals:
        event_logged(TranscriptEvent): one transcript line (immutable).
        succeeded(object): the report of a test that worked.
        failed(object): the report of a test that did not work (or an error text).
        cancelled(): the user stopped it.
        finished(): always last.
    """

    event_logged = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        from mailcomposer.smtp.session import CancelToken

        self._job = job
        self.token = CancelToken()

    def cancel(self) -> None:
        """Stop the test from any thread (closes its socket)."""
        self.token.cancel()

    @Slot()
    def run(self) -> None:
        """Run the job; never lets an exception escape (the thread would hang)."""
        try:
            report = self._job(on_event=self._on_event, cancel=self.token)
            if self.token.cancelled:
                self.cancelled.emit()
            elif report.ok:
                self.succeeded.emit(report)
            else:
                self.failed.emit(report)
        except SendError as exc:  # e.g. an OAuth2 account that is not signed in
            self.failed.emit(exc.user_message)
        except Exception as exc:
            self.failed.emit(_("The test stopped unexpectedly: {error}").format(error=exc))
        finally:
            self.finished.emit()

    def _on_event(self, event: TranscriptEvent) -> None:
        self.event_logged.emit(event)


def _probe_job(settings: ServerSettings, secret: Secret | None, *, on_event: Any,
               cancel: Any) -> Any:  # fmt: skip
    from mailcomposer.smtp.probe import test_connection
    from mailcomposer.store.presets import login_note_for_host

    return test_connection(settings, secret, on_event=on_event, cancel=cancel,
                           provider_note=login_note_for_host(settings.host))  # fmt: skip


def _oauth_probe_job(settings: ServerSettings, account: Any, *, on_event: Any,
                     cancel: Any) -> Any:  # fmt: skip
    # The access token is fetched (or refreshed) here, off the GUI thread.
    from mailcomposer.oauth.tokens import shared

    return _probe_job(settings, shared().secret(account), on_event=on_event, cancel=cancel)


def _autodetect_job(settings: ServerSettings, secret: Secret | None, ports: Any, timeouts: Any,
                    *, on_event: Any, cancel: Any) -> Any:  # fmt: skip
    from mailcomposer.smtp.probe import autodetect
    from mailcomposer.store.presets import login_note_for_host

    return autodetect(settings.host, secret, settings.username, on_event=on_event,
                      cancel=cancel, base=settings, ports=ports, timeouts=timeouts,
                      provider_note=login_note_for_host(settings.host))  # fmt: skip


def _detect_job(address: str, opener: Any, resolver: Any, *, on_event: Any,
                cancel: Any) -> Any:  # fmt: skip
    from mailcomposer.store.autoconfig import detect

    return detect(address, opener=opener, resolver=resolver, on_step=on_event)


class ProbeRunner(QObject):
    """Owns the thread and worker of the running test and relays what the worker reports.

    Emits, in order: ``event_logged`` for each line, one of ``succeeded``, ``failed``
    or ``cancelled``, then ``finished`` once the thread is gone (and the built-in
    server a sandbox test started is stopped).

    Attributes:
        worker_thread: the running test's thread, or None.

    Signals:
        event_logged(TranscriptEvent): one transcript line (immutable).
        succeeded(object): the report of a test that worked.
        failed(object): the report of a test that did not work (or an error text).
        cancelled(): the user stopped it.
        finished(): always last.
    """

    event_logged = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker_thread: QThread | None = None
        self._worker: ProbeWorker | None = None
        self._sandbox: Any = None

    @property
    def running(self) -> bool:
        """True from the start of a test until its ``finished``."""
        return self.worker_thread is not None

    def start_test(self, settings: ServerSettings, secret: Secret | None) -> None:
        """Test connecting, TLS and login with ``settings``."""
        self._start(functools.partial(_probe_job, settings, secret))

    def start_oauth_test(self, settings: ServerSettings, account: Any) -> None:
        """Test with an OAuth2 account's access token (refreshed first if needed)."""
        self._start(functools.partial(_oauth_probe_job, settings, account))

    def start_autodetect(
        self,
        settings: ServerSettings,
        secret: Secret | None,
        ports: tuple[tuple[int, Security], ...],
        timeouts: Timeouts,
    ) -> None:
        """Try each (port, security) of ``ports`` on the settings' host; report the best."""
        self._start(functools.partial(_autodetect_job, settings, secret, ports, timeouts))

    def start_detect(self, address: str, opener: Any = None, resolver: Any = None) -> None:
        """Look up the settings of ``address``'s domain; each step comes as ``event_logged``.

        ``succeeded``/``failed`` carry the ``autoconfig.Detection``. The look-ups
        cannot be interrupted: a cancel takes effect when the current one ends.
        """
        self._start(functools.partial(_detect_job, address, opener, resolver))

    def start_sandbox_test(self, maildir: Path) -> None:
        """Start the built-in server and test it; it stops when the test ends."""
        # Started here, in the GUI thread: a Python thread started from a QThread
        # would leave a dummy thread record behind.
        from mailcomposer.sandbox.server import SandboxServer

        self._sandbox = SandboxServer(maildir).start()
        self._start(functools.partial(_probe_job, self._sandbox.settings(),
                                      self._sandbox.secret()))  # fmt: skip

    def cancel(self) -> None:
        """Stop a running test (the worker then reports ``cancelled``)."""
        if self._worker is not None:
            self._worker.cancel()

    def stop_and_wait(self) -> None:
        """Cancel a running test and wait for its thread (never leave one running)."""
        thread, worker = self.worker_thread, self._worker
        if thread is None:
            return
        if worker is not None:
            worker.cancel()
        thread.quit()
        thread.wait()
        self._stop_sandbox()

    def _start(self, job: Job) -> None:
        thread = QThread(self)
        worker = ProbeWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Signal to signal: queued, re-emitted on this (the GUI) thread.
        worker.event_logged.connect(self.event_logged)
        worker.succeeded.connect(self.succeeded)
        worker.failed.connect(self.failed)
        worker.cancelled.connect(self.cancelled)
        worker.finished.connect(self._on_worker_finished)
        self.worker_thread, self._worker = thread, worker
        thread.start()

    @Slot()
    def _on_worker_finished(self) -> None:
        thread, worker = self.worker_thread, self._worker
        self.worker_thread = self._worker = None
        end_worker_thread(thread, worker)
        self._stop_sandbox()
        self.finished.emit()

    def _stop_sandbox(self) -> None:
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            sandbox.stop()
