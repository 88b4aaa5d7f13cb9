"""The server name lookup, which a cancel interrupts and a deadline bounds."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from mailcomposer.i18n import _
from mailcomposer.smtp.cancel import Cancelled, CancelToken

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LOOKUP_POLL_S", "resolve", "system_getaddrinfo"]

# How often a waiting lookup looks at the cancel switch.
LOOKUP_POLL_S = 0.05


def system_getaddrinfo(host: str, *args: Any) -> list[Any]:
    """``socket.getaddrinfo``, given an ASCII name as the bytes the idna codec makes of it.

    getaddrinfo encodes a str name with the idna codec, whose module (with stringprep
    and unicodedata, 0.3 MiB of a send's budget) an ASCII name does not need: the
    codec gives its ASCII bytes once each label is checked to be 1 to 63 characters
    long, as done here. Any other name goes as given, to get the codec's own result
    or error.
    """
    if host.isascii():
        labels = host.split(".")
        if all(0 < len(label) < 64 for label in labels[:-1]) and len(labels[-1]) < 64:
            return socket.getaddrinfo(host.encode("ascii"), *args)
    return socket.getaddrinfo(host, *args)


def resolve(
    host: str,
    port: int,
    cancel: CancelToken,
    timeout: float,
    getaddrinfo: Callable[..., list[Any]] = system_getaddrinfo,
) -> list[Any]:
    """``getaddrinfo`` for a TCP connection to ``host``, which a cancel interrupts.

    Python cannot interrupt a name lookup, and a resolver that gets no answer holds
    the caller for its own timeouts (often 5-30 s), longer than the user will wait
    after pressing Cancel. So a name (not an IP literal) is looked up on a daemon
    thread while this one waits for it, for the cancel switch, or for ``timeout``;
    on a cancel or a timeout the lookup is left to finish on its own (it holds
    nothing of ours).

    Raises:
        Cancelled: the user cancelled during the lookup.
        socket.gaierror: the name does not resolve, or no answer came within
            ``timeout`` seconds (``EAI_AGAIN``, as the resolver itself reports it).
    """
    try:  # an IP literal needs no lookup, nor a thread
        return getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        pass
    outcome: list[Any] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            outcome.append(getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"lookup {host}", daemon=True).start()
    deadline = time.monotonic() + timeout
    while not done.wait(LOOKUP_POLL_S):
        if cancel.cancelled:
            raise Cancelled
        if time.monotonic() >= deadline:
            raise socket.gaierror(
                socket.EAI_AGAIN,
                _("looking up {host} took longer than {seconds:g} s").format(
                    host=host, seconds=timeout
                ),
            )
    if cancel.cancelled:
        raise Cancelled
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]
