"""Sample received messages for the inbox preview tests (core and GUI)."""

from __future__ import annotations

import base64
import struct
import zlib
from email import policy
from email.message import EmailMessage

CID = "logo.1@example.org"
CHINESE_NAME = "季度报告.pdf"
OTHER_CHINESE_NAME = "会议纪要.txt"


def png(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff\x00\x00" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def related_message(remote_url: str = "https://tracker.example.com/pixel.png") -> EmailMessage:
    """multipart/mixed > (alternative > (plain, related > (html, cid image)), two attachments)."""
    msg = EmailMessage()
    msg["From"] = "Alice <alice@example.org>"
    msg["To"] = "Bob <bob@example.net>"
    msg["Cc"] = "carol@example.net"
    msg["Subject"] = "季度报告 Quarterly report"
    msg["Date"] = "Sun, 06 Dec 2026 04:30:00 +0000"
    msg["Message-ID"] = "<preview.1@example.org>"
    msg.set_content("Hello Bob,\nthe report is attached.\n")
    msg.add_alternative(
        "<html><body><h1>Quarterly report</h1>"
        f'<p>Our logo: <img src="cid:{CID}" alt="logo" width="32" height="32"></p>'
        f'<p>Tracking pixel: <img src="{remote_url}" alt="remote"></p>'
        "</body></html>",
        subtype="html",
    )
    html = msg.get_payload()[1]
    html.add_related(png(), "image", "png", cid=f"<{CID}>", disposition="inline")
    # RFC 2231 form (what Python writes), plus the RFC 2047 name= Thunderbird adds ...
    msg.add_attachment(
        b"%PDF-1.4 fake\n", maintype="application", subtype="pdf", filename=CHINESE_NAME
    )
    pdf = msg.get_payload()[-1]
    word = base64.b64encode(CHINESE_NAME.encode()).decode()
    del pdf["Content-Type"]
    pdf.set_raw("Content-Type", f'application/pdf;\n name="=?utf-8?b?{word}?="')
    # ... and the RFC 2047 form (what Outlook and Thunderbird read), with a path in it.
    msg.add_attachment(b"minutes\n", maintype="text", subtype="plain", filename="x.txt")
    part = msg.get_payload()[-1]
    encoded = base64.b64encode(("../../" + OTHER_CHINESE_NAME).encode()).decode()
    del part["Content-Disposition"]
    # set_raw, folded by hand: the header goes out as written (assigning it, or a line
    # over 78 characters, would re-encode it as RFC 2231).
    part.set_raw("Content-Disposition", f'attachment;\n filename="=?utf-8?b?{encoded}?="')
    return msg


def stored(msg: EmailMessage, mail_from: str, rcpt_tos: list[str]) -> bytes:
    """The bytes the local server stores: envelope headers prepended, CRLF lines."""
    return (
        f"X-Peer: ('127.0.0.1', 50000)\r\nX-MailFrom: {mail_from}\r\n"
        f"X-RcptTo: {', '.join(rcpt_tos)}\r\n"
    ).encode() + msg.as_bytes(policy=policy.SMTP)
