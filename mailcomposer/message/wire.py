"""Serialise a built message to CRLF wire bytes, streaming attachments in base64 blocks."""

from __future__ import annotations

import binascii
import functools
import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import Message
from email.policy import Policy
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import BinaryIO

_LINE = 76  # base64 characters per line (RFC 2045)
_RAW_PER_LINE = 57  # bytes encoded on one such line
# The default piece size. Encoding a block briefly holds about five times its size
# (the raw block, its base64, one small object per line, the joined lines), and a
# send keeps that much resident to its end: 32 KiB costs 0.4 MiB less peak memory
# than 64 KiB, at no measurable speed.
CHUNK_SIZE = 32 * 1024


@dataclass(frozen=True)
class Source:
    """Where a base64 part's bytes come from: in-memory data or a file read at send time.

    Attributes:
        data: the bytes, or ``None`` when ``path`` is used.
        path: the file to stream.
        size: the number of raw bytes to send.
        label: the name to show in errors (the attachment's file name).
    """

    data: bytes | None
    path: Path | None
    size: int
    label: str

    @classmethod
    def of_bytes(cls, data: bytes, label: str) -> Source:
        """Wrap in-memory bytes."""
        return cls(bytes(data), None, len(data), label)

    @classmethod
    def of_file(cls, path: Path, label: str) -> Source:
        """Wrap a file, taking its size now.

        Raises:
            InputError: when the file cannot be read.
        """
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(
                "attachments",
                _("Cannot read “{name}”: {reason}").format(name=label, reason=exc.strerror or exc),
                str(path),
            ) from None
        return cls(None, path, size, label)


def base64_size(raw_size: int) -> int:
    """Return the length of ``raw_size`` bytes as base64 in CRLF-terminated 76-char lines."""
    chars = 4 * ((raw_size + 2) // 3)
    lines = (chars + _LINE - 1) // _LINE
    return chars + 2 * lines


@functools.lru_cache(maxsize=8)
def _line_splitter(lines: int) -> struct.Struct:
    # One C call cuts a block into 76-character lines (much faster than slicing).
    return struct.Struct(f"{_LINE}s" * lines)


def _encode_block(block: bytes | memoryview) -> bytes:
    """Base64-encode a block whose length is a multiple of 57 (or the last block)."""
    enc = binascii.b2a_base64(block, newline=False)
    full = len(enc) // _LINE
    lines = list(_line_splitter(full).unpack_from(enc)) if full else []
    if len(enc) % _LINE:
        lines.append(enc[full * _LINE :])
    lines.append(b"")
    return b"\r\n".join(lines)


def _stuff(data: bytes) -> bytes:
    """Dot-stuff data that starts at the beginning of a line (RFC 5321 4.5.2)."""
    data = data.replace(b"\r\n.", b"\r\n..")
    return b"." + data if data.startswith(b".") else data


class WireMessage:
    """A message ready for DATA: exact size known up front, bytes produced on demand.

    Attributes:
        size: the exact number of bytes of the CRLF message, before dot-stuffing.
    """

    def __init__(self, root: Message, sources: dict[int, Source], policy: Policy) -> None:
        """Lay out the message as a list of small byte segments and streamed sources.

        Args:
            root: the message tree; parts whose id is in ``sources`` have only headers.
            sources: the bytes behind each base64-streamed part, keyed by ``id(part)``.
            policy: the serialisation policy (CRLF line ends).
        """
        self._policy = policy
        self._sources = sources
        self._segments: list[bytes | Source] = []
        self._walk(root)
        self.size = sum(
            base64_size(s.size) if isinstance(s, Source) else len(s) for s in self._segments
        )

    # -- layout ----------------------------------------------------------------
    def _headers(self, part: Message) -> bytes:
        # raw_items keeps headers set with set_raw (the RFC 2047 name= parameter)
        # exactly as written instead of re-encoding them.
        fold = self._policy.fold_binary
        return b"".join(fold(name, value) for name, value in part.raw_items()) + b"\r\n"

    def _walk(self, part: Message) -> None:
        source = self._sources.get(id(part))
        if source is not None:
            self._segments.append(self._headers(part))
            self._segments.append(source)
        elif part.is_multipart():
            boundary = part.get_boundary()
            if not boundary:
                raise ValueError("multipart part without a boundary")
            delimiter = b"--" + boundary.encode("ascii")
            self._segments.append(self._headers(part))
            # Each part ends with CRLF; like the email generator, a further CRLF opens
            # the delimiter so that the part keeps its own final line break.
            for index, sub in enumerate(part.get_payload()):
                self._segments.append((b"\r\n" if index else b"") + delimiter + b"\r\n")
                self._walk(sub)
            self._segments.append(b"\r\n" + delimiter + b"--\r\n")
        else:
            buf = io.BytesIO()
            BytesGenerator(buf, policy=self._policy).flatten(part, linesep="\r\n")
            data = buf.getvalue()
            if not data.endswith(b"\r\n"):
                data += b"\r\n"  # the CRLF before the next delimiter
            self._segments.append(data)

    # -- output ----------------------------------------------------------------
    @staticmethod
    def _stream(source: Source, block_raw: int) -> Iterator[bytes]:
        if source.data is not None:
            view = memoryview(source.data)
            for start in range(0, source.size, block_raw):
                yield _encode_block(view[start : start + block_raw])
            return
        assert source.path is not None
        remaining = source.size
        try:
            with open(source.path, "rb", buffering=0) as fh:
                while remaining > 0:
                    block = fh.read(min(block_raw, remaining))
                    if not block:
                        break
                    # A short read from a regular file is rare; keep lines aligned.
                    while len(block) % _RAW_PER_LINE and len(block) < remaining:
                        more = fh.read(_RAW_PER_LINE - len(block) % _RAW_PER_LINE)
                        if not more:
                            break
                        block += more
                    remaining -= len(block)
                    yield _encode_block(block)
        except OSError as exc:
            raise InputError(
                "attachments",
                _("Cannot read “{name}”: {reason}").format(
                    name=source.label, reason=exc.strerror or exc
                ),
                str(source.path),
            ) from None
        if remaining:
            raise InputError(
                "attachments",
                _("“{name}” got shorter while the message was being sent").format(
                    name=source.label
                ),
                str(source.path),
            )

    def _pieces(
        self, chunk_size: int, stuffed: bool, copy_to: BinaryIO | None = None
    ) -> Iterator[bytes]:
        # Raw block so that one encoded block is close to chunk_size bytes.
        block_raw = max(1, chunk_size // (_LINE + 2)) * _RAW_PER_LINE
        for segment in self._segments:
            if isinstance(segment, Source):
                # base64 lines never start with "." so they need no stuffing.
                for block in self._stream(segment, block_raw):
                    if copy_to is not None:
                        copy_to.write(block)
                    yield block
            else:
                if copy_to is not None:
                    copy_to.write(segment)
                yield _stuff(segment) if stuffed else segment

    def data_chunks(
        self, chunk_size: int = CHUNK_SIZE, *, copy_to: BinaryIO | None = None
    ) -> Iterator[bytes]:
        """Yield the dot-stuffed message in chunks of at most ``chunk_size`` bytes.

        The terminating ``.\\r\\n`` is not included. Every segment starts at a line
        start, so stuffing each one separately is exact. Pieces are joined, not
        copied through a buffer, so a big attachment costs one copy per block.

        Args:
            chunk_size: the largest chunk yielded.
            copy_to: a binary file that receives the unstuffed message as it is
                produced (the bytes of ``write_to``), so that one pass both sends
                and keeps the message: each piece is written before it is yielded,
                and the whole message is written once the iteration ends.
        """
        pending: list[bytes] = []
        size = 0
        for piece in self._pieces(chunk_size, stuffed=True, copy_to=copy_to):
            if pending and size + len(piece) > chunk_size:
                yield b"".join(pending)
                pending, size = [], 0
            while len(piece) > chunk_size:
                yield piece[:chunk_size]
                piece = piece[chunk_size:]
            if piece:
                pending.append(piece)
                size += len(piece)
        if pending:
            yield b"".join(pending)

    def chunks(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """Yield the unstuffed message bytes in pieces (sizes vary)."""
        yield from self._pieces(chunk_size, stuffed=False)

    def write_to(self, binary_file: BinaryIO) -> int:
        """Write the unstuffed CRLF message to ``binary_file``; return the byte count."""
        written = 0
        for piece in self.chunks():
            binary_file.write(piece)
            written += len(piece)
        return written

    def to_bytes(self) -> bytes:
        """Return the whole unstuffed message (holds it in memory: for small messages)."""
        return b"".join(self.chunks())
