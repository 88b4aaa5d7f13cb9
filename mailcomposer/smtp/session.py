"""One SMTP send: connect, secure, log in, hand over the message; a redacted transcript of it.

The transport is a small ``smtplib.SMTP`` subclass used for its reply parsing and
EHLO bookkeeping only; everything that has a trap in PITFALLS.md (TLS verification,
STARTTLS stripping, AUTH masking, chunked DATA with progress and cancel, SIZE,
8BITMIME, SMTPUTF8, partial refusal, QUIT after acceptance) is done here explicitly.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
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
from mailcomposer.smtp.explain import explain_reply
from mailcomposer.smtp.settings import AuthMethod, Secret, Security, ServerSettings
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

__all__ = ["CHUNK_SIZE", "CancelToken", "send"]

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
        self.emit(Direction.CLIENT, shown)

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
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        if self.cancel_token.cancelled:
            raise _Cancelled
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


class _Session:
    """One attempt-or-two at sending ``built`` (two only when a pinned cert needs checking)."""

    def __init__(
        self,
        settings: ServerSettings,
        secret: Secret | None,
        built: _Built,
        on_event: EventCallback,
        on_progress: ProgressCallback | None,
        cancel: CancelToken,
    ) -> None:
        self.settings = settings
        self.secret = secret
        self.built = built
        self.on_progress = on_progress
        self.cancel = cancel
        self.recorder = _Recorder(on_event)
        self.stage = Stage.CONNECT
        self.final_dot_sent = False
        self.client: _Transport | None = None
        self.pinned = False

    # -- entry --

    def run(self) -> SendResult:
        try:
            try:
                return self._attempt()
            except _RetryPinned:
                self.pinned = True
                self.stage = Stage.CONNECT
                self.recorder.secure = False
                return self._attempt()
        except _Cancelled:
            raise self._cancelled_error() from None
        except SendError as error:
            if self.cancel.cancelled and error.exit_code is not ExitCode.UNKNOWN:
                raise self._cancelled_error() from error
            self.recorder.note(_("Failed: {message}").format(message=error.user_message))
            raise
        except Exception as exc:
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
        self.recorder.note(_("Failed: {message}").format(message=error.user_message))
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
        self.recorder.note(error.user_message)
        return error

    def _check_cancel(self) -> None:
        if self.cancel.cancelled:
            raise _Cancelled

    # -- one attempt --

    def _attempt(self) -> SendResult:
        settings = self.settings
        timeouts = settings.timeouts
        client = _Transport(
            self.recorder, self.cancel, _local_name(settings), timeout=timeouts.command
        )
        self.client = client
        try:
            self.stage = Stage.CONNECT
            port = settings.effective_port
            self.recorder.note(
                _("Connecting to {host} port {port} ({security})").format(
                    host=settings.host, port=port, security=settings.security.value
                )
            )
            client.open(settings.host, port, timeouts.connect, timeouts.command)
            self._check_cancel()
            if settings.security is Security.TLS:
                self._handshake(client)

            self.stage = Stage.GREETING
            code, text = client.getreply()
            if code != 220:
                raise error_from_reply(Stage.GREETING, code, text)
            self._check_cancel()

            self._ehlo(client)
            if settings.security is Security.STARTTLS:
                self._starttls(client)
                self._ehlo(client)
            self._check_cancel()

            if settings.username:
                self._login(client)
                self._check_cancel()

            return self._transfer(client)
        except SendError as error:
            # The server is still talking: say goodbye properly (best effort).
            if error.code is not None and error.code != 421 and error.stage is not Stage.GREETING:
                self._quietly(client, "QUIT")
            raise
        finally:
            self.cancel.detach()
            try:
                client.close()
            except OSError:
                pass

    # -- steps --

    def _handshake(self, client: _Transport) -> None:
        context = (
            tls.make_unverified_context()
            if self.pinned
            else tls.make_ssl_context(self.settings.cafile)
        )
        try:
            sock = client.wrap(context, self.settings.timeouts.connect)
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
            if self.pinned:
                self._check_pin(sock)
            self.recorder.secure = True
            for line in tls.session_notes(sock):
                self.recorder.note(line)

    def _verification_failed(self, exc: ssl.SSLCertVerificationError) -> None:
        reason = tls.verification_reason(exc, self.settings.host)
        if self.settings.pinned_sha256:
            self.recorder.note(
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
            self.recorder.note(
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

    def _ehlo(self, client: _Transport) -> None:
        self.stage = Stage.EHLO
        name = client.local_hostname
        code, text = client.ehlo(name)
        if code == 250:
            return
        if code == 421:
            raise error_from_reply(Stage.EHLO, code, text)
        code, text = client.helo(name)
        if code != 250:
            raise error_from_reply(Stage.EHLO, code, text)

    def _starttls(self, client: _Transport) -> None:
        self.stage = Stage.STARTTLS
        if not client.has_extn("starttls"):
            raise SendError(
                Stage.STARTTLS,
                ExitCode.TLS,
                _(
                    "The server does not offer STARTTLS, so the connection cannot be "
                    "encrypted; nothing was sent and no password was given. Choose TLS if "
                    "the server uses port 465, or check the server and port."
                ),
            )
        code, text = client.docmd("STARTTLS")
        if code != 220:
            raise error_from_reply(Stage.STARTTLS, code, text)
        self._handshake(client)
        # Forget what was learnt in plaintext (RFC 3207): EHLO again.
        client.helo_resp = None
        client.ehlo_resp = None
        client.esmtp_features = {}
        client.does_esmtp = False

    def _login(self, client: _Transport) -> None:
        self.stage = Stage.AUTH
        settings = self.settings
        if not self.recorder.secure:
            self.recorder.note(
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
        offered = client.esmtp_features.get("auth", "").upper().split()
        if not client.has_extn("auth"):
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
            code, text = self._authenticate(client, mechanism, user, secret)
        finally:
            self.recorder.in_auth = False
        if code not in (235, 503):
            raise error_from_reply(Stage.AUTH, code, text)

    def _authenticate(
        self, client: _Transport, mechanism: str, user: str, secret: str
    ) -> tuple[int, bytes]:
        rec = self.recorder
        rec.last_command = "AUTH"
        if mechanism == "PLAIN":
            blob = _b64(f"\0{user}\0{secret}")
            rec.mask_next(f"AUTH PLAIN {MASK}")
            rec.in_auth = True
            return client.docmd("AUTH", f"PLAIN {blob}")
        if mechanism == "LOGIN":
            rec.in_auth = True
            rec.mask_next("AUTH LOGIN")
            code, _text = client.docmd("AUTH", "LOGIN")
            if code != 334:
                return code, _text
            rec.mask_next(_b64(user) + _("  (user name {user}, base64)").format(user=user))
            code, _text = client.docmd(_b64(user))
            if code != 334:
                return code, _text
            rec.mask_next(MASK)
            return client.docmd(_b64(secret))
        if mechanism == "CRAM-MD5":
            rec.in_auth = True
            rec.mask_next("AUTH CRAM-MD5")
            code, challenge = client.docmd("AUTH", "CRAM-MD5")
            if code != 334:
                return code, challenge
            decoded = base64.b64decode(challenge)
            digest = hmac.new(secret.encode("utf-8"), decoded, "md5").hexdigest()
            rec.mask_next(MASK)
            return client.docmd(_b64(f"{user} {digest}"))
        # XOAUTH2: the bearer token is as good as a password.
        rec.mask_next(f"AUTH XOAUTH2 {MASK}")
        rec.in_auth = True
        code, text = client.docmd(
            "AUTH", "XOAUTH2 " + _b64(f"user={user}\x01auth=Bearer {secret}\x01\x01")
        )
        if code == 334:  # an error report in JSON; the empty reply makes the server answer
            rec.mask_next("")
            code, text = client.docmd("")
        return code, text

    def _transfer(self, client: _Transport) -> SendResult:
        built = self.built
        envelope = built.envelope
        if envelope.smtputf8 and not client.has_extn("smtputf8"):
            raise SendError(
                Stage.MAIL,
                ExitCode.INPUT,
                _(
                    "An address has non-ASCII characters before the @, and this server "
                    "does not support SMTPUTF8. Nothing was sent; use an ASCII address."
                ),
                field="to",
            )
        eight_bit = client.has_extn("8bitmime")
        wire = built.wire(eight_bit=eight_bit)
        limit = _advertised_size(client)
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
            client.command_encoding = "utf-8"  # smtplib encodes commands as ASCII otherwise
        code, text = client.docmd("MAIL", f"FROM:<{envelope.sender}>" + _opts(options))
        if code != 250:
            raise error_from_reply(Stage.MAIL, code, text)
        self._check_cancel()

        self.stage = Stage.RCPT
        accepted: list[str] = []
        refused: list[Refusal] = []
        for rcpt in envelope.recipients:
            code, text = client.docmd("RCPT", f"TO:<{rcpt}>")
            if code in (250, 251):
                accepted.append(rcpt)
            elif code == 421:
                raise error_from_reply(Stage.RCPT, code, text)
            else:
                refused.append(Refusal(rcpt, code, text.decode("utf-8", "replace")))
            self._check_cancel()
        if not accepted:
            self._quietly(client, "RSET")
            self._quietly(client, "QUIT")
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
        code, text = client.docmd("DATA")
        if code != 354:
            raise error_from_reply(Stage.DATA, code, text)
        self._check_cancel()

        self.stage = Stage.UPLOAD
        sent = self._upload(client, wire)

        self.stage = Stage.FINAL_DOT
        code, text = self._final_dot(client)
        if code != 250:
            raise error_from_reply(Stage.FINAL_DOT, code, text)
        final_reply = f"{code} {text.decode('utf-8', 'replace')}"
        self.recorder.note(_("Message accepted by the server."))

        warnings: list[str] = []
        self.stage = Stage.QUIT
        try:
            code, text = client.docmd("QUIT")
            if code != 221:
                warnings.append(
                    _("The server answered {code} to QUIT; the message was sent anyway.").format(
                        code=code
                    )
                )
        except (OSError, smtplib.SMTPException) as exc:
            warnings.append(
                _(
                    "The connection closed badly after the message was accepted ({detail}); "
                    "the message was sent."
                ).format(detail=str(exc) or type(exc).__name__)
            )
        for warning in warnings:
            self.recorder.note(warning)
        return SendResult(
            message_id=built.message_id,
            accepted=tuple(accepted),
            refused=tuple(refused),
            warnings=tuple(warnings),
            size=sent,
            final_reply=final_reply,
        )

    def _upload(self, client: _Transport, wire: _Wire) -> int:
        total = wire.size
        summary = _("DATA: {size} bytes — {summary}").format(
            size=f"{total:,}", summary=self.built.summary()
        )
        self.recorder.note(summary)
        sock = client.sock
        assert sock is not None
        sent = 0
        tail = b""
        progress = self.on_progress
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

    def _final_dot(self, client: _Transport) -> tuple[int, bytes]:
        sock = client.sock
        assert sock is not None
        self.recorder.client(".")
        # From here on the server may hold the whole message: any loss is "unknown".
        self.final_dot_sent = True
        sock.sendall(b".\r\n")
        sock.settimeout(self.settings.timeouts.final_dot)
        try:
            return client.getreply()
        finally:
            try:
                sock.settimeout(self.settings.timeouts.command)
            except OSError:
                pass

    def _quietly(self, client: _Transport, command: str) -> None:
        try:
            client.docmd(command)
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


def _advertised_size(client: _Transport) -> int | None:
    """Return the SIZE limit (0 = no fixed limit), or None when SIZE is not offered."""
    if not client.has_extn("size"):
        return None
    value = client.esmtp_features.get("size", "").strip()
    return int(value) if value.isdigit() else 0


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
    token = cancel if cancel is not None else CancelToken()
    session = _Session(settings, secret, built, on_event, on_progress, token)
    return session.run()
