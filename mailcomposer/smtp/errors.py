"""The one error taxonomy: stage, server reply, user message and exit code."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from mailcomposer.i18n import N_, _, sentences

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any


class ExitCode(enum.IntEnum):
    """Exit codes of ``mailcomposer send`` (docs/design.md)."""

    OK = 0
    PARTIAL = 1
    INPUT = 2
    CONNECTION = 3
    TLS = 4
    AUTH = 5
    REFUSED = 6
    CANCELLED = 7
    UNKNOWN = 8


class Stage(enum.StrEnum):
    """Where in a send something happened."""

    BUILD = "build"
    CONNECT = "connect"
    GREETING = "greeting"
    EHLO = "ehlo"
    STARTTLS = "starttls"
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    DATA = "data"
    UPLOAD = "upload"
    FINAL_DOT = "final-dot"
    QUIT = "quit"


class SendError(Exception):
    """A send (or connection test) that did not succeed.

    Attributes:
        stage: protocol stage where it failed.
        exit_code: the CLI exit code for it.
        user_message: one translated sentence: what happened and what to check.
        code: the server's reply code, if a reply caused it.
        enhanced: the enhanced status code (``5.7.8``), if the server gave one.
        server_text: the server's reply text, if any.
        detail: technical detail (exception text, TLS reason) for the log.
        field: for input errors, the field at fault.
        certificate: for untrusted certificates, a ``smtp.tls.CertificateInfo`` the GUI
            can offer to trust (None otherwise).
    """

    certificate: object | None = None

    def __init__(
        self,
        stage: Stage,
        exit_code: ExitCode,
        user_message: str,
        *,
        code: int | None = None,
        enhanced: str | None = None,
        server_text: str = "",
        detail: str = "",
        field: str | None = None,
    ) -> None:
        super().__init__(user_message)
        self.stage = stage
        self.exit_code = exit_code
        self.user_message = user_message
        self.code = code
        self.enhanced = enhanced
        self.server_text = server_text
        self.detail = detail
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage.value,
            "exit_code": int(self.exit_code),
            "message": self.user_message,
            "code": self.code,
            "enhanced": self.enhanced,
            "server_text": self.server_text,
            "detail": self.detail,
            "field": self.field,
        }


@dataclass(frozen=True)
class Refusal:
    """One recipient the server refused, with its reply."""

    address: str
    code: int
    text: str


@dataclass(frozen=True)
class SendResult:
    """A message the server accepted (for at least one recipient).

    Attributes:
        message_id: the Message-ID sent.
        accepted: recipients the server took.
        refused: recipients it refused (partial refusal), with the reply.
        warnings: translated notes (QUIT failed after acceptance, ...).
        size: bytes sent in DATA.
        final_reply: the server's reply to the final dot (often a queue id).
    """

    message_id: str
    accepted: tuple[str, ...]
    refused: tuple[Refusal, ...] = ()
    warnings: tuple[str, ...] = ()
    size: int = 0
    final_reply: str = ""

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if self.refused else ExitCode.OK

    def warned(self, note: str) -> SendResult:
        """This result with ``note`` added to its warnings ("" adds nothing)."""
        return replace(self, warnings=(*self.warnings, note)) if note else self


# --- the one mapping from exceptions and replies to user-facing errors ----------------------

_STAGE_NAMES = {
    Stage.BUILD: N_("while building the message"),
    Stage.CONNECT: N_("while connecting"),
    Stage.GREETING: N_("while waiting for the server's greeting"),
    Stage.EHLO: N_("while introducing ourselves (EHLO)"),
    Stage.STARTTLS: N_("while starting encryption (STARTTLS)"),
    Stage.AUTH: N_("while logging in"),
    Stage.MAIL: N_("at the sender (MAIL FROM)"),
    Stage.RCPT: N_("at the recipients (RCPT TO)"),
    Stage.DATA: N_("at the start of the message (DATA)"),
    Stage.UPLOAD: N_("while uploading the message"),
    Stage.FINAL_DOT: N_("while waiting for the server to accept the message"),
    Stage.QUIT: N_("while saying goodbye (QUIT)"),
}

# Stages after which the server may already hold the whole message.
_AFTER_FINAL_DOT = (Stage.FINAL_DOT,)


def stage_phrase(stage: Stage) -> str:
    """Return "while logging in"-style words for ``stage`` (translated)."""
    return _(_STAGE_NAMES.get(stage, N_("while talking to the server")))


# The stage each client command starts ("." ends the message: the final dot).
_COMMAND_STAGES = {
    "EHLO": Stage.EHLO,
    "HELO": Stage.EHLO,
    "STARTTLS": Stage.STARTTLS,
    "AUTH": Stage.AUTH,
    "MAIL": Stage.MAIL,
    "RCPT": Stage.RCPT,
    "DATA": Stage.DATA,
    ".": Stage.FINAL_DOT,
    "QUIT": Stage.QUIT,
}


def stage_of_command(line: str) -> Stage | None:
    """The stage the client command ``line`` starts, or None for others (NOOP, RSET...)."""
    verb = line if line == "." else line.split(" ", 1)[0].upper()
    return _COMMAND_STAGES.get(verb)


_STAGE_PROGRESS = {
    Stage.CONNECT: N_("Connecting…"),
    Stage.GREETING: N_("Connecting…"),
    Stage.EHLO: N_("Greeting the server…"),
    Stage.STARTTLS: N_("Starting encryption…"),
    Stage.AUTH: N_("Logging in…"),
    Stage.MAIL: N_("Giving the sender…"),
    Stage.RCPT: N_("Giving the recipients…"),
    Stage.DATA: N_("Starting the message…"),
    Stage.UPLOAD: N_("Uploading the message…"),
    Stage.FINAL_DOT: N_("Waiting for the server to accept the message…"),
    Stage.QUIT: N_("Saying goodbye…"),
}


def stage_progress(stage: Stage) -> str:
    """Return what a send is doing at ``stage``, for a progress bar (translated)."""
    return _(_STAGE_PROGRESS.get(stage, N_("Talking to the server…")))


def _decode(text: object) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return str(text or "")


def error_from_reply(stage: Stage, code: int, text: str | bytes) -> SendError:
    """Return the ``SendError`` for an unexpected server reply at ``stage``.

    The exit code follows the stage and the code: 421 (server closing) is a connection
    problem, login replies are AUTH problems, refusals of sender/recipients/message are
    REFUSED, anything the server says during STARTTLS is a TLS problem.
    """
    from mailcomposer.smtp.explain import enhanced_code, explain_reply

    text = _decode(text)
    where = stage_phrase(stage)
    if not 200 <= code <= 599:
        shown = f"{code} {text}" if code >= 0 else text
        return _not_understood(stage, shown)
    enhanced = enhanced_code(text)
    meaning = explain_reply(code, text)
    if stage is Stage.FINAL_DOT and code < 400:
        exit_code = ExitCode.UNKNOWN
    elif code == 421 or stage in (Stage.CONNECT, Stage.GREETING, Stage.EHLO):
        exit_code = ExitCode.CONNECTION
    elif stage is Stage.STARTTLS:
        exit_code = ExitCode.TLS
    elif stage is Stage.AUTH or code in (530, 534, 535, 538) or enhanced == "5.7.8":
        exit_code = ExitCode.AUTH
    elif stage is Stage.QUIT:
        exit_code = ExitCode.CONNECTION
    else:
        exit_code = ExitCode.REFUSED
    if exit_code is ExitCode.AUTH and (code == 535 or enhanced == "5.7.8"):
        message = _(
            "The server refused the login: check the user name and password; many "
            "providers need an app password (授权码) instead of your normal password."
        )
    elif exit_code is ExitCode.AUTH and code in (530, 538):
        message = _(
            "The server requires a login over an encrypted connection: set a user name "
            "and choose STARTTLS or TLS."
        )
    elif 400 <= code < 500:
        message = _(
            "The server answered {code} {where}: {meaning} Nothing was delivered; you can "
            "try again later."
        ).format(code=code, where=where, meaning=meaning)
    else:
        message = _("The server answered {code} {where}: {meaning}").format(
            code=code, where=where, meaning=meaning
        )
    return SendError(
        stage,
        exit_code,
        message,
        code=code,
        enhanced=enhanced,
        server_text=text,
        detail=f"{code} {text}",
    )


def error_from_exception(exc: BaseException, stage: Stage) -> SendError:
    """Map any exception raised during a send to the one ``SendError`` for the user.

    Args:
        exc: what was raised (socket, TLS, smtplib, input errors; a ``SendError``
            is returned unchanged).
        stage: where the send was when it happened.
    """
    import smtplib
    import socket
    import ssl

    from mailcomposer.message.errors import InputError
    from mailcomposer.smtp import tls
    from mailcomposer.smtp.transport import BadReply

    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, BadReply):
        return _bad_reply_error(exc, stage)
    if isinstance(exc, InputError):
        return from_input_error(exc)
    if isinstance(exc, smtplib.SMTPResponseException):
        return error_from_reply(stage, exc.smtp_code, exc.smtp_error)
    detail = f"{type(exc).__name__}: {exc}"
    where = stage_phrase(stage)
    unknown = stage in _AFTER_FINAL_DOT
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return SendError(
            stage,
            ExitCode.TLS,
            _("Secure connection failed: {reason}.").format(
                reason=tls.tls_error_reason(exc, stage is Stage.STARTTLS)
            ),
            detail=detail,
        )
    if isinstance(exc, socket.gaierror):
        return SendError(
            stage,
            ExitCode.CONNECTION,
            _("The server name could not be found: check the server name and your network."),
            detail=detail,
        )
    if unknown:
        return SendError(
            stage,
            ExitCode.UNKNOWN,
            _(
                "The connection was lost after the whole message was sent, before the "
                "server confirmed it: it may have been delivered. Check the recipient's "
                "mailbox or your Sent folder before sending again; do not resend blindly."
            ),
            detail=detail,
        )
    if isinstance(exc, TimeoutError):
        return SendError(
            stage,
            ExitCode.CONNECTION,
            _(
                "The server did not answer in time {where}: check the server name, port "
                "and security setting, or try again later."
            ).format(where=where),
            detail=detail,
        )
    if isinstance(exc, ConnectionRefusedError):
        return SendError(
            stage,
            ExitCode.CONNECTION,
            _(
                "The connection was refused: nothing accepts mail on that port. Check the "
                "port number and the security setting."
            ),
            detail=detail,
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | EOFError):
        return SendError(
            stage,
            ExitCode.CONNECTION,
            _(
                "The server closed the connection {where}. Nothing was delivered; check "
                "the settings or try again later."
            ).format(where=where),
            detail=detail,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(
            stage,
            ExitCode.REFUSED,
            _("The server does not support a feature this message needs ({detail}).").format(
                detail=str(exc)
            ),
            detail=detail,
        )
    if isinstance(exc, OSError):
        return SendError(
            stage,
            ExitCode.CONNECTION,
            _("A network error happened {where}: {detail}").format(
                where=where, detail=exc.strerror or str(exc)
            ),
            detail=detail,
        )
    return SendError(
        stage,
        ExitCode.CONNECTION,
        _("Sending failed {where}: {detail}").format(where=where, detail=str(exc) or detail),
        detail=detail,
    )


def _not_understood(stage: Stage, shown: str) -> SendError:
    """The error for a server line that is not an SMTP reply (``shown`` as received)."""
    message = _(
        "The server's reply {where} could not be understood, it is not an SMTP reply: "
        "“{reply}”. Is this really a mail server, and the right port?"
    ).format(where=stage_phrase(stage), reply=shown[:200])
    return SendError(
        stage,
        ExitCode.UNKNOWN if stage in _AFTER_FINAL_DOT else ExitCode.CONNECTION,
        _with_outcome(message, stage),
        server_text=shown,
        detail=shown,
    )


def _bad_reply_error(exc: Any, stage: Stage) -> SendError:
    """Map a ``transport.BadReply`` (a reply past the rules or the bounds, found here).

    No reply code goes with it: the server never finished a reply, so nothing it "said"
    is reported as if it had.
    """
    from mailcomposer.smtp.transport import Problem

    where = stage_phrase(stage)
    if exc.problem is Problem.UNPARSABLE:
        return _not_understood(stage, exc.line)
    if exc.problem is Problem.LINE_TOO_LONG:
        message = _(
            "The server sent a reply line longer than {limit} bytes {where}; no mail "
            "server does that. Is this really a mail server, and the right port?"
        ).format(limit=int(exc.limit), where=where)
    elif exc.problem is Problem.TOO_MANY_LINES:
        message = _(
            "The server's reply {where} went on past {limit} lines; no mail server needs "
            "that many, so the send was stopped."
        ).format(limit=int(exc.limit), where=where)
    elif exc.problem is Problem.TOO_MANY_BYTES:
        message = _(
            "The server's reply {where} went on past {size} KiB; no mail server needs "
            "that much, so the send was stopped."
        ).format(size=int(exc.limit) // 1024, where=where)
    else:
        message = _(
            "The server's reply {where} took longer than {seconds:g} s to finish, so the "
            "send was stopped. Try again later, or allow more time."
        ).format(seconds=exc.limit, where=where)
    return SendError(
        stage,
        ExitCode.UNKNOWN if stage in _AFTER_FINAL_DOT else ExitCode.CONNECTION,
        _with_outcome(message, stage),
        server_text=exc.line,
        detail=f"{type(exc).__name__}: {exc}",
    )


def _with_outcome(message: str, stage: Stage) -> str:
    """Add what became of the message: unknown after the final dot, else not delivered."""
    if stage in _AFTER_FINAL_DOT:
        return sentences(
            message,
            _(
                "The whole message was sent: it may have been delivered. Check before "
                "sending again; do not resend blindly."
            ),
        )
    return sentences(message, _("Nothing was delivered."))


def from_input_error(error: object) -> SendError:
    """Turn a ``message.errors.InputError`` into a ``SendError`` (exit 2, nothing sent)."""
    field = getattr(error, "field", None)
    message = getattr(error, "message", None) or str(error)
    value = getattr(error, "value", None)
    return SendError(
        Stage.BUILD,
        ExitCode.INPUT,
        message,
        detail=f"{field}: {value}" if value else str(field or ""),
        field=field,
    )
