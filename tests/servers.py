"""Real SMTP servers on 127.0.0.1 for tests: an aiosmtpd sink and a scripted raw-socket server.

``SmtpTestServer`` is a real ESMTP server (aiosmtpd) that records what it received and can
be told to refuse things. ``ScriptedServer`` plays a fixed dialogue over a raw socket, for
misbehaviour aiosmtpd cannot produce (421 greeting, silence, a dropped connection).
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class StatusCode:
    """One SMTP reply used by a test server or expected by a test."""

    code: int
    text: str

    @property
    def line(self) -> str:
        return f"{self.code} {self.text}"

    def __str__(self) -> str:
        return self.line


# Named replies: tests use these instead of bare numbers.
GREETING = StatusCode(220, "mx.test.example ESMTP ready")
OK = StatusCode(250, "OK")
ACCEPTED = StatusCode(250, "2.0.0 Ok: queued as TEST1234")
CLOSING = StatusCode(221, "2.0.0 Bye")
START_INPUT = StatusCode(354, "End data with <CR><LF>.<CR><LF>")
SERVICE_UNAVAILABLE = StatusCode(421, "4.3.2 Service not available, closing channel")
MAILBOX_BUSY = StatusCode(450, "4.2.1 Mailbox busy, try again later")
LOCAL_ERROR = StatusCode(451, "4.3.0 Local error in processing, try again later")
INSUFFICIENT_STORAGE = StatusCode(452, "4.3.1 Insufficient system storage")
AUTH_REQUIRED = StatusCode(530, "5.7.0 Authentication required")
BAD_CREDENTIALS = StatusCode(535, "5.7.8 Authentication credentials invalid")
NO_SUCH_USER = StatusCode(550, "5.1.1 No such user here")
SENDER_REJECTED = StatusCode(553, "5.7.1 Sender address rejected: not owned by user")
TOO_BIG = StatusCode(552, "5.3.4 Message size exceeds fixed limit")
TRANSACTION_FAILED = StatusCode(554, "5.7.1 Message rejected as spam")
NO_SERVICE = StatusCode(554, "5.3.2 No SMTP service here")


@dataclass(frozen=True)
class Received:
    """One message a test server accepted: the envelope and the exact DATA bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    mail_options: tuple[str, ...]
    smtputf8: bool


# How long a test server may take to come up: generous, because a loaded 2-core CI machine
# can take seconds to schedule the server thread, and waiting costs nothing when it is fast.
READY_TIMEOUT = 30.0


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that was free a moment ago (aiosmtpd cannot bind port 0).

    Racy by nature: for "nothing listens there" use ``refusing_port()`` instead.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def refusing_port(host: str = "127.0.0.1") -> Iterator[int]:
    """Yield a port where every connection is refused, for as long as the block runs.

    The port stays bound (so nobody else can take it) but never listens, so connecting
    fails at once with ECONNREFUSED; a port that was merely free a moment ago could
    meanwhile belong to another process's server.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind((host, 0))
        yield holder.getsockname()[1]


class RecordingHandler:
    """aiosmtpd handler that stores each message and can refuse chosen steps.

    Subclass it and override ``handle_MAIL``/``handle_RCPT``/``handle_DATA`` for other
    behaviour; call ``self.record(envelope)`` to keep a message.

    Attributes:
        received: messages accepted so far, oldest first.
        mail_reply: a reply (``StatusCode`` or line) to MAIL instead of 250.
        rcpt_replies: recipient address -> reply used instead of 250 (others accepted).
        data_reply: the reply to the final dot instead of ``ACCEPTED`` (not stored then).
    """

    def __init__(
        self,
        *,
        mail_reply: StatusCode | str | None = None,
        rcpt_replies: dict[str, StatusCode | str] | None = None,
        data_reply: StatusCode | str | None = None,
    ) -> None:
        self.received: list[Received] = []
        self.mail_reply = mail_reply
        self.rcpt_replies = {k.lower(): v for k, v in (rcpt_replies or {}).items()}
        self.data_reply = data_reply
        self._lock = threading.Lock()

    def record(self, envelope: Envelope) -> None:
        """Keep ``envelope`` as a ``Received``."""
        data = envelope.original_content or b""
        if isinstance(data, str):  # only with decode_data=True, which we never set
            data = data.encode("utf-8")
        with self._lock:
            self.received.append(
                Received(
                    mail_from=envelope.mail_from or "",
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=bytes(data),
                    mail_options=tuple(envelope.mail_options),
                    smtputf8=bool(envelope.smtp_utf8),
                )
            )

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.mail_reply is not None:
            return str(self.mail_reply)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return OK.line

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self.rcpt_replies.get(address.lower())
        if reply is not None:
            return str(reply)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return OK.line

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply is not None:
            return str(self.data_reply)
        self.record(envelope)
        return ACCEPTED.line


class _LabSMTP(SMTP):
    """aiosmtpd's SMTP plus CRAM-MD5 (which needs the plaintext password on the server)."""

    def __init__(self, handler: Any, *, users: dict[str, str] | None = None, **kwargs: Any):
        self._users = dict(users or {})
        super().__init__(handler, **kwargs)

    async def auth_CRAM__MD5(self, _: Any, args: list[str]) -> AuthResult:
        if len(args) != 1:
            await self.push("501 5.5.4 CRAM-MD5 takes no initial response")
            return AuthResult(success=False, handled=True)
        challenge = f"<{secrets.token_hex(8)}.{int(time.time())}@mx.test.example>".encode()
        response = await self.challenge_auth(challenge)
        if not isinstance(response, bytes):
            return AuthResult(success=False, handled=True)
        user, _sep, digest = response.decode("utf-8", "replace").rpartition(" ")
        password = self._users.get(user)
        if password is None:
            return AuthResult(success=False, handled=False)  # aiosmtpd then replies 535
        expected = hmac.new(password.encode("utf-8"), challenge, "md5").hexdigest()
        if not hmac.compare_digest(expected, digest.lower()):
            return AuthResult(success=False, handled=False)  # aiosmtpd then replies 535
        return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))


class _Controller(Controller):
    def __init__(self, handler: Any, *, users: dict[str, str] | None, **kwargs: Any) -> None:
        self._users = users
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        return _LabSMTP(self.handler, users=self._users, **self.SMTP_kwargs)


class SmtpTestServer:
    """A real aiosmtpd ESMTP server on 127.0.0.1 for one test.

    Use as a context manager (or ``start()``/``stop()``).

    Args:
        handler: aiosmtpd handler; default a fresh ``RecordingHandler``.
        tls_context: server-side context for implicit TLS (TLS from the first byte).
        starttls_context: server-side context offered through STARTTLS.
        require_starttls: refuse other commands until STARTTLS (with ``starttls_context``).
        auth: user -> password; enables AUTH PLAIN, LOGIN and CRAM-MD5.
        auth_require_tls: only offer AUTH inside TLS (aiosmtpd's default); False for
            plaintext lab servers.
        auth_mechanisms: restrict the offered mechanisms (e.g. ``["LOGIN"]``).
        data_size_limit: bytes (advertised as SIZE); None for no limit.
        smtputf8: advertise SMTPUTF8.
        hostname: the name the server gives in its greeting and EHLO.

    Attributes:
        host, port: where it listens.
        handler: the handler in use.
    """

    def __init__(
        self,
        *,
        handler: Any = None,
        tls_context: ssl.SSLContext | None = None,
        starttls_context: ssl.SSLContext | None = None,
        require_starttls: bool = False,
        auth: dict[str, str] | None = None,
        auth_require_tls: bool = True,
        auth_mechanisms: Iterable[str] | None = None,
        data_size_limit: int | None = 32 * 1024 * 1024,
        smtputf8: bool = True,
        hostname: str = "mx.test.example",
    ) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.handler = handler if handler is not None else RecordingHandler()
        self.cafile: Any = None  # set by fixtures so settings_for() can trust the test CA
        self._users = dict(auth) if auth else None
        kwargs: dict[str, Any] = {
            "server_hostname": hostname,
            "ident": "ESMTP test",
            "data_size_limit": data_size_limit,
            "enable_SMTPUTF8": smtputf8,
            # Implicit TLS is encrypted from the first byte, but aiosmtpd only counts
            # STARTTLS as TLS and would hide AUTH: lift its check there.
            "auth_require_tls": auth_require_tls and tls_context is None,
            "timeout": 30,
        }
        if tls_context is not None:
            kwargs["ssl_context"] = tls_context
        if starttls_context is not None:
            kwargs["tls_context"] = starttls_context
            kwargs["require_starttls"] = require_starttls
        if self._users is not None:
            kwargs["authenticator"] = self._authenticate
            all_mechanisms = {"PLAIN", "LOGIN", "CRAM-MD5"}
            if auth_mechanisms is not None:
                wanted = {m.upper() for m in auth_mechanisms}
                kwargs["auth_exclude_mechanism"] = sorted(all_mechanisms - wanted)
        else:
            # No users: offer no AUTH at all (aiosmtpd would otherwise offer PLAIN/LOGIN).
            kwargs["auth_exclude_mechanism"] = ["PLAIN", "LOGIN", "CRAM-MD5"]
        self._kwargs = kwargs
        self._controller: _Controller | None = None

    @property
    def received(self) -> list[Received]:
        """Messages the handler accepted (empty for handlers that keep none)."""
        return getattr(self.handler, "received", [])

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword) or self._users is None:
            return AuthResult(success=False, handled=False)  # aiosmtpd then replies 535
        user = data.login.decode("utf-8", "replace")
        password = data.password.decode("utf-8", "replace")
        good = self._users.get(user)
        if good is not None and hmac.compare_digest(good.encode(), password.encode()):
            return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False)  # aiosmtpd then replies 535

    def start(self) -> SmtpTestServer:
        """Bind a free port and start serving; retries if the port was taken meanwhile."""
        last: Exception | None = None
        for _attempt in range(5):
            port = free_port(self.host)
            controller = _Controller(
                self.handler,
                users=self._users,
                hostname=self.host,
                port=port,
                ready_timeout=READY_TIMEOUT,
                **self._kwargs,
            )
            try:
                controller.start()
            except OSError as exc:  # port grabbed between probe and bind
                last = exc
                controller.stop(no_assert=True)
                continue
            self._controller = controller
            self.port = port
            return self
        raise RuntimeError(f"could not start the test SMTP server: {last}")

    def stop(self) -> None:
        """Stop serving and join the server thread."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- scripted raw-socket server -------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    """Send one reply line (CRLF added) or several lines joined with CRLF (bytes as is)."""

    text: str | StatusCode | bytes


@dataclass(frozen=True)
class Expect:
    """Read one command line; record a mismatch if it does not start with ``prefix``."""

    prefix: str = ""


@dataclass(frozen=True)
class ReadData:
    """Read DATA content up to the final dot (or only ``drop_after`` bytes, then close).

    ``pause`` seconds between reads make a slow reader (a slow line, a scanning server).
    """

    drop_after: int | None = None
    pause: float = 0.0


@dataclass(frozen=True)
class StartTls:
    """Wrap the connection in TLS (after sending the 220 to STARTTLS yourself)."""


@dataclass(frozen=True)
class Close:
    """Close the connection now."""


@dataclass(frozen=True)
class Hang:
    """Stop answering: keep the connection open, reading and discarding, until stopped."""


@dataclass(frozen=True)
class Stall:
    """Stop reading altogether (the client's writes fill the buffers and block) until stopped."""


@dataclass(frozen=True)
class Repeat:
    """Send ``text`` again and again, ``interval`` seconds apart, until the peer goes away.

    A hostile server: ``Repeat("250-x")`` streams continuation lines forever;
    ``Repeat("250-x", interval=0.1)`` trickles them; ``newline=False`` sends the bytes
    without CRLF, so a line never ends.
    """

    text: str
    interval: float = 0.0
    newline: bool = True


Step = Send | Expect | ReadData | StartTls | Close | Hang | Stall | Repeat


def ehlo_reply(*extensions: str, hostname: str = "mx.test.example") -> Send:
    """Return a multi-line 250 reply to EHLO advertising ``extensions``."""
    lines = [hostname, *extensions]
    text = "\r\n".join(
        f"250{'-' if i < len(lines) - 1 else ' '}{line}" for i, line in enumerate(lines)
    )
    return Send(text)


def accepting_dialogue(*extensions: str, after_dot: Sequence[Step] = ()) -> list[Step]:
    """Return a script for a plain session up to the final dot, then ``after_dot``.

    Without ``after_dot`` the server answers the dot with 250 and QUIT with 221.
    """
    steps: list[Step] = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply(*extensions),
        Expect("MAIL FROM:"),
        Send(OK),
        Expect("RCPT TO:"),
        Send(OK),
        Expect("DATA"),
        Send(START_INPUT),
        ReadData(),
    ]
    steps.extend(after_dot or (Send(ACCEPTED), Expect("QUIT"), Send(CLOSING), Close()))
    return steps


@dataclass
class _Connection:
    sock: socket.socket
    buffer: bytearray = field(default_factory=bytearray)


class ScriptedServer:
    """A one-thread raw-socket SMTP server that plays ``script`` to each connection.

    Args:
        script: the steps, in order; the connection is closed after the last one.
        tls_context: server-side context for implicit TLS (and for ``StartTls``).
        connections: how many connections to serve in turn (each gets the whole script).

    Attributes:
        host, port: where it listens.
        commands: every command line received (without CRLF), all connections.
        data: DATA content received (dot-stuffed, as on the wire), one entry per ReadData.
        repeated: how many times ``Repeat`` steps sent their text, all connections.
        mismatches: ``(expected prefix, actual line)`` for each failed ``Expect``.
        accepted: set once a connection was accepted (and, with implicit TLS, wrapped);
            wait on it instead of sleeping, e.g. before cancelling a client from a thread.
    """

    def __init__(
        self,
        script: Sequence[Step],
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        connections: int = 1,
    ) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.cafile: Any = None
        self.script = list(script)
        self.commands: list[str] = []
        self.data: list[bytes] = []
        self.mismatches: list[tuple[str, str]] = []
        self.repeated = 0
        self.accepted = threading.Event()
        self._received = threading.Condition()
        self._tls_context = tls_context
        self._implicit_tls = implicit_tls
        self._connections = connections
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._current: socket.socket | None = None

    def start(self) -> ScriptedServer:
        """Listen on a free port and serve in a background thread."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, 0))
        listener.listen(4)
        listener.settimeout(0.05)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="ScriptedServer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every socket and join the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_for_command(self, prefix: str, timeout: float = 30.0) -> bool:
        """Block until a command starting with ``prefix`` arrived; False after ``timeout``.

        The client is then past sending it (and waiting for the reply if the script
        hangs there): the event to act on instead of a fixed delay.
        """
        with self._received:
            return self._received.wait_for(
                lambda: any(c.upper().startswith(prefix.upper()) for c in self.commands),
                timeout,
            )

    def wait_for_data(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until ``count`` DATA contents were read up to their final dot (or cut off).

        After a complete ``ReadData`` the client has sent the final dot and waits for its
        reply: the moment to act on, e.g. to cancel "after the dot".
        """
        with self._received:
            return self._received.wait_for(lambda: len(self.data) >= count, timeout)

    # -- the server thread --

    def _serve(self) -> None:
        served = 0
        assert self._listener is not None
        while not self._stop.is_set() and served < self._connections:
            try:
                sock, _addr = self._listener.accept()
            except (TimeoutError, BlockingIOError):
                continue
            except OSError:
                return
            served += 1
            sock.settimeout(0.05)
            try:
                if self._implicit_tls and self._tls_context is not None:
                    sock = self._wrap(sock)
                if sock is not None:
                    self.accepted.set()
                    self._play(_Connection(sock))
            except (OSError, _Stopped):
                pass
            finally:
                if sock is not None:
                    try:
                        sock.close()
                    except OSError:
                        pass

    def _wrap(self, sock: socket.socket) -> socket.socket | None:
        assert self._tls_context is not None
        sock.settimeout(5)
        try:
            wrapped = self._tls_context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            sock.close()
            return None
        wrapped.settimeout(0.05)
        return wrapped

    def _play(self, conn: _Connection) -> None:
        for step in self.script:
            if isinstance(step, Send):
                raw = step.text if isinstance(step.text, bytes) else str(step.text).encode()
                conn.sock.sendall(raw + b"\r\n")
            elif isinstance(step, Expect):
                line = self._read_line(conn)
                if line is None:
                    return
                with self._received:
                    self.commands.append(line)
                    self._received.notify_all()
                if not line.upper().startswith(step.prefix.upper()):
                    self.mismatches.append((step.prefix, line))
            elif isinstance(step, ReadData):
                if not self._read_data(conn, step.drop_after, step.pause):
                    return
            elif isinstance(step, StartTls):
                wrapped = self._wrap(conn.sock)
                if wrapped is None:
                    return
                conn.sock = wrapped
                conn.buffer.clear()
            elif isinstance(step, Close):
                return
            elif isinstance(step, Stall):
                self._stop.wait()
                return
            elif isinstance(step, Hang):
                while self._recv(conn):
                    conn.buffer.clear()
                return
            elif isinstance(step, Repeat):
                self._repeat(conn, step)
                return

    def _repeat(self, conn: _Connection, step: Repeat) -> None:
        # Batches of lines when streaming, so the server outruns any client.
        payload = step.text.encode("utf-8") + (b"\r\n" if step.newline else b"")
        batch = payload * (1 if step.interval else max(1, 65536 // len(payload)))
        count = 1 if step.interval else len(batch) // len(payload)
        while not self._stop.is_set():
            if not self._send_all(conn, batch):
                return  # the client gave up and closed: what the test waits for
            self.repeated += count
            if step.interval and self._stop.wait(step.interval):
                return

    def _send_all(self, conn: _Connection, data: bytes) -> bool:
        """Send ``data`` however slowly the client reads; False when it closed (or stop)."""
        view = memoryview(data)
        while view:
            if self._stop.is_set():
                return False
            try:
                view = view[conn.sock.send(view) :]
            except (TimeoutError, ssl.SSLWantWriteError):
                continue
            except OSError:
                return False
        return True

    def _recv(self, conn: _Connection) -> bool:
        """Read more bytes into the buffer; False when the peer closed."""
        while True:
            if self._stop.is_set():
                raise _Stopped
            try:
                chunk = conn.sock.recv(65536)
            except (TimeoutError, ssl.SSLWantReadError):
                continue
            except OSError:
                return False
            if not chunk:
                return False
            conn.buffer.extend(chunk)
            return True

    def _read_line(self, conn: _Connection) -> str | None:
        while b"\r\n" not in conn.buffer:
            if not self._recv(conn):
                return None
        end = conn.buffer.index(b"\r\n")
        line = bytes(conn.buffer[:end])
        del conn.buffer[: end + 2]
        return line.decode("utf-8", "replace")

    def _read_data(self, conn: _Connection, drop_after: int | None, pause: float) -> bool:
        try:
            return self._read_data_until_dot(conn, drop_after, pause)
        finally:
            with self._received:
                self._received.notify_all()

    def _read_data_until_dot(self, conn: _Connection, drop_after: int | None, pause: float) -> bool:
        terminator = b"\r\n.\r\n"
        searched = 0  # where the terminator search may resume (keeps big messages linear)
        while True:
            if drop_after is not None and len(conn.buffer) >= drop_after:
                self.data.append(bytes(conn.buffer[:drop_after]))
                return False
            if conn.buffer.startswith(b".\r\n"):
                self.data.append(b"")
                del conn.buffer[:3]
                return True
            end = conn.buffer.find(terminator, searched)
            if end >= 0:
                self.data.append(bytes(conn.buffer[: end + 2]))
                del conn.buffer[: end + len(terminator)]
                return True
            searched = max(0, len(conn.buffer) - len(terminator))
            if pause and self._stop.wait(pause):
                raise _Stopped
            if not self._recv(conn):
                self.data.append(bytes(conn.buffer))
                return False


class _Stopped(Exception):
    """The test is over: leave the connection."""


def b64(text: str) -> str:
    """Base64 of a UTF-8 string (for building scripted AUTH exchanges)."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


# --- OAuth2 bearer tokens over SMTP -----------------------------------------------------------

TOKEN_EXPIRED = {"status": "401", "schemes": "bearer", "scope": "https://mail.test.example/"}


class BearerHandler(RecordingHandler):
    """A ``RecordingHandler`` whose server speaks XOAUTH2 and OAUTHBEARER (RFC 7628).

    aiosmtpd advertises every handler attribute named ``auth_<X>`` as mechanism X.
    A refused token gets RFC 7628's JSON error in a 334, then 535 after the client's
    answer.

    Args:
        check: ``check(user, token)`` -> "ok", "expired" or "invalid".

    Attributes:
        logins: (mechanism, user, outcome) of every AUTH attempt, oldest first.
    """

    def __init__(self, check: Any) -> None:
        super().__init__()
        self.check = check
        self.logins: list[tuple[str, str, str]] = []

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        fields = await self._initial(server, args)
        parts = dict(p.split("=", 1) for p in fields.split("\x01") if "=" in p)
        return await self._verify(server, "XOAUTH2", parts.get("user", ""), parts.get("auth", ""))

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        fields = await self._initial(server, args)
        gs2, _sep, rest = fields.partition("\x01")
        user = next((p[2:] for p in gs2.split(",") if p.startswith("a=")), "")
        parts = dict(p.split("=", 1) for p in rest.split("\x01") if "=" in p)
        return await self._verify(server, "OAUTHBEARER", user, parts.get("auth", ""))

    async def _initial(self, server: SMTP, args: list[str]) -> str:
        if len(args) > 1:
            return base64.b64decode(args[1]).decode("utf-8", "replace")
        response = await server.challenge_auth("")
        return response.decode("utf-8", "replace") if isinstance(response, bytes) else ""

    async def _verify(self, server: SMTP, mechanism: str, user: str, auth: str) -> AuthResult:
        token = auth.removeprefix("Bearer ")
        outcome = self.check(user, token) if auth.startswith("Bearer ") else "invalid"
        self.logins.append((mechanism, user, outcome))
        if outcome == "ok":
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        report = dict(TOKEN_EXPIRED)
        if outcome != "expired":
            report["status"] = "invalid_request"
        await server.challenge_auth(json.dumps(report))
        return AuthResult(success=False, handled=False)  # aiosmtpd then replies 535
