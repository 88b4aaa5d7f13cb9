"""What a log line means in words: its class, explanation, time and TLS, for tips and readers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.lines import Kind

if TYPE_CHECKING:
    from mailcomposer.smtp.transcript import TranscriptEvent


def kind_word(kind: str) -> str:
    """Say in words what the colour says (for tooltips and screen readers)."""
    return {
        Kind.OK: _("Success"),
        Kind.MORE: _("Server waits for more"),
        Kind.TEMP: _("Temporary failure"),
        Kind.FAIL: _("Permanent failure"),
        Kind.CLIENT: _("Client"),
        Kind.NOTE: _("Note"),
        Kind.TLS: _("Encryption started"),
    }[kind]


def tooltip_text(event: TranscriptEvent, kind: str, offset: float) -> str:
    """Return a line's tooltip: its class, explanation, time since the first line, TLS.

    Args:
        event: the line.
        kind: its ``Kind`` (which may come from its position, see the model).
        offset: seconds since the first line of the log.
    """
    parts = [kind_word(kind)]
    if event.explanation:
        parts.append(event.explanation)
    parts.extend(f"{r.label}: {r.title}" for r in event.refs)
    parts.append(_("at +{seconds} s").format(seconds=f"{offset:.3f}"))
    if event.elapsed is not None:
        from mailcomposer.smtp.transcript import format_elapsed

        parts.append(_("step took {time}").format(time=format_elapsed(event.elapsed)))
    if event.secure:
        parts.append(_("sent inside TLS"))
    if event.refs:
        parts.append(_("Click a reference (or press Enter) to read what the RFC says."))
    if event.detail:
        parts.append(_("Click ▸ (or press Enter) to see what was sent."))
    return "\n".join(parts)


def accessible_text(event: TranscriptEvent, kind: str) -> str:
    """Return what a screen reader says: class, line, explanation, references, step time."""
    text = f"{kind_word(kind)}: {event.format(True)}"
    if event.detail:
        text += " " + _("(expandable: what was sent)")
    return text
