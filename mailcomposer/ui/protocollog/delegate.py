"""Paints a log line: time, marker or lock, the line, its explanation, RFC tags, step time."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QStyledItemDelegate

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.colours import muted, tls_rule_colour
from mailcomposer.ui.protocollog.lines import MARKERS, Kind
from mailcomposer.ui.protocollog.model import ProtocolLogModel

# Painting types load at the first painted line (or the idle warm-up), not at start.
if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from mailcomposer.smtp.rfc import Ref


def draw_lock(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """Draw a small padlock inside ``rect`` (no icon theme needed, scales with the font)."""
    from PySide6.QtGui import QPainter, QPainterPath, QPen

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


class RowLayout:
    """Where the parts of a line go, shared by painting and clicking.

    Attributes:
        line_rect: the first line of the row (an unfolded row is taller).
        text_left: where the line's text starts.
        text_width: the width of the line's text.
        marker_left: where the marker column starts.
        disclosure: the "what was sent" toggle of a line with a detail, or None.
        explanation: where the explanation goes, and its (elided) text.
        tags: each shown reference and its rectangle.
        step_time: where the step's time goes, and its text.
    """

    # A plain class, not a dataclass: made for each painted row, and a dataclass costs
    # ~0.5 ms of the launch to generate its methods.
    __slots__ = (
        "disclosure",
        "explanation",
        "line_rect",
        "marker_left",
        "step_time",
        "tags",
        "text_left",
        "text_width",
    )  # fmt: skip

    def __init__(
        self, line_rect: QRectF, text_left: float, text_width: float, marker_left: float
    ) -> None:
        self.line_rect = line_rect
        self.text_left = text_left
        self.text_width = text_width
        self.marker_left = marker_left
        self.disclosure: QRectF | None = None
        self.explanation: tuple[QRectF, str] | None = None
        self.tags: list[tuple[QRectF, Ref]] = []
        self.step_time: tuple[QRectF, str] | None = None


MAX_TAGS = 3  # references shown per line, as ``send --explain`` prints them
STEP_CHARS = 8  # the step-time column: "1234 ms", "1.25 s"


class ProtocolLogDelegate(QStyledItemDelegate):
    """Paints a line: relative time, marker (or lock), the line, its explanation in grey,
    its RFC references as link-styled tags, and on reply lines the step's time at the right.

    Attributes:
        explain: draw each line's explanation, references and step time.
        find_text: text to highlight in every line (case-insensitive), or "".
        unfolded: keys (``ProtocolLogModel.row_key``) of the lines whose detail is shown.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.explain = True
        self.find_text = ""
        self.unfolded: set[tuple[float, str]] = set()
        self._widths: dict[str, float] = {}  # tag label -> width, in _widths_font
        self._widths_font = ""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(metrics.horizontalAdvance("x") * 80, metrics.height() + 4)

    def _label_width(self, metrics: QFontMetrics, font_key: str, label: str) -> float:
        """A tag label's width: measured once per font (the same few labels repeat)."""
        if font_key != self._widths_font:
            self._widths_font = font_key
            self._widths = {}
        width = self._widths.get(label)
        if width is None:
            width = self._widths[label] = metrics.horizontalAdvance(label)
        return width

    def is_unfolded(self, model: ProtocolLogModel, row: int) -> bool:
        """Return True when ``row`` has a detail and it is shown."""
        return bool(self.unfolded) and model.row_key(row) in self.unfolded

    def layout(self, option: QStyleOptionViewItem, model: ProtocolLogModel, row: int) -> RowLayout:
        """Return where the parts of ``row`` go inside ``option.rect``."""
        metrics = QFontMetrics(option.font)
        char = metrics.horizontalAdvance("0")
        rect = QRectF(option.rect)
        line_rect = QRectF(rect.left(), rect.top(), rect.width(), metrics.height() + 4)
        # Gutter: relative time, [step time while explaining], marker, lock; then the text.
        step_left = rect.left() + 4 + char * 10
        marker_left = step_left + (char * (STEP_CHARS + 1) if self.explain else 0)
        text_left = marker_left + char * 4
        line = model.line_at(row)
        if model.kind_at(row) == Kind.TLS:
            font = QFont(option.font)
            font.setBold(True)
            text_width = QFontMetrics(font).horizontalAdvance(line)
        else:
            text_width = metrics.horizontalAdvance(line)
        layout = RowLayout(line_rect, text_left, text_width, marker_left)
        # The explanation is cut where the view ends, so its tags stay in sight (the
        # tooltip and the copied text have it whole).
        right = min(rect.right(), self._visible_right(option)) - 8
        elapsed = model.step_time_at(row) if self.explain else None
        if elapsed is not None:
            from mailcomposer.smtp.transcript import format_elapsed  # loaded by a send

            layout.step_time = (
                QRectF(step_left, line_rect.top(), char * STEP_CHARS, line_rect.height()),
                format_elapsed(elapsed),
            )
        x = text_left + text_width
        if model.detail_at(row):
            label = disclosure_label(self.is_unfolded(model, row))
            width = metrics.horizontalAdvance(label) + char
            x += char * 2
            layout.disclosure = _tag_rect(line_rect, x, width)
            x += width
        if not self.explain:
            return layout
        refs = model.refs_at(row)[:MAX_TAGS]
        widths = [self._label_width(metrics, option.font.key(), r.label) + char for r in refs]
        tags_width = sum(widths) + char * len(widths)
        explanation = model.explanation_at(row)
        if explanation:
            x += char * 3
            # The tags get room first, but the explanation keeps a readable start.
            room = max(right - x - tags_width, min(char * 24.0, right - x), 0.0)
            shown = metrics.elidedText(explanation, Qt.TextElideMode.ElideRight, int(room))
            if shown:
                width = metrics.horizontalAdvance(shown)
                layout.explanation = (
                    QRectF(x, line_rect.top(), width + 1, line_rect.height()),
                    shown,
                )
                x += width
        for ref, width in zip(refs, widths, strict=True):
            x += char
            if x + width > right:
                break
            layout.tags.append((_tag_rect(line_rect, x, width), ref))
            x += width
        return layout

    @staticmethod
    def _visible_right(option: QStyleOptionViewItem) -> float:
        """The right edge of what the view shows, in the row's coordinates."""
        view = option.widget
        if view is None or not hasattr(view, "horizontalOffset"):
            return float(option.rect.right())
        return float(view.horizontalOffset() + view.viewport().width())

    def hit(self, option: QStyleOptionViewItem, index, pos: QPointF) -> Ref | str | None:
        """Return what lies under ``pos``: a ``Ref``, ``"detail"`` (the toggle) or None."""
        model = index.model()
        if not isinstance(model, ProtocolLogModel) or index.row() >= model.rowCount():
            return None
        layout = self.layout(option, model, index.row())
        if layout.disclosure is not None and layout.disclosure.contains(pos):
            return "detail"
        for rect, ref in layout.tags:
            if rect.contains(pos):
                return ref
        return None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        from PySide6.QtGui import QPen

        # Ask our model directly: cheaper than QVariant round trips for every cell
        # (and index.data() returning None loses a reference; see keep_none_alive).
        model = index.model()
        if not isinstance(model, ProtocolLogModel) or index.row() >= model.rowCount():
            super().paint(painter, option, index)
            return
        row = index.row()
        kind = model.kind_at(row)
        layout = self.layout(option, model, row)
        line_rect = layout.line_rect
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
        link = palette.color(QPalette.ColorRole.Link)
        if selected:
            grey = link = text_colour
        tint = _mix(link, palette.color(QPalette.ColorRole.Base))

        # A rule across the row where encryption starts: a visible "from here on, TLS".
        if tls_start:
            painter.setPen(QPen(tls_rule_colour(palette), 2))
            painter.drawLine(rect.left(), rect.top() + 1, rect.right(), rect.top() + 1)

        # Relative time column.
        offset = model.relative_time(row)
        painter.setPen(grey)
        painter.drawText(
            QRectF(rect.left() + 4, line_rect.top(), char * 9, line_rect.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"+{offset:.3f}",
        )
        if layout.step_time is not None:
            where, text = layout.step_time
            painter.drawText(
                where, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
            )
        x = layout.marker_left

        # Marker column: glyph, or a lock for the TLS note; secure lines get a small lock.
        marker_rect = QRectF(x, line_rect.top(), char * 2, line_rect.height())
        if kind == Kind.TLS:
            draw_lock(painter, marker_rect.adjusted(0, 2, 0, -2), text_colour)
        else:
            painter.setPen(text_colour)
            painter.drawText(marker_rect, int(Qt.AlignmentFlag.AlignCenter), MARKERS.get(kind, ""))
        x += char * 2
        lock_rect = QRectF(x, line_rect.top(), char * 1.6, line_rect.height())
        if model.event_at(row).secure and kind != Kind.TLS:
            draw_lock(painter, lock_rect.adjusted(0, 4, 0, -3), grey)

        # The line itself, with find matches highlighted.
        line = model.line_at(row)
        line_left = layout.text_left
        if self.find_text and not selected:
            needle = self.find_text.lower()
            haystack = line.lower()
            start = haystack.find(needle)
            highlight = QColor("#ffd54f")
            highlight.setAlpha(170)
            while start >= 0:
                left = line_left + metrics.horizontalAdvance(line[:start])
                width = metrics.horizontalAdvance(line[start : start + len(needle)])
                painter.fillRect(
                    QRectF(left, line_rect.top() + 1, width, line_rect.height() - 2), highlight
                )
                start = haystack.find(needle, start + len(needle))
        painter.setPen(text_colour)
        if kind == Kind.TLS:
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
        painter.drawText(
            QRectF(line_left, line_rect.top(), rect.right() - line_left, line_rect.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            line,
        )
        painter.setFont(option.font)

        painter.setBrush(Qt.BrushStyle.NoBrush)  # the tags' frames are not filled
        if layout.disclosure is not None:
            label = disclosure_label(self.is_unfolded(model, row))
            _draw_tag(painter, layout.disclosure, label, link, tint)
        if layout.explanation is not None:
            where, text = layout.explanation
            painter.setPen(grey)
            painter.drawText(
                where, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
            )
        for where, ref in layout.tags:
            _draw_tag(painter, where, ref.label, link, tint)

        if self.is_unfolded(model, row):
            self._paint_detail(painter, option, model.detail_at(row), line_left, line_rect, grey)
        if option.state & state_has_focus and selected:
            painter.setPen(QPen(grey, 1, Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()

    @staticmethod
    def _paint_detail(
        painter: QPainter,
        option: QStyleOptionViewItem,
        detail: str,
        left: float,
        line_rect: QRectF,
        colour: QColor,
    ) -> None:
        """Draw the unfolded detail below the line, one text line per line height."""
        from PySide6.QtGui import QPen

        metrics = QFontMetrics(option.font)
        height = metrics.height()
        top = line_rect.bottom()
        bottom = option.rect.bottom()
        box = QRectF(left - 4, top, option.rect.right() - left, bottom - top - 2)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(box.topLeft(), box.bottomLeft())
        painter.setPen(colour)
        for number, text in enumerate(detail.splitlines()):
            y = top + number * height
            if y + height > bottom:
                break
            painter.drawText(
                QRectF(left + 4, y, option.rect.right() - left, height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )


def disclosure_label(unfolded: bool) -> str:
    """The toggle on a line with a detail: "▸ what was sent" or "▾ what was sent"."""
    return ("▾ " if unfolded else "▸ ") + _("what was sent")


def _mix(colour: QColor, base: QColor) -> QColor:
    """An opaque colour between ``colour`` (45%) and ``base``: the tags' frame."""
    return QColor(
        (colour.red() * 9 + base.red() * 11) // 20,
        (colour.green() * 9 + base.green() * 11) // 20,
        (colour.blue() * 9 + base.blue() * 11) // 20,
    )


def _tag_rect(line_rect: QRectF, x: float, width: float) -> QRectF:
    return QRectF(x, line_rect.top() + 2, width, line_rect.height() - 4)


def _draw_tag(painter: QPainter, rect: QRectF, text: str, colour: QColor, outline: QColor) -> None:
    """Draw a small link-styled tag: the text in the link colour in a light frame of it."""
    # An opaque 1-pixel frame on whole pixels: the raster engine's fast path. A
    # translucent or antialiased one costs ~0.15 ms each, and the visible rows are
    # repainted after every batch of a busy send.
    painter.setPen(outline)
    painter.drawRect(rect.toRect().adjusted(0, 0, -1, -1))
    painter.setPen(colour)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)


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
    from PySide6.QtGui import QBrush, QPainterPath, QPen
    from PySide6.QtWidgets import QStyleOptionViewItem

    _state_flags()
    QStyleOptionViewItem.ViewItemFeature  # noqa: B018  (the attribute read builds the type)
    # The first QBrush/QPen built from a QColor makes shiboken build QGradient (its
    # overloads) and the pen enums: ~5 ms better spent now than in the first paint.
    QBrush(QColor("#000"))
    QPen(QColor("#000"), 1, Qt.PenStyle.DotLine)
    QPainterPath().addRoundedRect(QRectF(0, 0, 2, 2), 1, 1)
