"""Lines of the protocol log: each line's class and marker, and the compact row kept per line."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailcomposer.smtp.rfc import Ref
    from mailcomposer.smtp.transcript import TranscriptEvent

# The values of ``Direction.CLIENT`` and ``Direction.NOTE`` (a StrEnum: equal to its
# members): the transcript module loads with the first send, not with the window.
_CLIENT, _NOTE = "C", "*"


# A NOTE that announces the switch to TLS; the core's wording may vary a little
# ("TLS established", "TLS 1.3 negotiated", "TLS handshake complete").
@functools.cache
def _tls_note() -> re.Pattern[str]:
    """Return the compiled pattern of a TLS note (compiled at the first note, not at start)."""
    return re.compile(r"^\s*TLS\b.*\b(established|negotiated|started|complete)", re.IGNORECASE)


class Kind:
    """The class of a line, which decides its colour AND its non-colour marker."""

    OK = "ok"  # 2xx reply
    MORE = "more"  # 3xx reply: the server waits for more
    TEMP = "temp"  # 4xx reply: try again later
    FAIL = "fail"  # 5xx reply: refused
    CLIENT = "client"
    NOTE = "note"
    TLS = "tls"  # the note announcing TLS


# Markers stay readable without colour (colour-blind users, monochrome printouts).
MARKERS = {
    Kind.OK: "✓",
    Kind.MORE: "→",
    Kind.TEMP: "⚠",
    Kind.FAIL: "✗",
    Kind.CLIENT: "›",
    Kind.NOTE: "•",
    Kind.TLS: "",  # drawn as a lock
}


def kind_of(event: TranscriptEvent) -> str:
    """Classify a transcript event for colour and marker."""
    return _kind(event.direction, event.text, event.code)


_REPLY_KINDS = {2: Kind.OK, 3: Kind.MORE, 4: Kind.TEMP}


def _kind(direction: str, text: str, code: int | None) -> str:
    if direction == _CLIENT:
        return Kind.CLIENT
    if direction == _NOTE:
        return Kind.TLS if _tls_note().match(text) else Kind.NOTE
    if code is None:
        match = re.match(r"\s*(\d)\d\d", text)
        code = int(match.group(1)) * 100 if match else None
    if code is None:
        return Kind.NOTE
    return _REPLY_KINDS.get(code // 100, Kind.FAIL)


def is_tls_note(event: TranscriptEvent) -> bool:
    """Return True for the local note that says the connection is now encrypted."""
    return event.direction == _NOTE and bool(_tls_note().match(event.text))


def transcript_text(events: Sequence[TranscriptEvent], explain: bool = False) -> str:
    """Render events exactly as ``mailcomposer send`` prints them (one line each)."""
    return "".join(event.format(explain) + "\n" for event in events)


# A line as the model keeps it, read by index: 0 time, 1 direction prefix, 2 text,
# 3 code, 4 explanation, 5 flags: secure (bit 0) and the references (an index into
# ``REF_SETS``, the bits above), 6 extra: the step time in seconds (a float, on the last
# line of a reply) or the detail (a str, on the DATA note) or None — a line never has
# both. Seven slots, small ints and no objects per line beyond what the event carried:
# 100,000 lines stay near 200 bytes each (benchmarks/gui_log.py).
# Flat tuples of str/float/int/bool/None: the garbage collector untracks such tuples, so
# 200,000 lines add nothing to its full collections (with dataclass instances a gen-2
# pass over them stalled the window ~80 ms). A tuple of ``Ref`` objects in each row
# would keep every row tracked: hence the index.
Row = tuple[float, str, str, "int | None", str, int, "float | str | None"]

# Each distinct set of references once, for the whole process: a few hundred at most
# (the explanations cite from a fixed table), so the table stays small.
REF_SETS: list[tuple[Ref, ...]] = [()]
_REF_SET_INDEX: dict[tuple[Ref, ...], int] = {(): 0}


def ref_set_index(refs: tuple[Ref, ...]) -> int:
    """Return the index of ``refs`` in ``REF_SETS``, adding it the first time."""
    index = _REF_SET_INDEX.get(refs)
    if index is None:
        index = len(REF_SETS)
        REF_SETS.append(refs)
        _REF_SET_INDEX[refs] = index
    return index


def rows_of(events: Sequence[TranscriptEvent]) -> list[Row]:
    """Return the rows that keep ``events``."""
    return [
        (
            e.time,
            e.direction.value,
            e.text,
            e.code,
            e.explanation,
            (ref_set_index(e.refs) << 1 if e.refs else 0) | e.secure,
            e.detail or e.elapsed,
        )
        for e in events
    ]


def event_of(row: Row) -> TranscriptEvent:
    """Return the event a row keeps."""
    from mailcomposer.smtp.transcript import Direction, TranscriptEvent

    time, direction, text, code, explanation, flags, extra = row
    return TranscriptEvent(
        time,
        Direction(direction),
        text,
        code,
        explanation,
        bool(flags & 1),
        REF_SETS[flags >> 1],
        None if extra is None or isinstance(extra, str) else extra,
        extra if isinstance(extra, str) else "",
    )


def refs_of(row: Row) -> tuple[Ref, ...]:
    """Return the RFC sections behind a row's explanation."""
    return REF_SETS[row[5] >> 1]


def is_secure(row: Row) -> bool:
    """Return True when the row's line travelled inside TLS."""
    return bool(row[5] & 1)


def step_time_of(row: Row) -> float | None:
    """Return the step's time on the last line of a reply (seconds), else None."""
    extra = row[6]
    return None if extra is None or isinstance(extra, str) else extra


def detail_of(row: Row) -> str:
    """Return the text a reader may unfold under the row ("" for most lines)."""
    extra = row[6]
    return extra if isinstance(extra, str) else ""


def line_of(row: Row) -> str:
    """Return the row's line in the CLI form, without building an event."""
    # Same text as TranscriptEvent.format() (a test pins it), for fast scans.
    return f"* {row[2]}" if row[1] == "*" else f"{row[1]}: {row[2]}"


def searchable_text(row: Row, explain: bool) -> str:
    """Return what a find looks in: the line, and its explanation while those are shown."""
    line = line_of(row)
    if explain and row[4]:
        line += "    # " + row[4]
    return line


def kind_of_row(row: Row) -> str:
    """Classify a kept row as ``kind_of`` classifies its event (without building it)."""
    return _kind(row[1], row[2], row[3])


def is_tls_row(row: Row) -> bool:
    """Return True for the row of the note that says the connection is now encrypted."""
    return row[1] == "*" and bool(_tls_note().match(row[2]))


__all__ = [
    "MARKERS",
    "REF_SETS",
    "Kind",
    "Row",
    "detail_of",
    "event_of",
    "is_secure",
    "is_tls_note",
    "is_tls_row",
    "kind_of",
    "kind_of_row",
    "line_of",
    "ref_set_index",
    "refs_of",
    "rows_of",
    "searchable_text",
    "step_time_of",
    "transcript_text",
]
