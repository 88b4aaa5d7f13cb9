"""The Draft: everything the user composed, as plain data (no Qt, no I/O)."""

from __future__ import annotations

import base64
import enum
from dataclasses import asdict, field
from pathlib import Path

from mailcomposer.records import record

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Priority(enum.StrEnum):
    """Message priority, written as ``X-Priority`` and ``Importance``."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


@record
class InlineImage:
    """An image shown inside the HTML body.

    Attributes:
        name: the exact ``src`` value the HTML uses for it (editor resource name,
            relative path as written in an HTML file ...). The builder maps each
            name still referenced by the HTML to a fresh ``cid:``; unreferenced
            images are dropped.
        data: the original bytes (never re-encoded).
        content_type: ``image/png``, ``image/jpeg`` ...
        filename: a file name to offer on save; derived from ``name`` if empty.
    """

    name: str
    data: bytes
    content_type: str
    filename: str = ""


@record
class Attachment:
    """A file attached to the message, backed by a path (streamed) or by bytes.

    Attributes:
        filename: the name the recipient sees (any Unicode).
        path: the file to read at send time; ``None`` when ``data`` holds the bytes.
        data: in-memory content (from a pasted or re-opened message).
        content_type: the MIME type, or ``None`` to detect it from content and name.
    """

    filename: str
    path: Path | None = None
    data: bytes | None = None
    content_type: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes before transfer encoding (0 if the file vanished)."""
        if self.data is not None:
            return len(self.data)
        try:
            return self.path.stat().st_size if self.path else 0
        except OSError:
            return 0


@record
class Draft:
    """A message being composed; address fields hold the text as the user typed it.

    Attributes:
        from_addr: the From address as typed (``Ann <ann@example.org>``).
        to, cc, bcc, reply_to: address lists as typed (commas or semicolons).
        subject: the subject line.
        text: the plain-text body (used alone when ``html`` is None).
        html: the HTML body, or ``None`` for a plain-text message.
        inline_images: images referenced by ``html``.
        attachments: attached files.
        priority: high, normal or low.
        extra_headers: additional ``(name, value)`` headers.
        message_id: kept across retries so a resend after an unknown outcome
            carries the same Message-ID; ``None`` until first built.
        read_receipt: ask for a read receipt (``Disposition-Notification-To``).
        dsn: the delivery notifications asked for (``SUCCESS``, ``FAILURE``,
            ``DELAY``; RFC 3461 NOTIFY); empty for none.
    """

    from_addr: str = ""
    to: str = ""
    cc: str = ""
    bcc: str = ""
    reply_to: str = ""
    subject: str = ""
    text: str = ""
    html: str | None = None
    inline_images: list[InlineImage] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    priority: Priority = Priority.NORMAL
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    message_id: str | None = None
    read_receipt: bool = False
    dsn: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when there is nothing worth keeping (no addresses, text or files)."""
        return not any(
            (
                self.to,
                self.cc,
                self.bcc,
                self.subject,
                self.text.strip(),
                self.attachments,
                self.inline_images,
            )
        )

    def to_dict(self, keep: Callable[[bytes], str] | None = None) -> dict[str, Any]:
        """Return a JSON-ready dict (bytes as base64, paths as strings).

        With ``keep``, the bytes of images and attachments are not in the dict: each
        goes to ``keep(data)``, whose answer is written as ``"blob"`` instead of
        ``"data"`` (the draft store keeps them in files of their own).
        """
        out = asdict(self)
        out["priority"] = self.priority.value
        out["inline_images"] = [
            {
                "name": img.name,
                "content_type": img.content_type,
                "filename": img.filename,
                **_bytes_entry(img.data, keep),
            }
            for img in self.inline_images
        ]
        out["attachments"] = [
            {
                "filename": a.filename,
                "path": str(a.path) if a.path else None,
                **({"data": None} if a.data is None else _bytes_entry(a.data, keep)),
                "content_type": a.content_type,
            }
            for a in self.attachments
        ]
        out["extra_headers"] = [list(h) for h in self.extra_headers]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], kept: Callable[[str], bytes] | None = None) -> Draft:
        """Rebuild a Draft from :meth:`to_dict` output (unknown keys are ignored).

        ``kept(name)`` returns the bytes a ``"blob"`` entry names (see ``to_dict``).

        Raises:
            ValueError, KeyError or TypeError: ``data`` is not what ``to_dict`` writes
                (a damaged or hand-edited file): a text field that is not text, a list
                that is not a list, bad base64, a blob that cannot be read. Never a
                Draft that would fail later.
        """
        _check_types(data, _TEXT_FIELDS, str, "", "draft")
        _check_types(data, _OPTIONAL_TEXT_FIELDS, str | None, None, "draft")
        _check_types(data, _LIST_FIELDS, list, [], "draft")
        _check_types(data, ("read_receipt",), bool, False, "draft")
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["priority"] = Priority(data.get("priority", "normal"))
        kwargs["inline_images"] = [
            _inline_image(item, kept) for item in data.get("inline_images", [])
        ]
        kwargs["attachments"] = [_attachment(item, kept) for item in data.get("attachments", [])]
        kwargs["extra_headers"] = [_header_pair(h) for h in data.get("extra_headers", [])]
        kwargs["dsn"] = [str(name) for name in data.get("dsn", []) if isinstance(name, str)]
        return cls(**kwargs)


_TEXT_FIELDS = ("from_addr", "to", "cc", "bcc", "reply_to", "subject", "text")
_OPTIONAL_TEXT_FIELDS = ("html", "message_id")
_LIST_FIELDS = ("inline_images", "attachments", "extra_headers", "dsn")


def _check_types(data: Any, names: tuple[str, ...], kind: Any, default: Any, what: str) -> None:
    if not isinstance(data, dict):
        raise TypeError(f"a {what} is a JSON object, not {type(data).__name__}")
    for name in names:
        if not isinstance(data.get(name, default), kind):
            raise TypeError(f"{what} field {name!r} is not of the right kind")


def _bytes_entry(data: bytes, keep: Callable[[bytes], str] | None) -> dict[str, str]:
    if keep is None:
        return {"data": base64.b64encode(data).decode("ascii")}
    return {"blob": keep(data)}


def _bytes_of(item: dict[str, Any], kept: Callable[[str], bytes] | None, what: str) -> bytes:
    """The bytes of a ``to_dict`` entry: base64 ``"data"``, or a ``"blob"`` read by ``kept``."""
    if "blob" in item:
        _check_types(item, ("blob",), str, None, what)
        if kept is None:
            raise ValueError(f"{what} names a blob with nothing to read it")
        return kept(item["blob"])
    _check_types(item, ("data",), str, None, what)
    return base64.b64decode(item["data"], validate=True)


def _inline_image(item: Any, kept: Callable[[str], bytes] | None = None) -> InlineImage:
    _check_types(item, ("name", "content_type"), str, None, "inline image")
    _check_types(item, ("filename",), str, "", "inline image")
    return InlineImage(
        name=item["name"],
        data=_bytes_of(item, kept, "inline image"),
        content_type=item["content_type"],
        filename=item.get("filename", ""),
    )


def _attachment(item: Any, kept: Callable[[str], bytes] | None = None) -> Attachment:
    _check_types(item, ("filename",), str, None, "attachment")
    _check_types(item, ("path", "content_type"), str | None, None, "attachment")
    has_bytes = "blob" in item or item.get("data") is not None
    return Attachment(
        filename=item["filename"],
        path=Path(item["path"]) if item.get("path") else None,
        data=_bytes_of(item, kept, "attachment") if has_bytes else None,
        content_type=item.get("content_type"),
    )


def _header_pair(item: Any) -> tuple[str, str]:
    pair = tuple(item) if isinstance(item, list | tuple) else ()
    if len(pair) != 2 or not all(isinstance(value, str) for value in pair):
        raise TypeError("an extra header is a [name, value] pair of texts")
    return (pair[0], pair[1])
