"""Transcript events: one immutable record per protocol line or local note."""

from __future__ import annotations

import enum
from dataclasses import dataclass

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:  # annotations only: smtp.rfc loads when a line is explained
    from typing import Any

    from mailcomposer.smtp.rfc import Ref


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
        refs: the RFC sections behind the explanation, most specific first.
        elapsed: on the last line of a reply, seconds since the command it
            answers was sent (the step's time); None elsewhere.
        detail: more text a reader may unfold, on the few lines that have it (the
            DATA note: the header block and first lines of each part as sent).
    """

    time: float
    direction: Direction
    text: str
    code: int | None = None
    explanation: str = ""
    secure: bool = False
    refs: tuple[Ref, ...] = ()
    elapsed: float | None = None
    detail: str = ""

    def format(self, explain: bool = False) -> str:
        """Render as ``S: 250 OK`` / ``C: EHLO x`` / ``* note`` (docs/design.md's CLI form).

        With ``explain``: ``S: 250 OK    # meaning [RFC 5321 §4.1.1.3] (12 ms)``.
        """
        line = (
            f"{self.direction.value} {self.text}"
            if self.direction is Direction.NOTE
            else f"{self.direction.value}: {self.text}"
        )
        if explain:
            extra = []
            if self.explanation:
                extra.append(self.explanation)
            if self.refs:
                extra.append("[" + ", ".join(r.label for r in self.refs[:3]) + "]")
            if self.elapsed is not None:
                extra.append(f"({format_elapsed(self.elapsed)})")
            if extra:
                line += "    # " + " ".join(extra)
        return line

    def to_json(self) -> dict[str, Any]:
        """The event as JSON values (``send --json``)."""
        data: dict[str, Any] = {"direction": self.direction.value, "text": self.text}
        if self.code is not None:
            data["code"] = self.code
        if self.explanation:
            data["explanation"] = self.explanation
        if self.refs:
            data["refs"] = [r.to_json() for r in self.refs]
        if self.elapsed is not None:
            data["elapsed_ms"] = round(self.elapsed * 1000, 1)
        if self.detail:
            data["detail"] = self.detail
        data["secure"] = self.secure
        return data


def format_elapsed(seconds: float) -> str:
    """``0.4 ms``, ``12 ms``, ``1.25 s``: a step's time as a person reads it."""
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"
