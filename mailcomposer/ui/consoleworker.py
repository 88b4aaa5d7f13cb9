"""The SMTP console's network side: a worker QObject on its own QThread, and its owner."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.smtp.console import Console, ConsoleError, ConsoleLine
from mailcomposer.smtp.settings import ServerSettings

__all__ = ["ConsoleSession", "ConsoleWorker"]


class ConsoleWorker(QObject):
    """Runs one ``smtp.console.Console`` in the worker thread; every slot reports back.

    Signals:
        line_logged: a ``ConsoleLine`` (immutable) for the transcript.
        connected: the greeting came; commands may be sent.
        disconnected: the connection ended (QUIT, failure, or closed here).
        failed: a translated sentence: why the last request did nothing.
        idle: the last request is done (success or not): the GUI may send again.
    """

    line_logged = Signal(object)
    connected = Signal()
    disconnected = Signal()
    failed = Signal(str)
    idle = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._console: Console | None = None

    def abort(self) -> None:
        """Close the connection now, from any thread (wakes a blocking read)."""
        console = self._console
        if console is not None:
            console.cancel.cancel()

    def _emit_line(self, line: ConsoleLine) -> None:
        self.line_logged.emit(line)

    @Slot(object)
    def open_connection(self, settings: ServerSettings) -> None:
        self._drop()
        self._console = Console(settings, self._emit_line)
        self._run(self._console.connect)
        if self._console is not None and self._console.connected:
            self.connected.emit()

    @Slot(str)
    def send_line(self, line: str) -> None:
        console = self._console
        if console is None or not console.connected:
            self.failed.emit(_("Not connected."))
            self.idle.emit()
            return
        self._run(lambda: console.send(line))

    @Slot(str, str, str)
    def log_in(self, mechanism: str, user: str, password: str) -> None:
        console = self._console
        if console is None or not console.connected:
            self.failed.emit(_("Not connected."))
            self.idle.emit()
            return
        self._run(lambda: console.auth(mechanism, user, password))

    @Slot()
    def close_connection(self) -> None:
        self._drop()
        self.idle.emit()

    def _drop(self) -> None:
        console, self._console = self._console, None
        if console is not None and console.connected:
            console.close()
            self.disconnected.emit()

    def _run(self, job) -> None:
        """Run ``job``; whatever happens, report it and end with ``idle``."""
        console = self._console
        try:
            job()
        except ConsoleError as error:
            self.failed.emit(error.message)
        except BaseException as exc:  # the thread must always report back
            self.failed.emit(
                _("The console stopped because of an unexpected error: {error}").format(
                    error=f"{type(exc).__name__}: {exc}"
                )
            )
            if console is not None:
                console.close()
        finally:
            if console is not None and not console.connected and self._console is console:
                self._console = None
                self.disconnected.emit()
            self.idle.emit()


class ConsoleSession(QObject):
    """Owns the console's thread and worker (GUI thread); relays requests and results.

    Signals (relayed from the worker, received in the GUI thread):
        line_logged, connected, disconnected, failed, idle: as ``ConsoleWorker``'s.
    """

    line_logged = Signal(object)
    connected = Signal()
    disconnected = Signal()
    failed = Signal(str)
    idle = Signal()

    # Requests, queued to the worker's thread.
    _open_requested = Signal(object)
    _line_requested = Signal(str)
    _login_requested = Signal(str, str, str)
    _close_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("smtpConsoleThread")
        self._worker = ConsoleWorker()
        self._worker.moveToThread(self._thread)
        self._open_requested.connect(self._worker.open_connection)
        self._line_requested.connect(self._worker.send_line)
        self._login_requested.connect(self._worker.log_in)
        self._close_requested.connect(self._worker.close_connection)
        # Signal to signal: queued, re-emitted on this (the GUI) thread.
        self._worker.line_logged.connect(self.line_logged)
        self._worker.connected.connect(self.connected)
        self._worker.disconnected.connect(self.disconnected)
        self._worker.failed.connect(self.failed)
        self._worker.idle.connect(self.idle)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    @property
    def thread(self) -> QThread:
        """The worker's thread (it outlives this object until it has finished)."""
        return self._thread

    @property
    def running(self) -> bool:
        """True while the worker thread runs (until ``shutdown``)."""
        return self._thread.isRunning()

    def open_connection(self, settings: ServerSettings) -> None:
        self._open_requested.emit(settings)

    def send_line(self, line: str) -> None:
        self._line_requested.emit(line)

    def log_in(self, mechanism: str, user: str, password: str) -> None:
        self._login_requested.emit(mechanism, user, password)

    def close_connection(self) -> None:
        """Disconnect now: the socket is closed from here, the worker then reports."""
        self._worker.abort()
        self._close_requested.emit()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Close the connection and stop the thread; True when it ended (idempotent)."""
        if not self._thread.isRunning():
            return True
        self._worker.abort()
        self._thread.quit()
        return self._thread.wait(timeout_ms)
