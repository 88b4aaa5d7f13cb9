"""The cancel switch of one send: a flag plus the socket to close, usable from any thread."""

from __future__ import annotations

import socket
import threading

__all__ = ["CancelToken", "Cancelled", "hard_close"]


class Cancelled(Exception):
    """The user cancelled (raised in the sending thread at a checkpoint)."""


class CancelToken:
    """Thread-safe cancel switch for one send.

    ``cancel()`` may be called from any thread (the GUI's): it sets the flag, then shuts
    down and closes the socket in use, which wakes the sending thread from a blocking
    connect, TLS handshake, read or write (Linux needs the shutdown, Windows the close).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._sock: socket.socket | None = None

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        """Ask the send to stop now (thread-safe, idempotent)."""
        with self._lock:
            self._event.set()
            sock, self._sock = self._sock, None
        if sock is not None:
            hard_close(sock)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until cancelled or ``timeout``; True when cancelled."""
        return self._event.wait(timeout)

    def attach(self, sock: socket.socket | None) -> None:
        """Register the socket to close on cancel (closes it at once if already cancelled)."""
        with self._lock:
            if not self._event.is_set():
                self._sock = sock
                return
        if sock is not None:
            hard_close(sock)

    def detach(self) -> None:
        with self._lock:
            self._sock = None


def hard_close(sock: socket.socket) -> None:
    """Shut down and close ``sock`` from any thread, ignoring errors."""
    try:
        # The plain socket's shutdown: SSLSocket.shutdown would touch the TLS object the
        # sending thread is using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
