"""The Statistics window: its charts carry the send log's numbers, in any palette."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from mailcomposer.store.history import OUTCOMES, History
from mailcomposer.store.paths import Home
from mailcomposer.store.stats import compute
from mailcomposer.ui.charts import BarChart, nice_maximum, outcome_color
from mailcomposer.ui.statswindow import StatsWindow
from tests.unit.store.test_send_log import _week

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def stats_window(qtbot, tmp_path: Path):
    home = Home(tmp_path)
    history = History(home)
    _week(history)
    expected = compute(history.recent(100), TODAY - datetime.timedelta(days=6), TODAY)
    history.close()
    window = StatsWindow(home, today=TODAY)
    qtbot.add_widget(window)
    window.resize(1000, 660)
    window.show()
    return window, expected


def test_charts_carry_the_stats_numbers(stats_window) -> None:
    window, expected = stats_window
    assert window.stats == expected
    assert window.per_day.stacks() == [
        (day.strftime("%m-%d"), {o: counts[o] for o in OUTCOMES})
        for day, counts in expected.per_day
    ]
    assert window.per_day.bars()[0] == ("11-30", 2)
    assert window.success.text == "50 %"
    assert dict(window.by_stage.bars()) == {"AUTH": 1, "RCPT": 1, "DATA": 1, "DOT": 1}
    assert dict(window.by_code.bars()) == {"535": 1, "550": 1, "no reply": 2}
    assert window.domains.bars() == list(expected.top_domains)
    assert window.sizes.bars() == list(expected.sizes.items())
    assert window.times.bars() == list(expected.times.items())
    assert "15.6 KiB" in window.figures.text()


def test_the_period_selector_changes_the_figures(stats_window) -> None:
    window, _expected = stats_window
    window.set_custom(datetime.date(2026, 12, 1), datetime.date(2026, 12, 2))
    assert window.stats.attempts == 2
    assert [label for label, _n in window.per_day.bars()] == ["12-01", "12-02"]
    window.set_period(30)
    assert window.stats.attempts == 8 and len(window.stats.per_day) == 30
    window.set_period(0)
    assert window.stats.since == datetime.date(2026, 11, 30)


def test_an_empty_log_says_so(qtbot, tmp_path: Path) -> None:
    window = StatsWindow(Home(tmp_path), today=TODAY)
    qtbot.add_widget(window)
    assert window.stats.attempts == 0 and window.success.text == "—"
    assert window.grab().toImage().width() > 0  # paints without data


def _has_colour(image, color: QColor) -> bool:
    return any(
        image.pixelColor(x, y).rgb() == color.rgb()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


@pytest.mark.parametrize("dark", [False, True])
def test_screenshot_draws_each_outcome_in_its_palette_colour(qtbot, stats_window, dark) -> None:
    window, _expected = stats_window
    if dark:
        palette = QPalette(window.palette())
        palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
        window.setPalette(palette)
        window.refresh()
    image = window.per_day.grab().toImage()
    palette = window.palette()
    for outcome in ("sent", "partial", "failed", "unknown"):
        assert _has_colour(image, outcome_color(outcome, palette)), outcome
    text = window.per_day.palette().color(QPalette.ColorRole.WindowText)
    assert (text.lightness() > 128) == dark


def test_bar_chart_axis_and_values() -> None:
    assert [nice_maximum(v) for v in (0, 1, 3, 7, 12, 260)] == [1, 1, 5, 10, 20, 500]


def test_bar_chart_keeps_the_values_it_draws(qtbot) -> None:
    chart = BarChart("t", horizontal=True)
    qtbot.add_widget(chart)
    chart.set_values([("qq.com", 3), ("163.com", 1)])
    assert chart.bars() == [("qq.com", 3), ("163.com", 1)]
    assert chart.grab().toImage().width() > 0
