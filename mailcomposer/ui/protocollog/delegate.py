"""Paints a log line: relative time, marker or lock, the line with find matches, its explanation."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QStyledItemDelegate

from mailcomposer.ui.protocollog.colours import muted, tls_rule_colour
from mailcomposer.ui.protocollog.lines import MARKERS, Kind
from mailcomposer.ui.protocollog.model import ProtocolLogModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem


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
        grey = muted(palette)
        if selected:
            grey = text_colour
        baseline_rect = rect.adjusted(4, 0, -4, 0)

        # A rule across the row where encryption starts: a visible "from here on, TLS".
        if tls_start:
            painter.setPen(QPen(tls_rule_colour(palette), 2))
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
