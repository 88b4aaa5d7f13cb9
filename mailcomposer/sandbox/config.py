"""The sandbox's switches and faults as one immutable, serialisable value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The points of an SMTP session a fault, delay or drop can target, in session order.
# DATA is the answer to the DATA command (354); DOT is the answer to the final dot.
STAGES = ("CONNECT", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "DOT")
# The EHLO keywords the sandbox advertises and ``--hide`` can take away.
EXTENSIONS = (
    "STARTTLS",
    "AUTH",
    "8BITMIME",
    "SMTPUTF8",
    "PIPELINING",
    "SIZE",
    "ENHANCEDSTATUSCODES",
    "HELP",
)
DEFAULT_REJECT_TEXT = "5.1.1 No such user here"
ENHANCED_CODE = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}(?= |$)")


@dataclass(frozen=True)
class Reply:
    """One SMTP reply the sandbox gives instead of its normal answer.

    Attributes:
        code: the three-digit reply code (400-599).
        text: the reply text, usually starting with an enhanced status code.
    """

    code: int
    text: str

    @property
    def line(self) -> str:
        """The reply as sent: ``450 4.2.0 Mailbox busy``."""
        return f"{self.code} {self.text}".rstrip()

    @property
    def enhanced(self) -> str | None:
        """The enhanced status code at the start of the text (``4.2.0``), if any."""
        found = ENHANCED_CODE.match(self.text)
        return found.group(0) if found else None

    def __str__(self) -> str:
        return self.line


def _pairs(value: Any, key: Any = str) -> tuple[tuple[str, Any], ...]:
    """``value``'s pairs with their keys normalised by ``key``, then sorted.

    Normalised before sorting, so two configs that differ only in case compare equal.
    """
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((key(str(k)), v) for k, v in items))


@dataclass(frozen=True)
class SandboxConfig:
    """How the built-in server behaves; applies to every new connection.

    Mappings are kept as sorted tuples of pairs so the value stays immutable,
    hashable and comparable; a ``dict`` passed in is converted.

    Attributes:
        tls: offer STARTTLS with the sandbox certificate.
        require_starttls: refuse commands other than EHLO, HELO, NOOP, RSET,
            QUIT and STARTTLS before TLS (implies ``tls``).
        implicit_tls: TLS from the first byte, as on port 465.
        auth: ``(user, password)`` to require before MAIL, or ``None``. When TLS
            is on, AUTH is offered only once the connection is encrypted.
        size_limit: largest message in bytes (advertised as SIZE, enforced with
            552 5.3.4), or ``None`` for no limit.
        hidden: EHLO keywords left out of the EHLO reply and refused if used.
        faults: ``(stage, Reply)`` pairs: that stage is answered with the reply.
        rejects: ``(address, Reply)`` pairs: RCPT TO that address is refused.
        greylist: defer the first attempt of each sender/recipient pair (451 4.7.1).
        greylist_delay: seconds before a retry of the same pair is accepted.
        delays: ``(stage, seconds)`` pairs: wait before answering that stage.
        drops: stages where the connection is closed without a reply.
    """

    tls: bool = False
    require_starttls: bool = False
    implicit_tls: bool = False
    auth: tuple[str, str] | None = None
    size_limit: int | None = None
    hidden: frozenset[str] = frozenset()
    faults: tuple[tuple[str, Reply], ...] = ()
    rejects: tuple[tuple[str, Reply], ...] = ()
    greylist: bool = False
    greylist_delay: float = 0.0
    delays: tuple[tuple[str, float], ...] = ()
    drops: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "hidden", frozenset(h.upper() for h in self.hidden))
        set_(self, "drops", frozenset(d.upper() for d in self.drops))
        set_(self, "faults", _pairs(self.faults, str.upper))
        set_(self, "rejects", _pairs(self.rejects, str.casefold))
        set_(self, "delays", tuple((s, float(d)) for s, d in _pairs(self.delays, str.upper)))
        if self.auth is not None:
            set_(self, "auth", tuple(self.auth))
        if self.require_starttls:
            set_(self, "tls", True)
        # Checked here too so a config built by hand (the window) is as safe as a parsed one.
        for stage in [s for s, _r in self.faults] + [s for s, _d in self.delays] + [*self.drops]:
            if stage not in STAGES:
                raise ValueError(f"unknown stage {stage!r}")
        for name in self.hidden:
            if name not in EXTENSIONS:
                raise ValueError(f"unknown extension {name!r}")
        if self.implicit_tls and self.tls:
            raise ValueError("implicit TLS and STARTTLS exclude each other")
        both = {s for s, _r in self.faults} & self.drops
        if both:
            raise ValueError(f"both a fault and a drop at {sorted(both)[0]}")
        if self.size_limit is not None and self.size_limit < 1:
            raise ValueError("size limit must be positive")
        if self.greylist_delay < 0 or any(d < 0 for _s, d in self.delays):
            raise ValueError("delays cannot be negative")

    @property
    def tls_available(self) -> bool:
        """True when a client can get TLS: implicit, or STARTTLS offered."""
        return self.implicit_tls or (self.tls and "STARTTLS" not in self.hidden)

    def fault(self, stage: str) -> Reply | None:
        """The reply that replaces the normal answer at ``stage``, if any."""
        return dict(self.faults).get(stage)

    def delay(self, stage: str) -> float:
        """Seconds to wait before answering ``stage`` (0 for none)."""
        return dict(self.delays).get(stage, 0.0)

    def reject_for(self, address: str) -> Reply | None:
        """The refusal for RCPT TO ``address`` (compared case-insensitively), if any."""
        return dict(self.rejects).get(address.casefold())

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-friendly data; :meth:`from_dict` reads it back.

        Replies are written as their reply line (``"450 4.2.0 Mailbox busy"``),
        the same text the command line takes. The AUTH password is included:
        whoever stores this dict decides whether to keep it.
        """
        return {
            "tls": self.tls,
            "require_starttls": self.require_starttls,
            "implicit_tls": self.implicit_tls,
            "auth": list(self.auth) if self.auth else None,
            "size_limit": self.size_limit,
            "hidden": sorted(self.hidden),
            "faults": {stage: reply.line for stage, reply in self.faults},
            "rejects": {address: reply.line for address, reply in self.rejects},
            "greylist": self.greylist,
            "greylist_delay": self.greylist_delay,
            "delays": dict(self.delays),
            "drops": sorted(self.drops),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SandboxConfig:
        """Build a config from :meth:`to_dict`'s data (missing keys keep their defaults).

        Raises:
            SandboxOptionError: a value is malformed; the message says which and how to fix it.
        """
        from mailcomposer.sandbox import parsers

        return parsers.config_from_dict(data)
