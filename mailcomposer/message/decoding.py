"""A part's base64 payload decoded in 1 MiB pieces, with exactly the stdlib's result.

``Message.get_payload(decode=True)`` decodes a base64 part in a handful of calls
over the whole payload (encode, split lines, join, a regex check, the decode):
for a 25 MiB attachment each holds the GIL 20–90 ms, so a worker thread doing it
still freezes the window. ``payload_bytes`` and ``payload_size`` do the same work
a piece at a time, so the GIL is handed over between pieces.

Only a clean payload takes this path: ASCII, nothing but the base64 alphabet
after line breaks are dropped, at most two ``=`` at the very end and a length
that is a multiple of four. Anything else (bad padding, junk characters,
non-ASCII, quoted-printable, uuencode, multiparts) is left to the stdlib call,
which also records its defects on the part as before.
"""

from __future__ import annotations

import binascii
from email.message import Message

__all__ = ["PIECE", "payload_bytes", "payload_size"]

PIECE = 1024 * 1024  # characters of payload handled per call

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def _clean_pieces(part: Message) -> tuple[list[bytes], int] | None:
    """Return the payload without line breaks in pieces and its ``=`` count, if clean.

    None when the part is not a clean base64 leaf (see the module docstring).
    """
    if part.is_multipart():
        return None
    if str(part.get("content-transfer-encoding", "")).lower() != "base64":
        return None
    # WORKAROUND: get_payload() without decode encodes the whole payload once to
    # look for surrogates (one long call); the stored string is read instead.
    payload = getattr(part, "_payload", None)
    if not isinstance(payload, str):
        return None
    pieces: list[bytes] = []
    padding = 0
    total = 0
    for start in range(0, len(payload), PIECE):
        try:
            piece = payload[start : start + PIECE].encode("ascii")
        except UnicodeError:
            return None  # non-ASCII or surrogates: the stdlib's own path
        piece = piece.translate(None, b"\r\n")
        if piece.translate(None, _ALPHABET):
            return None  # junk characters
        if not piece:
            continue
        if padding:
            if piece.strip(b"="):
                return None  # data after the padding
            padding += len(piece)
        else:
            padding = len(piece) - len(piece.rstrip(b"="))
            if piece.count(b"=") != padding:
                return None  # padding in the middle
        total += len(piece)
        pieces.append(piece)
    if not total or total % 4 or padding > 2:
        return None
    return pieces, padding


def payload_size(part: Message) -> int:
    """Return ``len(part.get_payload(decode=True))``, or 0 when that is not bytes."""
    clean = _clean_pieces(part)
    if clean is not None:
        pieces, padding = clean
        return sum(len(piece) for piece in pieces) // 4 * 3 - padding
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else 0


def payload_bytes(part: Message) -> bytes | None:
    """Return exactly what ``part.get_payload(decode=True)`` returns, a piece at a time."""
    clean = _clean_pieces(part)
    if clean is None:
        return part.get_payload(decode=True)  # type: ignore[return-value]
    decoded: list[bytes] = []
    carry = b""
    for piece in clean[0]:
        data = carry + piece if carry else piece
        cut = len(data) - len(data) % 4
        try:
            decoded.append(binascii.a2b_base64(data[:cut], strict_mode=True))
        except binascii.Error:
            return part.get_payload(decode=True)  # type: ignore[return-value]
        carry = data[cut:]
    return b"".join(decoded)
