"""Read a .eml file back into a Draft, and write a built message as a .eml file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import Parser

from mailcomposer.i18n import _
from mailcomposer.message import decoding
from mailcomposer.message.addresses import unicode_domains
from mailcomposer.message.draft import Attachment, Draft, InlineImage, Priority
from mailcomposer.message.files import atomic_file
from mailcomposer.message.inspect import Limits, guarded, parse_message, read_message_file
from mailcomposer.message.mime import BuiltMessage
from mailcomposer.message.receipts import READ_RECEIPT_HEADER
from mailcomposer.message.structure import part_filename

# Headers worth keeping when a message is reopened (threading); the rest is rebuilt.
_KEPT_HEADERS = ("In-Reply-To", "References")


def write_eml(
    built: BuiltMessage, path: str | os.PathLike[str], *, include_bcc: bool = True
) -> None:
    """Write the message as a .eml file (CRLF, not dot-stuffed), atomically.

    Args:
        built: the built message.
        path: where to write.
        include_bcc: keep the Bcc header (it is the sender's own copy).
    """
    wire = built.wire(include_bcc=include_bcc)
    with atomic_file(path) as fh:
        wire.write_to(fh)


def _header_text(msg: EmailMessage, name: str) -> str:
    values = guarded(lambda: [str(v) for v in msg.get_all(name) or []], [])
    return unicode_domains(", ".join(v for v in values if v.strip()))


def _priority(msg: EmailMessage) -> Priority:
    xprio = str(msg.get("X-Priority", "")).strip()[:1]
    importance = str(msg.get("Importance", "")).strip().lower()
    if xprio in ("1", "2") or importance == "high":
        return Priority.HIGH
    if xprio in ("4", "5") or importance == "low":
        return Priority.LOW
    return Priority.NORMAL


def read_eml(source: str | os.PathLike[str] | bytes, limits: Limits | None = None) -> Draft:
    """Parse a message (a path or raw bytes) into a Draft that rebuilds the same message.

    Inline images are named ``cid:<content-id>``, the reference the HTML already uses,
    so building the Draft again maps them to fresh Content-IDs. A read-receipt request
    (``Disposition-Notification-To``) becomes the draft's ``read_receipt``, which asks
    for it again at the From address, as every message built from a draft does. A
    hostile file (huge, deeply nested, thousands of parts, megabyte headers) is refused
    within the limits.

    Raises:
        MessageFileError: (an InputError) the file cannot be read, is empty or is
            outside the limits; its message says which.
    """
    if isinstance(source, bytes | bytearray):
        raw = bytes(source)
    else:
        raw = read_message_file(source, limits)
    # Local line ends first: otherwise 7bit/8bit text bodies keep their CRs.
    msg = parse_message(local_line_ends(raw), limits)
    heads = _utf8_headers(raw) or msg
    draft = Draft(
        from_addr=_header_text(heads, "From"),
        to=_header_text(heads, "To"),
        cc=_header_text(heads, "Cc"),
        bcc=_header_text(heads, "Bcc"),
        reply_to=_header_text(heads, "Reply-To"),
        subject=guarded(lambda: str(heads.get("Subject", "")), ""),
        priority=guarded(lambda: _priority(heads), Priority.NORMAL),
        read_receipt=guarded(lambda: READ_RECEIPT_HEADER in heads, False),
    )
    for name in _KEPT_HEADERS:
        value = guarded(lambda n=name: heads.get(n), None)
        if value is not None:
            draft.extra_headers.append((name, " ".join(str(value).split())))

    text: str | None = None
    html: str | None = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = guarded(part.get_content_type, "application/octet-stream")
        disposition = guarded(part.get_content_disposition, None)
        content_id = guarded(lambda p=part: p.get("Content-ID"), None)
        if ctype in ("text/plain", "text/html") and disposition != "attachment":
            body = _text_of(part)
            if ctype == "text/plain" and text is None:
                text = body
                continue
            if ctype == "text/html" and html is None:
                html = body
                continue
        if content_id is not None and disposition != "attachment":
            cid = str(content_id).strip().strip("<>")
            draft.inline_images.append(
                InlineImage(
                    name=f"cid:{cid}",
                    data=decoding.payload_bytes(part) or b"",
                    content_type=ctype,
                    filename=part_filename(part),
                )
            )
            continue
        draft.attachments.append(
            Attachment(
                filename=part_filename(part) or _("attachment"),
                data=decoding.payload_bytes(part) or b"",
                content_type=ctype,
            )
        )
    draft.text = text or ""
    draft.html = html
    return draft


@dataclass(frozen=True)
class ReadEml:
    """What ``read_eml_job`` found: a complete draft, or why there is none.

    Attributes:
        draft: the message read whole, or None.
        error: the ``OSError`` or ``ValueError`` (a ``MessageFileError``) that
            stopped it, or None.
    """

    draft: Draft | None
    error: Exception | None = None


def read_eml_job(
    path: str | os.PathLike[str], cancelled: Callable[[], bool], limits: Limits | None = None
) -> ReadEml | None:
    """``read_eml`` as a job for a worker thread: the draft or the error, as a value.

    A 25 MiB attachment takes about a second to read, parse and decode. Returns
    None when ``cancelled()`` is true before or after the read (its result is dropped).
    """
    if cancelled():
        return None
    try:
        found = ReadEml(read_eml(path, limits))
    except (OSError, ValueError) as exc:
        found = ReadEml(None, exc)
    return None if cancelled() else found


_HEAD_WINDOW = 1 << 20
_PIECE = 1 << 20


def local_line_ends(raw: bytes, piece: int = _PIECE) -> bytes:
    """``raw.replace(b"\\r\\n", b"\\n")``, done ``piece`` bytes at a time.

    On a worker thread one replace over a 25 MiB message holds the GIL ~36 ms, and
    the window stalls that long; pieces hand it over in between. A piece never ends
    between a CR and its LF.
    """
    if len(raw) <= piece:
        return raw.replace(b"\r\n", b"\n")
    pieces = []
    start = 0
    while start < len(raw):
        end = min(start + piece, len(raw))
        while end < len(raw) and raw[end - 1] == 0x0D:  # keep a CR with what follows
            end += 1
        pieces.append(raw[start:end].replace(b"\r\n", b"\n"))
        start = end
    return b"".join(pieces)


def _utf8_headers(raw: bytes) -> EmailMessage | None:
    """Parse raw UTF-8 headers (RFC 6532, SMTPUTF8 mail) from text, or return None.

    WORKAROUND: the bytes parser turns them into surrogates; only the header block
    is parsed as text because 8-bit bodies must stay bytes.
    """
    # The header block is near the start: only a message without a blank line early
    # is normalised whole (one pass over a 25 MiB message held the GIL ~36 ms).
    window = raw[:_HEAD_WINDOW]
    normal = window.replace(b"\r\n", b"\n")
    end = normal.find(b"\n\n")
    if end < 0 and len(window) < len(raw):
        normal = local_line_ends(raw)
        end = normal.find(b"\n\n")
    block = normal if end < 0 else normal[: end + 1]
    if block.isascii():
        return None
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Headers only: the block may hold a multipart's start, which is not parsed here.
    parsed = Parser(policy=email_policy.default).parsestr(text + "\n", headersonly=True)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _text_of(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError):
        payload = decoding.payload_bytes(part) or b""
        return payload.decode("utf-8", "replace")
