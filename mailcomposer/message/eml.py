"""Read a .eml file back into a Draft, and write a built message as a .eml file."""

from __future__ import annotations

import os
from email import message_from_string
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.draft import Attachment, Draft, InlineImage, Priority
from mailcomposer.message.errors import InputError
from mailcomposer.message.files import atomic_file
from mailcomposer.message.mime import BuiltMessage

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
    values = msg.get_all(name) or []
    return ", ".join(str(v) for v in values if str(v).strip())


def _priority(msg: EmailMessage) -> Priority:
    xprio = str(msg.get("X-Priority", "")).strip()[:1]
    importance = str(msg.get("Importance", "")).strip().lower()
    if xprio in ("1", "2") or importance == "high":
        return Priority.HIGH
    if xprio in ("4", "5") or importance == "low":
        return Priority.LOW
    return Priority.NORMAL


def read_eml(source: str | os.PathLike[str] | bytes) -> Draft:
    """Parse a message (a path or raw bytes) into a Draft that rebuilds the same message.

    Inline images are named ``cid:<content-id>``, the reference the HTML already uses,
    so building the Draft again maps them to fresh Content-IDs.

    Raises:
        InputError: when the file cannot be read.
    """
    if isinstance(source, bytes | bytearray):
        raw = bytes(source)
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise InputError(
                "eml",
                _("Cannot read “{name}”: {reason}").format(
                    name=os.fspath(source), reason=exc.strerror or exc
                ),
                os.fspath(source),
            ) from None
    # Local line ends first: otherwise 7bit/8bit text bodies keep their CRs.
    msg = BytesParser(policy=email_policy.default).parsebytes(raw.replace(b"\r\n", b"\n"))
    assert isinstance(msg, EmailMessage)
    heads = _utf8_headers(raw) or msg
    draft = Draft(
        from_addr=_header_text(heads, "From"),
        to=_header_text(heads, "To"),
        cc=_header_text(heads, "Cc"),
        bcc=_header_text(heads, "Bcc"),
        reply_to=_header_text(heads, "Reply-To"),
        subject=str(heads.get("Subject", "")),
        priority=_priority(heads),
    )
    for name in _KEPT_HEADERS:
        value = heads.get(name)
        if value is not None:
            draft.extra_headers.append((name, " ".join(str(value).split())))

    text: str | None = None
    html: str | None = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        content_id = part.get("Content-ID")
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
                    data=part.get_payload(decode=True) or b"",
                    content_type=ctype,
                    filename=part.get_filename() or "",
                )
            )
            continue
        draft.attachments.append(
            Attachment(
                filename=part.get_filename() or _("attachment"),
                data=part.get_payload(decode=True) or b"",
                content_type=ctype,
            )
        )
    draft.text = text or ""
    draft.html = html
    return draft


def _utf8_headers(raw: bytes) -> EmailMessage | None:
    """Parse raw UTF-8 headers (RFC 6532, SMTPUTF8 mail) from text, or return None.

    WORKAROUND: the bytes parser turns them into surrogates; only the header block
    is parsed as text because 8-bit bodies must stay bytes.
    """
    normal = raw.replace(b"\r\n", b"\n")
    end = normal.find(b"\n\n")
    block = normal if end < 0 else normal[: end + 1]
    if block.isascii():
        return None
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    parsed = message_from_string(text + "\n", policy=email_policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _text_of(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace")
