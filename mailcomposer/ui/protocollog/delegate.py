"""Paints a log line: time, marker or lock, the line, its explanation, RFC tags, step time."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.colours import tls_rule_colour
from mailcomposer.ui.protocollog.lines import MARKERS, Kind
from mailcomposer.ui.protocollog.model import ProtocolLogModel

# Painting types load at the first painted line (or the idle warm-up), not at start.
if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from mailcomposer.smtp.rfc import Ref
    from mailcomposer.ui.protocollog.paintkit import PaintKit


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
        line: the line's text in the CLI form.
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
        "line",
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
        self.line = ""
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

    What depends only on the font and palette (metrics, colours, tag widths, elided
    explanations, laid-out labels, lock pictures) is kept in a ``PaintKit``, rebuilt
    when either changes: a batch of new lines repaints every visible row.

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
        self._kit: PaintKit | None = None

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(metrics.horizontalAdvance("x") * 80, metrics.height() + 4)

    def kit(self, option: QStyleOptionViewItem) -> PaintKit:
        """Return the paint kit for the option's font and palette (a new one if they changed)."""
        font = option.font
        palette = option.palette
        kit = self._kit
        if kit is None or not kit.fits(font, palette):
            from mailcomposer.ui.protocollog.paintkit import PaintKit

            kit = self._kit = PaintKit(font, palette)
        return kit

    def is_unfolded(self, model: ProtocolLogModel, row: int) -> bool:
        """Return True when ``row`` has a detail and it is shown."""
        return bool(self.unfolded) and model.row_key(row) in self.unfolded

    def layout(self, option: QStyleOptionViewItem, model: ProtocolLogModel, row: int) -> RowLayout:
        """Return where the parts of ``row`` go inside ``option.rect``."""
        cell = option.rect
        return self._layout(
            self.kit(option),
            cell.getRect(),
            self._visible_right(option.widget, cell),
            model,
            row,
            model.kind_at(row),
        )

    def _layout(
        self,
        kit: PaintKit,
        cell: tuple[int, int, int, int],
        visible_right: float,
        model: ProtocolLogModel,
        row: int,
        kind: str,
    ) -> RowLayout:
        # Plain numbers, not QRectF getters: this runs for every painted row.
        left, top, cell_width, _height = cell
        char = kit.char
        line_height = kit.line_height
        line_rect = QRectF(left, top, cell_width, line_height)
        # Gutter: relative time, [step time while explaining], marker, lock; then the text.
        step_left = left + 4 + char * 10
        marker_left = step_left + (char * (STEP_CHARS + 1) if self.explain else 0)
        text_left = marker_left + char * 4
        line = model.line_at(row)
        metrics = kit.bold_metrics if kind == Kind.TLS else kit.metrics
        layout = RowLayout(line_rect, text_left, metrics.horizontalAdvance(line), marker_left)
        layout.line = line
        # The explanation is cut where the view ends, so its tags stay in sight (the
        # tooltip and the copied text have it whole).
        right = min(left + cell_width, visible_right) - 8
        elapsed = model.step_time_at(row) if self.explain else None
        if elapsed is not None:
            from mailcomposer.smtp.transcript import format_elapsed  # loaded by a send

            layout.step_time = (
                QRectF(step_left, top, char * STEP_CHARS, line_height),
                format_elapsed(elapsed),
            )
        x = text_left + layout.text_width
        if model.detail_at(row):
            label = disclosure_label(self.is_unfolded(model, row))
            width = kit.width(label) + char
            x += char * 2
            layout.disclosure = QRectF(x, top + 2, width, line_height - 4)
            x += width
        if not self.explain:
            return layout
        refs = model.refs_at(row)[:MAX_TAGS]
        widths = [kit.width(r.label) + char for r in refs]
        tags_width = sum(widths) + char * len(widths)
        explanation = model.explanation_at(row)
        if explanation:
            x += char * 3
            # The tags get room first, but the explanation keeps a readable start.
            room = max(right - x - tags_width, min(char * 24.0, right - x), 0.0)
            shown, width = kit.elided(explanation, int(room))
            if shown:
                layout.explanation = (QRectF(x, top, width + 1, line_height), shown)
                x += width
        for ref, width in zip(refs, widths, strict=True):
            x += char
            if x + width > right:
                break
            layout.tags.append((QRectF(x, top + 2, width, line_height - 4), ref))
            x += width
        return layout

    @staticmethod
    def _visible_right(view, rect) -> float:
        """The right edge of what the view shows, in the row's coordinates."""
        if view is None or not hasattr(view, "horizontalOffset"):
            return float(QRectF(rect).right())
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
        # Ask our model directly: cheaper than QVariant round trips for every cell
        # (and index.data() returning None loses a reference; see keep_none_alive).
        model = index.model()
        row = index.row()
        if not isinstance(model, ProtocolLogModel) or row >= model.rowCount():
            super().paint(painter, option, index)
            return
        kit = self.kit(option)
        view = option.widget
        cell = option.rect
        kind = model.kind_at(row)
        layout = self._layout(
            kit, cell.getRect(), self._visible_right(view, cell), model, row, kind
        )
        selected, focused = _selection_state(option, index, view)
        ratio = view.devicePixelRatioF() if view is not None else 1.0
        char = kit.char
        top = layout.line_rect.top()
        painter.save()
        painter.setFont(kit.font)

        if selected:
            painter.fillRect(cell, kit.highlight)
            text_colour = grey = link = kit.highlighted_text
            tint = kit.selected_tint
        else:
            background = model.colour(kind, background=True)
            if background is not None:
                painter.fillRect(cell, background)
            foreground = model.colour(kind, background=False)
            text_colour = foreground if foreground is not None else kit.text
            grey, link, tint = kit.grey, kit.link, kit.tint

        # A rule across the row where encryption starts: a visible "from here on, TLS".
        if model.is_tls_start(row):
            from PySide6.QtGui import QPen

            painter.setPen(QPen(tls_rule_colour(option.palette), 2))
            painter.drawLine(cell.left(), cell.top() + 1, cell.right(), cell.top() + 1)

        # Relative time column (right-aligned), and the step's time in its own column.
        baseline = top + kit.baseline
        painter.setPen(grey)
        painter.drawText(
            QRectF(cell.left() + 4, top, char * 9, kit.line_height),
            kit.right_flags,
            f"+{model.relative_time(row):.3f}",
        )
        if layout.step_time is not None:
            # Plain drawText at a point: the rectangle-and-alignment form lays the text
            # out again each time, and the width of these few texts is kept.
            where, text = layout.step_time
            painter.drawText(QPointF(where.right() - kit.width(text), baseline), text)

        # Marker column: glyph, or a lock for the TLS note; secure lines get a small lock.
        secure = kind != Kind.TLS and model.is_secure_at(row)
        gutter = kit.picture(
            ("gutter", kind, secure, text_colour.rgba(), grey.rgba()),
            char * 4,
            kit.line_height,
            ratio,
            lambda picture: _draw_gutter(picture, kit, kind, secure, text_colour, grey),
        )
        painter.drawPixmap(QPointF(layout.marker_left, top), gutter)

        # The line itself, with find matches highlighted.
        line = layout.line
        line_left = layout.text_left
        if self.find_text and not selected:
            self._paint_matches(painter, kit, line, line_left, layout.line_rect)
        painter.setPen(text_colour)
        if kind == Kind.TLS:
            painter.setFont(kit.bold)
            painter.drawText(QPointF(line_left, top + kit.bold_baseline), line)
            painter.setFont(kit.font)
        else:
            painter.drawText(QPointF(line_left, baseline), line)

        if layout.disclosure is not None:
            label = disclosure_label(self.is_unfolded(model, row))
            _paint_tag(painter, kit, layout.disclosure, label, link, tint, ratio)
        if layout.explanation is not None:
            where, text = layout.explanation
            painter.setPen(grey)
            painter.drawStaticText(QPointF(where.left(), top + kit.text_top), kit.static(text))
        for where, ref in layout.tags:
            _paint_tag(painter, kit, where, ref.label, link, tint, ratio)

        if self.is_unfolded(model, row):
            self._paint_detail(
                painter, option, model.detail_at(row), line_left, layout.line_rect, grey
            )
        if focused and selected:
            from PySide6.QtGui import QPen

            painter.setPen(QPen(grey, 1, Qt.PenStyle.DotLine))
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
        painter.restore()

    def _paint_matches(
        self, painter: QPainter, kit: PaintKit, line: str, left: float, line_rect: QRectF
    ) -> None:
        """Highlight every occurrence of the find text in ``line``."""
        metrics = kit.metrics
        needle = self.find_text.lower()
        haystack = line.lower()
        start = haystack.find(needle)
        highlight = QColor("#ffd54f")
        highlight.setAlpha(170)
        while start >= 0:
            x = left + metrics.horizontalAdvance(line[:start])
            width = metrics.horizontalAdvance(line[start : start + len(needle)])
            painter.fillRect(
                QRectF(x, line_rect.top() + 1, width, line_rect.height() - 2), highlight
            )
            start = haystack.find(needle, start + len(needle))

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


def _paint_tag(
    painter: QPainter,
    kit: PaintKit,
    rect: QRectF,
    text: str,
    colour: QColor,
    outline: QColor,
    ratio: float,
) -> None:
    """Paint a tag from its picture (drawn once per label, colours and size)."""
    width, height = rect.width(), rect.height()
    picture = kit.picture(
        ("tag", text, colour.rgba(), outline.rgba()),
        width,
        height,
        ratio,
        lambda tag: _draw_tag(tag, kit, QRectF(0, 0, width, height), text, colour, outline),
    )
    painter.drawPixmap(rect.topLeft(), picture)


def _draw_tag(
    painter: QPainter, kit: PaintKit, rect: QRectF, text: str, colour: QColor, outline: QColor
) -> None:
    """Draw a small link-styled tag: the text in the link colour in a light frame of it."""
    # An opaque 1-pixel frame on whole pixels, not filled.
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(outline)
    painter.drawRect(rect.toRect().adjusted(0, 0, -1, -1))
    painter.setPen(colour)
    painter.drawStaticText(
        QPointF(
            rect.left() + (rect.width() - kit.width(text)) / 2,
            rect.top() + (rect.height() - kit.metrics.height()) / 2,
        ),
        kit.static(text),
    )


def _draw_gutter(
    painter: QPainter, kit: PaintKit, kind: str, secure: bool, colour: QColor, grey: QColor
) -> None:
    """Draw the marker column: the glyph (or a lock for the TLS note), then the small lock."""
    char = kit.char
    if kind == Kind.TLS:
        draw_lock(painter, QRectF(0, 2, char * 2, kit.line_height - 4), colour)
    else:
        marker = MARKERS.get(kind, "")
        if marker:
            painter.setPen(colour)
            painter.drawText(QRectF(0, 0, char * 2, kit.line_height), kit.centre_flags, marker)
    if secure:
        draw_lock(painter, QRectF(char * 2, 4, char * 1.6, kit.line_height - 7), grey)


def _selection_state(option: QStyleOptionViewItem, index, view) -> tuple[bool, bool]:
    """Return whether the row is selected, and whether it is the focused current row.

    Asked of the view as QTableView itself decides it: reading ``option.state`` builds
    QStyle's ~700 enum members (~11 ms at the first paint) and costs an enum operation
    per flag per row. Painted outside a view, the option says.
    """
    selection = view.selectionModel() if hasattr(view, "selectionModel") else None
    if selection is None:
        state_selected, state_has_focus = _state_flags()
        return bool(option.state & state_selected), bool(option.state & state_has_focus)
    if not selection.isSelected(index):
        return False, False
    return True, view.hasFocus() and view.currentIndex() == index


@cache
def _state_flags() -> tuple:
    """QStyle's Selected and HasFocus flags; imported on first use, not at start-up.

    Reading QStyle builds its ~700 enum members (~15 ms); the log's own view never
    needs them (see ``_selection_state``).
    """
    from PySide6.QtWidgets import QStyle

    return QStyle.StateFlag.State_Selected, QStyle.StateFlag.State_HasFocus


def warm_up_painting() -> None:
    """Build the Qt types the first painted log line needs (call when idle)."""
    from PySide6.QtGui import QPainterPath, QPen
    from PySide6.QtWidgets import QStyleOptionViewItem

    from mailcomposer.ui.protocollog import paintkit  # noqa: F401  (the module, loaded)
    from mailcomposer.ui.protocollog.scrollbar import style_types

    style_types()  # the log's scrollbar asks the style whether a change shows

    _state_flags()  # the log's view no longer needs QStyle to paint; a bare option does
    QStyleOptionViewItem.ViewItemFeature  # noqa: B018  (the attribute read builds the type)
    # The first QPen built from a QColor makes shiboken build QGradient (its overloads)
    # and the pen enums: ~5 ms better spent now than in the first paint of a TLS line.
    QPen(QColor("#000"), 1, Qt.PenStyle.DotLine)
    QPainterPath().addRoundedRect(QRectF(0, 0, 2, 2), 1, 1)
