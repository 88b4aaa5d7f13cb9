"""What a send will put on the wire: the envelope, each recipient with the field it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAIL_FROM = "MAIL FROM"
RCPT_TO = "RCPT TO"


@dataclass(frozen=True)
class EnvelopeStep:
    """One envelope command of the coming SMTP transaction.

    Attributes:
        command: ``MAIL FROM`` or ``RCPT TO`` (protocol words, never translated).
        address: the address as sent (IDN domains as punycode).
        field: the header field the recipient was typed in: ``To``, ``Cc`` or
            ``Bcc`` (``Bcc`` recipients are in no header at all); ``From`` for MAIL FROM.
    """

    command: str
    address: str
    field: str

    @property
    def line(self) -> str:
        """The command as the client sends it: ``RCPT TO:<bob@example.org>``."""
        return f"{self.command}:<{self.address}>"


def _key(local: str, domain: str) -> str:
    # RFC 5321 §2.4: the local part is case-sensitive, the domain is not.
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = local[1:-1]
    return f"{local}@{domain.lower()}"


def _header_keys(message: Any, name: str) -> set[str]:
    header = message.get(name)
    if header is None:
        return set()
    try:
        addresses = header.addresses
    except Exception:  # an unparsable header names nobody we can match
        return set()
    return {_key(a.username, a.domain) for a in addresses}


def envelope_steps(built: Any) -> tuple[EnvelopeStep, ...]:
    """MAIL FROM then each RCPT TO of ``built`` (a ``BuiltMessage``), with its field.

    The envelope holds every To, Cc and Bcc address once, in that order; a
    recipient found in neither the To nor the Cc header of the wire form came from Bcc.
    """
    message = built.message  # the wire form's headers: no Bcc
    to, cc = _header_keys(message, "To"), _header_keys(message, "Cc")
    steps = [EnvelopeStep(MAIL_FROM, built.envelope.sender, "From")]
    for address in built.envelope.recipients:
        local, _at, domain = address.rpartition("@")
        key = _key(local, domain)
        field = "To" if key in to else "Cc" if key in cc else "Bcc"
        steps.append(EnvelopeStep(RCPT_TO, address, field))
    return tuple(steps)


def wire_bytes(built: Any) -> bytes:
    """The message exactly as ``send`` and ``send --dry-run`` see it: no Bcc header."""
    return built.wire().to_bytes()
