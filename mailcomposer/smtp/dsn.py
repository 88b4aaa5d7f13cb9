"""Delivery status notification parameters (RFC 3461) for MAIL FROM and RCPT TO."""

from __future__ import annotations

from dataclasses import dataclass, field

from mailcomposer.i18n import _
from mailcomposer.smtp.rfc import Ref, ref

__all__ = ["DsnRequest", "dsn_request", "xtext"]


@dataclass(frozen=True)
class DsnRequest:
    """What a send adds to its envelope for delivery notifications.

    Attributes:
        mail: parameters for MAIL FROM (``RET=HDRS``, ``ENVID=…``).
        rcpt: parameters for each RCPT TO (``NOTIFY=…``).
        note: a transcript note when notifications were asked for but cannot be.
        refs: the RFC sections behind the note.
    """

    mail: tuple[str, ...] = ()
    rcpt: tuple[str, ...] = ()
    note: str = ""
    refs: tuple[Ref, ...] = field(default=())


def xtext(text: str) -> str:
    """Encode ``text`` as RFC 3461 §4 xtext: ``+``, ``=`` and non-printables as ``+XX``."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if 33 <= byte <= 126 and char not in "+=" else f"+{byte:02X}")
    return "".join(out)


def dsn_request(notify: tuple[str, ...], offered: bool, message_id: str) -> DsnRequest:
    """Decide the DSN parameters of one send.

    Args:
        notify: the NOTIFY conditions asked for (``SUCCESS``, ``FAILURE``, ``DELAY``).
        offered: the server announced DSN in its EHLO reply.
        message_id: the Message-ID (angle brackets optional); it becomes the ENVID.
    """
    if not notify:
        return DsnRequest()
    if not offered:
        return DsnRequest(
            note=_(
                "Delivery notifications were asked for, but this server does not offer "
                "DSN: the request could not be made, and the message is sent without it."
            ),
            refs=(ref(3461, "4"),),
        )
    envid = xtext(message_id.strip().strip("<>"))
    return DsnRequest(mail=("RET=HDRS", f"ENVID={envid}"), rcpt=(f"NOTIFY={','.join(notify)}",))
