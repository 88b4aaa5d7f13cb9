"""SRV and MX look-ups: a small resolver interface, dnspython when installed, else plain UDP."""

from __future__ import annotations

import random
import secrets
import socket
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

TYPE_MX = 15
TYPE_SRV = 33


class DnsError(Exception):
    """The look-up could not be made (no name server, timeout); not "no such record"."""


@dataclass(frozen=True)
class Srv:
    """One SRV record (RFC 2782)."""

    priority: int
    weight: int
    port: int
    target: str


@dataclass(frozen=True)
class Mx:
    """One MX record."""

    preference: int
    host: str


class Resolver(Protocol):
    """What mail-settings detection asks of DNS (tests pass a stub)."""

    def srv(self, name: str) -> list[Srv]:
        """Return the SRV records of ``name`` (empty when there are none)."""
        ...

    def mx(self, domain: str) -> list[Mx]:
        """Return the MX records of ``domain`` (empty when there are none)."""
        ...


class UdpResolver:
    """A minimal stub resolver: one UDP query to the system's first name server.

    Answers are not DNSSEC-validated, so callers treat them as unverified. With
    dnspython installed (``pip install dnspython``) ``default_resolver`` uses it
    instead; it also finds the name servers on Windows, where this one reads none.
    """

    def __init__(self, nameserver: str | None = None, timeout: float = 5.0, port: int = 53) -> None:
        self.nameserver = nameserver
        self.timeout = timeout
        self.port = port

    def srv(self, name: str) -> list[Srv]:
        answers = self._query(name, TYPE_SRV)
        return [Srv(*struct.unpack("!HHH", rdata[:6]), _name(msg, off + 6)[0].rstrip("."))
                for msg, off, rdata in answers]  # fmt: skip

    def mx(self, domain: str) -> list[Mx]:
        answers = self._query(domain, TYPE_MX)
        return [Mx(struct.unpack("!H", rdata[:2])[0], _name(msg, off + 2)[0].rstrip("."))
                for msg, off, rdata in answers]  # fmt: skip

    def _server(self) -> str:
        if self.nameserver:
            return self.nameserver
        try:
            for line in Path("/etc/resolv.conf").read_text().splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    return parts[1]
        except OSError:
            pass
        raise DnsError("no name server is configured")

    def _query(self, name: str, rtype: int) -> list[tuple[bytes, int, bytes]]:
        ident = secrets.randbelow(65536)
        labels = b"".join(
            bytes([len(p)]) + p for p in name.rstrip(".").encode("idna").split(b".") if p
        )
        query = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + labels + b"\0"
        query += struct.pack("!HH", rtype, 1)
        server = self._server()
        family = socket.AF_INET6 if ":" in server else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.settimeout(self.timeout)
            try:
                sock.sendto(query, (server, self.port))
                while True:
                    msg, _peer = sock.recvfrom(4096)
                    if len(msg) >= 12 and struct.unpack("!H", msg[:2])[0] == ident:
                        break
            except OSError as exc:
                raise DnsError(str(exc) or type(exc).__name__) from exc
        return _answers(msg, rtype)


def _name(msg: bytes, offset: int) -> tuple[str, int]:
    """Read a (possibly compressed) domain name; return it and the offset after it."""
    labels, end, jumps = [], None, 0
    while True:
        length = msg[offset]
        if length & 0xC0 == 0xC0:
            if end is None:
                end = offset + 2
            offset = struct.unpack("!H", msg[offset : offset + 2])[0] & 0x3FFF
            jumps += 1
            if jumps > 20:
                raise DnsError("a malformed DNS answer")
            continue
        if length == 0:
            return ".".join(labels) + ".", end if end is not None else offset + 1
        labels.append(msg[offset + 1 : offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length


def _answers(msg: bytes, rtype: int) -> list[tuple[bytes, int, bytes]]:
    try:
        _ident, flags, qd, an, _ns, _ar = struct.unpack("!HHHHHH", msg[:12])
        if flags & 0x000F == 3:  # NXDOMAIN: no records
            return []
        if flags & 0x000F:
            raise DnsError(f"the name server answered with error {flags & 0x000F}")
        offset = 12
        for _ in range(qd):
            offset = _name(msg, offset)[1] + 4
        found = []
        for _ in range(an):
            offset = _name(msg, offset)[1]
            kind, _cls, _ttl, length = struct.unpack("!HHIH", msg[offset : offset + 10])
            offset += 10
            if kind == rtype:
                found.append((msg, offset, msg[offset : offset + length]))
            offset += length
        return found
    except (struct.error, IndexError) as exc:
        raise DnsError("a malformed DNS answer") from exc


class DnsPythonResolver:
    """The same interface on dnspython (used when it is installed)."""

    def __init__(self, timeout: float = 5.0) -> None:
        import dns.resolver  # type: ignore[import-not-found]

        self._resolver = dns.resolver.Resolver()
        self._resolver.lifetime = timeout

    def _resolve(self, name: str, rtype: str) -> list[object]:
        import dns.exception  # type: ignore[import-not-found]
        import dns.resolver  # type: ignore[import-not-found]

        try:
            return list(self._resolver.resolve(name, rtype))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as exc:
            raise DnsError(str(exc)) from exc

    def srv(self, name: str) -> list[Srv]:
        return [Srv(r.priority, r.weight, r.port, str(r.target).rstrip("."))  # type: ignore[attr-defined]
                for r in self._resolve(name, "SRV")]  # fmt: skip

    def mx(self, domain: str) -> list[Mx]:
        return [Mx(r.preference, str(r.exchange).rstrip("."))  # type: ignore[attr-defined]
                for r in self._resolve(domain, "MX")]  # fmt: skip


def default_resolver(timeout: float = 5.0) -> Resolver:
    """dnspython's resolver when installed (it knows Windows' name servers), else UDP."""
    try:
        return DnsPythonResolver(timeout)
    except ImportError:
        return UdpResolver(timeout=timeout)


def by_priority(records: list[Srv]) -> list[Srv]:
    """Order SRV records by priority, weight picking among equals (RFC 2782, simplified)."""
    usable = [r for r in records if r.target not in ("", ".")]  # "." = service not offered
    return sorted(usable, key=lambda r: (r.priority, -r.weight, random.random()))
