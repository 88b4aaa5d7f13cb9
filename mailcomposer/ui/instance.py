"""One composer per home folder: a second start hands its arguments to the running one.

Two windows on one home folder would share the one autosave slot and overwrite
each other's drafts. So the running app listens on a local socket (a named pipe
on Windows) named after its home folder, and a later start (a ``mailto:`` link
clicked in a browser, an .eml opened from the file manager) passes its arguments
there and exits; the running window opens them, asking first about unsaved work.

Which start is the first is decided by a lock file in the home folder
(``QLockFile``, held for the app's lifetime; a crashed app's lock is stale once
its process is gone). A start that takes the lock knows at once that no composer
runs there, so the usual start loads no networking code and reads no socket. Only
a start that finds the lock held connects, and it waits (up to
``HAND_OVER_TIMEOUT_MS``) for the running app, which listens once its window has
painted.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal, Slot

from mailcomposer.store.paths import Home

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

# How long a start that found the home folder locked waits for the running app to
# listen (it may itself be starting) before opening a window of its own.
HAND_OVER_TIMEOUT_MS = 3000
_RETRY_SECONDS = 0.05
LOCK_FILE = "instance.lock"


def server_name(home: Home) -> str:
    """The local socket name of the app running on ``home`` (the same for every start).

    Two 32-bit checksums of the folder's path: a name per folder without loading
    OpenSSL (``hashlib``) before the window, which a start would pay for.
    """
    path = str(home.root.resolve()).encode("utf-8")
    return f"mailcomposer-{zlib.crc32(path):08x}{zlib.adler32(path):08x}"


def claim(home: Home) -> tuple[QLockFile | None, bool]:
    """Try to become the composer of ``home``: ``(lock, held_by_another)``.

    Keep the lock while the app runs. ``held_by_another`` is True when a running
    composer holds it; both are None/False when the folder cannot be locked (no
    write permission): then nobody can tell, and the start goes on as the first.
    """
    try:
        home.root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None, False  # the window will say what is wrong with the folder
    lock = QLockFile(str(home.root / LOCK_FILE))
    lock.setStaleLockTime(0)  # held for a lifetime: stale only when its process is gone
    if lock.tryLock(0):
        return lock, False
    return None, lock.error() == QLockFile.LockError.LockFailedError


def absolute_arguments(arguments: list[str], cwd: str | None = None) -> list[str]:
    """``arguments`` with a message file's path made absolute (from ``cwd``, else this one).

    The running composer has its own working folder: ``mailcomposer report.eml``
    typed in another one opened nothing there, or another folder's report.eml.
    Options, ``mailto:`` links and the NAME of ``--template NAME`` stay as they are.
    """
    cwd = os.getcwd() if cwd is None else cwd
    result = []
    for index, argument in enumerate(arguments):
        if not (
            argument.startswith("-")
            or argument.lower().startswith("mailto:")
            or (index and arguments[index - 1] == "--template")
        ):
            argument = os.path.normpath(os.path.join(cwd, argument))
        result.append(argument)
    return result


def allow_foreground(platform: str | None = None) -> None:
    """On Windows, let the running composer bring its window to the front.

    Windows lets only the program the user just started (this later start, from a
    click on a ``mailto:`` link) take the foreground: without handing that right on
    (``AllowSetForegroundWindow(ASFW_ANY)``) the running window only flashed in the
    taskbar, behind the browser. Elsewhere nothing is needed.
    """
    if (sys.platform if platform is None else platform) != "win32":
        return
    import ctypes

    try:
        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        pass  # no user32 (a service, Wine without it): the window flashes instead


def hand_over(name: str, arguments: list[str], timeout_ms: int = HAND_OVER_TIMEOUT_MS) -> bool:
    """Pass ``arguments`` to the app listening on ``name``; False when none listens in time."""
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        socket = QLocalSocket()
        socket.connectToServer(name)
        left_ms = max(0, int((deadline - time.monotonic()) * 1000))
        if socket.waitForConnected(left_ms):
            break
        if time.monotonic() >= deadline:
            return False
        time.sleep(_RETRY_SECONDS)  # not listening yet (it is starting): ask again
    allow_foreground()
    socket.write((json.dumps(absolute_arguments(arguments)) + "\n").encode("utf-8"))
    written = socket.waitForBytesWritten(max(1, timeout_ms))
    socket.disconnectFromServer()
    return written


class InstanceServer(QObject):
    """Listens for later starts on this home folder.

    Signals:
        arguments_received: the command-line arguments a later start passed (a list).
    """

    arguments_received = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_server_new_connection)

    def listen(self, name: str) -> bool:
        """Start listening; True on success (a stale name from a crash is cleared first)."""
        self._server.removeServer(name)
        return self._server.listen(name)

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(self._on_connection_ready_read)
            connection.disconnected.connect(connection.deleteLater)
            self._read(connection)

    @Slot()
    def _on_connection_ready_read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        connection = self.sender()
        if isinstance(connection, QLocalSocket):
            self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        while connection.canReadLine():
            line = bytes(connection.readLine().data()).decode("utf-8", "replace")
            try:
                arguments = json.loads(line)
            except ValueError:
                continue
            if isinstance(arguments, list) and all(isinstance(a, str) for a in arguments):
                self.arguments_received.emit(arguments)
