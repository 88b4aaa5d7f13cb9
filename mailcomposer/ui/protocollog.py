"""The protocol log: a bounded model of transcript events, its view and its dock."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

DEFAULT_MAX_LINES = 200_000


# A NOTE that announces the switch to TLS; the core's wording may vary a little
# ("TLS established", "TLS 1.3 negotiated", "TLS handshake complete").
_TLS_NOTE = re.compile(r"^\s*TLS\b.*\b(established|negotiated|started|complete)", re.IGNORECASE)


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

# (foreground on light, foreground on dark, background tint); None keeps the palette's.
_COLOURS: dict[str, tuple[str | None, str | None, str | None]] = {
    Kind.OK: ("#1b6e20", "#8fd694", "#2e7d32"),
    Kind.MORE: ("#1c4f9c", "#90b8f0", "#1565c0"),
    Kind.TEMP: ("#8a5300", "#f0c060", "#ef9f00"),
    Kind.FAIL: ("#b71c1c", "#ff8a80", "#d32f2f"),
    Kind.CLIENT: (None, None, None),
    Kind.NOTE: ("#5f6368", "#a8adb3", None),
    Kind.TLS: ("#1b6e20", "#8fd694", "#2e7d32"),
}
_TINT_ALPHA = 26


def kind_of(event: TranscriptEvent) -> str:
    """Classify a transcript event for colour and marker."""
    if event.direction is Direction.CLIENT:
        return Kind.CLIENT
    if event.direction is Direction.NOTE:
        return Kind.TLS if is_tls_note(event) else Kind.NOTE
    code = event.code
    if code is None:
        match = re.match(r"\s*(\d)\d\d", event.text)
        code = int(match.group(1)) * 100 if match else None
    if code is None:
        return Kind.NOTE
    return {2: Kind.OK, 3: Kind.MORE, 4: Kind.TEMP}.get(code // 100, Kind.FAIL)


def is_tls_note(event: TranscriptEvent) -> bool:
    """Return True for the local note that says the connection is now encrypted."""
    return event.direction is Direction.NOTE and bool(_TLS_NOTE.match(event.text))


def transcript_text(events: Sequence[TranscriptEvent], explain: bool = False) -> str:
    """Render events exactly as ``mailcomposer send`` prints them (one line each)."""
    return "".join(event.format(explain) + "\n" for event in events)


_Row = tuple[float, str, str, "int | None", str, bool]
_DIRECTIONS = {d.value: d for d in Direction}


def _event(row: _Row) -> TranscriptEvent:
    time, direction, text, code, explanation, secure = row
    return TranscriptEvent(time, _DIRECTIONS[direction], text, code, explanation, secure)


def _line(row: _Row) -> str:
    # Same text as TranscriptEvent.format() (a test pins it), for fast scans.
    return f"* {row[2]}" if row[1] == "*" else f"{row[1]}: {row[2]}"


def _is_tls_row(row: _Row) -> bool:
    return row[1] == "*" and bool(_TLS_NOTE.match(row[2]))


class ProtocolLogModel(QAbstractListModel):
    """Transcript events in a bounded ring: the oldest lines go once ``max_lines`` is reached.

    Attributes:
        max_lines: how many lines are kept.
        EventRole: data role giving the ``TranscriptEvent`` itself.
        KindRole: data role giving the line's ``Kind`` (colour class).
        MarkerRole: data role giving the non-colour marker glyph.
        TlsStartRole: data role, True on the row where encryption starts.
        RelativeTimeRole: data role, seconds since the first line (float).

    Signals:
        cleared: the log was emptied.
    """

    EventRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2
    MarkerRole = Qt.ItemDataRole.UserRole + 3
    TlsStartRole = Qt.ItemDataRole.UserRole + 4
    RelativeTimeRole = Qt.ItemDataRole.UserRole + 5

    cleared = Signal()

    def __init__(self, parent=None, max_lines: int = DEFAULT_MAX_LINES) -> None:
        super().__init__(parent)
        if max_lines < 1:
            raise ValueError("max_lines must be at least 1")
        self.max_lines = max_lines
        # Rows are kept as flat tuples of str/float/int/bool: the garbage collector
        # untracks such tuples, so 200,000 lines add nothing to its full collections
        # (with dataclass instances a gen-2 pass over them stalled the window ~80 ms).
        # A plain list: O(1) index for painting; dropping the oldest is a memmove.
        self._rows: list[_Row] = []
        self._origin: float | None = None
        self.longest_line = 0  # characters, for the view's horizontal extent
        self._dark = False
        self._brushes: dict[tuple[str, int], QBrush | None] = {}

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
        rows = [(e.time, e.direction.value, e.text, e.code, e.explanation, e.secure) for e in batch]
        self.longest_line = max(
            self.longest_line, *(len(e.text) + len(e.explanation) for e in batch)
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
        return [_event(row) for row in self._rows]

    def event_at(self, row: int) -> TranscriptEvent:
        """Return the event at ``row``."""
        return _event(self._rows[row])

    def line_at(self, row: int) -> str:
        """Return the line at ``row`` in the CLI form, without building an event."""
        return _line(self._rows[row])

    def transcript_text(self, explain: bool = False) -> str:
        """Return the whole log in the CLI transcript form."""
        if not explain:
            return "".join(_line(row) + "\n" for row in self._rows)
        return transcript_text(self.events(), explain)

    def set_dark(self, dark: bool) -> None:
        """Pick foreground colours readable on a dark (True) or light palette."""
        if dark == self._dark:
            return
        self._dark = dark
        self._brushes.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0),
                self.index(len(self._rows) - 1),
                [Qt.ItemDataRole.ForegroundRole],
            )

    def is_tls_start(self, row: int) -> bool:
        """Return True where encryption starts: the TLS note, or the first secure line."""
        current = self._rows[row]
        if _is_tls_row(current):
            return True
        if not current[5] or row == 0:
            return False
        previous = self._rows[row - 1]
        return not previous[5] and not _is_tls_row(previous)

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid():
            return None
        row = index.row()
        if row >= len(self._rows):
            return None
        event = _event(self._rows[row])
        if role == Qt.ItemDataRole.DisplayRole:
            return event.format()
        kind = self.kind_at(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.brush(kind, background=False)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.brush(kind, background=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(event, kind)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{_kind_word(kind)}: {event.format(True)}"
        if role == self.EventRole:
            return event
        if role == self.KindRole:
            return kind
        if role == self.MarkerRole:
            return MARKERS[kind]
        if role == self.TlsStartRole:
            return self.is_tls_start(row)
        if role == self.RelativeTimeRole:
            return self.relative_time(row)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- helpers ---------------------------------------------------------------------------

    def kind_at(self, row: int) -> str:
        """Return the class of ``row``; a note where encryption starts counts as the TLS note.

        The position catches the TLS note in any language (its text is translated).
        """
        kind = kind_of(_event(self._rows[row]))
        if kind == Kind.NOTE and self.is_tls_start(row):
            return Kind.TLS
        return kind

    def relative_time(self, row: int) -> float:
        """Return seconds between the first line ever logged (since a clear) and ``row``."""
        time = self._rows[row][0]
        return time - (self._origin if self._origin is not None else time)

    def brush(self, kind: str, background: bool) -> QBrush | None:
        """Return the text or background brush of a line class (None: the palette's)."""
        which = 1 if background else 0
        key = (kind, which)
        if key not in self._brushes:
            light, dark, tint = _COLOURS[kind]
            if which == 0:
                name = dark if self._dark else light
                self._brushes[key] = QBrush(QColor(name)) if name else None
            else:
                if tint:
                    colour = QColor(tint)
                    colour.setAlpha(_TINT_ALPHA * (2 if self._dark else 1))
                    self._brushes[key] = QBrush(colour)
                else:
                    self._brushes[key] = None
        return self._brushes[key]

    def _tooltip(self, event: TranscriptEvent, kind: str) -> str:
        offset = event.time - (self._origin if self._origin is not None else event.time)
        parts = [_kind_word(kind)]
        if event.explanation:
            parts.append(event.explanation)
        parts.append(_("at +{seconds} s").format(seconds=f"{offset:.3f}"))
        if event.secure:
            parts.append(_("sent inside TLS"))
        return "\n".join(parts)


def _kind_word(kind: str) -> str:
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


def draw_lock(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """Draw a small padlock inside ``rect`` (no icon theme needed, scales with the font)."""
    side = min(rect.width(), rect.height())
    x = rect.center().x() - side * 0.35
    y = rect.center().y() - side * 0.45
    width = side * 0.7
    body = QRectF(x, y + side * 0.42, width, side * 0.48)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour, max(1.2, side * 0.11))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QPainterPath()
    shackle.moveTo(QPointF(x + width * 0.22, body.top()))
    shackle.lineTo(QPointF(x + width * 0.22, y + side * 0.25))
    shackle.arcTo(QRectF(x + width * 0.22, y, width * 0.56, side * 0.5), 180, -180)
    shackle.lineTo(QPointF(x + width * 0.78, body.top()))
    painter.drawPath(shackle)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(body, side * 0.08, side * 0.08)
    painter.restore()


class ProtocolLogDelegate(QStyledItemDelegate):
    """Paints a line as: relative time, marker (or lock), the line, its explanation in grey.

    Attributes:
        explain: draw each reply's explanation after it.
        find_text: text to highlight in every line (case-insensitive), or "".
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.explain = True
        self.find_text = ""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(metrics.horizontalAdvance("x") * 80, metrics.height() + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        # Ask our model directly: cheaper than QVariant round trips for every cell
        # (and index.data() returning None loses a reference; see keep_none_alive).
        model = index.model()
        if not isinstance(model, ProtocolLogModel) or index.row() >= model.rowCount():
            super().paint(painter, option, index)
            return
        row = index.row()
        event = model.event_at(row)
        kind = model.kind_at(row)
        painter.save()
        rect = option.rect
        palette = option.palette
        state_selected, state_has_focus = _state_flags()
        selected = bool(option.state & state_selected)
        metrics = QFontMetrics(option.font)
        painter.setFont(option.font)
        char = metrics.horizontalAdvance("0")

        background = model.brush(kind, background=True)
        if selected:
            painter.fillRect(rect, palette.brush(QPalette.ColorRole.Highlight))
        elif background is not None:
            painter.fillRect(rect, background)

        tls_start = model.is_tls_start(row)
        foreground = model.brush(kind, background=False)
        text_colour = (
            palette.color(QPalette.ColorRole.HighlightedText)
            if selected
            else foreground.color()
            if foreground is not None
            else palette.color(QPalette.ColorRole.Text)
        )
        grey = _muted(palette)
        if selected:
            grey = text_colour
        baseline_rect = rect.adjusted(4, 0, -4, 0)

        # A rule across the row where encryption starts: a visible "from here on, TLS".
        if tls_start:
            painter.setPen(QPen(QColor(_COLOURS[Kind.TLS][1 if _is_dark(palette) else 0]), 2))
            painter.drawLine(rect.left(), rect.top() + 1, rect.right(), rect.top() + 1)

        # Relative time column.
        x = baseline_rect.left()
        offset = model.relative_time(row)
        stamp = f"+{offset:.3f}"
        time_width = char * 9
        painter.setPen(grey)
        painter.drawText(
            QRectF(x, rect.top(), time_width, rect.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            stamp,
        )
        x += time_width + char

        # Marker column: glyph, or a lock for the TLS note; secure lines get a small lock.
        marker_rect = QRectF(x, rect.top(), char * 2, rect.height())
        if kind == Kind.TLS:
            draw_lock(painter, marker_rect.adjusted(0, 2, 0, -2), text_colour)
        else:
            painter.setPen(text_colour)
            painter.drawText(marker_rect, int(Qt.AlignmentFlag.AlignCenter), MARKERS.get(kind, ""))
        x += char * 2
        lock_rect = QRectF(x, rect.top(), char * 1.6, rect.height())
        if event.secure and kind != Kind.TLS:
            draw_lock(painter, lock_rect.adjusted(0, 4, 0, -3), grey)
        x += char * 2

        # The line itself, with find matches highlighted.
        line = event.format()
        line_left = x
        if self.find_text and not selected:
            needle = self.find_text.lower()
            haystack = line.lower()
            start = haystack.find(needle)
            highlight = QColor("#ffd54f")
            highlight.setAlpha(170)
            while start >= 0:
                left = line_left + metrics.horizontalAdvance(line[:start])
                width = metrics.horizontalAdvance(line[start : start + len(needle)])
                painter.fillRect(QRectF(left, rect.top() + 1, width, rect.height() - 2), highlight)
                start = haystack.find(needle, start + len(needle))
        painter.setPen(text_colour)
        if kind == Kind.TLS:
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
        painter.drawText(
            QRectF(line_left, rect.top(), rect.right() - line_left, rect.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            line,
        )
        x = line_left + QFontMetrics(painter.font()).horizontalAdvance(line)
        painter.setFont(option.font)

        if self.explain and event.explanation:
            painter.setPen(grey)
            x += char * 3
            if x < rect.right():
                painter.drawText(
                    QRectF(x, rect.top(), rect.right() - x, rect.height()),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    metrics.elidedText(
                        event.explanation, Qt.TextElideMode.ElideRight, int(rect.right() - x)
                    ),
                )
        if option.state & state_has_focus and selected:
            painter.setPen(QPen(grey, 1, Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()


@cache
def _state_flags() -> tuple:
    """QStyle's Selected and HasFocus flags; imported on first paint, not at start-up.

    Reading QStyle builds its ~700 enum members (~15 ms); the window warms it after
    start-up (``warm_up_painting``) so the first send does not pay it either.
    """
    from PySide6.QtWidgets import QStyle

    return QStyle.StateFlag.State_Selected, QStyle.StateFlag.State_HasFocus


def warm_up_painting() -> None:
    """Build the Qt types the first painted log line needs (call when idle)."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    _state_flags()
    QStyleOptionViewItem.ViewItemFeature  # noqa: B018  (the attribute read builds the type)
    # The first QBrush/QPen built from a QColor makes shiboken build QGradient (its
    # overloads) and the pen enums: ~5 ms better spent now than in the first paint.
    QBrush(QColor("#000"))
    QPen(QColor("#000"), 1, Qt.PenStyle.DotLine)
    QPainterPath().addRoundedRect(QRectF(0, 0, 2, 2), 1, 1)


def _muted(palette: QPalette) -> QColor:
    """A grey between text and base: secondary, yet readable (disabled grey is too faint)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() * 11 + base.red() * 9) // 20,
        (text.green() * 11 + base.green() * 9) // 20,
        (text.blue() * 11 + base.blue() * 9) // 20,
    )


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class ProtocolLogView(QTableView):
    """The log list: monospace, fixed rows, follows new lines only while at the bottom.

    A one-column table rather than a QListView: QListView relayouts every row on each
    insertion (one Python ``rowCount`` call per row: 100,000 lines stalled ~150 ms per
    batch), while a table with fixed-height rows only touches what is visible.

    Signals:
        copied: lines were put on the clipboard (carries how many).
    """

    copied = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("protocolLog")
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._update_metrics()
        self.setAccessibleName(_("Protocol log"))
        self.delegate = ProtocolLogDelegate(self)
        self.setItemDelegate(self.delegate)
        # Follow new lines while the reader is at the bottom. Decided from the
        # scrollbar itself: Qt updates its range after rowsInserted (in the deferred
        # layout), so a scroll made there would land on the old maximum and the
        # next batch would find the view "scrolled up".
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrollbar_value_changed)
        bar.rangeChanged.connect(self._on_scrollbar_range_changed)
        copy = QAction(_("Copy"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self.copy_action = copy
        # An overlay label, not a paint in the viewport: viewport() costs ~20 ms the
        # first time (see _viewport_width) and the log is empty at every launch.
        self.hint = QLabel(
            _(
                "Press Send to see the SMTP conversation here: every command (C:) and "
                "reply (S:), each reply explained."
            ),
            self,
        )
        self.hint.setObjectName("protocolLogHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setMargin(12)
        self.hint.setFont(QGuiApplication.font())
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._style_hint()

    # -- model wiring ----------------------------------------------------------------------

    def setModel(self, model) -> None:
        old = self.model()
        if old is not None:
            old.rowsInserted.disconnect(self._on_model_rows_inserted)
            old.rowsRemoved.disconnect(self._on_model_rows_removed)
            old.modelReset.disconnect(self._update_hint)
        super().setModel(model)
        if model is not None:
            model.rowsInserted.connect(self._on_model_rows_inserted)
            model.rowsRemoved.connect(self._on_model_rows_removed)
            model.modelReset.connect(self._update_hint)
            if isinstance(model, ProtocolLogModel):
                model.set_dark(_is_dark(self.palette()))
            # Replayed history: start at its end, like a terminal.
            self._follow = True
            self._update_column_width()
            self.scrollToBottom()
        self._update_hint()

    def is_at_bottom(self) -> bool:
        """Return True when the last line is visible (new lines then follow)."""
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2

    @Slot(int)
    def _on_scrollbar_value_changed(self, _value: int) -> None:
        self._follow = self.is_at_bottom()

    @Slot(int, int)
    def _on_scrollbar_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    @Slot()
    def _on_model_rows_inserted(self) -> None:
        self._update_hint()
        self._update_column_width()
        if self._follow:
            self.scrollToBottom()

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        # The ring dropped its oldest lines: keep a reader who scrolled up on the same
        # lines instead of letting the text slide under their eyes.
        if first == 0 and not self._follow:
            bar = self.verticalScrollBar()
            bar.setValue(max(0, bar.value() - (last + 1) * self.row_height()))
        self._update_hint()

    # -- empty hint ----------------------------------------------------------------------------

    @Slot()
    def _update_hint(self) -> None:
        """Show the hint exactly while the log has no lines."""
        model = self.model()
        self.hint.setVisible(model is None or model.rowCount() == 0)
        self._place_hint()

    def _place_hint(self) -> None:
        self.hint.setGeometry(self.contentsRect())

    def _style_hint(self) -> None:
        palette = self.hint.palette()
        palette.setColor(QPalette.ColorRole.WindowText, _muted(self.palette()))
        self.hint.setPalette(palette)

    def hint_visible(self) -> bool:
        """True when the empty-log hint is shown (or would be, once the view is shown)."""
        return not self.hint.isHidden()

    def row_height(self) -> int:
        """Return the height of every row in pixels."""
        return self.verticalHeader().defaultSectionSize()

    def _update_metrics(self) -> None:
        metrics = QFontMetrics(self.font())
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 4)
        self._update_column_width()

    def _update_column_width(self) -> None:
        model = self.model()
        if model is None:
            return
        chars = getattr(model, "longest_line", 0) + 24  # + time, marker and gap columns
        wanted = max(
            self._viewport_width(), QFontMetrics(self.font()).horizontalAdvance("0") * chars
        )
        if self.columnWidth(0) != wanted:
            self.setColumnWidth(0, wanted)

    def _viewport_width(self) -> int:
        # Not viewport().width(): the first viewport() call of a process wraps a QWidget
        # Qt created, and shiboken's type discovery then costs ~20 ms of start-up.
        width = self.maximumViewportSize().width()
        bar = self.verticalScrollBar()
        if bar.isVisibleTo(self):
            width -= bar.width()
        return width

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_column_width()
        self._place_hint()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        model = self.model()
        if event.type() == event.Type.PaletteChange:
            self._style_hint()
            if isinstance(model, ProtocolLogModel):
                model.set_dark(_is_dark(self.palette()))
        elif event.type() == event.Type.FontChange:
            self._update_metrics()

    # -- clipboard ---------------------------------------------------------------------------

    def selected_text(self) -> str:
        """Return the selected lines (in log order) as transcript text."""
        model = self.model()
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        if not isinstance(model, ProtocolLogModel):
            return "".join(str(model.index(row, 0).data() or "") + "\n" for row in rows)
        if not self.delegate.explain:
            return "".join(model.line_at(row) + "\n" for row in rows)
        return transcript_text([model.event_at(row) for row in rows], self.delegate.explain)

    @Slot()
    def copy_selection(self) -> None:
        """Put the selected lines on the clipboard."""
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text.count("\n"))


class ProtocolLogDock(QDockWidget):
    """The "Protocol log" dock: a find bar, copy/save/clear, "Explain", the view.

    Attributes:
        model: the ``ProtocolLogModel`` (may have been filled before the dock existed).
        view: the ``ProtocolLogView``.

    Signals:
        saved: the transcript was written to a file (carries the path).
    """

    saved = Signal(str)

    def __init__(self, parent=None, model: ProtocolLogModel | None = None) -> None:
        super().__init__(_("Protocol log"), parent)
        self.setObjectName("protocolLogDock")
        self.model = model if model is not None else ProtocolLogModel(self)
        self.view = ProtocolLogView()
        self.view.setModel(self.model)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.toolbar = QToolBar(body)
        self.toolbar.setObjectName("protocolLogToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)
        self.setWidget(body)

        self.find_field = QLineEdit(body)
        self.find_field.setObjectName("protocolLogFind")
        self.find_field.setPlaceholderText(_("Find in log (Ctrl+F)"))
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setMaximumWidth(260)
        self.find_field.setAccessibleName(_("Find in log"))
        self.find_field.textChanged.connect(self._on_find_field_text_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.toolbar.addWidget(self.find_field)

        self.find_previous_action = self._action(_("Previous"), self.find_previous)
        self.find_previous_action.setShortcut(QKeySequence.StandardKey.FindPrevious)
        self.find_next_action = self._action(_("Next"), self.find_next)
        self.find_next_action.setShortcut(QKeySequence.StandardKey.FindNext)
        self.find_status = QLabel(body)
        self.find_status.setObjectName("protocolLogFindStatus")
        self.find_status.setContentsMargins(6, 0, 6, 0)
        self.toolbar.addWidget(self.find_status)
        self.toolbar.addSeparator()
        self.copy_all_action = self._action(_("Copy all"), self.copy_all)
        self.save_action = self._action(_("Save as text…"), self.save_as)
        self.clear_action = self._action(_("Clear"), self.clear)
        self.toolbar.addSeparator()
        self.explain_action = self._action(_("Explain"), None)
        self.explain_action.setCheckable(True)
        self.explain_action.setChecked(self.view.delegate.explain)
        self.explain_action.setToolTip(_("Show what each command asks and what each reply means"))
        self.explain_action.toggled.connect(self.set_explain)

        find = QAction(_("Find"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_find)
        self.addAction(find)
        self.find_action = find

    def _action(self, text: str, slot) -> QAction:
        action = self.toolbar.addAction(text)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    # -- public API --------------------------------------------------------------------------

    def append_events(self, events: Sequence[TranscriptEvent]) -> None:
        """Append a batch of transcript events (call from the GUI thread)."""
        self.model.append_events(events)

    def clear(self) -> None:
        """Empty the log."""
        self.model.clear()
        self.find_status.clear()

    def transcript_text(self) -> str:
        """Return the whole log in the CLI transcript form (``--explain`` form if toggled)."""
        return self.model.transcript_text(self.view.delegate.explain)

    @Slot(bool)
    def set_explain(self, on: bool) -> None:
        """Show or hide reply explanations."""
        self.view.delegate.explain = on
        if self.explain_action.isChecked() != on:
            self.explain_action.setChecked(on)
        self.view.viewport().update()

    @Slot()
    def copy_all(self) -> None:
        """Put the whole transcript on the clipboard."""
        QGuiApplication.clipboard().setText(self.transcript_text())

    @Slot()
    def save_as(self) -> None:
        """Ask for a file name and save the transcript there."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save protocol log"),
            "smtp-transcript.txt",
            _("Text files (*.txt);;All files (*)"),
        )
        if not path:
            return
        try:
            self.save_to(path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Save protocol log"),
                _("Could not save the log to {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            )

    def save_to(self, path: str | Path) -> None:
        """Write the transcript to ``path`` as UTF-8 with LF line ends (the CLI's form)."""
        Path(path).write_bytes(self.transcript_text().encode("utf-8"))
        self.saved.emit(str(path))

    @Slot()
    def focus_find(self) -> None:
        """Put the cursor in the find field."""
        if not self.isVisible():
            self.show()
        self.raise_()
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    @Slot()
    def find_next(self) -> bool:
        """Select the next line containing the find text; wrap around. Return True if found."""
        return self._find(+1)

    @Slot()
    def find_previous(self) -> bool:
        """Select the previous line containing the find text; wrap around."""
        return self._find(-1)

    # -- internals ---------------------------------------------------------------------------

    @Slot(str)
    def _on_find_field_text_changed(self, text: str) -> None:
        self.view.delegate.find_text = text
        self.find_status.clear()
        self.view.viewport().update()

    def _find(self, step: int) -> bool:
        needle = self.find_field.text().lower()
        count = self.model.rowCount()
        if not needle or not count:
            return False
        current = self.view.currentIndex()
        start = current.row() if current.isValid() else (-1 if step > 0 else count)
        rows = self.model._rows  # read-only scan: no copy of 200,000 lines
        explain = self.view.delegate.explain
        for offset in range(1, count + 1):
            row = (start + step * offset) % count
            haystack = _line(rows[row])
            if explain and rows[row][4]:
                haystack += "    # " + rows[row][4]
            if needle in haystack.lower():
                index = self.model.index(row)
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                self.find_status.setText(_("line {n}").format(n=row + 1))
                return True
        self.find_status.setText(_("not found"))
        return False


__all__ = [
    "DEFAULT_MAX_LINES",
    "MARKERS",
    "Kind",
    "ProtocolLogDelegate",
    "ProtocolLogDock",
    "ProtocolLogModel",
    "ProtocolLogView",
    "draw_lock",
    "is_tls_note",
    "kind_of",
    "transcript_text",
]
