"""The Statistics window over long periods: readable bars by week, month or year, labels whole."""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtGui import QColor, QFontMetrics, QImage, QPalette

from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from mailcomposer.ui.charts import BarChart
from mailcomposer.ui.statswindow import MOST_BARS, StatsWindow

TODAY = datetime.date(2026, 12, 6)


def two_years(home: Home) -> None:
    history = History(home)
    start = datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)
    for n in range(0, 700, 3):
        when = start + datetime.timedelta(days=n)
        history.record(f"<{n}@x>", when, "me@x.org", ["b@x.org"], "s", 1, "h:25", "sent")
    history.record("<0@y>", "1970-01-01T00:00:00+00:00", "me@x.org", ["b@x.org"], "s", 1,
                   "h:25", "failed", stage="connect")  # fmt: skip
    history.close()


def test_all_time_over_two_years_is_drawn_by_month(qtbot, tmp_path: Path) -> None:
    home = Home(tmp_path)
    two_years(home)
    window = StatsWindow(home, today=TODAY)
    qtbot.add_widget(window)
    window.set_period(0)
    bars = window.per_day.bars()
    assert window.per_day.title == "Messages per year", "1970 to 2026: ten years by year"
    assert sum(n for _label, n in bars) == 234, "the 1970 attempt is beyond the ten years"
    window.set_custom(datetime.date(2025, 1, 1), datetime.date(2026, 12, 6))
    bars = window.per_day.bars()
    assert window.per_day.title == "Messages per month"
    assert bars[0] == ("2025-01", 11) and len(bars) == 24
    assert sum(n for _label, n in bars) == window.stats.attempts == 234
    window.set_custom(datetime.date(2025, 1, 1), datetime.date(2025, 4, 30))
    assert window.per_day.title == "Messages per week (from Monday)"
    assert window.per_day.bars()[0][0] == "12-30", "the week of 1 January 2025 began in 2024"
    window.set_period(90)
    assert window.per_day.title == "Messages per day" and len(window.per_day.bars()) == 90
    assert MOST_BARS >= 90


def _ink_columns(image: QImage, top: int, bottom: int, ink: QColor) -> list[int]:
    """The x of every column with a pixel close to ``ink`` between ``top`` and ``bottom``."""
    found = []
    for x in range(image.width()):
        for y in range(top, bottom):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - ink.red()) + abs(c.green() - ink.green()) + abs(c.blue() - ink.blue())
                < 200
            ):
                found.append(x)
                break
    return found


def test_day_labels_under_thin_bars_are_drawn_whole(qtbot) -> None:
    chart = BarChart("Messages per day")
    qtbot.add_widget(chart)
    chart.resize(420, 200)
    first = datetime.date(2026, 1, 1)
    rows = [((first + datetime.timedelta(days=i)).strftime("%Y-%m-%d"), [1]) for i in range(90)]
    chart.set_data(rows)
    image = chart.grab().toImage()
    metrics = QFontMetrics(chart.font())
    ink = chart.palette().color(QPalette.ColorRole.WindowText)
    strip_top = image.height() - 6 - metrics.height() - 2
    columns = _ink_columns(image, strip_top, image.height() - 4, ink)
    assert columns, "the labels are drawn"
    # The first label's run of inked columns (gaps between glyphs are a few pixels).
    run_start = previous = columns[0]
    for x in columns[1:]:
        if x - previous > 6:
            break
        previous = x
    assert previous - run_start >= 0.8 * metrics.horizontalAdvance("2026-01-01")
