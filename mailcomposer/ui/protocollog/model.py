"""The log's lines as a Qt list model: a bounded ring of transcript events with a role each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from mailcomposer.ui.protocollog import explanation
from mailcomposer.ui.protocollog.colours import LineBrushes
from mailcomposer.ui.protocollog.lines import (
    MARKERS,
    Kind,
    Row,
    detail_of,
    event_of,
    is_secure,
    is_tls_row,
    kind_of_row,
    line_of,
    refs_of,
    rows_of,
    searchable_text,
    step_time_of,
    transcript_text,
)

if TYPE_CHECKING:
    from mailcomposer.smtp.rfc import Ref
    from mailcomposer.smtp.transcript import TranscriptEvent

DEFAULT_MAX_LINES = 200_000
TAG_CHARS = 20  # room a reference tag takes, in characters (the view's width)


class ProtocolLogModel(QAbstractListModel):
    """Transcript events in a bounded ring: the oldest lines go once ``max_lines`` is reached.

    Attributes:
        max_lines: how many lines are kept.
        longest_line: characters of the longest line and its explanation (the view's width).
        EventRole: data role giving the ``TranscriptEvent`` itself.
        KindRole: data role giving the line's ``Kind`` (colour class).
        MarkerRole: data role giving the non-colour marker glyph.
        TlsStartRole: data role, True on the row where encryption starts.
        RelativeTimeRole: data role, seconds since the first line (float).
        RefsRole: data role giving the line's RFC references (a tuple of ``Ref``).
        StepTimeRole: data role, on the last line of a reply: seconds since its
            command was sent (float), else None.
        DetailRole: data role giving the text a reader may unfold under the line
            (the DATA note's preview of what was sent), else "".

    Signals:
        cleared: the log was emptied.
    """

    EventRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2
    MarkerRole = Qt.ItemDataRole.UserRole + 3
    TlsStartRole = Qt.ItemDataRole.UserRole + 4
    RelativeTimeRole = Qt.ItemDataRole.UserRole + 5
    RefsRole = Qt.ItemDataRole.UserRole + 6
    StepTimeRole = Qt.ItemDataRole.UserRole + 7
    DetailRole = Qt.ItemDataRole.UserRole + 8

    cleared = Signal()

    def __init__(self, parent=None, max_lines: int = DEFAULT_MAX_LINES) -> None:
        super().__init__(parent)
        if max_lines < 1:
            raise ValueError("max_lines must be at least 1")
        self.max_lines = max_lines
        # Flat tuples (see lines.Row) in a plain list: O(1) index for painting;
        # dropping the oldest is a memmove.
        self._rows: list[Row] = []
        self._origin: float | None = None
        self.longest_line = 0  # characters, for the view's horizontal extent
        self._brushes = LineBrushes()
        self._flags: Qt.ItemFlag | None = None

    # -- public API -----------------------------------------------------------------------

    def append_events(self, events: Sequence[TranscriptEvent]) -> None:
        """Append a batch of events: one row insertion, then drop overflow from the top."""
        if not events:
            return
        batch = list(events)
        if self._origin is None:
            self._origin = batch[0].time
        if len(batch) > self.max_lines:
            batch = batch[-self.max_lines :]
        rows = rows_of(batch)
        self.longest_line = max(
            self.longest_line,
            *(len(e.text) + len(e.explanation) + TAG_CHARS * min(len(e.refs), 3) for e in batch),
        )
        first = len(self._rows)
        # Insert before trimming so a view that follows the bottom sees the new rows
        # arrive first, then the old ones leave at the top.
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        overflow = len(self._rows) - self.max_lines
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            del self._rows[:overflow]
            self.endRemoveRows()

    def clear(self) -> None:
        """Remove every line."""
        self.beginResetModel()
        self._rows = []
        self._origin = None
        self.longest_line = 0
        self.endResetModel()
        self.cleared.emit()

    def events(self) -> list[TranscriptEvent]:
        """Return the events held, oldest first."""
        return [event_of(row) for row in self._rows]

    def event_at(self, row: int) -> TranscriptEvent:
        """Return the event at ``row``."""
        return event_of(self._rows[row])

    def refs_at(self, row: int) -> tuple[Ref, ...]:
        """Return the RFC sections behind the explanation of ``row``."""
        return refs_of(self._rows[row])

    def explanation_at(self, row: int) -> str:
        """Return the explanation of ``row`` ("" when it has none)."""
        return self._rows[row][4]

    def step_time_at(self, row: int) -> float | None:
        """Return the step's time on the last line of a reply (seconds), else None."""
        return step_time_of(self._rows[row])

    def detail_at(self, row: int) -> str:
        """Return the text a reader may unfold under ``row`` ("" for most lines)."""
        return detail_of(self._rows[row])

    def is_secure_at(self, row: int) -> bool:
        """Return True when the line at ``row`` travelled inside TLS."""
        return is_secure(self._rows[row])

    def kept_row(self, row: int) -> Row:
        """Return the row as kept (see ``lines.Row``): what painting reads, without copies."""
        return self._rows[row]

    def row_key(self, row: int) -> tuple[float, str]:
        """Return a key naming ``row`` that survives older lines leaving the ring."""
        kept = self._rows[row]
        return kept[0], kept[2]

    def line_at(self, row: int) -> str:
        """Return the line at ``row`` in the CLI form, without building an event."""
        return line_of(self._rows[row])

    def transcript_text(self, explain: bool = False) -> str:
        """Return the whole log in the CLI transcript form."""
        if not explain:
            return "".join(line_of(row) + "\n" for row in self._rows)
        return transcript_text(self.events(), explain)

    def find(self, needle: str, start: int, step: int, explain: bool) -> int:
        """Return the next row holding ``needle`` (lower case), or -1; wraps around.

        Args:
            needle: the lower-case text to look for.
            start: the row to start after (-1 or the row count to start at an end).
            step: +1 to go down, -1 to go up.
            explain: look in the explanations too (as shown with "Explain" on).
        """
        rows = self._rows  # read-only scan: no copy of 200,000 lines
        count = len(rows)
        for offset in range(1, count + 1):
            row = (start + step * offset) % count
            if needle in searchable_text(rows[row], explain).lower():
                return row
        return -1

    def set_dark(self, dark: bool) -> None:
        """Pick foreground colours readable on a dark (True) or light palette."""
        if not self._brushes.set_dark(dark):
            return
        if self._rows:
            self.dataChanged.emit(
                self.index(0),
                self.index(len(self._rows) - 1),
                [Qt.ItemDataRole.ForegroundRole],
            )

    def is_tls_start(self, row: int) -> bool:
        """Return True where encryption starts: the TLS note, or the first secure line."""
        current = self._rows[row]
        if is_tls_row(current):
            return True
        if not is_secure(current) or row == 0:
            return False
        previous = self._rows[row - 1]
        return not is_secure(previous) and not is_tls_row(previous)

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid():
            return None
        row = index.row()
        if row >= len(self._rows):
            return None
        # The roles a view asks for most come straight from the kept row: no event built.
        if role == Qt.ItemDataRole.DisplayRole:
            return line_of(self._rows[row])
        kind = self.kind_at(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.brush(kind, background=False)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.brush(kind, background=True)
        if role == self.KindRole:
            return kind
        if role == self.MarkerRole:
            return MARKERS[kind]
        event = event_of(self._rows[row])
        if role == Qt.ItemDataRole.ToolTipRole:
            return explanation.tooltip_text(event, kind, self.relative_time(row))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return explanation.accessible_text(event, kind)
        if role == self.EventRole:
            return event
        if role == self.TlsStartRole:
            return self.is_tls_start(row)
        if role == self.RelativeTimeRole:
            return self.relative_time(row)
        if role == self.RefsRole:
            return event.refs
        if role == self.StepTimeRole:
            return event.elapsed
        if role == self.DetailRole:
            return event.detail
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Asked for every painted cell: the flags are combined once, not per call.
        if self._flags is None:
            self._flags = (
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren
            )
        return self._flags

    # -- helpers ---------------------------------------------------------------------------

    def kind_at(self, row: int) -> str:
        """Return the class of ``row``; a note where encryption starts counts as the TLS note.

        The position catches the TLS note in any language (its text is translated).
        """
        kind = kind_of_row(self._rows[row])
        if kind == Kind.NOTE and self.is_tls_start(row):
            return Kind.TLS
        return kind

    def relative_time(self, row: int) -> float:
        """Return seconds between the first line ever logged (since a clear) and ``row``."""
        time = self._rows[row][0]
        return time - (self._origin if self._origin is not None else time)

    def brush(self, kind: str, background: bool) -> QBrush | None:
        """Return the text or background brush of a line class (None: the palette's)."""
        return self._brushes.brush(kind, background)

    def colour(self, kind: str, background: bool) -> QColor | None:
        """Return the text or background colour of a line class (None: the palette's)."""
        return self._brushes.colour(kind, background)
