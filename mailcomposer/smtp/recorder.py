"""Turns protocol lines into redacted ``TranscriptEvent``s: secrets masked, replies explained."""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable

from mailcomposer.i18n import _
from mailcomposer.smtp.explain import explain_command, explain_reply
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

__all__ = ["MASK", "EventCallback", "Recorder", "mask_command", "summarise_challenge"]

MASK = "****"

EventCallback = Callable[[TranscriptEvent], None]


class Recorder:
    """Turns protocol lines into ``TranscriptEvent``s, masking what must never be shown.

    Attributes:
        secure: True once the connection is inside TLS (stamped on each event).
        last_command: the verb of the last client command (to explain its reply).
        in_auth: True during an AUTH exchange: every client line is a secret by default.
    """

    def __init__(self, on_event: EventCallback) -> None:
        self._on_event = on_event
        self.secure = False
        self.last_command = ""
        self._mask_next: str | None = None
        self.in_auth = False

    def emit(
        self, direction: Direction, text: str, code: int | None = None, expl: str = ""
    ) -> None:
        self._on_event(TranscriptEvent(time.monotonic(), direction, text, code, expl, self.secure))

    def note(self, text: str) -> None:
        self.emit(Direction.NOTE, text)

    def mask_next(self, shown: str) -> None:
        """Show ``shown`` instead of the next client line."""
        self._mask_next = shown

    def client(self, line: str) -> None:
        if self._mask_next is not None:
            shown, self._mask_next = self._mask_next, None
        elif self.in_auth:
            shown = MASK  # anything sent inside an AUTH exchange is a secret by default
        else:
            shown = mask_command(line)
        verb = shown.split(" ", 1)[0].upper()
        if not self.in_auth:
            self.last_command = "." if shown == "." else verb
        login_data = self.in_auth and not shown.upper().startswith("AUTH")
        expl = explain_command(shown, login_data=login_data, mask=MASK)
        self.emit(Direction.CLIENT, shown, expl=expl)

    def server(self, code: int, lines: list[str], complete: bool = True) -> None:
        """Record one reply's lines; an incomplete reply (cut off) is explained nowhere."""
        for index, line in enumerate(lines):
            last = complete and index == len(lines) - 1
            text = f"{code}{' ' if last else '-'}{line}" if line else str(code)
            if code == 334:
                text = f"334 {summarise_challenge(line)}"
            expl = explain_reply(code, line, self.last_command) if last else ""
            self.emit(Direction.SERVER, text, code, expl)

    def unparsable(self, line: str) -> None:
        """Record a server line that is not an SMTP reply, exactly as it came."""
        self.emit(Direction.SERVER, line)


_AUTH_LINE = re.compile(r"^(AUTH\s+\S+)(\s+\S.*)?$", re.IGNORECASE)


def mask_command(line: str) -> str:
    """Mask the secret part of a client command line (``AUTH PLAIN ****``)."""
    match = _AUTH_LINE.match(line)
    if match:
        return match.group(1).upper() + (f" {MASK}" if match.group(2) else "")
    return line


def summarise_challenge(payload: str) -> str:
    """Return a 334 challenge as shown in the transcript: decoded if short text, else a count."""
    payload = payload.strip()
    if not payload:
        return _("(waiting for the login data)")
    try:
        decoded = base64.b64decode(payload, validate=True).decode("ascii").rstrip("\x00")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    if decoded and decoded.isprintable() and len(decoded) <= 80 and "{" not in decoded:
        return _("(challenge: {text})").format(text=decoded)
    return _("(challenge, {n} characters)").format(n=len(payload))
