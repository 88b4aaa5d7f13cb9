"""Painting the protocol log: what is kept between rows follows font, palette and width."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.ui.protocollog import ProtocolLogDock, ProtocolLogModel
from mailcomposer.ui.protocollog.colours import muted
from tests.gui.conftest import shown_dock

LONG = (
    "The server accepted this recipient; the message will be offered to it when the "
    "DATA command is sent, and a later refusal would come back as a bounce."
)


@pytest.fixture
def dock(qtbot):
    dock = shown_dock(qtbot, 1400, 400)
    dock.append_events(
        [
            TranscriptEvent(0.0, Direction.CLIENT, "RCPT TO:<bob@example.org>"),
            TranscriptEvent(0.1, Direction.SERVER, "250 2.1.5 Ok", 250, LONG, elapsed=0.012),
        ]
    )
    qtbot.wait(1)
    return dock


def layout_of(dock, row: int):
    view = dock.view
    return view.delegate.layout(view.item_option(dock.model.index(row)), dock.model, row)


def test_a_font_change_lays_rows_out_in_the_new_font(dock, qtbot):
    before = layout_of(dock, 1)
    font = QFont(dock.view.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    dock.view.setFont(font)
    qtbot.wait(1)
    after = layout_of(dock, 1)
    # Widths measured in the old font must not survive the change.
    assert after.text_left > before.text_left * 1.5
    assert after.text_width > before.text_width * 1.5
    assert after.line_rect.height() > before.line_rect.height()


def test_the_explanation_is_cut_again_when_the_view_narrows(dock, qtbot):
    wide = layout_of(dock, 1).explanation[1]
    assert wide == LONG
    dock.parent().resize(700, 400)
    qtbot.wait_until(lambda: layout_of(dock, 1).explanation[1] != wide)
    narrow = layout_of(dock, 1).explanation[1]
    assert narrow.endswith("…") and len(narrow) < len(LONG)
    dock.parent().resize(1400, 400)
    qtbot.wait_until(lambda: layout_of(dock, 1).explanation[1] == LONG)


def test_a_palette_change_paints_in_the_new_colours(dock, qtbot):
    view = dock.view
    option = view.item_option(dock.model.index(0))
    assert view.delegate.kit(option).grey == muted(option.palette)
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    view.setPalette(palette)
    option = view.item_option(dock.model.index(0))
    assert view.delegate.kit(option).grey == muted(palette)
    assert view.delegate.kit(option).text == QColor("#e8eaed")


def test_the_first_lines_give_the_view_a_viewport_set_up_as_qts_own(qtbot):
    plain = QTableView()
    qtbot.add_widget(plain)
    dock = ProtocolLogDock()
    qtbot.add_widget(dock)
    dock.append_events([TranscriptEvent(0.0, Direction.CLIENT, "NOOP")])
    ours, qts = dock.view.viewport(), plain.viewport()
    assert ours.objectName() == qts.objectName() == "qt_scrollarea_viewport"
    assert ours.backgroundRole() == qts.backgroundRole() == QPalette.ColorRole.Base
    assert ours.autoFillBackground() and qts.autoFillBackground()
    assert ours.hasMouseTracking()  # hover over the tags
    assert ours.parent() is dock.view


def test_a_replayed_history_gets_the_viewport_too(qtbot):
    model = ProtocolLogModel()
    model.append_events([TranscriptEvent(0.0, Direction.CLIENT, "NOOP")])
    dock = ProtocolLogDock(model=model)
    qtbot.add_widget(dock)
    assert dock.view.viewport().hasMouseTracking()


def test_painted_outside_a_view_the_option_says_what_is_selected(qtbot):
    # The view's rows ask the view what is selected; a bare option still works.
    model = ProtocolLogModel()
    model.append_events([TranscriptEvent(0.0, Direction.CLIENT, "NOOP")])
    dock = ProtocolLogDock(model=model)
    qtbot.add_widget(dock)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 400, 20)
    option.font = dock.view.font()
    option.palette = dock.view.palette()
    option.state = QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_Enabled
    image = QImage(400, 20, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    dock.view.delegate.paint(painter, option, model.index(0))
    painter.end()
    highlight = option.palette.color(QPalette.ColorRole.Highlight)
    assert image.pixelColor(399, 19) == highlight
