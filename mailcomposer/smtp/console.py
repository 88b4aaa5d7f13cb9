"""The SMTP console: the user types each line, the server's reply comes back explained.

``Console`` holds one live connection (plaintext, STARTTLS or TLS from the first
byte, always with verified certificates) on the bounded ``Transport``. ``send(line)``
sends what was typed and returns the reply; every line, both ways, goes to
``on_line`` as a ``ConsoleLine`` with its meaning and RFC sections. A few lines are
more than text:

- ``STARTTLS`` upgrades the connection in place; the next ``EHLO`` shows what the
  server offers now that it did not before (and the reverse);
- ``AUTH PLAIN USER`` / ``AUTH LOGIN USER`` (``auth(...)``, the password given
  separately) encodes the login in base64; no secret is ever shown or recorded, and
  a line typed after a 334 is treated as login data (masked);
- after a 354 each line is message text, dot-stuffed on the way out; a lone ``.``
  ends it.

``run(...)`` drives a console from a text stream (``mailcomposer console``).
"""

from __future__ import annotations

import base64
import binascii
import getpass
import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from mailcomposer.i18n import _
from mailcomposer.smtp import tls
from mailcomposer.smtp.cancel import Cancelled, CancelToken
from mailcomposer.smtp.errors import Stage, error_from_exception, stage_of_command
from mailcomposer.smtp.explain import (
    explain_dot_stuffing,
    explain_reply_full,
)
from mailcomposer.smtp.keywords import Explanation
from mailcomposer.smtp.login import authenticate
from mailcomposer.smtp.recorder import Recorder, mask_command
from mailcomposer.smtp.rfc import ref
from mailcomposer.smtp.session import resolve
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.smtp.transport import BadReply, Transport, local_name

__all__ = [
    "AUTH_HELPER_MECHANISMS",
    "Console",
    "ConsoleError",
    "ConsoleLine",
    "Reply",
    "parse_auth_helper",
    "run",
]

AUTH_HELPER_MECHANISMS = ("PLAIN", "LOGIN")
LineCallback = Callable[["ConsoleLine"], None]


@dataclass(frozen=True)
class ConsoleLine:
    """One line of the console's transcript, already redacted.

    Attributes:
        direction: client, server or local note.
        text: the line (secrets masked).
        code: the reply code (server lines).
        explanation: what it means and the RFC sections behind it (may be empty).
        secure: True once the line travelled inside TLS.
    """

    direction: Direction
    text: str
    code: int | None = None
    explanation: Explanation = field(default_factory=lambda: Explanation(""))
    secure: bool = False

    def format(self, explain: bool = True) -> str:
        """``S: 250 OK    # meaning [RFC 5321 §4.2.2]`` (the CLI's transcript form)."""
        line = TranscriptEvent(0.0, self.direction, self.text, self.code).format()
        if explain and self.explanation.text:
            line += f"    # {self.explanation.text}"
            if self.explanation.refs:  # the three most specific, as the send transcript
                line += " [" + ", ".join(r.label for r in self.explanation.refs[:3]) + "]"
        return line


@dataclass(frozen=True)
class Reply:
    """A whole server reply: its code, its lines' text and what it means."""

    code: int
    lines: tuple[str, ...]
    explanation: Explanation

    @property
    def positive(self) -> bool:
        """2xx or 3xx: the command was taken (or the server waits for more)."""
        return 200 <= self.code < 400


class ConsoleError(Exception):
    """The console could not do what was asked; ``message`` says why, translated.

    Attributes:
        message: one sentence for the user.
        closed: True when the connection is gone (connect again to go on).
        untrusted: the server's certificate was not trusted (a CA file may help).
    """

    def __init__(self, message: str, *, closed: bool = False, untrusted: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.closed = closed
        self.untrusted = untrusted


def parse_auth_helper(line: str) -> tuple[str, str] | None:
    """``auth plain USER`` / ``auth login USER`` -> (mechanism, user); None for other lines.

    An ``AUTH PLAIN`` argument that is already a base64 login (it decodes to text with
    NUL separators) is a raw command, not the helper.
    """
    words = line.split()
    if len(words) != 3 or words[0].upper() != "AUTH":
        return None
    mechanism, user = words[1].upper(), words[2]
    if mechanism not in AUTH_HELPER_MECHANISMS:
        return None
    if mechanism == "PLAIN":
        try:
            if b"\0" in base64.b64decode(user, validate=True):
                return None
        except (binascii.Error, ValueError):
            pass
    return mechanism, user


class Console:
    """One interactive SMTP connection (use it from one thread; ``cancel`` from any).

    Attributes:
        settings: host, port, security, CA file, timeouts.
        cancel: closes the connection from another thread (a GUI closing its window).
        connected: True between a successful ``connect`` and the end of the connection.
        in_data: True after a 354, until the lone dot.
        last_reply: the last reply to something the user sent (or the greeting).
    """

    def __init__(self, settings: ServerSettings, on_line: LineCallback) -> None:
        self.settings = settings
        self.cancel = CancelToken()
        self.connected = False
        self.in_data = False
        self.last_reply: Reply | None = None
        self._on_line = on_line
        self._recorder = Recorder(self._on_event)
        self._data_line = False
        self._reply_index = 0  # lines of the reply being read so far
        self._awaiting_login = False  # the last reply was 334: the next line is a secret
        self._plain_ehlo: tuple[str, ...] | None = None  # keywords offered before TLS
        self._diff_due = False  # STARTTLS done: compare at the next EHLO
        self._ehlo_due = False  # STARTTLS done: the next EHLO is the "again" one
        timeouts = settings.timeouts
        self._client = Transport(
            self._recorder,
            self.cancel,
            local_name(settings),
            timeout=timeouts.command,
            reply_deadline=timeouts.reply_limit,
        )
        self._client.command_encoding = "utf-8"

    @property
    def secure(self) -> bool:
        return self._recorder.secure

    # -- transcript --

    def _on_event(self, event: TranscriptEvent) -> None:
        # The recorder already explains every line (EHLO keywords, the EHLO after
        # STARTTLS, the capability change); only typed DATA lines are ours to explain.
        if event.direction is Direction.CLIENT and self._data_line:
            stuffed = event.text.startswith("..")
            expl = explain_dot_stuffing(1) if stuffed else Explanation("")
        else:
            expl = Explanation(event.explanation, event.refs)
        if event.direction is Direction.SERVER:
            self._reply_index += 1
        self._on_line(ConsoleLine(event.direction, event.text, event.code, expl, event.secure))

    def note(self, text: str, explanation: Explanation | None = None) -> None:
        """Add a local note to the transcript."""
        self._on_line(
            ConsoleLine(
                Direction.NOTE,
                text,
                None,
                explanation if explanation is not None else Explanation(""),
                self.secure,
            )
        )

    # -- the connection --

    def connect(self) -> Reply:
        """Connect (TLS first when so set) and read the greeting.

        Raises:
            ConsoleError: no connection, TLS not trusted, or no valid greeting.
        """
        settings = self.settings
        port = settings.effective_port
        self.note(
            _("Connecting to {host} port {port} ({security})").format(
                host=settings.host, port=port, security=settings.security.words
            )
        )
        timeouts = settings.timeouts
        try:
            addresses = resolve(settings.host, port, self.cancel, timeouts.connect)
            self._client.open(settings.host, addresses, timeouts.connect, timeouts.command)
            if settings.security is Security.TLS:
                self._handshake()
            reply = self._read()
        except ConsoleError:
            self.close()
            raise
        except (OSError, smtplib.SMTPException, Cancelled) as exc:
            self.close()
            raise ConsoleError(self._failure(exc, Stage.CONNECT), closed=True) from exc
        self.connected = True
        self.last_reply = reply
        if settings.security is Security.STARTTLS:
            self.note(
                _(
                    "Plain connection: say EHLO, then STARTTLS to encrypt it. The console "
                    "sends no login before TLS."
                ),
                Explanation("", (ref(3207, "4"),)),
            )
        return reply

    def close(self) -> None:
        """Drop the connection without a goodbye (idempotent)."""
        self.connected = False
        self.in_data = False
        try:
            self._client.close()
        except OSError:
            pass

    def send(self, line: str) -> Reply | None:
        """Send one typed line; return the reply (None for a line of message text).

        Raises:
            ConsoleError: refused here (nothing sent) or the connection failed.
        """
        if not self.connected:
            raise ConsoleError(_("Not connected."), closed=True)
        if any(not ch.isprintable() for ch in line):
            raise ConsoleError(_("A command is one line of printable characters."))
        if self.in_data:
            return self._data(line)
        text = line.strip()
        if not text:
            return None
        verb = text.split(" ", 1)[0].upper()
        if self._awaiting_login:
            return self._exchange(text, login_data=True)
        if verb == "AUTH":
            self._check_login_allowed()
        if verb in ("EHLO", "HELO") and " " not in text:
            text = f"{verb} {self._client.local_hostname}"
        if verb == "BDAT":
            raise ConsoleError(
                _("BDAT needs the exact bytes of a chunk after it; use DATA here instead.")
            )
        reply = self._exchange(text)
        if verb == "STARTTLS" and reply.code == 220:
            self._starttls()
        elif verb in ("EHLO", "HELO") and reply.code == 250:
            self._after_ehlo(verb, reply)
        elif verb == "DATA" and reply.code == 354:
            self.in_data = True
        elif verb == "QUIT":
            self.close()
        return reply

    def auth(self, mechanism: str, user: str, password: str) -> Reply:
        """Log in with PLAIN or LOGIN; the secret is encoded here and never shown.

        Raises:
            ConsoleError: not connected, not encrypted while STARTTLS was chosen, or
                the connection failed.
        """
        if not self.connected:
            raise ConsoleError(_("Not connected."), closed=True)
        self._check_login_allowed()
        rec = self._recorder
        try:
            code, text = authenticate(self._client, rec, mechanism.upper(), user, password)
        except (OSError, smtplib.SMTPException, Cancelled) as exc:
            self.close()
            raise ConsoleError(self._failure(exc, Stage.AUTH), closed=True) from exc
        finally:
            rec.in_auth = False
        reply = self._reply(code, text, "AUTH")
        self._awaiting_login = False
        return reply

    # -- the protocol --

    def _check_login_allowed(self) -> None:
        if self.secure:
            return
        if self.settings.security is Security.STARTTLS:
            raise ConsoleError(
                _(
                    "Say STARTTLS first: you chose STARTTLS, so the console does not send "
                    "a login over the plain connection."
                )
            )
        self.note(
            _(
                "Warning: the connection is not encrypted; your user name and password "
                'travel in plain text (you chose security "none").'
            )
        )

    def _exchange(self, text: str, login_data: bool = False) -> Reply:
        rec = self._recorder
        verb = text.split(" ", 1)[0].upper()
        if login_data:
            rec.in_auth = True
        elif verb == "AUTH":
            rec.in_auth = True
            rec.mask_next(mask_command(text))
        try:
            self._client.send(text + "\r\n")
            reply = self._read()
        except (OSError, smtplib.SMTPException, Cancelled) as exc:
            self.close()
            raise ConsoleError(self._failure(exc, _stage(verb)), closed=True) from exc
        finally:
            rec.in_auth = False
        if verb == "AUTH" or login_data:
            rec.last_command = "AUTH"
        self._awaiting_login = reply.code == 334
        return reply

    def _read(self, wait: float | None = None) -> Reply:
        self._reply_index = 0
        code, text = self._client.read_reply(wait)
        return self._reply(code, text, self._recorder.last_command)

    def _reply(self, code: int, text: bytes, command: str) -> Reply:
        lines = tuple(text.decode("utf-8", "replace").split("\n"))
        reply = Reply(code, lines, explain_reply_full(code, lines[-1], command))
        self.last_reply = reply
        if code == 421:
            self.close()
        return reply

    def _data(self, line: str) -> Reply | None:
        sock = self._client.sock
        assert sock is not None
        if line == ".":
            self.in_data = False
            self._recorder.client(".")
            try:
                sock.sendall(b".\r\n")
                return self._read(self.settings.timeouts.final_dot)
            except (OSError, smtplib.SMTPException, Cancelled) as exc:
                self.close()
                raise ConsoleError(self._failure(exc, Stage.FINAL_DOT), closed=True) from exc
        wire = "." + line if line.startswith(".") else line  # RFC 5321 §4.5.2
        self._data_line = True
        try:
            self._recorder.emit(Direction.CLIENT, wire)
        finally:
            self._data_line = False
        try:
            sock.sendall(wire.encode("utf-8") + b"\r\n")
        except OSError as exc:
            self.close()
            raise ConsoleError(self._failure(exc, Stage.UPLOAD), closed=True) from exc
        return None

    def _starttls(self) -> None:
        try:
            self._handshake(after_starttls=True)
        except ConsoleError:
            self.close()
            raise
        self._diff_due = self._plain_ehlo is not None
        self._ehlo_due = True
        self.note(
            _(
                "The connection is now encrypted. The server has forgotten everything said "
                "before: say EHLO again to see what it offers now."
            ),
            Explanation("", (ref(3207, "4.2"),)),
        )

    def _handshake(self, after_starttls: bool = False) -> None:
        context = tls.make_ssl_context(self.settings.cafile)
        try:
            sock = self._client.wrap(context, self.settings.timeouts.connect)
        except ssl.SSLCertVerificationError as exc:
            reason = tls.verification_reason(exc, self.settings.host)
            raise ConsoleError(
                _("The server's certificate is not trusted: {reason}.").format(reason=reason),
                closed=True,
                untrusted=True,
            ) from exc
        except (ssl.SSLError, OSError) as exc:
            if isinstance(exc, TimeoutError):
                raise
            raise ConsoleError(
                _("Secure connection to {host} failed: {reason}.").format(
                    host=self.settings.host, reason=tls.tls_error_reason(exc, after_starttls)
                ),
                closed=True,
            ) from exc
        self._recorder.secure = True
        for line in tls.session_notes(sock):
            self.note(line)

    def _after_ehlo(self, verb: str, reply: Reply) -> None:
        keywords = reply.lines[1:] if verb == "EHLO" else ()
        self._ehlo_due = False
        if not self.secure:
            self._plain_ehlo = keywords
        elif self._diff_due and self._plain_ehlo is not None:
            self._diff_due = False  # the recorder notes the difference (RFC 3207 §4.2)

    def _failure(self, exc: BaseException, stage: Stage) -> str:
        if isinstance(exc, Cancelled) or self.cancel.cancelled:
            return _("Disconnected.")
        if isinstance(exc, BadReply | ssl.SSLError) or stage is Stage.CONNECT:
            return error_from_exception(exc, stage).user_message
        if isinstance(exc, TimeoutError):
            return _("No reply from the server in time; the connection was closed.")
        if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | EOFError):
            return _("The server closed the connection.")
        return _("The connection failed: {detail}").format(detail=str(exc) or type(exc).__name__)


def _trust_hint() -> str:
    return _(
        "To trust it, run the console again with --cafile PATH, the server's certificate "
        "as a PEM file; mailcomposer sandbox prints the path of its own when it starts."
    )


def _stage(verb: str) -> Stage:
    return stage_of_command(verb) or Stage.EHLO


def run(
    settings: ServerSettings,
    lines: Iterable[str],
    out: TextIO,
    *,
    ask_password: Callable[[str], str | None] | None = None,
    explain: bool = True,
    interactive: bool = False,
) -> int:
    """Run a console from ``lines`` (standard input); return 0 if the last reply was 2xx/3xx.

    Args:
        settings: where to connect and how.
        lines: the typed lines (with or without line ends).
        out: where the transcript goes.
        ask_password: asks for the password of ``AUTH PLAIN|LOGIN USER``; the default
            asks the terminal without echo when ``interactive``, else takes the next
            input line (never echoed).
        explain: add each line's meaning and RFC sections.
        interactive: a person types (print a prompt).

    Returns:
        0 when the last reply to what was typed was 2xx or 3xx, else 1.
    """
    source = iter(lines)

    def show(line: ConsoleLine) -> None:
        out.write(line.format(explain) + "\n")
        out.flush()

    def next_line() -> str | None:
        if interactive:
            out.write("smtp> " if not console.in_data else "data> ")
            out.flush()
        line = next(source, None)
        return None if line is None else line.rstrip("\r\n")

    if ask_password is None:
        ask_password = getpass.getpass if interactive else (lambda _prompt: next_line())

    console = Console(settings, show)

    def failed(error: ConsoleError) -> None:
        show(ConsoleLine(Direction.NOTE, error.message))
        if error.untrusted and settings.cafile is None:
            show(ConsoleLine(Direction.NOTE, _trust_hint()))

    try:
        console.connect()
    except ConsoleError as error:
        failed(error)
        return 1
    try:
        while console.connected:
            line = next_line()
            if line is None:
                break
            try:
                helper = None if console.in_data else parse_auth_helper(line)
                if helper:
                    password = ask_password(_("Password for {user}: ").format(user=helper[1]))
                    if password is None:
                        continue
                    console.auth(helper[0], helper[1], password)
                else:
                    console.send(line)
            except ConsoleError as error:
                if error.closed:
                    failed(error)
                    return 1
                console.note(error.message)
        if console.connected:
            last = console.last_reply
            console.note(_("End of input: saying goodbye."))
            try:
                if console.in_data:
                    console.close()
                else:
                    console.send("QUIT")
            except ConsoleError:
                pass
            console.last_reply = last
    finally:
        console.close()
    last = console.last_reply
    return 0 if last is not None and last.positive else 1
