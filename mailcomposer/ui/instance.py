"""One composer per home folder: a second start hands its arguments to the running one.

Two windows on one home folder would share the one autosave slot and overwrite
each other's drafts. So the running app listens on a local socket (a named pipe
on Windows) named after its home folder, and a later start (a ``mailto:`` link
clicked in a browser, an .eml opened from the file manager) passes its arguments
there and exits; the running window opens them, asking first about unsaved work.
"""

from __future__ import annotations

import hashlib
import json

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from mailcomposer.store.paths import Home

HAND_OVER_TIMEOUT_MS = 1000


def server_name(home: Home) -> str:
    """The local socket name of the app running on ``home`` (the same for every start)."""
    digest = hashlib.sha256(str(home.root.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"mailcomposer-{digest}"


def hand_over(name: str, arguments: list[str], timeout_ms: int = HAND_OVER_TIMEOUT_MS) -> bool:
    """Pass ``arguments`` to the app listening on ``name``; False when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write((json.dumps(arguments) + "\n").encode("utf-8"))
    written = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return written


class InstanceServer(QObject):
    """Listens for later starts on this home folder.

    Signals:
        arguments_received: the command-line arguments a later start passed (a list).
    """

    arguments_received = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_server_new_connection)

    def listen(self, name: str) -> bool:
        """Start listening; True on success (a stale name from a crash is cleared first)."""
        QLocalServer.removeServer(name)
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
