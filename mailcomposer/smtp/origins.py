"""Which field (To, Cc or Bcc) each envelope recipient of a built message came from."""

from __future__ import annotations

from mailcomposer.message.addresses import envelope_key, parse_address_list

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["recipient_origins"]


def recipient_origins(built: Any) -> dict[str, str]:
    """Map each envelope recipient (its ``envelope_key``) to ``to``, ``cc`` or ``bcc``.

    As ``message.mime`` builds ``Envelope.recipients``: To first, then Cc, then Bcc,
    an address named twice counted where it appears first. To and Cc are read from
    the message's headers, Bcc from ``BuiltMessage.bcc`` (it has no header on the
    wire). The local part keeps its case (RFC 5321 §2.4: ``Bob@`` in Bcc is not the
    ``bob@`` in To). A built message without these (a test double) gives an empty map.
    """
    origins: dict[str, str] = {}
    message = getattr(built, "message", None)
    for field in ("to", "cc"):
        header = message.get(field) if message is not None else None
        for address in getattr(header, "addresses", ()):
            origins.setdefault(envelope_key(address.addr_spec), field)
    bcc = getattr(built, "bcc", ())
    if bcc:
        try:
            parsed = parse_address_list(", ".join(bcc), "bcc")
        except ValueError:
            parsed = []
        for address in parsed:
            origins.setdefault(envelope_key(address.ascii_addr_spec), "bcc")
    recipients = getattr(getattr(built, "envelope", None), "recipients", ())
    keys = {r: envelope_key(r) for r in recipients}
    return {keys[r]: origins[keys[r]] for r in recipients if keys[r] in origins}
