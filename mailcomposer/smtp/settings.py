"""How to reach a server: host, port, security mode, AUTH choice and timeouts."""

from __future__ import annotations

import enum
from dataclasses import field
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.records import record


class Security(enum.StrEnum):
    """Connection security: plaintext, STARTTLS (required) or TLS from the first byte."""

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"

    @property
    def default_port(self) -> int:
        return {Security.NONE: 25, Security.STARTTLS: 587, Security.TLS: 465}[self]

    @property
    def words(self) -> str:
        """The mode in the reader's language, for notes ("not encrypted", "STARTTLS"...)."""
        if self is Security.NONE:
            return _("not encrypted")
        return "STARTTLS" if self is Security.STARTTLS else _("TLS from the first byte")


class AuthMethod(enum.StrEnum):
    """Which SMTP AUTH mechanism to use; ``auto`` picks the best the server offers."""

    AUTO = "auto"
    PLAIN = "plain"
    LOGIN = "login"
    CRAM_MD5 = "cram-md5"
    XOAUTH2 = "xoauth2"


# The reply to the final dot may take this many times the per-command timeout when the
# user gives one number (``Timeouts.scaled``): servers scan the message before answering.
FINAL_DOT_FACTOR = 10
# One whole reply may take this many times the per-command timeout, unless set.
REPLY_DEADLINE_FACTOR = 2


@record(frozen=True)
class Timeouts:
    """How long to wait, in seconds, at each point of a session.

    Attributes:
        connect: for the name lookup, the TCP connection and each TLS handshake.
        command: for each read of a reply to a command, and for each 64 KiB chunk of
            the message going out (a silent server fails after this long).
        final_dot: the wait for the reply to the final dot, which ends the message.
            Servers scan the whole message (viruses, spam) before they answer, so it is
            much longer than ``command`` (default 10 minutes; ``scaled`` makes it
            ``FINAL_DOT_FACTOR`` times the one timeout given). It bounds each read and
            the whole reply. A loss after the final dot leaves the outcome unknown.
        reply_deadline: the longest one whole reply may take, however slowly its lines
            trickle in; ``None`` (the default) means ``REPLY_DEADLINE_FACTOR`` (2) times
            ``command``. Never shorter than the wait for each read (``command``, or
            ``final_dot`` for the reply to the final dot). See ``reply_limit``.
    """

    connect: float = 30.0
    command: float = 60.0
    final_dot: float = 600.0
    reply_deadline: float | None = None

    @property
    def reply_limit(self) -> float:
        """The reply deadline in effect, in seconds (``reply_deadline`` or its default)."""
        if self.reply_deadline is not None:
            return self.reply_deadline
        return self.command * REPLY_DEADLINE_FACTOR

    @classmethod
    def scaled(cls, seconds: float) -> Timeouts:
        """The timeouts for the one number a user gives (``send --timeout SECONDS``).

        ``connect`` and ``command`` are ``seconds``, ``final_dot`` is ``FINAL_DOT_FACTOR``
        (10) times that, and each reply may take ``REPLY_DEADLINE_FACTOR`` (2) times it.
        """
        return cls(connect=seconds, command=seconds, final_dot=seconds * FINAL_DOT_FACTOR)


@record(frozen=True)
class ServerSettings:
    """Everything needed to open a session; no secret lives here.

    Attributes:
        host: server name or address (as typed; IDN allowed).
        port: TCP port.
        security: none, starttls or tls.
        username: login name; empty means no AUTH.
        auth: mechanism choice.
        cafile: extra CA bundle (PEM) trusted in addition to the system roots.
        pinned_sha256: hex SHA-256 of a certificate the user explicitly trusted
            for this host and port (accepted even if it does not verify).
        timeouts: connect, per-command, final-dot and reply-deadline timeouts.
        show_lab_login: the built-in local server only: the transcript shows the
            AUTH lines as sent, decoded, since its test credentials are on screen
            anyway. Ignored for any server that is not on this computer.
        local_hostname: name sent in EHLO; ``None`` sends a neutral literal
            instead of this machine's name.
    """

    host: str
    port: int = 0
    security: Security = Security.STARTTLS
    username: str = ""
    auth: AuthMethod = AuthMethod.AUTO
    cafile: Path | None = None
    pinned_sha256: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    local_hostname: str | None = None
    show_lab_login: bool = False

    @property
    def effective_port(self) -> int:
        return self.port or self.security.default_port

    @property
    def is_loopback(self) -> bool:
        """True when the server is this computer (never for a name like 127.example.org)."""
        return is_loopback_host(self.host)


@record(frozen=True)
class Secret:
    """A password or an OAuth2 access token; never printed."""

    value: str = field(repr=False)
    is_token: bool = False

    def __repr__(self) -> str:
        return f"Secret(<{'token' if self.is_token else 'password'} hidden>)"

    __str__ = __repr__


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP literals (``127.0.0.1``, ``[::1]``): this computer.

    A name is resolved by nobody here: ``127.0.0.1.example.org`` is not loopback.
    """
    if host.strip().lower().rstrip(".") == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False
