"""Send Later's quick choices across a daylight-saving change: 08:00 on the wall clock."""

from __future__ import annotations

import datetime
import time

import pytest
from PySide6.QtWidgets import QPushButton

from mailcomposer.ui.sendlaterdialog import SendLaterDialog, monday_morning, tomorrow_morning


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch):
    """The local time zone is Europe/Berlin (CET/CEST) for the test."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("now", "pick", "wall"),
    [
        # Saturday before the spring change (clocks go 02:00 -> 03:00 on Sunday 29 March).
        ((2026, 3, 28, 12, 0), tomorrow_morning, (2026, 3, 29, 8, 0)),
        ((2026, 3, 27, 12, 0), monday_morning, (2026, 3, 30, 8, 0)),
        # Friday before the autumn change (03:00 -> 02:00 on Sunday 25 October).
        ((2026, 10, 24, 12, 0), tomorrow_morning, (2026, 10, 25, 8, 0)),
        ((2026, 10, 23, 12, 0), monday_morning, (2026, 10, 26, 8, 0)),
    ],
)
def test_quick_choices_are_eight_on_the_wall_clock_after_a_dst_change(
    berlin, now, pick, wall
) -> None:
    chosen = pick(datetime.datetime(*now).astimezone())

    local = chosen.astimezone()
    assert (local.year, local.month, local.day, local.hour, local.minute) == wall


def test_the_dialog_shows_and_returns_eight_after_the_spring_change(qtbot, berlin) -> None:
    saturday = datetime.datetime(2026, 3, 28, 12, 0).astimezone()
    dialog = SendLaterDialog(saturday)
    qtbot.add_widget(dialog)

    dialog.findChild(QPushButton, "sendLaterTomorrowButton").click()

    assert dialog.picker.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-29 08:00"
    assert dialog.chosen() == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=datetime.UTC)
