"""``HOST[:PORT]`` on the command line, and the security a bare host and port get by default."""

from __future__ import annotations

from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _

IMPLICIT_TLS_PORT = 465


def parse_server(text: str, option: str = "--server") -> tuple[str, int]:
    """Split ``HOST``, ``HOST:PORT``, ``[IPv6]`` or ``[IPv6]:PORT``; port 0 means "not given".

    A bare IPv6 address (more than one colon, no brackets) is a host without a port.

    Raises:
        UsageError: naming ``option``, for a missing ``]``, an empty or spaced host,
            or a port outside 1-65535.
    """
    text = text.strip()
    host, port_text = text, None
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise UsageError(option, _("“{text}” is missing a “]”").format(text=text))
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise UsageError(option, _("write HOST:PORT, e.g. smtp.example.org:587"))
            port_text = rest[1:]
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    if not host:
        raise UsageError(option, _("give a host name, e.g. smtp.example.org:587"))
    if any(ch.isspace() for ch in host):
        raise UsageError(
            option,
            _("“{host}” is not a server name (expected e.g. smtp.example.com).").format(host=host),
        )
    if port_text is None:
        return host, 0
    return host, parse_port(port_text, option)


def parse_port(text: str, option: str) -> int:
    """The port number in ``text``; ``UsageError`` unless it is a whole number in 1-65535."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 65536):
        raise UsageError(
            option, _("“{port}” is not a port number from 1 to 65535").format(port=text)
        )
    return int(text)


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP literals (this computer); see smtp.settings."""
    from mailcomposer.smtp.settings import is_loopback_host as loopback  # not at --help

    return loopback(host)


def default_security(host: str, port: int) -> str:
    """The security for a server given without ``--security``, as Security's value.

    Port 465 is TLS from the first byte; a server on this computer (a lab or a local
    relay) is plain; everything else must upgrade with STARTTLS (587, 25, other ports).
    """
    if port == IMPLICIT_TLS_PORT:
        return "tls"
    if is_loopback_host(host):
        return "none"
    return "starttls"
