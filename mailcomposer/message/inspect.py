"""Read a message file that may be hostile, within limits, and describe its MIME tree and lint."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy as email_policy
from email.feedparser import BytesFeedParser
from email.message import EmailMessage, Message
from pathlib import Path
from typing import TypeVar

from mailcomposer.i18n import _
from mailcomposer.message import tailsearch
from mailcomposer.message.errors import InputError
from mailcomposer.message.lint import Finding, lint

T = TypeVar("T")

# Headers shown above the tree, in this order.
SHOWN_HEADERS = ("From", "To", "Cc", "Subject", "Date", "Message-ID")


@dataclass(frozen=True)
class Limits:
    """How much of a message file is read and parsed before it is refused.

    The email package parses nested parts recursively (10,000 levels raise
    RecursionError), and its header parser takes time quadratic in a field's length
    (a 256 KB address list: 10 s). Real mail stays far inside these.

    Attributes:
        max_bytes: the file size (a 25 MB attachment is about 35 MB as base64).
        max_depth: levels of nesting (multipart and message parts).
        max_parts: parts in the whole tree.
        max_field: bytes of one header field, folded lines included.
        max_headers: bytes of all header blocks together.
        max_fields: header fields of all parts together.
        max_long_fields: how many fields of ``max_field`` bytes the message may hold;
            parsing a field takes time that grows with the square of its length, so
            the sum of their squares is what is limited.
    """

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 50
    max_parts: int = 500
    max_field: int = 16 * 1024
    max_headers: int = 256 * 1024
    max_fields: int = 5000
    max_long_fields: int = 1


class MessageFileError(InputError):
    """A message file cannot be read or is outside the limits; the message says which."""

    def __init__(self, message: str, value: str | None = None) -> None:
        super().__init__("eml", message, value)

    def __str__(self) -> str:
        # Shown after "Could not open FILE:" by the window: the sentence alone.
        return self.message


@dataclass(frozen=True)
class Inspection:
    """What ``mailcomposer inspect`` shows about a message.

    Attributes:
        size: the file size in bytes.
        headers: the ``SHOWN_HEADERS`` present, as ``(name, decoded value)``.
        tree: the MIME tree, one indented line per part (see ``mime_tree_lines``).
        findings: lint findings, errors first.
    """

    size: int
    headers: tuple[tuple[str, str], ...]
    tree: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=())


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}"


def read_message_file(path: str | os.PathLike[str], limits: Limits | None = None) -> bytes:
    """Read a message file whole, refusing folders, empty files and files over the limit.

    Raises:
        MessageFileError: with a sentence saying what is wrong.
    """
    limits = limits or Limits()
    name = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > limits.max_bytes:
                raise _too_big(limits)
            # In blocks: read(max_bytes + 1) would reserve the whole limit up front.
            blocks: list[bytes] = []
            total = 0
            while total <= limits.max_bytes and (block := fh.read(1 << 20)):
                blocks.append(block)
                total += len(block)
            raw = b"".join(blocks)
    except IsADirectoryError:
        raise MessageFileError(
            _("“{name}” is a folder, not a message file").format(name=name), name
        ) from None
    except OSError as exc:
        raise MessageFileError(
            _("Cannot read “{name}”: {reason}").format(name=name, reason=exc.strerror or exc),
            name,
        ) from None
    if len(raw) > limits.max_bytes:
        raise _too_big(limits)
    return raw


def _too_big(limits: Limits) -> MessageFileError:
    return MessageFileError(
        _("The file is larger than {limit} MB, too large to open as a message").format(
            limit=_megabytes(limits.max_bytes)
        )
    )


# -- the structure check -----------------------------------------------------------------

# The same rules as email.feedparser: lines end at CRLF, CR or LF; a header line.
_HEADER_LINE = re.compile(rb"From |[\041-\071\073-\176]*:|[\t ]")
_BLANK = re.compile(rb"\r\n|\r|\n")
_DASH_LINE = re.compile(rb"(?:\r\n|\r|\n)--")
_DASH_WINDOW = 256 * 1024
_MULTIPART, _MESSAGE = "multipart", "message"


@dataclass
class _Frame:
    """An open container: a multipart (with its boundary) or a message/* part."""

    kind: str
    boundary: re.Pattern[str] | None = None
    digest: bool = False
    inside: bool = False  # reading one of its parts: its boundary ends that part
    closed: bool = False  # its closing boundary was seen: the rest is epilogue


class _Lines:
    """Lines of the raw message (ends kept), with one line of push-back."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.pos = 0
        self.back: bytes | None = None

    def next(self) -> bytes | None:
        if self.back is not None:
            line, self.back = self.back, None
            return line
        if self.pos >= len(self.raw):
            return None
        match = _BLANK.search(self.raw, self.pos)
        end = match.end() if match else len(self.raw)
        line = self.raw[self.pos : end]
        self.pos = end
        return line

    def next_dash(self) -> bytes | None:
        """The next line that starts with ``--`` (only those can be boundaries)."""
        while self.back is not None:
            line = self.next()
            if line is not None and line.startswith(b"--"):
                return line
        if self.raw.startswith(b"--", self.pos):
            return self.next()
        # In windows: one search through a 35 MB base64 body would hold the GIL for
        # 0.2 s, freezing a window that scans on a worker thread. A window starts three
        # bytes back, so a match across its edge ("\r\n--") is found in the next.
        raw, pos = self.raw, self.pos
        while True:
            end = min(pos + _DASH_WINDOW, len(raw))
            match = _DASH_LINE.search(raw, pos, end)
            if match is not None:
                self.pos = match.end() - 2
                return self.next()
            if end == len(raw):
                self.pos = len(raw)
                return None
            pos = end - 3

    def unread(self, line: bytes) -> None:
        self.back = line


def _boundary_pattern(boundary: str) -> re.Pattern[str]:
    # As email.feedparser builds it.
    return re.compile(
        "(?P<sep>"
        + re.escape("--" + boundary)
        + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
    )


def _decode(line: bytes) -> str:
    return line.decode("ascii", "surrogateescape")


class _Scan:
    """Walk the MIME structure the way email.feedparser will, without recursion.

    Only counts: depth, parts and header sizes, so that the real parse runs only on
    messages inside the limits.
    """

    def __init__(self, raw: bytes, limits: Limits) -> None:
        self.lines = _Lines(raw)
        self.limits = limits
        self.frames: list[_Frame] = []
        self.parts = 0
        self.header_bytes = 0
        self.field_work = 0  # sum of the squares of the field sizes
        self.fields = 0
        self.types: dict[tuple[tuple[str, ...], bool], tuple[str, str | None]] = {}

    def ends_part(self, line: bytes) -> bool:
        if not line.startswith(b"--"):
            return False
        text = _decode(line)
        return any(f.inside and f.boundary and f.boundary.match(text) for f in self.frames)

    def new_part(self, extra_depth: int = 0) -> None:
        self.parts += 1
        if self.parts > self.limits.max_parts:
            raise MessageFileError(
                _("The message has more than {limit} parts, too many to open").format(
                    limit=self.limits.max_parts
                )
            )
        if len(self.frames) + extra_depth > self.limits.max_depth:
            raise MessageFileError(
                _("The message is nested more than {limit} levels deep, too deep to open").format(
                    limit=self.limits.max_depth
                )
            )

    def part_ended(self) -> str:
        while self.frames and self.frames[-1].kind == _MESSAGE:
            self.frames.pop()
        if not self.frames:
            return "done"
        self.frames[-1].inside = False
        return "multipart"

    def run(self) -> None:
        state = "headers"
        self.new_part()
        while state != "done":
            if state == "headers":
                state = self.headers()
            elif state == "body":
                state = self.body()
            else:
                state = self.multipart()

    def headers(self) -> str:
        content_type: list[str] = []
        seen_type = False  # only the first Content-Type counts, as in Message.get()
        collecting = False
        field_size = 0
        while True:
            line = self.lines.next()
            if line is None:
                break
            if self.ends_part(line) or not _HEADER_LINE.match(line):
                if not _BLANK.match(line):
                    self.lines.unread(line)
                break
            if line[:1] not in (b" ", b"\t"):
                self.field_ended(field_size)
            self.header_bytes += len(line)
            if line[:1] in (b" ", b"\t"):
                field_size += len(line)
            else:
                field_size = len(line)
                name = line.split(b":", 1)[0].strip().lower()
                collecting = name == b"content-type" and not seen_type
                seen_type = seen_type or collecting
            if collecting:
                content_type.append(_decode(line))
            if field_size > self.limits.max_field:
                raise MessageFileError(
                    _("A header of the message is longer than {limit} KB, too long to open").format(
                        limit=self.limits.max_field // 1024
                    )
                )
            if self.header_bytes > self.limits.max_headers:
                raise MessageFileError(
                    _("The headers of the message add up to more than {limit} KB").format(
                        limit=self.limits.max_headers // 1024
                    )
                )
        self.field_ended(field_size)
        return self.dispatch(content_type)

    def field_ended(self, size: int) -> None:
        if not size:
            return
        self.fields += 1
        if self.fields > self.limits.max_fields:
            raise MessageFileError(
                _("The message has more than {limit} header fields, too many to open").format(
                    limit=self.limits.max_fields
                )
            )
        self.field_work += size * size
        if self.field_work > self.limits.max_long_fields * self.limits.max_field**2:
            raise MessageFileError(
                _("The message has too many long headers to read them in reasonable time")
            )

    def content_type(self, lines: list[str]) -> tuple[str, str | None]:
        """The content type and boundary, read as email.feedparser reads them (cached)."""
        parent = self.frames[-1] if self.frames else None
        digest = parent is not None and parent.digest and parent.inside
        key = (tuple(lines), digest)
        if key not in self.types:
            probe = EmailMessage(policy=email_policy.default)
            if digest:
                probe.set_default_type("message/rfc822")
            if lines:
                probe.set_raw(*email_policy.default.header_source_parse(lines))
            ctype = probe.get_content_type()
            boundary = probe.get_boundary() if ctype.startswith("multipart/") else None
            self.types[key] = (ctype, boundary)
        return self.types[key]

    def dispatch(self, content_type: list[str]) -> str:
        ctype, boundary = self.content_type(content_type)
        if ctype == "message/delivery-status":
            self.new_part(extra_depth=2)  # header blocks, one level down
            return "body"
        if ctype.startswith("message/"):
            self.frames.append(_Frame(_MESSAGE))
            self.new_part()
            return "headers"
        if ctype.startswith("multipart/"):
            if boundary is None:
                return "body"
            self.frames.append(
                _Frame(_MULTIPART, _boundary_pattern(boundary), digest=ctype == "multipart/digest")
            )
            return "multipart"
        return "body"

    def body(self) -> str:
        if not any(f.inside for f in self.frames):
            return "done"  # the rest of the file is this part's body
        while True:
            line = self.lines.next_dash()
            if line is None:
                return "done"
            if self.ends_part(line):
                self.lines.unread(line)
                return self.part_ended()

    def multipart(self) -> str:
        top = self.frames[-1]
        while True:
            line = self.lines.next_dash()
            if line is None:
                return "done"
            if self.ends_part(line):
                self.lines.unread(line)
                self.frames.pop()
                return self.part_ended()
            if top.closed:
                continue  # epilogue
            assert top.boundary is not None
            match = top.boundary.match(_decode(line))
            if match is None:
                continue  # preamble
            if match.group("end"):
                top.closed = True
                continue
            # Repeated boundary lines open no parts (as in email.feedparser).
            while (following := self.lines.next()) is not None:
                if self.ends_part(following) or not top.boundary.match(_decode(following)):
                    self.lines.unread(following)
                    break
            top.inside = True
            self.new_part()
            return "headers"


def scan_message(raw: bytes, limits: Limits | None = None) -> None:
    """Check the structure of ``raw`` against ``limits`` without parsing it.

    Linear in the size and without recursion: the part count, nesting and header
    sizes that would make the email package's parse slow or recursive.

    Raises:
        MessageFileError: too deep, too many parts, header fields too long or too many.
    """
    _Scan(raw, limits or Limits()).run()


# Bytes handed to the parser per call: BytesParser.parsebytes() decodes and splits
# the whole message in two C calls (~80 ms for 25 MiB, holding the GIL), so a window
# parsing on a worker thread froze that long.
PARSE_PIECE = 1024 * 1024


def parse_in_pieces(raw: bytes) -> Message:
    """What ``BytesParser(policy=default).parsebytes(raw)`` returns, fed a piece at a time.

    No checks: callers bound the input first (``scan_message``, or their own limits).

    ``BytesFeedParser`` decodes each piece as ``parsebytes`` decodes the whole (ASCII
    with surrogateescape, byte by byte) and keeps a line cut by a piece's edge (a CR
    there waits for its LF) until the next piece: the same text, the same lines.
    """
    tailsearch.install()  # the parser's end-of-line search at a part's end only
    parser = BytesFeedParser(policy=email_policy.default)
    view = memoryview(raw)
    for start in range(0, len(raw), PARSE_PIECE):
        parser.feed(bytes(view[start : start + PARSE_PIECE]))
    return parser.close()


def parse_message(raw: bytes, limits: Limits | None = None) -> EmailMessage:
    """Parse message bytes with the modern policy, once they are known to be inside limits.

    Raises:
        MessageFileError: empty, too large, too deep, too many parts, headers too long.
    """
    limits = limits or Limits()
    if not raw:
        raise MessageFileError(_("The file is empty: there is no message in it"))
    if len(raw) > limits.max_bytes:
        raise _too_big(limits)
    scan_message(raw, limits)
    try:
        message = parse_in_pieces(raw)
    except RecursionError:  # a structure the scan did not foresee; never a traceback
        raise MessageFileError(
            _("The message is nested more than {limit} levels deep, too deep to open").format(
                limit=limits.max_depth
            )
        ) from None
    assert isinstance(message, EmailMessage)
    return message


# -- the report ---------------------------------------------------------------------------


def guarded(getter: Callable[[], T], default: T) -> T:
    """Return ``getter()``, or ``default`` when the stdlib raises on a hostile header."""
    try:
        return getter()
    except Exception:  # a broken header is shown as missing, lint says why
        return default


def mime_tree_lines(message: Message) -> list[str]:
    """Describe a message's MIME tree: one indented line per part.

    Each line has the content type, then the disposition, file name, Content-ID and
    decoded size when they apply.
    """
    lines: list[str] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        bits = [guarded(part.get_content_type, "text/plain")]
        disposition = guarded(part.get_content_disposition, None)
        if disposition:
            bits.append(disposition)
        filename = guarded(part.get_filename, None)
        if filename:
            bits.append(f"“{filename}”")
        cid = guarded(lambda p=part: p.get("Content-ID"), None)
        if cid:
            bits.append(f"cid {str(cid).strip()}")
        if part.is_multipart():
            children = part.get_payload()
            stack.extend((child, depth + 1) for child in reversed(children))
        else:
            payload = guarded(lambda p=part: p.get_payload(decode=True), b"")
            size = len(payload) if isinstance(payload, bytes) else 0
            bits.append(_("{size} bytes").format(size=size))
        lines.append("  " * depth + ", ".join(bits))
    return lines


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def inspect_message(raw: bytes, limits: Limits | None = None) -> Inspection:
    """Parse message bytes within limits and describe them.

    Raises:
        MessageFileError: the message is empty or outside the limits.
    """
    message = parse_message(raw, limits)
    headers = []
    for name in SHOWN_HEADERS:
        text = guarded(lambda n=name: _text(message.get(n)), None)
        if text is not None:
            headers.append((name, text))
    try:
        findings = tuple(lint(raw))
    except RecursionError:
        findings = ()
    return Inspection(len(raw), tuple(headers), tuple(mime_tree_lines(message)), findings)


def inspect_file(path: str | os.PathLike[str], limits: Limits | None = None) -> Inspection:
    """Read and describe a message file (``mailcomposer inspect FILE``).

    Raises:
        MessageFileError: a sentence for the user: unreadable, a folder, empty, too
            large, too deep, too many parts, headers too long.
    """
    return inspect_message(read_message_file(Path(path), limits), limits)
