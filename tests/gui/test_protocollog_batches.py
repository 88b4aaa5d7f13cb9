"""Batches of lines into the protocol log: what a batch repaints, and that it still looks right."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QScrollBar

from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from tests.gui.conftest import shown_dock

EXPLAINED = "The server accepted this recipient; the message will be offered to it later."


def lines(count: int, first: int = 0) -> list[TranscriptEvent]:
    """Lines wider than the view (both scrollbars show), as a long session has."""
    return [
        TranscriptEvent(
            n * 0.001,
            Direction.SERVER if n % 2 else Direction.CLIENT,
            f"250 2.1.5 Ok {n}" if n % 2 else f"RCPT TO:<student{n}{'x' * 150}@example.org>",
            250 if n % 2 else None,
            EXPLAINED if n % 2 else "",
        )
        for n in range(first, first + count)
    ]


class PaintCounter(QObject):
    """Counts the paint events each watched widget gets."""

    def __init__(self, *widgets) -> None:
        super().__init__()
        self.counts = dict.fromkeys(widgets, 0)
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self.counts:
            self.counts[watched] += 1
        return False

    def reset(self) -> None:
        self.counts = dict.fromkeys(self.counts, 0)


@pytest.fixture
def dock(qtbot):
    dock = shown_dock(qtbot, 900, 500)
    return dock


def follow_a_session(dock, qtbot, batches: int = 10) -> None:
    view = dock.view
    bar = view.verticalScrollBar()
    for batch in range(batches):
        dock.append_events(lines(50, batch * 50))
        qtbot.wait(1)
    qtbot.wait_until(lambda: bar.is_armed() and view.horizontalScrollBar().is_armed())
    qtbot.wait_until(lambda: bar.isVisible() and view.horizontalScrollBar().isVisible())
    qtbot.wait_until(lambda: bar.value() == bar.maximum())


def test_a_batch_repaints_the_lines_not_the_dock_around_them(dock, qtbot):
    follow_a_session(dock, qtbot)
    view = dock.view
    counter = PaintCounter(view.viewport(), view, dock)
    for batch in range(10, 15):
        counter.reset()
        dock.append_events(lines(50, batch * 50))
        qtbot.wait_until(lambda: counter.counts[view.viewport()] > 0)
        qtbot.wait(5)
        # Qt lays the view's children out on every batch and repaints its scrollbars;
        # they are opaque, so nothing under them (the frame, the dock) is painted again.
        assert counter.counts[view] == 0
        assert counter.counts[dock] == 0
    assert view.is_at_bottom()


def test_the_bar_does_not_repaint_while_its_handle_stays_put(dock, qtbot):
    # Short lines: no horizontal scrollbar, so Qt has no reason of its own to repaint
    # the vertical one. With 40,000 lines a new one moves the handle by ~1/100 pixel.
    view = dock.view
    bar = view.verticalScrollBar()
    dock.append_events(
        [TranscriptEvent(n * 0.001, Direction.CLIENT, "NOOP") for n in range(40_000)]
    )
    qtbot.wait_until(lambda: bar.is_armed() and bar.isVisible())
    qtbot.wait_until(lambda: bar.value() == bar.maximum())
    assert not view.horizontalScrollBar().isVisible()
    # The first change after arming paints once: what was on screen is not known yet.
    dock.append_events([TranscriptEvent(49, Direction.CLIENT, "NOOP")])
    qtbot.wait(5)
    key = bar.picture_key()
    counter = PaintCounter(bar, view.viewport())
    for n in range(5):
        dock.append_events([TranscriptEvent(50 + n, Direction.CLIENT, "NOOP")])
        qtbot.wait_until(lambda n=n: counter.counts[view.viewport()] > n)
    assert view.is_at_bottom()
    assert bar.picture_key() == key
    assert counter.counts[bar] == 0


def test_the_bar_paints_as_qt_paints_a_scrollbar(dock, qtbot):
    follow_a_session(dock, qtbot)
    for ours in (dock.view.verticalScrollBar(), dock.view.horizontalScrollBar()):
        plain = QScrollBar(ours.orientation())
        qtbot.add_widget(plain)
        plain.setPalette(ours.palette())
        plain.resize(ours.size())
        for direction, value in (
            (Qt.LayoutDirection.LeftToRight, ours.maximum()),
            (Qt.LayoutDirection.LeftToRight, ours.maximum() // 2),
            (Qt.LayoutDirection.RightToLeft, ours.maximum() // 2),  # drawn mirrored
            (Qt.LayoutDirection.RightToLeft, 0),
        ):
            ours.setLayoutDirection(direction)
            plain.setLayoutDirection(direction)
            ours.setValue(value)
            plain.setRange(ours.minimum(), ours.maximum())
            plain.setPageStep(ours.pageStep())
            plain.setValue(value)
            qtbot.wait(1)
            # grab() twice: the second comes from the kept copy.
            assert ours.grab().toImage() == plain.grab().toImage()
            assert ours.grab().toImage() == plain.grab().toImage()


def test_the_bar_still_comes_and_goes_with_the_lines(dock, qtbot):
    view = dock.view
    bar = view.verticalScrollBar()
    follow_a_session(dock, qtbot, batches=2)
    dock.clear()
    qtbot.wait_until(lambda: not bar.isVisible())
    dock.append_events(lines(300))
    qtbot.wait_until(bar.isVisible)
    qtbot.wait_until(view.is_at_bottom)
    assert bar.maximum() > 0


def session_with_everything() -> list[TranscriptEvent]:
    from mailcomposer.smtp.rfc import ref

    refs = (ref(5321, "4.1.1.3"), ref(5321, "3.3"), ref(3463, "2"))
    return [
        TranscriptEvent(0.0, Direction.SERVER, "220 mx.example ESMTP", 220, "Hello.", elapsed=0.01),
        TranscriptEvent(0.1, Direction.NOTE, "TLS 1.3 established"),
        TranscriptEvent(0.2, Direction.CLIENT, "RCPT TO:<bob@example.org>", None, EXPLAINED,
                        secure=True, refs=refs),
        TranscriptEvent(0.3, Direction.SERVER, "451 4.7.1 Greylisted", 451, "Later.", secure=True,
                        refs=refs[:1], elapsed=1.5),
        TranscriptEvent(0.4, Direction.NOTE, "DATA: 811 bytes — multipart", secure=True,
                        detail="From: a@example.org\nSubject: Hi"),
        TranscriptEvent(0.5, Direction.CLIENT, "QUIT — 日本語 ünïcödé", secure=True),
    ]  # fmt: skip


def paint_alone(view, row: int):
    """Paint one row through the delegate by itself, as outside a paint of the view."""
    from PySide6.QtGui import QImage, QPainter, QPalette

    index = view.model().index(row)
    option = view.item_option(index)
    rect = option.rect
    image = QImage(rect.size(), QImage.Format.Format_RGB32)
    image.fill(view.palette().color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    painter.translate(-rect.topLeft())
    view.delegate.paint(painter, option, index)
    painter.end()
    return image


@pytest.mark.parametrize("explain", [True, False])
def test_rows_painted_by_the_view_look_as_each_row_painted_alone(dock, qtbot, explain):
    # The view's paint shares the kit, widths, selection and pictures between rows;
    # a row painted alone asks for all of it. Both must give the same pixels.
    from PySide6.QtCore import QItemSelectionModel

    view = dock.view
    dock.append_events(session_with_everything())
    dock.set_explain(explain)
    view.set_unfolded(4, True)
    for row in (2, 3):  # row 5 is a secure client line too, unselected
        view.selectionModel().select(
            view.model().index(row), QItemSelectionModel.SelectionFlag.Select
        )
    dock.find_field.setText("example")
    qtbot.wait(5)
    shown = view.viewport().grab().toImage()
    for row in range(view.model().rowCount()):
        cell = view.visualRect(view.model().index(row))
        seen = cell.intersected(view.viewport().rect())  # the cell is wider than the view
        alone = paint_alone(view, row).copy(seen.translated(-cell.topLeft()))
        assert shown.copy(seen).convertToFormat(alone.format()) == alone, f"row {row}"


def test_a_text_width_without_shaping_is_the_width_qt_measures(dock, qtbot):
    dock.append_events(session_with_everything())
    qtbot.wait(5)
    view = dock.view
    kit = view.delegate.kit(view.item_option(view.model().index(0)))
    texts = [view.model().line_at(row) for row in range(view.model().rowCount())]
    texts += ["+0.000", "+12.345", "tab\there", "", "a" * 300, "AVATAR ->"]
    for text in texts:
        assert kit.text_width(text) == kit.metrics.horizontalAdvance(text), text
        assert kit.bold_text_width(text) == kit.bold_metrics.horizontalAdvance(text), text
        assert kit.exact_width(text) == kit.metrics_f.horizontalAdvance(text), text


def test_an_armed_bar_stays_opaque_through_a_style_change(dock, qtbot):
    # Polishing for a new style clears the attribute; the bar watches for that from the
    # moment it is armed (ui/eventwatch.py), not from its construction.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyleFactory

    follow_a_session(dock, qtbot)
    bar = dock.view.verticalScrollBar()
    assert bar.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
    style = QStyleFactory.create("Fusion")  # its polish clears the attribute
    bar.setStyle(style)
    assert bar.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
