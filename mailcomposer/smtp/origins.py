"""Which field (To, Cc or Bcc) each envelope recipient of a built message came from."""

from __future__ import annotations

from mailcomposer.message.addresses import parse_address_list, to_ascii_domain

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["recipient_origins"]


def _key(addr_spec: str) -> str:
    """The envelope form of an address, lower-cased: IDN domain as punycode."""
    local, _at, domain = addr_spec.rpartition("@")
    try:
        domain = to_ascii_domain(domain)
    except ValueError:
        pass
    return f"{local}@{domain}".lower()


def recipient_origins(built: Any) -> dict[str, str]:
    """Map each envelope recipient (lower-cased) to ``to``, ``cc`` or ``bcc``.

    As ``message.mime`` builds ``Envelope.recipients``: To first, then Cc, then Bcc,
    an address named twice counted where it appears first. To and Cc are read from
    the message's headers, Bcc from ``BuiltMessage.bcc`` (it has no header on the
    wire). A built message without these (a test double) gives an empty map.
    """
    origins: dict[str, str] = {}
    message = getattr(built, "message", None)
    for field in ("to", "cc"):
        header = message.get(field) if message is not None else None
        for address in getattr(header, "addresses", ()):
            origins.setdefault(_key(address.addr_spec), field)
    bcc = getattr(built, "bcc", ())
    if bcc:
        try:
            parsed = parse_address_list(", ".join(bcc), "bcc")
        except ValueError:
            parsed = []
        for address in parsed:
            origins.setdefault(address.ascii_addr_spec.lower(), "bcc")
    recipients = getattr(getattr(built, "envelope", None), "recipients", ())
    return {r.lower(): origins[r.lower()] for r in recipients if r.lower() in origins}
