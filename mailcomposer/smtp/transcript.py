"""Transcript events: one immutable record per protocol line or local note."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Direction(enum.StrEnum):
    """Who produced a transcript line; the value is its prefix in text output."""

    CLIENT = "C"
    SERVER = "S"
    NOTE = "*"


@dataclass(frozen=True, slots=True)
class TranscriptEvent:
    """One line of the SMTP conversation, already redacted.

    Attributes:
        time: ``time.monotonic()`` when the line was sent or received.
        direction: client, server or local note.
        text: the line without CRLF; secrets masked, DATA payload summarised.
        code: the server's reply code (server lines only).
        explanation: the line's meaning in plain words: what a reply means, what a
            command asks (empty for notes and for lines with nothing to add).
        secure: True once the line travelled inside TLS.
    """

    time: float
    direction: Direction
    text: str
    code: int | None = None
    explanation: str = ""
    secure: bool = False

    def format(self, explain: bool = False) -> str:
        """Render as ``S: 250 OK`` / ``C: EHLO x`` / ``* note`` (DESIGN.md's CLI form)."""
        line = (
            f"{self.direction.value} {self.text}"
            if self.direction is Direction.NOTE
            else f"{self.direction.value}: {self.text}"
        )
        if explain and self.explanation:
            line += f"    # {self.explanation}"
        return line
