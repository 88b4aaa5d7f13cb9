"""Paints a log line: time, marker or lock, the line, its explanation, RFC tags, step time."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.colours import tls_rule_colour
from mailcomposer.ui.protocollog.lines import MARKERS, Kind, Row, detail_of, line_of
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

    Painting reads the plain numbers; the rectangles are made when asked for.

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
        "disclosure_at",
        "explanation_at",
        "left",
        "line",
        "line_height",
        "marker_left",
        "step_at",
        "tags_at",
        "text_left",
        "text_width",
        "top",
        "width",
    )  # fmt: skip

    def __init__(
        self,
        cell: tuple[float, float, float, float],
        text_left: float,
        text_width: float,
        marker_left: float,
    ) -> None:
        self.left, self.top, self.width, self.line_height = cell
        self.line = ""
        self.text_left = text_left
        self.text_width = text_width
        self.marker_left = marker_left
        self.disclosure_at: tuple[float, float] | None = None  # x, width
        self.explanation_at: tuple[float, float, str] | None = None  # x, width, text
        self.tags_at: list[tuple[float, float, Ref]] = []  # x, width, reference
        self.step_at: tuple[float, float, str] | None = None  # left, width, text

    @property
    def line_rect(self) -> QRectF:
        return QRectF(self.left, self.top, self.width, self.line_height)

    @property
    def disclosure(self) -> QRectF | None:
        if self.disclosure_at is None:
            return None
        x, width = self.disclosure_at
        return QRectF(x, self.top + 2, width, self.line_height - 4)

    @property
    def explanation(self) -> tuple[QRectF, str] | None:
        if self.explanation_at is None:
            return None
        x, width, text = self.explanation_at
        return QRectF(x, self.top, width + 1, self.line_height), text

    @property
    def tags(self) -> list[tuple[QRectF, Ref]]:
        top, height = self.top + 2, self.line_height - 4
        return [(QRectF(x, top, width, height), ref) for x, width, ref in self.tags_at]

    @property
    def step_time(self) -> tuple[QRectF, str] | None:
        if self.step_at is None:
            return None
        left, width, text = self.step_at
        return QRectF(left, self.top, width, self.line_height), text


class _Frame:
    """What every row of one paint of the view shares, asked of the view once.

    A batch of lines repaints every visible row: per row, these were a dozen calls
    into Qt (the kit's font and palette check, the view's width, scale and selection).
    """

    __slots__ = ("colours", "current", "gutters", "kit", "ratio", "selection", "visible_right")

    def __init__(self, view) -> None:
        self.kit: PaintKit | None = None  # from the first row's option
        self.visible_right = float(view.horizontalOffset() + view.viewport().width())
        self.ratio = view.devicePixelRatioF()
        selection = view.selectionModel()
        # Most paints have nothing selected: no question per row then.
        self.selection = selection if selection is not None and selection.hasSelection() else None
        self.current = view.currentIndex() if view.hasFocus() else None
        self.colours: dict[str, tuple[QColor | None, QColor | None]] = {}
        self.gutters: dict[tuple[str, bool, bool], object] = {}


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
        self._frame: _Frame | None = None

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

    def is_unfolded_key(self, kept: Row) -> bool:
        """Return True when the kept row's detail is shown (see ``row_key``)."""
        return bool(self.unfolded) and (kept[0], kept[2]) in self.unfolded

    def begin_frame(self, view) -> None:
        """Take what every row of the coming paint of ``view`` shares (see ``_Frame``)."""
        self._frame = _Frame(view)

    def end_frame(self) -> None:
        """Forget the paint's shared state: the view may change before the next one."""
        self._frame = None

    def layout(self, option: QStyleOptionViewItem, model: ProtocolLogModel, row: int) -> RowLayout:
        """Return where the parts of ``row`` go inside ``option.rect``."""
        cell = option.rect
        return self._layout(
            self.kit(option),
            cell.getRect(),
            self._visible_right(option.widget, cell),
            model.kept_row(row),
            model.kind_at(row),
        )

    def _layout(
        self,
        kit: PaintKit,
        cell: tuple[int, int, int, int],
        visible_right: float,
        kept: Row,
        kind: str,
    ) -> RowLayout:
        # Plain numbers, no Qt objects: this runs for every painted row.
        left, top, cell_width, _height = cell
        char = kit.char
        line_height = kit.line_height
        # Gutter: relative time, [step time while explaining], marker, lock; then the text.
        step_left = left + 4 + char * 10
        marker_left = step_left + (char * (STEP_CHARS + 1) if self.explain else 0)
        text_left = marker_left + char * 4
        line = line_of(kept)
        width = kit.bold_text_width(line) if kind == Kind.TLS else kit.text_width(line)
        layout = RowLayout((left, top, cell_width, line_height), text_left, width, marker_left)
        layout.line = line
        # The explanation is cut where the view ends, so its tags stay in sight (the
        # tooltip and the copied text have it whole).
        right = min(left + cell_width, visible_right) - 8
        extra = kept[6]  # the step time (a float) or the detail (a str), see lines.Row
        if self.explain and extra is not None and not isinstance(extra, str):
            layout.step_at = (step_left, char * STEP_CHARS, _format_elapsed()(extra))
        x = text_left + width
        if isinstance(extra, str) and extra:
            label = disclosure_label(self.is_unfolded_key(kept))
            label_width = kit.width(label) + char
            x += char * 2
            layout.disclosure_at = (x, label_width)
            x += label_width
        if not self.explain:
            return layout
        tags = kit.tag_labels(kept[5] >> 1, MAX_TAGS)
        tags_width = sum(width for _label, width, _ref in tags) + char * len(tags)
        explanation = kept[4]
        if explanation:
            x += char * 3
            # The tags get room first, but the explanation keeps a readable start.
            room = max(right - x - tags_width, min(char * 24.0, right - x), 0.0)
            shown, shown_width = kit.elided(explanation, int(room))
            if shown:
                layout.explanation_at = (x, shown_width, shown)
                x += shown_width
        for _label, tag_width, ref in tags:
            x += char
            if x + tag_width > right:
                break
            layout.tags_at.append((x, tag_width, ref))
            x += tag_width
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
        disclosure = layout.disclosure
        if disclosure is not None and disclosure.contains(pos):
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
        frame = self._frame
        view = option.widget
        if frame is None:  # painted outside the view's own paint (a grab of a cell, a test)
            kit = self.kit(option)
            visible_right = self._visible_right(view, option.rect)
            selected, focused = _selection_state(option, index, view)
            ratio = view.devicePixelRatioF() if view is not None else 1.0
            colours: dict = {}
            gutters: dict = {}
        else:
            kit = frame.kit
            if kit is None:
                kit = frame.kit = self.kit(option)
            visible_right = frame.visible_right
            selection = frame.selection
            selected = selection is not None and selection.isSelected(index)
            focused = selected and frame.current == index
            ratio = frame.ratio
            colours = frame.colours
            gutters = frame.gutters
        cell = option.rect
        kept = model.kept_row(row)
        kind = model.kind_at(row)
        layout = self._layout(kit, cell.getRect(), visible_right, kept, kind)
        char = kit.char
        line_height = kit.line_height
        left = layout.left
        top = layout.top
        painter.save()
        painter.setFont(kit.font)

        found = colours.get(kind)
        if found is None:
            found = colours[kind] = (
                model.colour(kind, background=True),
                model.colour(kind, background=False),
            )
        background, foreground = found
        if selected:
            painter.fillRect(cell, kit.highlight)
            text_colour = grey = link = kit.highlighted_text
            tint = kit.selected_tint
        else:
            if background is not None:
                painter.fillRect(cell, background)
            text_colour = foreground if foreground is not None else kit.text
            grey, link, tint = kit.grey, kit.link, kit.tint

        # A rule across the row where encryption starts: a visible "from here on, TLS".
        if model.is_tls_start(row):
            from PySide6.QtGui import QPen

            painter.setPen(QPen(tls_rule_colour(option.palette), 2))
            painter.drawLine(cell.left(), cell.top() + 1, cell.right(), cell.top() + 1)

        # Relative time column (right-aligned), and the step's time in its own column:
        # plain drawText at a point (the rectangle-and-alignment form lays the text out
        # again each time), right-aligned by its width.
        baseline = top + kit.baseline
        painter.setPen(grey)
        stamp = f"+{model.relative_time(row):.3f}"
        painter.drawText(QPointF(left + 4 + char * 9 - kit.exact_width(stamp), baseline), stamp)
        if layout.step_at is not None:
            step_left, step_width, text = layout.step_at
            painter.drawText(QPointF(step_left + step_width - kit.width(text), baseline), text)

        # Marker column: glyph, or a lock for the TLS note; secure lines get a small lock.
        secure = kind != Kind.TLS and bool(kept[5] & 1)
        gutter = gutters.get((kind, secure, selected))
        if gutter is None:
            gutter = gutters[(kind, secure, selected)] = kit.picture(
                ("gutter", kind, secure, text_colour.rgba(), grey.rgba()),
                char * 4,
                line_height,
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

        unfolded = layout.disclosure_at is not None and self.is_unfolded_key(kept)
        if layout.disclosure_at is not None:
            _paint_tag(
                painter, kit, layout.disclosure, disclosure_label(unfolded), link, tint, ratio
            )
        if layout.explanation_at is not None:
            x, _width, text = layout.explanation_at
            painter.setPen(grey)
            painter.drawStaticText(QPointF(x, top + kit.text_top), kit.static(text))
        if layout.tags_at:
            # All the row's tags in one picture (drawn once per set of references).
            tags = layout.tags_at
            first = tags[0][0]
            height = line_height - 4
            strip = kit.picture(
                ("tags", kept[5] >> 1, len(tags), link.rgba(), tint.rgba()),
                tags[-1][0] + tags[-1][1] - first,
                height,
                ratio,
                lambda picture: _draw_tags(picture, kit, tags, first, height, link, tint),
            )
            painter.drawPixmap(QPointF(first, top + 2), strip)

        if unfolded:
            self._paint_detail(painter, option, detail_of(kept), line_left, layout.line_rect, grey)
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


def _draw_tags(
    painter: QPainter,
    kit: PaintKit,
    tags: list[tuple[float, float, Ref]],
    first: float,
    height: float,
    colour: QColor,
    outline: QColor,
) -> None:
    """Draw a row's tags side by side, as ``_paint_tag`` draws each (``first``: the left)."""
    for x, width, ref in tags:
        label = ref.label
        _draw_tag(painter, kit, QRectF(x - first, 0, width, height), label, colour, outline)


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
def _format_elapsed():
    """``transcript.format_elapsed``, imported once (a send loads the module, not the start).

    An import statement in the row's code went through PySide's import hook each row.
    """
    from mailcomposer.smtp.transcript import format_elapsed

    return format_elapsed


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
