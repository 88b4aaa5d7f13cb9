"""What the sandbox inbox shows of one received message: envelope, headers, parts, body, files.

Qt-free: ``build_preview(raw)`` turns the stored bytes into a plain ``Preview`` that
the inbox widgets only display. Parsing is bounded (size, part count, depth): a
message outside the limits gets a clear sentence in ``Preview.problems`` and as
much as could be shown safely (envelope, headers, source), never a hang.

The bounded parse is the one function ``_parse``; when ``mailcomposer.message.inspect``
(bounded parsing of hostile files) is on main, ``_parse`` can become a call to its
``parse_message(raw, limits)`` with ``MessageFileError`` mapped to ``PreviewError``.
"""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from urllib.parse import unquote

from mailcomposer.i18n import _
from mailcomposer.message import decoding
from mailcomposer.message.filenames import MAX_NAME_LENGTH, is_reserved, shorten_name
from mailcomposer.message.inspect import parse_in_pieces
from mailcomposer.message.structure import part_filename

# Prepended by the local server (aiosmtpd's convention): the envelope, not headers.
ENVELOPE_HEADERS = ("x-peer", "x-mailfrom", "x-rcptto")
SUMMARY_HEADERS = ("From", "To", "Cc", "Subject", "Date")
SOURCE_LIMIT = 1024 * 1024  # the Source tab shows the first 1 MiB
BODY_LIMIT = 2_000_000  # characters of the body handed to the renderer

# What a mail client would load by itself: images, backgrounds, CSS url(), stylesheets.
# A link (<a href>) is only followed on a click, so it is not remote content.
_URL = r"""\s*["']?\s*((?:https?:)?//[^"'\s)>]+)"""
_REMOTE = re.compile(
    r"(?:\b(?:src|background|poster)\s*=|url\(|<link\b[^>]*?\bhref\s*=)" + _URL,
    re.IGNORECASE,
)
_FILENAME_PARAM = re.compile(
    r"""\b(?:file)?name\*?(?:\d+\*?)?\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;\s]+)""", re.IGNORECASE
)
_PEER = re.compile(r"""\(['"](?P<host>[^'"]*)['"],\s*(?P<port>\d+)(?:,.*)?\)""")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_UNSAFE = set('<>:"/\\|?*')


@dataclass(frozen=True)
class Limits:
    """How much of a message the preview parses.

    Attributes:
        max_bytes: bigger messages show their envelope, headers and source only.
        auto_bytes: bigger messages are parsed only when ``full=True`` is asked for
            (the parser takes about 0.1 s a megabyte: too long to wait for on every
            selection in a list).
        max_parts: parts listed and searched for the body and attachments.
        max_depth: levels of nesting followed.
        max_field: longer header fields are shown raw, not decoded (decoding an
            address list takes time that grows with the square of its length).
    """

    max_bytes: int = 64 * 1024 * 1024
    auto_bytes: int = 8 * 1024 * 1024
    max_parts: int = 500
    max_depth: int = 50
    max_field: int = 16 * 1024


class PreviewError(Exception):
    """The message is outside the limits; the text says which."""


@dataclass(frozen=True)
class HeaderRow:
    """One header field as received.

    Attributes:
        name: the field name as written.
        value: the decoded value (RFC 2047 words decoded, unfolded).
        raw: the value as received, unfolded.
    """

    name: str
    value: str
    raw: str


@dataclass(frozen=True)
class EnvelopeRow:
    """One envelope address and the headers that name it.

    Attributes:
        command: ``"MAIL FROM"`` or ``"RCPT TO"``.
        address: the address given in the command (``""`` for the null sender).
        fields: the headers naming the address (``("To",)``, ``("Cc",)``, ``("From",)`` ...);
            empty for a recipient means Bcc.
    """

    command: str
    address: str
    fields: tuple[str, ...]

    @property
    def hidden(self) -> bool:
        """True for a recipient that no header names: a Bcc copy."""
        return self.command == "RCPT TO" and not self.fields


@dataclass(frozen=True)
class PartRow:
    """One MIME part.

    Attributes:
        path: its position, ``"1"`` for the message, ``"1.2"`` for its second child.
        depth: nesting level (0 for the message).
        content_type: ``maintype/subtype``.
        charset: the charset parameter, or ``""``.
        transfer_encoding: Content-Transfer-Encoding, or ``""``.
        disposition: ``inline``, ``attachment`` or ``""``.
        filename: the decoded file name (RFC 2231 or RFC 2047), or ``""``.
        filename_raw: the file name parameters as written, or ``""``.
        content_id: the Content-ID without angle brackets, or ``""``.
        size: decoded bytes of a leaf; the sum of the leaves for a container.
    """

    path: str
    depth: int
    content_type: str
    charset: str
    transfer_encoding: str
    disposition: str
    filename: str
    filename_raw: str
    content_id: str
    size: int


@dataclass(frozen=True)
class Attachment:
    """A part the user may save.

    Attributes:
        path: the part's position (see ``PartRow.path``).
        filename: the decoded file name, or ``""``.
        safe_name: a file name to save under: no folders, no reserved characters.
        content_type: ``maintype/subtype``.
        data: the decoded content.
    """

    path: str
    filename: str
    safe_name: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Preview:
    """Everything the inbox shows about one message.

    Attributes:
        size: the stored message's size in bytes.
        peer: the client address the local server recorded, or ``""``.
        envelope: MAIL FROM first, then each RCPT TO.
        headers: every header as received (the server's envelope headers left out).
        summary: ``(name, decoded value)`` of From, To, Cc, Subject, Date when present.
        parts: the MIME parts in tree order.
        html: the HTML body, or ``""``.
        text: the plain-text body (used when there is no HTML), or ``""``.
        resources: ``Content-ID`` (no brackets) → decoded bytes, for ``cid:`` URLs.
        remote: remote URLs the HTML refers to (never fetched).
        attachments: the parts to save.
        source: the first ``SOURCE_LIMIT`` bytes of the stored message.
        problems: sentences about what could not be shown.
        deferred: only the envelope, headers and source are here, because the message
            is bigger than ``Limits.auto_bytes``: build again with ``full=True`` for the rest.
    """

    size: int
    peer: str = ""
    envelope: tuple[EnvelopeRow, ...] = ()
    headers: tuple[HeaderRow, ...] = ()
    summary: tuple[tuple[str, str], ...] = ()
    parts: tuple[PartRow, ...] = ()
    html: str = ""
    text: str = ""
    resources: dict[str, bytes] = field(default_factory=dict, repr=False)
    remote: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    source: bytes = field(default=b"", repr=False)
    problems: tuple[str, ...] = ()
    deferred: bool = False

    @property
    def source_truncated(self) -> bool:
        """True when ``source`` is only the beginning of the message."""
        return len(self.source) < self.size


def read_stored(
    path: str | os.PathLike[str], limits: Limits | None = None, *, full: bool = False
) -> tuple[bytes, int]:
    """Read what ``build_preview`` needs of a stored message; return ``(bytes, size)``.

    At most ``limits.max_bytes + 1`` bytes; only the first ``SOURCE_LIMIT`` of a message
    bigger than ``limits.auto_bytes`` unless ``full``.
    """
    limits = limits or Limits()
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        wanted = limits.max_bytes + 1 if full or size <= limits.auto_bytes else SOURCE_LIMIT
        return fh.read(wanted), size


def build_preview(
    raw: bytes,
    *,
    size: int | None = None,
    mail_from: str | None = None,
    rcpt_tos: tuple[str, ...] | None = None,
    limits: Limits | None = None,
    full: bool = False,
) -> Preview:
    """Describe a stored message for the inbox.

    Args:
        raw: the stored bytes (possibly only the beginning of a big message).
        size: the whole message's size; ``len(raw)`` when omitted.
        mail_from: the envelope sender; read from ``X-MailFrom`` when omitted.
        rcpt_tos: the envelope recipients; read from ``X-RcptTo`` when omitted.
        limits: parse limits.
        full: parse a message bigger than ``limits.auto_bytes`` too.
    """
    limits = limits or Limits()
    size = len(raw) if size is None else size
    problems: list[str] = []
    message: EmailMessage | None = None
    deferred = not full and limits.auto_bytes < size <= limits.max_bytes
    try:
        if deferred:
            raise PreviewError("")
        if size > limits.max_bytes or len(raw) > limits.max_bytes:
            raise PreviewError(
                _("The message is larger than {limit} MiB: only its headers are shown").format(
                    limit=limits.max_bytes // (1024 * 1024)
                )
            )
        message = _parse(raw, limits)
    except PreviewError as exc:
        if str(exc):
            problems.append(str(exc))
        head = _head(raw)
        top = BytesHeaderParser(policy=policy.default).parsebytes(head)
    else:
        top = message
    headers, envelope_values = _header_rows(top, limits)
    if mail_from is None:
        mail_from = envelope_values.get("x-mailfrom", "")
    if rcpt_tos is None:
        rcpt_tos = tuple(
            r.strip() for r in envelope_values.get("x-rcptto", "").split(",") if r.strip()
        )
    wanted = {name.lower(): name for name in SUMMARY_HEADERS}
    summary = [
        (wanted[row.name.lower()], row.value) for row in headers if row.name.lower() in wanted
    ]
    summary.sort(key=lambda item: SUMMARY_HEADERS.index(item[0]))
    common = {
        "size": size,
        "peer": _peer(envelope_values.get("x-peer", "")),
        "envelope": _envelope(mail_from, rcpt_tos, headers),
        "headers": tuple(headers),
        "summary": tuple(summary),
        "source": raw[:SOURCE_LIMIT],
    }
    if message is None:
        return Preview(problems=tuple(problems), deferred=deferred, **common)
    parts, leaves = _walk(message, limits, problems)
    html, text = _body(message, problems)
    resources = {}
    attachments = []
    for row, payload in leaves:
        if row.content_id and row.content_id not in resources:
            resources[row.content_id] = payload
        if row.disposition == "attachment" or (row.filename and not row.content_id):
            attachments.append(
                Attachment(
                    path=row.path,
                    filename=row.filename,
                    safe_name=safe_filename(row.filename, row.content_type, row.path),
                    content_type=row.content_type,
                    data=payload,
                )
            )
    remote = tuple(dict.fromkeys(m.group(1) for m in _REMOTE.finditer(html)))
    return Preview(
        parts=tuple(parts),
        html=html,
        text=text,
        resources=resources,
        remote=remote,
        attachments=tuple(attachments),
        problems=tuple(dict.fromkeys(problems)),
        **common,
    )


def safe_filename(name: str, content_type: str = "", path: str = "") -> str:
    """Return ``name`` safe to save: its last path part, no control or reserved characters.

    An empty or unusable name becomes ``attachment-<path>`` with an extension guessed
    from ``content_type``.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch if ch.isprintable() and ch not in _UNSAFE else "_" for ch in name)
    name = name.strip().strip(".").strip()
    if is_reserved(name):
        name = "_" + name
    if not name.strip("_"):
        suffix = mimetypes.guess_extension(content_type or "") or ".bin"
        name = "attachment-" + (path.replace(".", "-") or "1") + suffix
    # Room for the " (2)" of unique_names(), under Windows' and Linux's limits.
    return shorten_name(name, MAX_NAME_LENGTH - 15)


def unique_names(names: list[str], taken: set[str] | None = None) -> list[str]:
    """Return ``names`` with duplicates (and names in ``taken``) numbered: ``a (2).txt``."""
    used = {n.lower() for n in taken or set()}
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem:
            stem, dot, ext = name, "", ""
        candidate, number = name, 1
        while candidate.lower() in used:
            number += 1
            candidate = f"{stem} ({number}){dot}{ext}"
        used.add(candidate.lower())
        result.append(candidate)
    return result


# -- internals -----------------------------------------------------------------------------


def _parse(raw: bytes, limits: Limits) -> EmailMessage:
    """Parse ``raw`` with the modern policy, refusing what would take too long.

    A cheap count of lines starting with ``--`` bounds the number of parts before the
    parser sees them; nesting beyond Python's recursion limit is caught.
    """
    dashes = raw.count(b"\n--") + raw.startswith(b"--")
    if dashes > 4 * limits.max_parts + 100:
        raise PreviewError(
            _("The message has more than {limit} parts: only its headers are shown").format(
                limit=limits.max_parts
            )
        )
    try:
        # Fed a megabyte at a time: parsebytes() decodes and splits the whole message
        # in two C calls holding the GIL (~30 ms for 25 MiB), a freeze for the window.
        return parse_in_pieces(raw)  # type: ignore[return-value]
    except RecursionError:
        raise PreviewError(
            _("The message is nested too deeply to show: only its headers are shown")
        ) from None


def _peer(value: str) -> str:
    """``('127.0.0.1', 50000)`` (how aiosmtpd records it) as ``127.0.0.1:50000``."""
    match = _PEER.fullmatch(value.strip())
    if match is None:
        return value
    host = match["host"]
    return f"[{host}]:{match['port']}" if ":" in host else f"{host}:{match['port']}"


def _head(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        end = raw.find(b"\n\n")
    return raw[: end + 2] if end >= 0 else raw[: 256 * 1024]


def _unfold(value: str) -> str:
    return _FOLD.sub("", value).strip()


def _header_rows(message: Message, limits: Limits) -> tuple[list[HeaderRow], dict[str, str]]:
    """Every header row and, separately, the envelope headers the server put first."""
    rows: list[HeaderRow] = []
    envelope: dict[str, str] = {}
    leading = True
    for name, raw in message.raw_items():
        raw = raw if isinstance(raw, str) else str(raw)
        key = name.lower()
        if leading and key in ENVELOPE_HEADERS and key not in envelope:
            envelope[key] = _unfold(raw)
            continue
        leading = False
        rows.append(HeaderRow(name, _decoded(name, raw, limits), _unfold(raw)))
    return rows, envelope


def _decoded(name: str, raw: str, limits: Limits) -> str:
    if len(raw) > limits.max_field:
        return _unfold(raw)
    try:
        return _unfold(str(policy.default.header_fetch_parse(name, raw)))
    except Exception:  # a malformed header must not hide the message
        return _unfold(raw)


def _envelope(
    mail_from: str, rcpt_tos: tuple[str, ...], headers: list[HeaderRow]
) -> tuple[EnvelopeRow, ...]:
    from mailcomposer.message.addresses import envelope_key

    # One rule for "the same recipient" with the inbox list and the send log:
    # RFC 5321 §2.4, a Bcc to Bob@ is not the To bob@.
    named: dict[str, set[str]] = {}
    for row in headers:
        if row.name.lower() in ("from", "sender", "to", "cc"):
            for _display, addr in getaddresses([row.value]):
                named.setdefault(row.name.lower(), set()).add(envelope_key(addr))

    def fields(address: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
        key = envelope_key(address)
        return tuple(name for name in candidates if key in named.get(name.lower(), set()))

    rows = [EnvelopeRow("MAIL FROM", mail_from, fields(mail_from, ("From", "Sender")))]
    rows.extend(EnvelopeRow("RCPT TO", rcpt, fields(rcpt, ("To", "Cc"))) for rcpt in rcpt_tos)
    return tuple(rows)


def _walk(
    message: Message, limits: Limits, problems: list[str]
) -> tuple[list[PartRow], list[tuple[PartRow, bytes]]]:
    """The part table in tree order (iterative: no recursion), and each leaf's decoded content.

    Each payload is decoded once here (base64 of a 25 MiB attachment: about 0.3 s).
    """
    rows: list[PartRow] = []
    leaves: list[tuple[PartRow, bytes]] = []
    stack: list[tuple[Message, str, int]] = [(message, "1", 0)]
    while stack:
        part, path, depth = stack.pop()
        if len(rows) >= limits.max_parts:
            problems.append(
                _("Only the first {limit} parts are shown").format(limit=limits.max_parts)
            )
            break
        children = list(part.iter_parts()) if part.is_multipart() else []  # type: ignore[attr-defined]
        if children and depth >= limits.max_depth:
            problems.append(
                _("Parts nested more than {limit} levels deep are not shown").format(
                    limit=limits.max_depth
                )
            )
            children = []
        payload = b"" if part.is_multipart() else _payload(part)
        row = _part_row(part, path, depth, len(payload))
        rows.append(row)
        if not part.is_multipart():
            leaves.append((row, payload))
        for number, child in reversed(list(enumerate(children, 1))):
            stack.append((child, f"{path}.{number}", depth + 1))
    # A container's size is the sum of its leaves (rows are in tree order).
    sized = []
    for index, row in enumerate(rows):
        if any(r.path.startswith(row.path + ".") for r in rows[index + 1 :]):
            total = sum(r.size for r, _p in leaves if r.path.startswith(row.path + "."))
            row = PartRow(**{**row.__dict__, "size": total})
        sized.append(row)
    return sized, leaves


def _part_row(part: Message, path: str, depth: int, size: int) -> PartRow:
    raw_names = []
    for name, raw in part.raw_items():
        if name.lower() in ("content-disposition", "content-type"):
            raw_names.extend(m.group(0) for m in _FILENAME_PARAM.finditer(_unfold(str(raw))))
    filename = part_filename(part)
    try:
        disposition = part.get_content_disposition() or ""
    except Exception:
        disposition = ""
    content_id = _safe_get(part, "Content-ID").strip().strip("<>").strip()
    return PartRow(
        path=path,
        depth=depth,
        content_type=part.get_content_type(),
        charset=str(part.get_param("charset", "") or "") if not part.is_multipart() else "",
        transfer_encoding=_safe_get(part, "Content-Transfer-Encoding").strip().lower(),
        disposition=disposition,
        filename=filename,
        filename_raw="; ".join(raw_names),
        content_id=content_id,
        size=size,
    )


def _safe_get(part: Message, name: str) -> str:
    try:
        value = part.get(name)
    except Exception:
        return ""
    return str(value) if value is not None else ""


def _payload(part: Message) -> bytes:
    try:
        payload = decoding.payload_bytes(part)  # in pieces: no long call holding the GIL
    except Exception:
        return b""
    return payload if isinstance(payload, bytes) else b""


def _body(message: EmailMessage, problems: list[str]) -> tuple[str, str]:
    """The HTML body (or ``""``) and the plain-text body (used when there is no HTML)."""
    try:
        html_part = message.get_body(preferencelist=("html",))
        text_part = None if html_part else message.get_body(preferencelist=("plain",))
    except Exception:
        return "", ""
    part = html_part or text_part
    if part is None:
        return "", ""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except Exception:  # unknown or lying charset: show what we can
        content = _payload(part).decode("utf-8", "replace")
    if not isinstance(content, str):
        content = ""
    content = content.replace("\r\n", "\n")
    if len(content) > BODY_LIMIT:
        problems.append(
            _("The body is longer than {limit} characters: the rest is not shown").format(
                limit=BODY_LIMIT
            )
        )
        content = content[:BODY_LIMIT]
    return (content, "") if html_part else ("", content)


def cid_key(url: str) -> str:
    """Return the Content-ID a ``cid:`` URL names (RFC 2392: percent-decoded, no brackets)."""
    return unquote(url.split(":", 1)[1] if ":" in url else url).strip().strip("<>")
