"""The log's scrollbars: they repaint only what changed, and cheaply when nothing did."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractSlider, QScrollBar

_NO_ACTION = QAbstractSlider.SliderAction.SliderNoAction
# The first lines already cost a paint's worth of first-time set-up; building QStyle's
# names (if the idle warm-up has not) waits until they are on screen.
ARM_DELAY_MS = 200


@cache
def style_types() -> tuple:
    """QStyle's names the scrollbar asks and paints with; built on first use, not at start.

    Reading QStyle builds its ~700 enum members (~5-15 ms): done by the idle warm-up
    (``warm_up_painting``) or, failing that, just after the first lines.
    """
    from PySide6.QtWidgets import QStyle, QStyleOptionSlider

    return (
        QStyleOptionSlider,
        QStyle.ComplexControl.CC_ScrollBar,
        QStyle.SubControl.SC_ScrollBarSlider,
        QStyle.StyleHint.SH_ScrollBar_Transient,
        QStyle.SubControl.SC_All,
        QStyle.SubControl.SC_None,
    )


class LogScrollBar(QScrollBar):
    """A scrollbar that repaints only when its picture changes, and from a copy if it didn't.

    While the log follows new lines, every batch raises the range and moves the value
    to the new end; with thousands of lines the handle is already at its shortest and
    at the bottom, so nothing on screen moves. QScrollBar repaints anyway. The picture
    is named by the handle's rectangle, whether the value sits at either end (a style
    may grey an arrow there), the bar's size and palette; a change that keeps the name
    needs no paint. A batch changes the range first (the handle jumps up) and then the
    value (back to the bottom): ``held()`` lets the view decide once, after both.

    Qt also repaints both scrollbars of a view whenever it lays the view's children out
    (each batch: it raises one bar's container above the other's, in turn), so an
    unchanged picture is painted from a copy, and the bar is opaque (it paints its
    background itself) so that what lies under it, the view's frame, the dock and the
    window, is not painted again each time. While the mouse is over it or holds it,
    and under styles with transient scrollbars, the bar paints as Qt's does.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._armed = False
        self._painted: tuple | None = None
        self._holding = False
        self._changed = False
        self._copy = None  # (key, QPixmap) of the last picture painted from the style
        self._style_watcher = None

    def arm(self) -> None:
        """Start skipping repaints that would paint the same picture."""
        option_type, _control, _slider, transient, _all, _none = style_types()
        option = option_type()
        self.initStyleOption(option)
        self._armed = not self.style().styleHint(transient, option, self)
        self._be_opaque()
        if self._armed and self._style_watcher is None:
            # A style change clears the attribute again; before arming it is clear anyway
            # (not a changeEvent(): see ui/eventwatch.py).
            from mailcomposer.ui.eventwatch import EventWatcher

            self._style_watcher = EventWatcher(self, self._on_change_event)

    def _be_opaque(self) -> None:
        # Styles clear the attribute when they polish a scrollbar: set again after each
        # polish (the first show, a style change). Our paintEvent fills the background.
        from PySide6.QtCore import Qt

        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, self._armed)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._be_opaque()

    def _on_change_event(self, event) -> bool:
        if event.type() == event.Type.StyleChange:
            self._be_opaque()
        return False

    def arm_soon(self) -> None:
        """Arm a moment later: not in the paint of the first lines (see ``style_types``)."""
        if not self._armed:
            QTimer.singleShot(ARM_DELAY_MS, self, self.arm)  # dropped if the bar goes first

    def is_armed(self) -> bool:
        """True once the bar skips repaints of an unchanged picture."""
        return self._armed

    def picture_key(self) -> tuple:
        """Return what the bar's picture depends on, as a comparable value."""
        option_type, control, slider, _transient, _all, _none = style_types()
        option = option_type()
        self.initStyleOption(option)
        handle = self.style().subControlRect(control, option, slider, self)
        value, low, high = option.sliderValue, option.minimum, option.maximum
        return (
            handle.getRect(),
            option.rect.getRect(),
            value <= low,
            value >= high,
            int(option.state.value),
            option.direction.value,  # a right-to-left bar is drawn mirrored
            option.palette.cacheKey(),
        )

    @contextmanager
    def held(self) -> Iterator[None]:
        """Collect the changes made inside the block; repaint once after, if they show."""
        if self._holding or not self._armed:
            yield
            return
        self._holding, self._changed = True, False
        try:
            yield
        finally:
            self._holding = False
            if self._changed and (self._painted is None or self.picture_key() != self._painted):
                self.update()

    def sliderChange(self, change) -> None:
        if self._holding and self.repeatAction() == _NO_ACTION:
            self._changed = True
            return
        if (
            self._armed
            and self._painted is not None
            and self.repeatAction() == _NO_ACTION  # a held arrow or page: Qt's checks
            and self.picture_key() == self._painted
        ):
            return  # the same picture: QAbstractSlider would only have called update()
        super().sliderChange(change)

    def paintEvent(self, event) -> None:
        if not self._armed:  # translucent as Qt's (see _be_opaque): nothing to fill
            super().paintEvent(event)
            return
        from PySide6.QtGui import QPainter

        painter = QPainter(self)
        key = self._painted = self.picture_key()
        if self.isSliderDown() or self.repeatAction() != _NO_ACTION or self.underMouse():
            # Pressed or hovered parts are drawn from state only Qt knows.
            self._copy = None
            painter.fillRect(self.rect(), self.palette().window())
            painter.end()
            super().paintEvent(event)
            return
        ratio = self.devicePixelRatioF()
        if self._copy is None or self._copy[0] != (key, ratio):
            self._copy = ((key, ratio), self._draw(ratio))
        painter.drawPixmap(0, 0, self._copy[1])
        painter.end()

    def _draw(self, ratio: float):
        """Paint the bar as QScrollBar paints it at rest (no part pressed or hovered)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter, QPixmap

        option_type, control, _slider, _transient, every, none = style_types()
        option = option_type()
        self.initStyleOption(option)
        option.subControls = every
        option.activeSubControls = none
        pixmap = QPixmap(math.ceil(self.width() * ratio), math.ceil(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.fillRect(self.rect(), self.palette().window())
        self.style().drawComplexControl(control, option, painter, self)
        painter.end()
        return pixmap
