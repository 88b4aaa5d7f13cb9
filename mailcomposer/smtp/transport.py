"""The wire: command lines out, bounded replies in, on a cancel-aware smtplib transport.

``smtplib.SMTP.getreply()`` keeps every continuation line with no cap, and its socket
timeout bounds each read, not the reply (docs/pitfalls.md): a server streaming ``250-``
lines grows memory without limit, one trickling a byte every few seconds holds the
send as long as it likes. ``Transport.read_reply`` bounds a reply in lines, bytes and
time, and reports a line that is not an SMTP reply exactly as it came.
"""

from __future__ import annotations

import enum
import math
import smtplib
import socket
import ssl
import time

from mailcomposer.i18n import _
from mailcomposer.smtp.cancel import Cancelled, CancelToken
from mailcomposer.smtp.recorder import Recorder
from mailcomposer.smtp.settings import ServerSettings

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MAX_LINE_BYTES",
    "MAX_REPLY_BYTES",
    "MAX_REPLY_LINES",
    "BadReply",
    "Problem",
    "Transport",
    "local_name",
    "parse_line",
]

# Far above any real server (a big EHLO reply has about 20 lines and 1 KiB), far below
# anything that strains memory.
MAX_REPLY_LINES = 1000
MAX_REPLY_BYTES = 64 * 1024
MAX_LINE_BYTES = 8192  # smtplib's _MAXLINE; RFC 5321 asks for at most 512
_RECV_SIZE = 4096


class Problem(enum.StrEnum):
    """What was wrong with a server reply (``BadReply.problem``)."""

    UNPARSABLE = "unparsable"
    LINE_TOO_LONG = "line-too-long"
    TOO_MANY_LINES = "too-many-lines"
    TOO_MANY_BYTES = "too-many-bytes"
    DEADLINE = "deadline"


class BadReply(smtplib.SMTPException):
    """The server's reply broke the rules or the bounds; raised on this side, not sent.

    Not an ``SMTPResponseException``: there is no reply code the server gave.

    Attributes:
        problem: which rule or bound.
        line: the offending line as received (unparsable), or the start of it.
        limit: the bound that was passed (lines, bytes or seconds).
    """

    def __init__(self, problem: Problem, line: str = "", limit: float = 0) -> None:
        super().__init__(f"{problem.value}: {line[:200]}" if line else problem.value)
        self.problem = problem
        self.line = line
        self.limit = limit


def parse_line(raw: bytes) -> tuple[int, bool, str] | None:
    """Split one reply line into (code, more lines follow, text); None if it is no reply.

    RFC 5321 4.2: three digits, then a space, a hyphen (more lines follow) or the end.
    """
    line = raw.rstrip(b"\r\n")
    if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in (b"", b" ", b"-"):
        return None
    text = line[4:].strip(b" \t").decode("utf-8", "replace")
    return int(line[:3]), line[3:4] == b"-", text


def local_name(settings: ServerSettings) -> str:
    """The name given in EHLO: the configured one, else a neutral address literal."""
    # Never getfqdn(): slow reverse DNS, and it leaks the machine's name.
    return settings.local_hostname or "[127.0.0.1]"


def _shown(raw: bytes) -> str:
    """A received line for the transcript: as it came, bytes that are not UTF-8 escaped."""
    return raw.rstrip(b"\r\n").decode("utf-8", "backslashreplace")


class Transport(smtplib.SMTP):
    """smtplib.SMTP with a transcript hook, bounded replies, raw errors, cancel-aware sockets.

    Used for its EHLO bookkeeping (``ehlo``, ``esmtp_features``) and ``docmd``; every line
    in and out passes ``send``/``read_reply``. The recorder is a class-level default that
    each instance replaces before anything is sent or read, so no line (the greeting
    included) escapes the transcript; ``connect`` is never called from the constructor,
    and ``_host`` is set explicitly for TLS checks.

    Attributes:
        recorder: where the lines go.
        cancel_token: closes the socket in use on cancel.
        reply_deadline: the longest one reply may take in all (seconds), never less than
            the per-read wait in effect (``settings.Timeouts.reply_deadline``).
    """

    recorder: Recorder | None = None
    ehlo_msg = "EHLO"  # smtplib sends lower-case verbs; keep the transcript conventional

    def __init__(
        self,
        recorder: Recorder,
        cancel: CancelToken,
        local_hostname: str,
        timeout: float,
        reply_deadline: float = 0.0,
    ) -> None:
        self.recorder = recorder
        self.cancel_token = cancel
        self.reply_deadline = reply_deadline
        self._inbox = bytearray()  # received, not yet read as lines
        # No host: smtplib would connect (and read the greeting) inside __init__.
        super().__init__(local_hostname=local_hostname, timeout=timeout)

    # -- connection --

    def open(
        self, host: str, addresses: list[Any], connect_timeout: float, command_timeout: float
    ) -> None:
        """Open the TCP connection to the first of ``addresses`` (``getaddrinfo`` results)
        that answers; cancellable: the socket exists before connect()."""
        self._host = host  # WORKAROUND: SMTP() + connect() leaves _host empty (PITFALLS)
        last: OSError | None = None
        for family, socktype, proto, _canon, addr in addresses:
            sock = socket.socket(family, socktype, proto)
            self.cancel_token.attach(sock)
            try:
                sock.settimeout(connect_timeout)
                sock.connect(addr)
            except OSError as exc:
                sock.close()
                if self.cancel_token.cancelled:
                    raise Cancelled from exc
                last = exc
                continue
            sock.settimeout(command_timeout)
            self.sock = sock
            self._inbox.clear()
            return
        raise last or OSError(_("no address found for {host}").format(host=host))

    def wrap(self, context: ssl.SSLContext, handshake_timeout: float) -> ssl.SSLSocket:
        """Run the TLS handshake on the open socket (implicit TLS or after STARTTLS)."""
        assert self.sock is not None
        timeout = self.sock.gettimeout()
        self.sock.settimeout(handshake_timeout)
        # Plaintext that came after the 220 to STARTTLS is an injection attempt
        # (CVE-2011-0411 style): it must never be read as if it came inside TLS.
        self._inbox.clear()
        # wrap_socket() detaches the plain socket object: register the TLS one with the
        # cancel token BEFORE the handshake, so a cancel can interrupt the handshake too.
        wrapped = context.wrap_socket(
            self.sock, server_hostname=self._host, do_handshake_on_connect=False
        )
        self.sock = wrapped
        self.cancel_token.attach(wrapped)
        wrapped.do_handshake()
        wrapped.settimeout(timeout)
        return wrapped

    def close(self) -> None:
        self.cancel_token.detach()
        self._inbox.clear()
        super().close()

    # -- lines out --

    def putcmd(self, cmd: str, args: str = "") -> None:
        if cmd in ("helo", "rset", "noop", "quit", "data", "mail", "rcpt"):
            cmd = cmd.upper()
        super().putcmd(cmd, args)

    def send(self, s: str | bytes) -> None:
        line = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
        if self.recorder is not None:
            self.recorder.client(line.rstrip("\r\n"))
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected(_("not connected"))
        data = s.encode(self.command_encoding) if isinstance(s, str) else s
        self.sock.sendall(data)  # raw errors: the caller classifies them by stage

    # -- replies in --

    def getreply(self) -> tuple[int, bytes]:
        """smtplib's hook (``docmd``, ``ehlo``): ``read_reply`` with the command timeout."""
        return self.read_reply()

    def read_reply(self, wait: float | None = None) -> tuple[int, bytes]:
        """Read one whole reply; return its code and its lines' text joined by newlines.

        Args:
            wait: the per-read timeout for this reply (default: the socket's, i.e. the
                command timeout); the whole reply has ``max(reply_deadline, wait)``.

        Raises:
            BadReply: a line that is no SMTP reply, or a reply past its bounds in lines,
                bytes or time (what came is in the transcript, cut at the bound).
            TimeoutError: nothing came within ``wait``.
            smtplib.SMTPServerDisconnected: the server closed the connection.
        """
        # Reimplemented rather than wrapped: smtplib turns every OSError (a timeout
        # included) into SMTPServerDisconnected, keeps unbounded lines, and answers an
        # over-long line with a made-up "500 Line too long" the server never sent.
        sock = self.sock
        if sock is None:
            raise smtplib.SMTPServerDisconnected(_("not connected"))
        base = sock.gettimeout()
        wait = base if wait is None else wait
        limit = max(self.reply_deadline, wait or 0.0)
        deadline = time.monotonic() + limit if limit > 0 else math.inf
        code, lines, size = -1, [], 0
        try:
            while True:
                raw = self._read_line(sock, deadline, wait, limit)
                parsed = parse_line(raw)
                if parsed is None:
                    raise BadReply(Problem.UNPARSABLE, _shown(raw))
                size += len(raw)
                if size > MAX_REPLY_BYTES:
                    raise BadReply(Problem.TOO_MANY_BYTES, limit=MAX_REPLY_BYTES)
                code, more, text = parsed
                lines.append(text)
                if not more:
                    break
                if len(lines) >= MAX_REPLY_LINES:
                    raise BadReply(Problem.TOO_MANY_LINES, limit=MAX_REPLY_LINES)
        except BadReply as exc:
            if self.recorder is not None:
                self.recorder.server(code, lines, complete=False)
                if exc.problem is Problem.UNPARSABLE:
                    self.recorder.unparsable(exc.line)
            raise
        finally:
            if self.sock is sock:
                try:
                    sock.settimeout(base)
                except OSError:
                    pass
        if self.recorder is not None:
            self.recorder.server(code, lines)
        return code, "\n".join(lines).encode("utf-8")

    def _read_line(
        self, sock: socket.socket, deadline: float, wait: float | None, limit: float
    ) -> bytes:
        """One line (with its line end) from the inbox, reading more while none is whole."""
        searched = 0
        while True:
            end = self._inbox.find(b"\n", searched)
            if end >= 0:
                line = bytes(self._inbox[: end + 1])
                del self._inbox[: end + 1]
                if len(line) > MAX_LINE_BYTES:
                    raise BadReply(Problem.LINE_TOO_LONG, _shown(line[:80]), MAX_LINE_BYTES)
                return line
            searched = len(self._inbox)
            if searched > MAX_LINE_BYTES:
                raise BadReply(Problem.LINE_TOO_LONG, _shown(self._inbox[:80]), MAX_LINE_BYTES)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BadReply(Problem.DEADLINE, limit=limit)
            held_by_deadline = remaining < (math.inf if wait is None else wait)
            sock.settimeout(remaining if held_by_deadline else wait)
            try:
                chunk = sock.recv(_RECV_SIZE)
            except TimeoutError:
                if held_by_deadline:
                    raise BadReply(Problem.DEADLINE, limit=limit) from None
                raise
            if not chunk:
                self.close()
                raise smtplib.SMTPServerDisconnected(_("the server closed the connection"))
            self._inbox += chunk
