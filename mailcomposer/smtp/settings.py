"""How to reach a server: host, port, security mode, AUTH choice and timeouts."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Security(enum.StrEnum):
    """Connection security: plaintext, STARTTLS (required) or TLS from the first byte."""

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"

    @property
    def default_port(self) -> int:
        return {Security.NONE: 25, Security.STARTTLS: 587, Security.TLS: 465}[self]


class AuthMethod(enum.StrEnum):
    """Which SMTP AUTH mechanism to use; ``auto`` picks the best the server offers."""

    AUTO = "auto"
    PLAIN = "plain"
    LOGIN = "login"
    CRAM_MD5 = "cram-md5"
    XOAUTH2 = "xoauth2"


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait: for the TCP/TLS connection, for each command reply, and
    for the reply to the final dot (servers scan large messages before answering)."""

    connect: float = 30.0
    command: float = 60.0
    final_dot: float = 600.0


@dataclass(frozen=True)
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
        timeouts: connect, per-command and final-dot timeouts.
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

    @property
    def effective_port(self) -> int:
        return self.port or self.security.default_port

    @property
    def is_loopback(self) -> bool:
        return self.host in ("localhost", "::1") or self.host.startswith("127.")


@dataclass(frozen=True)
class Secret:
    """A password or an OAuth2 access token; never printed."""

    value: str = field(repr=False)
    is_token: bool = False

    def __repr__(self) -> str:
        return f"Secret(<{'token' if self.is_token else 'password'} hidden>)"

    __str__ = __repr__
