"""SMTP sessions step by step (connect, EHLO, secure, log in, transfer, quit); ``send`` on top.

``Connection`` (from ``open_session``) is the public API that both ``send`` and the
connection test in ``smtp.probe`` compose. This module drives the connection steps
(name lookup with cancel, connect, greeting, EHLO, STARTTLS, AUTH) and turns every
failure into one classified ``SendError``; the other jobs live next to it:

| module | job |
| --- | --- |
| ``transport`` | lines out, bounded and deadline-bound replies in (smtplib subclass) |
| ``recorder`` | transcript events, secrets masked |
| ``cancel`` | the thread-safe cancel switch |
| ``lookup`` | the server name lookup that a cancel interrupts |
| ``handshake`` | TLS handshake, verification, certificate pins |
| ``login`` | AUTH mechanism choice and exchanges |
| ``transfer`` | MAIL, RCPT, DATA streamed in chunks with progress, the final dot |
| ``capabilities`` | what the server offers |

Everything that has a trap in docs/pitfalls.md (TLS verification, STARTTLS stripping, AUTH
masking, chunked DATA with progress and cancel, SIZE, 8BITMIME, SMTPUTF8, partial
refusal, QUIT after acceptance, unbounded replies) is done explicitly, with a redacted
transcript.
"""

from __future__ import annotations

import contextlib
import dataclasses
import smtplib
from collections.abc import Iterator

from mailcomposer.i18n import _
from mailcomposer.smtp import lookup, tls
from mailcomposer.smtp.cancel import Cancelled, CancelToken
from mailcomposer.smtp.capabilities import Capabilities
from mailcomposer.smtp.errors import (
    ExitCode,
    SendError,
    SendResult,
    Stage,
    error_from_exception,
    error_from_reply,
)
from mailcomposer.smtp.explain import explain_command_full
from mailcomposer.smtp.handshake import RetryPinned, TlsSteps, fetch_peer_certificate
from mailcomposer.smtp.login import choose_mechanism, log_in
from mailcomposer.smtp.recorder import (
    MASK,
    EventCallback,
    Recorder,
    mask_command,
    summarise_challenge,
)
from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.smtp.step import Gate, StepSteps
from mailcomposer.smtp.transfer import CHUNK_SIZE, MessageSteps, ProgressCallback
from mailcomposer.smtp.transport import Transport, local_name

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CHUNK_SIZE",
    "MASK",
    "CancelToken",
    "Capabilities",
    "Connection",
    "EventCallback",
    "ProgressCallback",
    "choose_mechanism",
    "fetch_peer_certificate",
    "mask_command",
    "open_session",
    "resolve",
    "send",
    "summarise_challenge",
]


# The resolver the lookups use (a seam for tests: there is no DNS on loopback).
_getaddrinfo = lookup.system_getaddrinfo


def resolve(host: str, port: int, cancel: CancelToken, timeout: float) -> list[Any]:
    """``lookup.resolve`` through this module's ``_getaddrinfo`` (read at each call)."""
    return lookup.resolve(host, port, cancel, timeout, getaddrinfo=_getaddrinfo)


class Connection(TlsSteps, MessageSteps, StepSteps):
    """One SMTP connection driven step by step, with a redacted transcript.

    Get one from ``open_session`` (a context manager: leaving it closes the connection)
    and call the steps in order: ``connect()`` (TCP, the TLS handshake when security is
    TLS, the greeting), ``ehlo()``, ``secure()`` (STARTTLS when asked for), ``login()``,
    then ``transfer()`` and/or ``quit()``. Every step raises only ``SendError``, already
    classified by stage and exit code (a cancel becomes ``ExitCode.CANCELLED``, or
    ``UNKNOWN`` once the final dot is out); before raising it has said goodbye when the
    server still listens, closed the connection and noted the failure in the transcript.
    A verification failure with a pinned certificate reconnects and compares the pin.
    With a ``gate`` (``smtp.step``), each client command waits for its decision first.
    """

    def __init__(
        self,
        settings: ServerSettings,
        secret: Secret | None,
        *,
        on_event: EventCallback,
        cancel: CancelToken | None = None,
        gate: Gate | None = None,
    ) -> None:
        self.settings = settings
        self.gate = gate
        self._gate_running = False  # the gate said "run to the end"
        self.in_transaction = False  # between the 250 to MAIL and the end of the message
        self.secret = secret
        self.cancel = cancel if cancel is not None else CancelToken()
        self.stage = Stage.CONNECT
        self.mechanism = ""  # the AUTH mechanism that logged in
        self.final_dot_sent = False
        self.accepted = False  # the server took the message (250 to the final dot)
        self._recorder = Recorder(on_event)
        # Decoding the login is for the lab's own server: never off this computer.
        self._recorder.reveal_login = settings.show_lab_login and settings.is_loopback
        self._pinned = False
        self._addresses: list[Any] = []  # where the last connect() went
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
            except RetryPinned:
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
                except RetryPinned:
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
            self._pause("QUIT", Stage.QUIT)
        except Exception:  # stopped at the goodbye, or lost during an extra command
            self.close()
            return ()
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
        except Cancelled:
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
            raise Cancelled

    def _new_transport(self) -> Transport:
        timeouts = self.settings.timeouts
        return Transport(
            self._recorder,
            self.cancel,
            local_name(self.settings),
            timeout=timeouts.command,
            reply_deadline=timeouts.reply_limit,
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
                host=settings.host, port=port, security=settings.security.words
            )
        )
        timeouts = settings.timeouts
        self._addresses = resolve(settings.host, port, self.cancel, timeouts.connect)
        self._client.open(settings.host, self._addresses, timeouts.connect, timeouts.command)
        self._check_cancel()
        if settings.security is Security.TLS:
            self._handshake()

        self.stage = Stage.GREETING
        code, text = self._client.getreply()
        if code != 220:
            raise error_from_reply(Stage.GREETING, code, text)
        self._check_cancel()

    def _ehlo(self) -> None:
        again = self.stage is Stage.STARTTLS  # right after the TLS upgrade
        self.stage = Stage.EHLO
        name = self._client.local_hostname
        line = f"EHLO {name}"
        self._pause(line, Stage.EHLO, explain_command_full(line, after_tls=again))
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
        self._pause("STARTTLS", Stage.STARTTLS)
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
        offered = self.capabilities
        if self.secret is not None and "AUTH" in offered.names:
            mechanism = choose_mechanism(self.settings.auth, offered.auth, self.secret.is_token)
            if mechanism is not None:  # else log_in explains, before anything is sent
                shown = f"AUTH {mechanism}" + (
                    f" {MASK}" if mechanism in ("PLAIN", "XOAUTH2") else ""
                )
                self._pause(shown, Stage.AUTH)
        self.mechanism = log_in(
            self._client, self._recorder, self.settings, self.secret, self.capabilities
        )

    def _quietly(self, command: str) -> None:
        try:
            self._client.docmd(command)
        except (OSError, smtplib.SMTPException):
            pass


def open_session(
    settings: ServerSettings,
    secret: Secret | None,
    *,
    on_event: EventCallback,
    cancel: CancelToken | None = None,
    gate: Gate | None = None,
) -> Connection:
    """Return a not yet connected ``Connection``; use it as a context manager.

    The arguments mean what they mean for ``send``; ``on_event`` is called from the thread
    that runs the steps; ``gate`` (``smtp.step.Gate``) is asked before each client
    command (None: no pauses).
    """
    return Connection(settings, secret, on_event=on_event, cancel=cancel, gate=gate)


def send(
    settings: ServerSettings,
    secret: Secret | None,
    built: Any,
    *,
    on_event: EventCallback,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    gate: Gate | None = None,
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
        gate: asked before each client command (``smtp.step``); None sends without pauses.

    Returns:
        The ``SendResult`` (``refused`` lists recipients refused while others were taken).

    Raises:
        SendError: with stage, exit code and a user message; ``.certificate`` is set for an
            untrusted certificate.
    """
    with open_session(settings, secret, on_event=on_event, cancel=cancel, gate=gate) as connection:
        connection.connect()
        connection.ehlo()
        connection.secure()
        connection.login()
        result = connection.transfer(built, on_progress)
        return dataclasses.replace(result, warnings=connection.quit())
