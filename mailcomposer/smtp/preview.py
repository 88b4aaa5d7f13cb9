"""A bounded preview of a message as sent: its header block and the first lines of each part."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mailcomposer.i18n import _, ngettext

__all__ = ["BODY_LINES", "Preview", "preview_pieces", "preview_wire"]

BODY_LINES = 5  # first lines of each part's body shown
HEADER_LINES = 60  # a header block longer than this is cut
LINE_CHARS = 160  # each shown line is cut to this many characters
MAX_PARTS = 30  # parts shown in full; later ones are only counted
# Base64 bodies are read only this far: an attachment of 25 MiB is streamed from disk
# and encoded during the upload; the preview must not do that work twice.
ENCODED_BUDGET = 1024 * 1024

_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)


@dataclass(frozen=True)
class Preview:
    """What the preview pass found.

    Attributes:
        text: the preview, lines joined by LF; elisions in square brackets.
        dot_lines: lines of the message that start with a dot (each is dot-stuffed
            on the wire), counted in the part read; exact when ``complete``.
        complete: the whole message was read.
    """

    text: str
    dot_lines: int
    complete: bool


class _Scanner:
    """Walks the CRLF lines of the unstuffed message and keeps what the preview shows."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.boundaries: set[bytes] = set()
        self.in_headers = True  # the top header block first
        self.top = True
        self.header_lines = 0
        self.header_value = b""  # the current (unfolded) header, to find boundary=
        self.base64 = False
        self.body_shown = 0
        self.body_hidden = 0
        self.body_hidden_bytes = 0
        self.parts = 0
        self.dot_lines = 0
        self.encoded = 0
        self.last_blank = False

    def line(self, raw: bytes) -> None:
        if raw.startswith(b"."):
            self.dot_lines += 1
        if self.in_headers:
            self._header(raw)
            return
        if raw.startswith(b"--") and self._is_delimiter(raw):
            self._end_body()
            closing = raw.rstrip().endswith(b"--") and raw.rstrip()[2:-2] in self.boundaries
            if not closing:
                self.parts += 1
            if self.parts <= MAX_PARTS:
                self._show(raw)
            self.in_headers = not closing
            self.header_lines = 0
            self.base64 = False
            return
        if self.base64:
            self.encoded += len(raw) + 2
        if self.body_shown < BODY_LINES and self.parts <= MAX_PARTS:
            self.body_shown += 1
            self._show(raw)
        else:
            self.body_hidden += 1
            self.body_hidden_bytes += len(raw) + 2
        self.last_blank = not raw

    def skipping(self) -> bool:
        """True inside a base64 body whose first lines were shown already."""
        return not self.in_headers and self.base64 and self.body_shown >= BODY_LINES

    def skip(self, piece: bytes) -> None:
        """Count a piece of base64 body (whole lines) without looking at each line."""
        lines = piece.count(b"\r\n")
        self.encoded += len(piece)
        self.body_hidden += lines
        self.body_hidden_bytes += len(piece)
        self.last_blank = piece.endswith(b"\r\n\r\n")

    def _is_delimiter(self, raw: bytes) -> bool:
        name = raw.rstrip()[2:]
        if name.endswith(b"--") and name[:-2] in self.boundaries:
            return True
        return name in self.boundaries

    def _header(self, raw: bytes) -> None:
        if not raw:
            self._end_header()
            self.in_headers = False
            self.body_shown = self.body_hidden = self.body_hidden_bytes = 0
            if self.parts <= MAX_PARTS:
                self._show(raw)
            return
        if raw[:1] in (b" ", b"\t"):
            self.header_value += raw
        else:
            self._end_header()
            self.header_value = raw
        if raw.lower().startswith(b"content-transfer-encoding:"):
            self.base64 = b"base64" in raw.lower()
        self.header_lines += 1
        limit = HEADER_LINES if self.top else BODY_LINES * 4
        if self.parts > MAX_PARTS:
            return
        if self.header_lines <= limit:
            self._show(raw)
        elif self.header_lines == limit + 1:
            self.out.append(_("[… more header lines]"))

    def _end_header(self) -> None:
        value = self.header_value
        if value.lower().startswith(b"content-type:"):
            match = _BOUNDARY.search(value)
            if match:
                self.boundaries.add(match[1] or match[2])
        self.header_value = b""

    def _end_body(self) -> None:
        self.top = False
        if self.body_hidden and self.last_blank:
            # The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            self.body_hidden -= 1
            self.body_hidden_bytes -= 2
        if self.body_hidden and self.parts <= MAX_PARTS:
            self.out.append(self._elided(self.body_hidden, self.body_hidden_bytes))
        self.body_hidden = self.body_hidden_bytes = 0
        self.body_shown = 0

    @staticmethod
    def _elided(lines: int, size: int) -> str:
        return (
            "["
            + ngettext(
                "… {n} more line, {size} bytes", "… {n} more lines, {size} bytes", lines
            ).format(n=f"{lines:,}", size=f"{size:,}")
            + "]"
        )

    def _show(self, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace")
        if len(text) > LINE_CHARS:
            text = text[:LINE_CHARS] + "…"
        self.out.append(text)

    def finish(self, complete: bool, rest: int) -> str:
        if complete:
            self._end_body()
            extra = self.parts - MAX_PARTS
            if extra > 0:
                self.out.append(
                    "["
                    + ngettext("… {n} more part", "… {n} more parts", extra).format(n=extra)
                    + "]"
                )
        else:
            self.out.append(
                _("[… the rest of the message ({size} bytes) is not previewed]").format(
                    size=f"{rest:,}"
                )
            )
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out)


def preview_pieces(pieces: Iterable[bytes], size: int | None = None) -> Preview:
    """Preview a message from the pieces of its unstuffed CRLF wire form.

    Reads every piece but stops once ``ENCODED_BUDGET`` bytes of base64 bodies were
    read (the parts before the attachments, the text, are always read whole).

    Args:
        pieces: the message bytes in pieces of any size (``WireMessage.chunks()``).
        size: the message's total size, to say how much was not previewed.
    """
    scanner = _Scanner()
    carry = b""
    read = 0
    complete = True
    iterator = iter(pieces)
    try:
        for piece in iterator:
            read += len(piece)
            if not carry and scanner.skipping() and b"-" not in piece:
                # Inside a base64 body already previewed: no delimiter here (base64 has
                # no "-"), so count its lines in C instead of walking them.
                scanner.skip(piece)
            else:
                data = carry + piece if carry else piece
                lines = data.split(b"\r\n")
                carry = lines.pop()
                for raw in lines:
                    scanner.line(raw)
            if scanner.encoded > ENCODED_BUDGET:
                complete = False
                break

    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()  # a generator streaming a file closes it now
    if complete and carry:
        scanner.line(carry)
    rest = max(0, (size if size is not None else read) - read + len(carry))
    return Preview(scanner.finish(complete, rest), scanner.dot_lines, complete)


def preview_wire(wire: object) -> Preview | None:
    """Preview a wire form that can give its unstuffed pieces (``chunks()``); else None.

    The preview is an aid for the reader: a part that cannot be read here (a file
    gone since the message was built) gives no preview, and the upload then reports
    the problem as it always did.
    """
    chunks = getattr(wire, "chunks", None)
    if chunks is None:
        return None
    try:
        return preview_pieces(chunks(), getattr(wire, "size", None))
    except Exception:  # never let the preview break a send
        return None
