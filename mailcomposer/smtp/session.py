"""SMTP sessions step by step (connect, EHLO, secure, log in, transfer, quit); ``send`` on top.

``Connection`` (from ``open_session``) is the public API that both ``send`` and the
connection test in ``smtp.probe`` compose. The transport is a small ``smtplib.SMTP``
subclass used for its reply parsing and EHLO bookkeeping only; everything that has a trap
in PITFALLS.md (TLS verification, STARTTLS stripping, AUTH masking, chunked DATA with
progress and cancel, SIZE, 8BITMIME, SMTPUTF8, partial refusal, QUIT after acceptance)
is done here explicitly, with a redacted transcript.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import hmac
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from mailcomposer.i18n import _
from mailcomposer.smtp import tls
from mailcomposer.smtp.errors import (
    ExitCode,
    Refusal,
    SendError,
    SendResult,
    Stage,
    error_from_exception,
    error_from_reply,
)
from mailcomposer.smtp.explain import explain_command, explain_reply
from mailcomposer.smtp.settings import AuthMethod, Secret, Security, ServerSettings
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

__all__ = [
    "CHUNK_SIZE",
    "CancelToken",
    "Capabilities",
    "Connection",
    "choose_mechanism",
    "open_session",
    "send",
]

CHUNK_SIZE = 64 * 1024
MASK = "****"
_CRLF = b"\r\n"

EventCallback = Callable[[TranscriptEvent], None]
ProgressCallback = Callable[[int, int], None]


class _Wire(Protocol):
    size: int

    def data_chunks(self, chunk_size: int = ...) -> Iterable[bytes]: ...


class _Envelope(Protocol):
    sender: str
    recipients: tuple[str, ...]
    smtputf8: bool


class _Built(Protocol):
    envelope: _Envelope
    message_id: str

    def summary(self) -> str: ...

    def wire(self, eight_bit: bool = ...) -> _Wire: ...


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
            _hard_close(sock)

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
            _hard_close(sock)

    def detach(self) -> None:
        with self._lock:
            self._sock = None


def _hard_close(sock: socket.socket) -> None:
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


class _Cancelled(Exception):
    """The user cancelled (raised in the sending thread at a checkpoint)."""


class _RetryPinned(Exception):
    """Verification failed but the user pinned a certificate: reconnect and compare."""


class _Recorder:
    """Turns protocol lines into ``TranscriptEvent``s, masking what must never be shown."""

    def __init__(self, on_event: EventCallback) -> None:
        self._on_event = on_event
        self.secure = False
        self.last_command = ""
        self._mask_next: str | None = None
        self.in_auth = False

    def emit(
        self, direction: Direction, text: str, code: int | None = None, expl: str = ""
    ) -> None:
        self._on_event(TranscriptEvent(time.monotonic(), direction, text, code, expl, self.secure))

    def note(self, text: str) -> None:
        self.emit(Direction.NOTE, text)

    def mask_next(self, shown: str) -> None:
        """Show ``shown`` instead of the next client line."""
        self._mask_next = shown

    def client(self, line: str) -> None:
        if self._mask_next is not None:
            shown, self._mask_next = self._mask_next, None
        elif self.in_auth:
            shown = MASK  # anything sent inside an AUTH exchange is a secret by default
        else:
            shown = mask_command(line)
        verb = shown.split(" ", 1)[0].upper()
        if not self.in_auth:
            self.last_command = "." if shown == "." else verb
        login_data = self.in_auth and not shown.upper().startswith("AUTH")
        expl = explain_command(shown, login_data=login_data, mask=MASK)
        self.emit(Direction.CLIENT, shown, expl=expl)

    def server(self, code: int, lines: list[str]) -> None:
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            text = f"{code}{' ' if last else '-'}{line}" if line else str(code)
            if code == 334:
                text = f"334 {summarise_challenge(line)}"
            expl = explain_reply(code, line, self.last_command) if last else ""
            self.emit(Direction.SERVER, text, code, expl)


_AUTH_LINE = re.compile(r"^(AUTH\s+\S+)(\s+\S.*)?$", re.IGNORECASE)


def mask_command(line: str) -> str:
    """Mask the secret part of a client command line (``AUTH PLAIN ****``)."""
    match = _AUTH_LINE.match(line)
    if match:
        return match.group(1).upper() + (f" {MASK}" if match.group(2) else "")
    return line


def summarise_challenge(payload: str) -> str:
    """Return a 334 challenge as shown in the transcript: decoded if short text, else a count."""
    payload = payload.strip()
    if not payload:
        return _("(waiting for the login data)")
    try:
        decoded = base64.b64decode(payload, validate=True).decode("ascii").rstrip("\x00")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    if decoded and decoded.isprintable() and len(decoded) <= 80 and "{" not in decoded:
        return _("(challenge: {text})").format(text=decoded)
    return _("(challenge, {n} characters)").format(n=len(payload))


# The resolver the lookups use (a seam for tests: there is no DNS on loopback).
_getaddrinfo = socket.getaddrinfo
# How often a waiting lookup looks at the cancel switch.
LOOKUP_POLL_S = 0.05


def resolve(host: str, port: int, cancel: CancelToken, timeout: float) -> list[Any]:
    """``getaddrinfo`` for a TCP connection to ``host``, which a cancel interrupts.

    Python cannot interrupt a name lookup, and a resolver that gets no answer holds
    the caller for its own timeouts (often 5-30 s), longer than the user will wait
    after pressing Cancel. So a name (not an IP literal) is looked up on a daemon
    thread while this one waits for it, for the cancel switch, or for ``timeout``;
    on a cancel or a timeout the lookup is left to finish on its own (it holds
    nothing of ours).

    Raises:
        _Cancelled: the user cancelled during the lookup.
        socket.gaierror: the name does not resolve, or no answer came within
            ``timeout`` seconds (``EAI_AGAIN``, as the resolver itself reports it).
    """
    try:  # an IP literal needs no lookup, nor a thread
        return _getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        pass
    outcome: list[Any] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            outcome.append(_getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"lookup {host}", daemon=True).start()
    deadline = time.monotonic() + timeout
    while not done.wait(LOOKUP_POLL_S):
        if cancel.cancelled:
            raise _Cancelled
        if time.monotonic() >= deadline:
            raise socket.gaierror(
                socket.EAI_AGAIN,
                _("looking up {host} took longer than {seconds:g} s").format(
                    host=host, seconds=timeout
                ),
            )
    if cancel.cancelled:
        raise _Cancelled
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


class _Transport(smtplib.SMTP):
    """smtplib.SMTP with a transcript hook, raw timeouts, cancel-aware sockets.

    The recorder is a class-level default that each instance replaces before anything is
    sent or read, so no line (the greeting included) escapes the transcript; ``connect``
    is never called from the constructor, and ``_host`` is set explicitly for TLS checks.
    """

    recorder: _Recorder | None = None
    ehlo_msg = "EHLO"  # smtplib sends lower-case verbs; keep the transcript conventional

    def putcmd(self, cmd: str, args: str = "") -> None:
        if cmd in ("helo", "rset", "noop", "quit", "data", "mail", "rcpt"):
            cmd = cmd.upper()
        super().putcmd(cmd, args)

    def __init__(
        self, recorder: _Recorder, cancel: CancelToken, local_hostname: str, timeout: float
    ) -> None:
        self.recorder = recorder
        self.cancel_token = cancel
        # No host: smtplib would connect (and read the greeting) inside __init__.
        super().__init__(local_hostname=local_hostname, timeout=timeout)

    # -- connection --

    def open(self, host: str, port: int, connect_timeout: float, command_timeout: float) -> None:
        """Open the TCP connection (cancellable: the socket exists before connect())."""
        self._host = host  # WORKAROUND: SMTP() + connect() leaves _host empty (PITFALLS)
        infos = resolve(host, port, self.cancel_token, connect_timeout)
        last: OSError | None = None
        for family, socktype, proto, _canon, addr in infos:
            sock = socket.socket(family, socktype, proto)
            self.cancel_token.attach(sock)
            try:
                sock.settimeout(connect_timeout)
                sock.connect(addr)
            except OSError as exc:
                sock.close()
                if self.cancel_token.cancelled:
                    raise _Cancelled from exc
                last = exc
                continue
            sock.settimeout(command_timeout)
            self.sock = sock
            self.file = None
            return
        raise last or OSError(_("no address found for {host}").format(host=host))

    def wrap(self, context: ssl.SSLContext, handshake_timeout: float) -> ssl.SSLSocket:
        """Run the TLS handshake on the open socket (implicit TLS or after STARTTLS)."""
        assert self.sock is not None
        timeout = self.sock.gettimeout()
        self.sock.settimeout(handshake_timeout)
        # wrap_socket() detaches the plain socket object: register the TLS one with the
        # cancel token BEFORE the handshake, so a cancel can interrupt the handshake too.
        wrapped = context.wrap_socket(
            self.sock, server_hostname=self._host, do_handshake_on_connect=False
        )
        self.sock = wrapped
        self.file = None
        self.cancel_token.attach(wrapped)
        wrapped.do_handshake()
        wrapped.settimeout(timeout)
        return wrapped

    # -- transcript hooks --

    def send(self, s: str | bytes) -> None:
        line = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
        if self.recorder is not None:
            self.recorder.client(line.rstrip("\r\n"))
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected(_("not connected"))
        data = s.encode(self.command_encoding) if isinstance(s, str) else s
        self.sock.sendall(data)  # raw errors: the caller classifies them by stage

    def getreply(self) -> tuple[int, bytes]:
        # Reimplemented because smtplib turns every OSError (a timeout included) into
        # SMTPServerDisconnected, and a timeout is a different message for the user.
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected(_("not connected"))
        if self.file is None:
            self.file = self.sock.makefile("rb")
        lines: list[str] = []
        code = -1
        while True:
            line = self.file.readline(smtplib._MAXLINE + 1)
            if not line:
                self.close()
                raise smtplib.SMTPServerDisconnected(_("the server closed the connection"))
            if len(line) > smtplib._MAXLINE:
                self.close()
                raise smtplib.SMTPResponseException(500, b"Line too long.")
            text = line[4:].strip(b" \t\r\n").decode("utf-8", "replace")
            try:
                code = int(line[:3])
            except ValueError:
                code = -1
            lines.append(text)
            if line[3:4] != b"-":
                break
        if self.recorder is not None:
            self.recorder.server(code, lines)
        return code, "\n".join(lines).encode("utf-8")

    def close(self) -> None:
        self.cancel_token.detach()
        super().close()


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What the server offers on this connection: its last EHLO reply and the TLS in use.

    Attributes:
        size_limit: SIZE in bytes (0: no fixed limit announced), None if SIZE is absent.
        auth: AUTH mechanisms offered (upper case).
        eightbitmime, smtputf8, pipelining, dsn, chunking, starttls: announced or not.
        names: every extension keyword, upper case, as announced (empty before a successful
            EHLO, or when the server only understood HELO).
        tls_version: e.g. ``TLSv1.3`` (empty without TLS).
        tls_cipher: the cipher suite name.
        certificate: the server certificate once TLS was established.
    """

    size_limit: int | None = None
    auth: tuple[str, ...] = ()
    eightbitmime: bool = False
    smtputf8: bool = False
    pipelining: bool = False
    dsn: bool = False
    chunking: bool = False
    starttls: bool = False
    names: tuple[str, ...] = ()
    tls_version: str = ""
    tls_cipher: str = ""
    certificate: tls.CertificateInfo | None = None

    @classmethod
    def from_features(cls, features: dict[str, str], **tls_info: Any) -> Capabilities:
        """Build from smtplib's ``esmtp_features`` (lower-case keys) plus the TLS fields."""
        size: int | None = None
        if "size" in features:
            value = features["size"].strip()
            size = int(value) if value.isdigit() else 0
        return cls(
            size_limit=size,
            auth=tuple(features.get("auth", "").upper().split()),
            eightbitmime="8bitmime" in features,
            smtputf8="smtputf8" in features,
            pipelining="pipelining" in features,
            dsn="dsn" in features,
            chunking="chunking" in features,
            starttls="starttls" in features,
            names=tuple(name.upper() for name in features),
            **tls_info,
        )

    @property
    def size_mb(self) -> float | None:
        """The SIZE limit in megabytes (10^6 bytes), None if no limit is announced."""
        return self.size_limit / 1_000_000 if self.size_limit else None


class Connection:
    """One SMTP connection driven step by step, with a redacted transcript.

    Get one from ``open_session`` (a context manager: leaving it closes the connection)
    and call the steps in order: ``connect()`` (TCP, the TLS handshake when security is
    TLS, the greeting), ``ehlo()``, ``secure()`` (STARTTLS when asked for), ``login()``,
    then ``transfer()`` and/or ``quit()``. Every step raises only ``SendError``, already
    classified by stage and exit code (a cancel becomes ``ExitCode.CANCELLED``, or
    ``UNKNOWN`` once the final dot is out); before raising it has said goodbye when the
    server still listens, closed the connection and noted the failure in the transcript.
    A verification failure with a pinned certificate reconnects and compares the pin.
    """

    def __init__(
        self,
        settings: ServerSettings,
        secret: Secret | None,
        *,
        on_event: EventCallback,
        cancel: CancelToken | None = None,
    ) -> None:
        self.settings = settings
        self.secret = secret
        self.cancel = cancel if cancel is not None else CancelToken()
        self.stage = Stage.CONNECT
        self.mechanism = ""  # the AUTH mechanism that logged in
        self.final_dot_sent = False
        self.accepted = False  # the server took the message (250 to the final dot)
        self._recorder = _Recorder(on_event)
        self._pinned = False
        self._features: dict[str, str] = {}  # the last successful EHLO
        self._tls: tuple[str, str, bytes] = ("", "", b"")  # version, cipher, certificate
        self._capabilities: Capabilities | None = None
        self._closed = False
        self._client = self._new_transport()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the connection without a goodbye (idempotent)."""
        self._closed = True
        self.cancel.detach()
        try:
            self._client.close()
        except OSError:
            pass

    @property
    def capabilities(self) -> Capabilities:
        """What the last EHLO announced and the TLS session in use (also after a failure)."""
        if self._capabilities is None:
            version, cipher, der = self._tls
            certificate = (
                tls.describe_certificate(
                    der, host=self.settings.host, port=self.settings.effective_port
                )
                if der
                else None
            )
            self._capabilities = Capabilities.from_features(
                self._features, tls_version=version, tls_cipher=cipher, certificate=certificate
            )
        return self._capabilities

    # -- the public steps --

    def connect(self) -> None:
        """Open the connection (TLS from the first byte if so set) and read the greeting."""
        with self._step():
            try:
                self._connect()
            except _RetryPinned:
                self._restart_pinned()
                self._connect()

    def ehlo(self) -> Capabilities:
        """Say EHLO (HELO if the server does not know EHLO); return what it offers."""
        with self._step():
            self._ehlo()
            self._check_cancel()
        return self.capabilities

    def secure(self) -> None:
        """Upgrade with STARTTLS and EHLO again when the settings ask for it; else nothing.

        Raises ``SendError`` (``ExitCode.TLS``) when STARTTLS is not offered or the
        certificate is not trusted: no password is ever sent over a stripped connection.
        """
        with self._step():
            if self.settings.security is Security.STARTTLS:
                try:
                    self._starttls()
                except _RetryPinned:
                    self._restart_pinned()
                    self._connect()
                    self._ehlo()
                    self._starttls()
                self._ehlo()
            self._check_cancel()

    def login(self) -> str:
        """Log in with AUTH when a user name is set; return the mechanism used ('' for none)."""
        with self._step():
            if self.settings.username:
                self._login()
                self._check_cancel()
        return self.mechanism

    def transfer(self, built: Any, on_progress: ProgressCallback | None = None) -> SendResult:
        """Hand over ``built`` (MAIL, RCPT, DATA, the body, the final dot); no QUIT.

        Args:
            built: a ``message.mime.BuiltMessage``.
            on_progress: receives ``(sent_bytes, total_bytes)`` during DATA.

        Returns:
            the result without warnings (``quit()`` gives those).
        """
        with self._step():
            return self._transfer(built, on_progress)

    def quit(self) -> tuple[str, ...]:
        """Say goodbye; never raises (nothing is left to lose).

        Returns:
            translated warnings, only after an accepted message (a bad goodbye then does not
            undo the send; they are noted in the transcript too).
        """
        if self._closed:
            return ()
        self.stage = Stage.QUIT
        try:
            code, _text = self._client.docmd("QUIT")
        except (OSError, smtplib.SMTPException) as exc:
            code, detail = None, str(exc) or type(exc).__name__
        if not self.accepted or code == 221:
            return ()
        if code is None:
            warning = _(
                "The connection closed badly after the message was accepted ({detail}); "
                "the message was sent."
            ).format(detail=detail)
        else:
            warning = _("The server answered {code} to QUIT; the message was sent anyway.").format(
                code=code
            )
        self._recorder.note(warning)
        return (warning,)

    # -- failure handling shared by every step --

    @contextlib.contextmanager
    def _step(self) -> Iterator[None]:
        if self._closed:  # a step after a failure: refuse before anything reaches the wire
            raise error_from_exception(
                smtplib.SMTPServerDisconnected(_("not connected")), self.stage
            )
        try:
            yield
        except SendError as error:
            # The server is still talking: say goodbye properly (best effort).
            if error.code is not None and error.code != 421 and error.stage is not Stage.GREETING:
                self._quietly("QUIT")
            self.close()
            if self.cancel.cancelled and error.exit_code is not ExitCode.UNKNOWN:
                raise self._cancelled_error() from error
            self._recorder.note(_("Failed: {message}").format(message=error.user_message))
            raise
        except _Cancelled:
            self.close()
            raise self._cancelled_error() from None
        except Exception as exc:
            self.close()
            if self.cancel.cancelled:
                raise self._cancelled_error() from exc
            raise self._error(exc) from exc

    def _error(self, exc: BaseException) -> SendError:
        stage = Stage.FINAL_DOT if self.final_dot_sent else self.stage
        error = error_from_exception(exc, stage)
        better = ""
        if (
            isinstance(exc, TimeoutError)
            and stage is Stage.GREETING
            and self.settings.security is not Security.TLS
        ):
            better = _(
                "The server accepted the connection but never greeted. If this port "
                "expects TLS from the first byte (usually 465), choose TLS."
            )
        elif isinstance(exc, ConnectionRefusedError):
            better = _(
                "Nothing accepts connections at {host} port {port}: check the port and "
                "the security setting."
            ).format(host=self.settings.host, port=self.settings.effective_port)
        if better:
            error.user_message = better
            error.args = (better,)
        self._recorder.note(_("Failed: {message}").format(message=error.user_message))
        return error

    def _cancelled_error(self) -> SendError:
        if self.final_dot_sent:
            error = SendError(
                Stage.FINAL_DOT,
                ExitCode.UNKNOWN,
                _(
                    "Cancelled after the whole message was sent, before the server "
                    "confirmed it: it may have been delivered. Do not resend blindly."
                ),
            )
        else:
            error = SendError(
                self.stage,
                ExitCode.CANCELLED,
                _("Cancelled: the message was not sent."),
            )
        self._recorder.note(error.user_message)
        return error

    def _check_cancel(self) -> None:
        if self.cancel.cancelled:
            raise _Cancelled

    def _new_transport(self) -> _Transport:
        return _Transport(
            self._recorder,
            self.cancel,
            _local_name(self.settings),
            timeout=self.settings.timeouts.command,
        )

    def _restart_pinned(self) -> None:
        """Start over on a new connection that checks the pin instead of the CA chain."""
        self.close()
        self._pinned = True
        self._recorder.secure = False
        self._client = self._new_transport()
        self._closed = False

    # -- the protocol --

    def _connect(self) -> None:
        settings = self.settings
        self.stage = Stage.CONNECT
        port = settings.effective_port
        self._recorder.note(
            _("Connecting to {host} port {port} ({security})").format(
                host=settings.host, port=port, security=settings.security.value
            )
        )
        timeouts = settings.timeouts
        self._client.open(settings.host, port, timeouts.connect, timeouts.command)
        self._check_cancel()
        if settings.security is Security.TLS:
            self._handshake()

        self.stage = Stage.GREETING
        code, text = self._client.getreply()
        if code != 220:
            raise error_from_reply(Stage.GREETING, code, text)
        self._check_cancel()

    def _handshake(self) -> None:
        context = (
            tls.make_unverified_context()
            if self._pinned
            else tls.make_ssl_context(self.settings.cafile)
        )
        try:
            sock = self._client.wrap(context, self.settings.timeouts.connect)
        except ssl.SSLCertVerificationError as exc:
            if self.cancel.cancelled:
                raise _Cancelled from exc
            self._verification_failed(exc)
        except TimeoutError:
            raise  # a silent server is a connection problem, not a TLS one
        except (ssl.SSLError, OSError) as exc:
            if self.cancel.cancelled:
                raise _Cancelled from exc
            raise SendError(
                self.stage,
                ExitCode.TLS,
                _("Secure connection to {host} failed: {reason}.").format(
                    host=self.settings.host, reason=tls.tls_error_reason(exc)
                ),
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        else:
            if self._pinned:
                self._check_pin(sock)
            self._recorder.secure = True
            cipher = sock.cipher()
            der = sock.getpeercert(binary_form=True) or b""
            self._tls = (sock.version() or "", cipher[0] if cipher else "", der)
            self._capabilities = None
            for line in tls.session_notes(sock):
                self._recorder.note(line)

    def _verification_failed(self, exc: ssl.SSLCertVerificationError) -> None:
        reason = tls.verification_reason(exc, self.settings.host)
        if self.settings.pinned_sha256:
            self._recorder.note(
                _(
                    "The certificate was not verified ({reason}); reconnecting to compare "
                    "it with the certificate you chose to trust."
                ).format(reason=reason)
            )
            raise _RetryPinned from exc
        der = fetch_peer_certificate(self.settings)
        info = (
            tls.describe_certificate(
                der, reason=reason, host=self.settings.host, port=self.settings.effective_port
            )
            if der
            else None
        )
        error = SendError(
            self.stage,
            ExitCode.TLS,
            _(
                "The server's certificate is not trusted: {reason}. Nothing was sent. If "
                "you know this server, you can trust this certificate explicitly."
            ).format(reason=reason),
            detail=f"{type(exc).__name__}: {exc}",
        )
        error.certificate = info
        raise error from exc

    def _check_pin(self, sock: ssl.SSLSocket) -> None:
        der = sock.getpeercert(binary_form=True) or b""
        if tls.matches_pin(der, self.settings.pinned_sha256):
            self._recorder.note(
                _(
                    "Certificate {fingerprint} is not verified, but trusted by your explicit "
                    "exception."
                ).format(fingerprint=tls.fingerprint(der))
            )
            return
        info = tls.describe_certificate(
            der,
            reason=_("it is not the certificate you chose to trust"),
            host=self.settings.host,
            port=self.settings.effective_port,
        )
        error = SendError(
            self.stage,
            ExitCode.TLS,
            _(
                "The server presented a different certificate from the one you chose to "
                "trust, and it does not verify. Nothing was sent. Someone may be "
                "intercepting the connection, or the server changed its certificate."
            ),
            detail=f"SHA-256 {info.sha256}",
        )
        error.certificate = info
        raise error

    def _ehlo(self) -> None:
        self.stage = Stage.EHLO
        name = self._client.local_hostname
        code, text = self._client.ehlo(name)
        if code == 250:
            self._features = dict(self._client.esmtp_features)
            self._capabilities = None
            return
        if code == 421:
            raise error_from_reply(Stage.EHLO, code, text)
        code, text = self._client.helo(name)
        if code != 250:
            raise error_from_reply(Stage.EHLO, code, text)
        self._features, self._capabilities = {}, None

    def _starttls(self) -> None:
        self.stage = Stage.STARTTLS
        if not self.capabilities.starttls:
            raise SendError(
                Stage.STARTTLS,
                ExitCode.TLS,
                _(
                    "The server does not offer STARTTLS, so the connection cannot be "
                    "encrypted; nothing was sent and no password was given. Choose TLS if "
                    "the server uses port 465, or check the server and port."
                ),
            )
        code, text = self._client.docmd("STARTTLS")
        if code != 220:
            raise error_from_reply(Stage.STARTTLS, code, text)
        self._handshake()
        # Forget what was learnt in plaintext (RFC 3207): EHLO again.
        self._client.helo_resp = None
        self._client.ehlo_resp = None
        self._client.esmtp_features = {}
        self._client.does_esmtp = False
        self._features, self._capabilities = {}, None

    def _login(self) -> None:
        self.stage = Stage.AUTH
        settings = self.settings
        if not self._recorder.secure:
            self._recorder.note(
                _(
                    "Warning: the connection is not encrypted; your user name and password "
                    'travel in plain text (you chose security "none").'
                )
            )
        if self.secret is None:
            raise SendError(
                Stage.AUTH,
                ExitCode.AUTH,
                _("A user name is set but no password was given."),
            )
        offered = self.capabilities.auth
        if "AUTH" not in self.capabilities.names:
            raise SendError(
                Stage.AUTH,
                ExitCode.AUTH,
                _(
                    "The server offers no login (AUTH) here. Clear the user name, or use "
                    "STARTTLS/TLS: many servers only offer login inside encryption."
                ),
            )
        mechanism = choose_mechanism(settings.auth, offered, self.secret.is_token)
        if mechanism is None:
            raise SendError(
                Stage.AUTH,
                ExitCode.AUTH,
                _(
                    "No usable login method: the server offers {offered}; the account is "
                    "set to {wanted}."
                ).format(offered=" ".join(offered) or "-", wanted=settings.auth.value),
            )
        user, secret = settings.username, self.secret.value
        try:
            code, text = self._authenticate(mechanism, user, secret)
        finally:
            self._recorder.in_auth = False
        if code not in (235, 503):
            raise error_from_reply(Stage.AUTH, code, text)
        self.mechanism = mechanism

    def _authenticate(self, mechanism: str, user: str, secret: str) -> tuple[int, bytes]:
        rec = self._recorder
        rec.last_command = "AUTH"
        if mechanism == "PLAIN":
            blob = _b64(f"\0{user}\0{secret}")
            rec.mask_next(f"AUTH PLAIN {MASK}")
            rec.in_auth = True
            return self._client.docmd("AUTH", f"PLAIN {blob}")
        if mechanism == "LOGIN":
            rec.in_auth = True
            rec.mask_next("AUTH LOGIN")
            code, _text = self._client.docmd("AUTH", "LOGIN")
            if code != 334:
                return code, _text
            rec.mask_next(_b64(user) + _("  (user name {user}, base64)").format(user=user))
            code, _text = self._client.docmd(_b64(user))
            if code != 334:
                return code, _text
            rec.mask_next(MASK)
            return self._client.docmd(_b64(secret))
        if mechanism == "CRAM-MD5":
            rec.in_auth = True
            rec.mask_next("AUTH CRAM-MD5")
            code, challenge = self._client.docmd("AUTH", "CRAM-MD5")
            if code != 334:
                return code, challenge
            decoded = base64.b64decode(challenge)
            digest = hmac.new(secret.encode("utf-8"), decoded, "md5").hexdigest()
            rec.mask_next(MASK)
            return self._client.docmd(_b64(f"{user} {digest}"))
        # XOAUTH2: the bearer token is as good as a password.
        rec.mask_next(f"AUTH XOAUTH2 {MASK}")
        rec.in_auth = True
        code, text = self._client.docmd(
            "AUTH", "XOAUTH2 " + _b64(f"user={user}\x01auth=Bearer {secret}\x01\x01")
        )
        if code == 334:  # an error report in JSON; the empty reply makes the server answer
            rec.mask_next("")
            code, text = self._client.docmd("")
        return code, text

    def _transfer(self, built: _Built, on_progress: ProgressCallback | None) -> SendResult:
        envelope = built.envelope
        offered = self.capabilities
        if envelope.smtputf8 and not offered.smtputf8:
            raise SendError(
                Stage.MAIL,
                ExitCode.INPUT,
                _(
                    "An address has non-ASCII characters before the @, and this server "
                    "does not support SMTPUTF8. Nothing was sent; use an ASCII address."
                ),
                field="to",
            )
        eight_bit = offered.eightbitmime
        wire = built.wire(eight_bit=eight_bit)
        limit = offered.size_limit
        if limit and wire.size > limit:
            raise SendError(
                Stage.MAIL,
                ExitCode.REFUSED,
                _(
                    "The message is {size} after encoding; this server accepts at most "
                    "{limit}. Remove or shrink attachments."
                ).format(size=_megabytes(wire.size), limit=_megabytes(limit)),
                detail=f"size {wire.size} > SIZE {limit}",
            )

        self.stage = Stage.MAIL
        options = []
        if limit is not None:
            options.append(f"SIZE={wire.size}")
        if eight_bit:
            options.append("BODY=8BITMIME")
        if envelope.smtputf8:
            options.append("SMTPUTF8")
            self._client.command_encoding = "utf-8"  # smtplib encodes commands as ASCII otherwise
        code, text = self._client.docmd("MAIL", f"FROM:<{envelope.sender}>" + _opts(options))
        if code != 250:
            raise error_from_reply(Stage.MAIL, code, text)
        self._check_cancel()

        self.stage = Stage.RCPT
        accepted: list[str] = []
        refused: list[Refusal] = []
        for rcpt in envelope.recipients:
            code, text = self._client.docmd("RCPT", f"TO:<{rcpt}>")
            if code in (250, 251):
                accepted.append(rcpt)
            elif code == 421:
                raise error_from_reply(Stage.RCPT, code, text)
            else:
                refused.append(Refusal(rcpt, code, text.decode("utf-8", "replace")))
            self._check_cancel()
        if not accepted:
            self._quietly("RSET")  # the step's failure handling says QUIT
            listing = "; ".join(f"{r.address} ({r.code} {r.text})" for r in refused)
            first = refused[0] if refused else None
            raise SendError(
                Stage.RCPT,
                ExitCode.REFUSED,
                _("The server refused every recipient; nothing was sent: {listing}").format(
                    listing=listing
                ),
                code=first.code if first else None,
                server_text=first.text if first else "",
                detail=listing,
            )

        self.stage = Stage.DATA
        code, text = self._client.docmd("DATA")
        if code != 354:
            raise error_from_reply(Stage.DATA, code, text)
        self._check_cancel()

        self.stage = Stage.UPLOAD
        sent = self._upload(wire, built.summary(), on_progress)

        self.stage = Stage.FINAL_DOT
        code, text = self._final_dot()
        if code != 250:
            raise error_from_reply(Stage.FINAL_DOT, code, text)
        final_reply = f"{code} {text.decode('utf-8', 'replace')}"
        self.accepted = True
        self._recorder.note(_("Message accepted by the server."))
        return SendResult(
            message_id=built.message_id,
            accepted=tuple(accepted),
            refused=tuple(refused),
            size=sent,
            final_reply=final_reply,
        )

    def _upload(self, wire: _Wire, contents: str, progress: ProgressCallback | None) -> int:
        total = wire.size
        summary = _("DATA: {size} bytes — {summary}").format(size=f"{total:,}", summary=contents)
        self._recorder.note(summary)
        sock = self._client.sock
        assert sock is not None
        sent = 0
        tail = b""
        if progress is not None:
            progress(0, total)
        for chunk in wire.data_chunks(CHUNK_SIZE):
            self._check_cancel()
            if not chunk:
                continue
            # sock timeout is the per-command timeout: it bounds each chunk, not the whole.
            sock.sendall(chunk)
            sent += len(chunk)
            tail = (tail + chunk)[-2:]
            if progress is not None:
                progress(min(sent, total), total)
        self._check_cancel()
        if sent and tail != _CRLF:
            sock.sendall(_CRLF)  # the final dot must start a line of its own
        return min(sent, total) if total else sent

    def _final_dot(self) -> tuple[int, bytes]:
        sock = self._client.sock
        assert sock is not None
        self._recorder.client(".")
        # From here on the server may hold the whole message: any loss is "unknown".
        self.final_dot_sent = True
        sock.sendall(b".\r\n")
        sock.settimeout(self.settings.timeouts.final_dot)
        try:
            return self._client.getreply()
        finally:
            try:
                sock.settimeout(self.settings.timeouts.command)
            except OSError:
                pass

    def _quietly(self, command: str) -> None:
        try:
            self._client.docmd(command)
        except (OSError, smtplib.SMTPException):
            pass


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _opts(options: list[str]) -> str:
    return "".join(f" {o}" for o in options)


def _megabytes(size: int) -> str:
    value = size / 1_000_000
    text = f"{value:.1f}".removesuffix(".0") if value >= 0.1 else f"{value:.2f}"
    return f"{text} MB"


def _local_name(settings: ServerSettings) -> str:
    # Never getfqdn(): slow reverse DNS, and it leaks the machine's name.
    return settings.local_hostname or "[127.0.0.1]"


def choose_mechanism(choice: AuthMethod, offered: Iterable[str], is_token: bool) -> str | None:
    """Return the AUTH mechanism to use, or None when nothing usable is offered.

    ``auto`` prefers XOAUTH2 for tokens, else CRAM-MD5 > PLAIN > LOGIN (CRAM-MD5 never
    sends the password itself); an explicit choice is honoured only if offered.
    """
    offered_set = {m.upper() for m in offered}
    if choice is AuthMethod.AUTO:
        preference = ["XOAUTH2"] if is_token else ["CRAM-MD5", "PLAIN", "LOGIN"]
    else:
        preference = [choice.value.upper()]
    for mechanism in preference:
        if mechanism in offered_set:
            return mechanism
    return None


def fetch_peer_certificate(settings: ServerSettings) -> bytes | None:
    """Fetch the server's certificate over a second, unverified handshake (no transcript).

    Used only to show the user what they are asked to trust; nothing is sent on it.
    """
    recorder = _Recorder(lambda _event: None)
    client = _Transport(recorder, CancelToken(), _local_name(settings), settings.timeouts.command)
    timeout = settings.timeouts.connect
    try:
        client.open(settings.host, settings.effective_port, timeout, timeout)
        if settings.security is Security.STARTTLS:
            if client.getreply()[0] != 220:
                return None
            client.ehlo(client.local_hostname)
            if client.docmd("STARTTLS")[0] != 220:
                return None
        sock = client.wrap(tls.make_unverified_context(), timeout)
        return sock.getpeercert(binary_form=True)
    except (OSError, smtplib.SMTPException, _Cancelled):
        return None
    finally:
        try:
            client.close()
        except OSError:
            pass


def open_session(
    settings: ServerSettings,
    secret: Secret | None,
    *,
    on_event: EventCallback,
    cancel: CancelToken | None = None,
) -> Connection:
    """Return a not yet connected ``Connection``; use it as a context manager.

    The arguments mean what they mean for ``send``; ``on_event`` is called from the thread
    that runs the steps.
    """
    return Connection(settings, secret, on_event=on_event, cancel=cancel)


def send(
    settings: ServerSettings,
    secret: Secret | None,
    built: Any,
    *,
    on_event: EventCallback,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> SendResult:
    """Send ``built`` through the server in ``settings``; blocking, call it off the GUI thread.

    Args:
        settings: where and how to connect.
        secret: the password or OAuth2 token (None when no user name is set).
        built: a ``message.mime.BuiltMessage`` (its envelope decides MAIL/RCPT; the
            wire form has no Bcc).
        on_event: receives each redacted ``TranscriptEvent`` (sending thread).
        on_progress: receives ``(sent_bytes, total_bytes)`` during DATA (sending thread).
        cancel: a ``CancelToken`` another thread may trigger.

    Returns:
        The ``SendResult`` (``refused`` lists recipients refused while others were taken).

    Raises:
        SendError: with stage, exit code and a user message; ``.certificate`` is set for an
            untrusted certificate.
    """
    with open_session(settings, secret, on_event=on_event, cancel=cancel) as connection:
        connection.connect()
        connection.ehlo()
        connection.secure()
        connection.login()
        result = connection.transfer(built, on_progress)
        return dataclasses.replace(result, warnings=connection.quit())
