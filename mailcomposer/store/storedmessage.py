"""An outbox copy presented as a built message: the exact stored bytes, sent again as they are."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from typing import BinaryIO

from mailcomposer.store.outbox import OutboxEntry

_READ_SIZE = 64 * 1024


@dataclass(frozen=True)
class StoredEnvelope:
    """MAIL FROM and RCPT TO of a stored copy, as ``smtp.transfer.Envelope`` wants."""

    sender: str
    recipients: tuple[str, ...]
    smtputf8: bool
    notify: tuple[str, ...] = ()  # RFC 3461 NOTIFY asked for when it was written


class StoredMessage:
    """What ``smtp.session.send`` and ``Submission`` need of a ``BuiltMessage``, from a copy.

    The bytes go out exactly as they were kept (same Message-ID, same Date, same
    boundaries), whatever the server offers: a copy written for a later send is
    7-bit, and one kept after an unknown outcome goes back to the server it was
    written for.

    Attributes:
        entry: the outbox entry.
        envelope: its envelope.
        message_id: its Message-ID.
        bcc: its Bcc recipients (envelope only).
    """

    def __init__(self, entry: OutboxEntry) -> None:
        self.entry = entry
        self.envelope = StoredEnvelope(entry.sender, entry.recipients, entry.smtputf8, entry.notify)
        self.message_id = entry.message_id
        self.bcc = entry.bcc
        self._headers: EmailMessage | None = None

    @property
    def message(self) -> EmailMessage:
        """The stored message's headers (no body), for the send log."""
        if self._headers is None:
            with open(self.entry.path, "rb") as fh:
                self._headers = BytesHeaderParser(policy=policy.default).parse(fh)  # type: ignore[assignment]
        assert self._headers is not None
        return self._headers

    def summary(self) -> str:
        """The stored message's top-level type, for the DATA note."""
        return str(self.message.get_content_type())

    def wire(self, eight_bit: bool = False, *, include_bcc: bool = False) -> StoredWire:
        """The stored bytes (``eight_bit`` is ignored: they are sent as they were kept).

        Args:
            eight_bit: ignored.
            include_bcc: add the Bcc header the stored bytes never carry (only for the
                sender's own copy, the one filed in Sent; never for SMTP).
        """
        if include_bcc and self.bcc:
            return StoredWire(self.entry, bcc_header(self.bcc))
        return StoredWire(self.entry)


class StoredWire:
    """The DATA form of a stored copy: its size and dot-stuffed chunks read from disk.

    Attributes:
        size: bytes of the (unstuffed, CRLF) message, an added header included.
    """

    def __init__(self, entry: OutboxEntry, header: bytes = b"") -> None:
        self._path = entry.path
        self._header = header
        self.size = self._path.stat().st_size + len(header)

    def data_chunks(self, chunk_size: int = _READ_SIZE) -> Iterator[bytes]:
        """Yield the message dot-stuffed (RFC 5321 §4.5.2), without the final dot.

        Each piece yielded ends at a line end (or at the end of the file), so stuffing
        each one on its own is exact; a line longer than ``chunk_size`` is carried over.
        """
        carry = b""
        at_line_start = True
        for block in self._blocks(chunk_size):
            data = carry + block
            cut = data.rfind(b"\n") + 1
            if cut == 0 and len(data) < 4 * chunk_size:
                carry = data
                continue
            cut = cut or len(data)  # a very long line: send it on as it is
            piece, carry = data[:cut], data[cut:]
            yield from _split(stuff(piece, at_line_start), chunk_size)
            at_line_start = piece.endswith(b"\n")
        if carry:
            yield from _split(stuff(carry, at_line_start), chunk_size)

    def write_to(self, binary_file: BinaryIO) -> int:
        """Write the unstuffed message to ``binary_file`` (streamed); return the byte count."""
        written = 0
        for block in self._blocks(_READ_SIZE):
            binary_file.write(block)
            written += len(block)
        return written

    def to_bytes(self) -> bytes:
        """The whole unstuffed message (in memory: for small messages and tests)."""
        return b"".join(self._blocks(_READ_SIZE))

    def _blocks(self, size: int) -> Iterator[bytes]:
        """The message in blocks, the added header at the end of the header block."""
        with open(self._path, "rb") as fh:
            if self._header:
                while True:
                    line = fh.readline(_READ_SIZE)
                    if line in (b"\r\n", b"\n", b""):
                        yield self._header
                        yield line
                        break
                    yield line
            while block := fh.read(size):
                yield block


def bcc_header(bcc: tuple[str, ...]) -> bytes:
    """The ``Bcc:`` header for ``bcc`` (formatted addresses), folded, CRLF-ended.

    Written exactly as a built message writes its own (``message.mime``): names
    encoded whole, IDN domains as punycode, raw UTF-8 only for a local part that
    needs it. Empty when the addresses cannot be read back (the copy then simply
    has no Bcc header).
    """
    from mailcomposer.message.addresses import parse_address_list
    from mailcomposer.message.errors import InputError
    from mailcomposer.message.mime import format_address_header

    try:
        addresses = tuple(parse_address_list(", ".join(bcc), "bcc"))
    except InputError:
        return b""
    if not addresses:
        return b""
    value = format_address_header("Bcc", addresses, any(a.needs_smtputf8 for a in addresses))
    return (f"Bcc: {value}".replace("\n", "\r\n") + "\r\n").encode("utf-8")


def stuff(data: bytes, at_line_start: bool = True) -> bytes:
    """Dot-stuff ``data``; its first byte starts a line when ``at_line_start``."""
    data = data.replace(b"\r\n.", b"\r\n..")
    return b"." + data if at_line_start and data.startswith(b".") else data


def _split(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
