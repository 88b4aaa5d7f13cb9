"""The Statistics window: the send log's figures for a period, as charts."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate, QEvent, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.store.history import OUTCOMES, History, read_with_notice
from mailcomposer.store.historyquery import Query, search
from mailcomposer.store.paths import Home
from mailcomposer.store.stats import Bar, Stats, compute, group_days
from mailcomposer.ui.charts import BarChart, BigNumber, Series, outcome_color
from mailcomposer.ui.outcomes import code_label, outcome_label, stage_label
from mailcomposer.ui.statusarea import escape

PERIODS = (7, 30, 90, 0, -1)  # days; 0: everything; -1: custom
MOST_BARS = 92  # a quarter's days; longer periods are drawn by week, month or year


def _bar_label(bar: Bar, one_year: bool) -> str:
    """A bar's label: its day or week's Monday (with the year unless one year), month, year."""
    if bar.unit == "year":
        return str(bar.first.year)
    if bar.unit == "month":
        return bar.first.strftime("%Y-%m")
    start = bar.first
    if bar.unit == "week":
        start -= datetime.timedelta(days=start.weekday())
    return start.strftime("%m-%d" if one_year else "%Y-%m-%d")


def _period_label(days: int) -> str:
    if days == 0:
        return _("All time")
    if days < 0:
        return _("Custom…")
    return ngettext("Last {n} day", "Last {n} days", days).format(n=days)


def _seconds(value: float | None) -> str:
    return "—" if value is None else _("{seconds:.1f} s").format(seconds=value)


class StatsWindow(QWidget):
    """Charts of the send log: per day by outcome, success rate, failures, domains, sizes, times.

    Attributes:
        period: the period selector (``statsPeriod``).
        since_edit, until_edit: the custom period's days.
        per_day, by_stage, by_code, domains, sizes, times: the ``BarChart`` s
            (``per_day`` draws weeks, months or years when days would not fit).
        success: the ``BigNumber`` with the success rate.
        stats: the ``Stats`` shown.
        notice: why the log cannot be read, or that a damaged one was set aside
            (``statsNotice``; hidden when all is well).
    """

    def __init__(
        self, home: Home, parent: QWidget | None = None, *, today: datetime.date | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("statsWindow")
        self.setWindowTitle(_("Statistics — mailcomposer"))
        self._history = History(home)
        self._today = today
        self.stats: Stats | None = None
        self._mark: tuple[int, int] | None = None  # the log as last read (History.mark)
        self.resize(1100, 720)

        self.period = QComboBox(self)
        self.period.setObjectName("statsPeriod")
        for days in PERIODS:
            self.period.addItem(_period_label(days), days)
        self.since_edit = QDateEdit(self)
        self.until_edit = QDateEdit(self)
        for edit, name in ((self.since_edit, "statsSince"), (self.until_edit, "statsUntil")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(self.today()))
            edit.dateChanged.connect(self.refresh)
        self.summary = QLabel(self)
        self.summary.setObjectName("statsSummary")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Period:"), self))
        top.addWidget(self.period)
        top.addWidget(self.since_edit)
        self._dash = QLabel("–", self)
        top.addWidget(self._dash)
        top.addWidget(self.until_edit)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)

        self.per_day = BarChart(_("Messages per day"), self)
        self.success = BigNumber("", self)
        self.by_stage = BarChart(_("Failures by stage"), self, horizontal=True)
        self.by_code = BarChart(_("Failures by reply code"), self, horizontal=True)
        self.domains = BarChart(_("Top recipient domains"), self, horizontal=True)
        self.sizes = BarChart(_("Message sizes"), self)
        self.times = BarChart(_("Time to send"), self)
        for chart in (self.by_stage, self.by_code):
            chart.empty_text = _("No failures in this period.")
        for chart in (self.per_day, self.domains, self.sizes, self.times):
            chart.empty_text = _("Nothing sent in this period.")
        grid = QGridLayout()
        grid.addWidget(self.per_day, 0, 0, 1, 2)
        grid.addWidget(self.success, 0, 2)
        grid.addWidget(self.by_stage, 1, 0)
        grid.addWidget(self.by_code, 1, 1)
        grid.addWidget(self.domains, 1, 2)
        grid.addWidget(self.sizes, 2, 0)
        grid.addWidget(self.times, 2, 1)
        self.figures = QLabel(self)
        self.figures.setObjectName("statsFigures")
        self.figures.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.figures.setContentsMargins(8, 6, 8, 6)
        grid.addWidget(self.figures, 2, 2)
        self.notice = QLabel(self)
        self.notice.setObjectName("statsNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(grid, 1)
        self.period.currentIndexChanged.connect(self._on_period_current_index_changed)
        self._on_period_current_index_changed()

    def today(self) -> datetime.date:
        return self._today or datetime.date.today()

    def set_period(self, days: int) -> None:
        """Choose a period: 7, 30, 90 (days), 0 (all) or -1 (custom)."""
        self.period.setCurrentIndex(PERIODS.index(days))

    def set_custom(self, since: datetime.date, until: datetime.date) -> None:
        """Show the custom period from ``since`` to ``until``."""
        self.set_period(-1)
        self.since_edit.setDate(QDate(since))
        self.until_edit.setDate(QDate(until))

    @Slot()
    def _on_period_current_index_changed(self) -> None:
        custom = self.period.currentData() == -1
        self.since_edit.setVisible(custom)
        self.until_edit.setVisible(custom)
        self._dash.setVisible(custom)
        self.refresh()

    def _range(self) -> tuple[datetime.date | None, datetime.date]:
        days = self.period.currentData()
        if days == -1:
            since = self.since_edit.date().toPython()
            until = self.until_edit.date().toPython()
            return min(since, until), max(since, until)
        if days == 0:
            return None, self.today()
        return self.today() - datetime.timedelta(days=days - 1), self.today()

    def reload_if_changed(self) -> bool:
        """Redraw if an attempt was added to the log since; True when it had changed."""
        if read_with_notice(self._history.mark, self._history, None)[0] == self._mark:
            return False
        self.refresh()
        return True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.reload_if_changed()
        super().changeEvent(event)

    @Slot()
    def refresh(self) -> None:
        """Read the log for the period and redraw every chart."""
        since, until = self._range()
        self._mark = read_with_notice(self._history.mark, self._history, None)[0]
        query = Query(since=since, until=until)
        records, problem = read_with_notice(lambda: search(self._history, query), self._history, [])
        self.show_stats(compute(records, since, until))
        self.notice.setText(problem)
        self.notice.setVisible(bool(problem))

    def show_stats(self, stats: Stats) -> None:
        """Fill the charts with ``stats``."""
        self.stats = stats
        palette = self.palette()
        series = [Series(o, outcome_label(o), outcome_color(o, palette)) for o in OUTCOMES]
        # Days while they fit as readable bars; longer periods by week, month or year.
        bars = group_days(stats.per_day, MOST_BARS)
        unit = bars[0].unit if bars else "day"
        self.per_day.title = {
            "day": _("Messages per day"),
            "week": _("Messages per week (from Monday)"),
            "month": _("Messages per month"),
            "year": _("Messages per year"),
        }[unit]
        one_year = stats.since.year == stats.until.year
        self.per_day.set_data(
            [(_bar_label(bar, one_year), [bar.counts[o] for o in OUTCOMES]) for bar in bars],
            series,
        )
        if stats.success_rate is None:
            self.success.set_value("—", _("No messages in this period."))
        else:
            caption = ngettext(
                "accepted, of {n} attempt", "accepted, of {n} attempts", stats.attempts
            ).format(n=stats.attempts)
            rate = stats.success_rate
            mood = "sent" if rate >= 0.9 else "partial" if rate >= 0.5 else "failed"
            self.success.set_value(f"{rate * 100:.0f} %", caption, outcome_color(mood, palette))
        self.by_stage.set_values([(stage_label(s), n) for s, n in stats.failures_by_stage.items()])
        self.by_code.set_values([(code_label(c), n) for c, n in stats.failures_by_code.items()])
        self.domains.set_values(list(stats.top_domains))
        self.sizes.set_values(list(stats.sizes.items()))
        self.times.set_values(list(stats.times.items()))
        median = stats.median_size
        rows = [(outcome_label(o), str(stats.by_outcome[o])) for o in OUTCOMES]
        rows += [
            (_("Median size"), "—" if median is None else _format_size(median)),
            (_("Median time to send"), _seconds(stats.median_time)),
            (_("90% sent within"), _seconds(stats.p90_time)),
        ]
        cells = "".join(
            f"<tr><td>{escape(k)}</td><td align='right'>&nbsp;&nbsp;<b>{escape(v)}</b></td></tr>"
            for k, v in rows
        )
        self.figures.setText(f"<b>{escape(_('In figures'))}</b><table>{cells}</table>")
        self.summary.setText(
            ngettext(
                "{since} to {until}: {n} attempt",
                "{since} to {until}: {n} attempts",
                stats.attempts,
            ).format(since=stats.since.isoformat(), until=stats.until.isoformat(), n=stats.attempts)
        )

    def closeEvent(self, event) -> None:
        self._history.close()
        super().closeEvent(event)


def _format_size(size: int) -> str:
    from mailcomposer.message.sizes import format_size

    return format_size(size)
