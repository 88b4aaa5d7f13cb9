"""Shared helpers for the message tests: drafts, parsing back, line checks."""

from __future__ import annotations

from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

from mailcomposer.message.draft import Draft

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(255, -1, -1)) * 3
PDF = b"%PDF-1.4\n" + b"binary \x00\xff stream\n" * 50


def draft(**kwargs) -> Draft:
    """Return a minimal valid draft with the given fields changed."""
    base = {"from_addr": "Ann <ann@example.org>", "to": "bob@example.net", "subject": "Hi"}
    base.update(kwargs)
    return Draft(**base)


def parse(raw: bytes) -> EmailMessage:
    """Parse wire bytes back with the modern policy (line ends made local first, as
    a mail store does, so that 7bit/8bit bodies compare without CRs)."""
    msg = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email_policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def shape(msg: EmailMessage) -> object:
    """Return the MIME tree as nested (type, [children]) / type values."""
    if msg.is_multipart():
        return (msg.get_content_type(), [shape(p) for p in msg.iter_parts()])
    return msg.get_content_type()


def assert_wire_clean(raw: bytes) -> None:
    """CRLF everywhere, no bare CR/LF, no line over 998 octets, ends with CRLF."""
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 998
