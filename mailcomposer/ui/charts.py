"""Small charts painted with QPainter: bars (stacked or not) and a big number, palette colours."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# Hues of the outcomes (degrees); lightness and saturation come from the palette.
_OUTCOME_HUES = {"sent": 130, "partial": 45, "failed": 0, "cancelled": -1, "unknown": 275}


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def outcome_color(outcome: str, palette: QPalette) -> QColor:
    """The colour of an outcome, readable on ``palette``'s window (grey for cancelled)."""
    hue = _OUTCOME_HUES.get(outcome, -1)
    dark = is_dark(palette)
    if hue < 0:
        mid = palette.color(QPalette.ColorRole.PlaceholderText)
        return mid if mid.isValid() else palette.color(QPalette.ColorRole.Mid)
    return QColor.fromHsl(hue, 150 if dark else 170, 150 if dark else 105)


def accent_color(palette: QPalette) -> QColor:
    """The colour of single-series bars: the palette's highlight."""
    return palette.color(QPalette.ColorRole.Highlight)


@dataclasses.dataclass(frozen=True)
class Series:
    """One stacked part of each bar.

    Attributes:
        key: the id (``sent``...), label: shown in the legend, color: its fill.
    """

    key: str
    label: str
    color: QColor


def nice_maximum(value: float) -> float:
    """The axis top for ``value``: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


class BarChart(QWidget):
    """A titled bar chart: one bar per label, each stacked from one or more series.

    Vertical bars suit days and histograms; horizontal bars suit long labels
    (domains, stages). An empty chart says so instead of drawing an empty axis.

    Attributes:
        title: the heading drawn above the bars.
        horizontal: bars grow to the right, labels on the left.
    """

    def __init__(
        self, title: str, parent: QWidget | None = None, *, horizontal: bool = False
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.empty_text = ""
        self._series: tuple[Series, ...] = ()
        self._rows: tuple[tuple[str, tuple[float, ...]], ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 150)

    def set_data(
        self, rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[Series] = ()
    ) -> None:
        """Show ``rows`` (label, one value per series); without series: one accent bar each."""
        self._series = tuple(series) or (Series("value", "", accent_color(self.palette())),)
        self._rows = tuple((label, tuple(values)) for label, values in rows)
        self.update()

    def set_values(self, rows: Sequence[tuple[str, float]]) -> None:
        """Show one plain bar per ``(label, value)``."""
        self.set_data([(label, (value,)) for label, value in rows])

    def bars(self) -> list[tuple[str, float]]:
        """Each bar's label and total, as drawn (for tests and the accessible text)."""
        return [(label, sum(values)) for label, values in self._rows]

    def stacks(self) -> list[tuple[str, dict[str, float]]]:
        """Each bar's label and its value per series key."""
        keys = [s.key for s in self._series]
        return [(label, dict(zip(keys, values, strict=False))) for label, values in self._rows]

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        rect = QRectF(self.rect()).adjusted(8, 6, -8, -6)
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_color)
        title_height = QFontMetrics(title_font).height()
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.title)
        rect.setTop(rect.top() + title_height + 4)
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        if len(self._series) > 1:
            rect.setTop(rect.top() + self._paint_legend(painter, rect, metrics) + 4)
        total = max((sum(v) for _label, v in self._rows), default=0)
        if not self._rows or total <= 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top = nice_maximum(total)
        if self.horizontal:
            self._paint_horizontal(painter, rect, metrics, top)
        else:
            self._paint_vertical(painter, rect, metrics, top)

    def _paint_legend(self, painter: QPainter, rect: QRectF, metrics: QFontMetrics) -> float:
        x = rect.left()
        y = rect.top()
        box = metrics.height() * 0.7
        for series in self._series:
            width = box + 4 + metrics.horizontalAdvance(series.label) + 14
            if x + width > rect.right() and x > rect.left():
                x = rect.left()
                y += metrics.height() + 2
            painter.fillRect(QRectF(x, y + (metrics.height() - box) / 2, box, box), series.color)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(QPointF(x + box + 4, y + metrics.ascent()), series.label)
            x += width
        return y + metrics.height() - rect.top()

    def _grid_pen(self) -> QPen:
        color = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        color.setAlpha(50)
        return QPen(color, 1)

    def _paint_vertical(
        self, painter: QPainter, rect: QRectF, metrics: QFontMetrics, top: float
    ) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        ticks = [(fraction, _number(top * fraction)) for fraction in (0.0, 0.5, 1.0)]
        # The widest label, not the top one: "2.5" under a top of "5" was cut to ".5".
        axis_width = max(metrics.horizontalAdvance(text) for _fraction, text in ticks) + 6
        slot = (rect.width() - axis_width) / len(self._rows)
        widest = max(metrics.horizontalAdvance(label) for label, _v in self._rows) + 4
        # Few bars with long labels (a histogram): every label, on two staggered lines;
        # many bars (days): every n-th label, so none overlap.
        stagger = widest > slot and widest <= 2 * slot and len(self._rows) <= 12
        # A space's width between day labels, so "08-29" and "09-04" do not run together.
        every = (
            1 if stagger else max(1, math.ceil((widest + metrics.horizontalAdvance("  ")) / slot))
        )
        label_lines = 2 if stagger else 1
        plot = QRectF(rect.left() + axis_width, rect.top(), rect.width() - axis_width, 0)
        plot.setTop(rect.top() + metrics.height() / 2)  # room for the top axis label
        plot.setBottom(rect.bottom() - label_lines * metrics.height() - 4)
        for fraction, tick in ticks:
            y = plot.bottom() - fraction * plot.height()
            painter.setPen(self._grid_pen())
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            # The 0 sits on its line, not across it: the first bar's label is just below.
            middle = metrics.height() if fraction == 0 else metrics.height() / 2
            label_rect = QRectF(rect.left(), y - middle, axis_width - 4, 0)
            label_rect.setHeight(metrics.height())
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignRight, tick)
        bar_width = max(2.0, slot * 0.7)
        for index, (label, values) in enumerate(self._rows):
            x = plot.left() + index * slot + (slot - bar_width) / 2
            y = plot.bottom()
            for series, value in zip(self._series, values, strict=False):
                height = plot.height() * value / top
                painter.fillRect(QRectF(x, y - height, bar_width, height), series.color)
                y -= height
            if index % every == 0:
                painter.setPen(text)
                line = index % 2 if stagger else 0
                label_top = plot.bottom() + 2 + line * metrics.height()
                # Centred on the bar and as wide as the widest label: a rect of a few thin
                # bars' width clipped "01-05" to its dash.
                room = widest
                centre = plot.left() + (index + 0.5) * slot
                left = min(max(centre - room / 2, rect.left()), rect.right() - room)
                label_rect = QRectF(left, label_top, room, 0)
                label_rect.setHeight(metrics.height() + 2)
                painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter, label)

    def _paint_horizontal(
        self, painter: QPainter, rect: QRectF, metrics: QFontMetrics, top: float
    ) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        widest = max(metrics.horizontalAdvance(label) for label, _v in self._rows) + 8
        label_width = min(rect.width() * 0.45, widest)
        value_width = metrics.horizontalAdvance(_number(top)) + 8
        plot_left = rect.left() + label_width + 8
        plot_width = max(10.0, rect.right() - value_width - plot_left)
        slot = min(rect.height() / len(self._rows), metrics.height() * 2.0)
        bar_height = max(2.0, min(slot * 0.7, metrics.height() * 1.2))
        for index, (label, values) in enumerate(self._rows):
            y = rect.top() + index * slot
            painter.setPen(text)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, int(label_width))
            label_rect = QRectF(rect.left(), y, label_width, slot)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(label_rect, right, shown)
            x = plot_left
            bar_top = y + (slot - bar_height) / 2
            for series, value in zip(self._series, values, strict=False):
                width = plot_width * value / top
                painter.fillRect(QRectF(x, bar_top, width, bar_height), series.color)
                x += width
            painter.setPen(text)
            value_rect = QRectF(x + 4, y, value_width, slot)
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(value_rect, left, _number(sum(values)))


class BigNumber(QWidget):
    """A large figure with a caption under it (the success rate).

    Attributes:
        text: the figure as shown (``92 %``); caption: the line under it.
    """

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.text = "—"
        self.color: QColor | None = None
        self.setMinimumSize(180, 120)

    def set_value(self, text: str, caption: str, color: QColor | None = None) -> None:
        """Show ``text`` large (in ``color``, default the window text) over ``caption``."""
        self.text, self.caption, self.color = text, caption, color
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(220, 160)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rect = QRectF(self.rect()).adjusted(8, 6, -8, -6)
        big = QFont(self.font())
        big.setPointSizeF(max(18.0, min(rect.height() / 3.2, rect.width() / 5) * 0.75))
        big.setBold(True)
        painter.setFont(big)
        painter.setPen(self.color or palette.color(QPalette.ColorRole.WindowText))
        figure = QRectF(rect)
        figure.setHeight(rect.height() * 0.65)
        painter.drawText(figure, Qt.AlignmentFlag.AlignCenter, self.text)
        painter.setFont(self.font())
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        below = QRectF(rect)
        below.setTop(figure.bottom())
        painter.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                         self.caption)  # fmt: skip


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
