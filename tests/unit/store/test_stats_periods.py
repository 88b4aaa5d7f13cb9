"""Statistics over long periods: grouped bars, a wrong clock's date, a period after the log."""

from __future__ import annotations

import datetime

from mailcomposer.store.history import OUTCOMES, SentRecord
from mailcomposer.store.stats import MAX_DAYS, compute, group_days


def record(day: str, result: str = "sent", n: int = 0) -> SentRecord:
    return SentRecord(n, f"<{n}@x>", f"{day}T10:00:00+08:00", "me@x.org", ("b@x.org",), "s",
                      100, "h:25", result, ())  # fmt: skip


def days(first: datetime.date, n: int) -> list[tuple[datetime.date, dict[str, int]]]:
    return [
        (first + datetime.timedelta(days=i), {o: (1 if o == "sent" else 0) for o in OUTCOMES})
        for i in range(n)
    ]


def test_a_quarter_stays_by_day():
    bars = group_days(days(datetime.date(2026, 9, 1), 92), 92)
    assert len(bars) == 92 and {b.unit for b in bars} == {"day"}


def test_longer_periods_go_by_week_then_month_then_year_and_keep_every_attempt():
    for n, unit, count in ((120, "week", 18), (700, "month", 24), (3000, "year", 9)):
        bars = group_days(days(datetime.date(2025, 1, 1), n), 92)
        assert {b.unit for b in bars} == {unit}
        assert len(bars) == count
        assert sum(b.total for b in bars) == n
        assert bars[0].first == datetime.date(2025, 1, 1)


def test_weeks_start_on_monday_within_the_period():
    bars = group_days(days(datetime.date(2026, 12, 2), 100), 92)  # a Wednesday
    assert bars[0].unit == "week"
    assert (bars[0].first, bars[0].last) == (datetime.date(2026, 12, 2), datetime.date(2026, 12, 6))
    assert bars[1].first.weekday() == 0 and bars[1].total == 7


def test_an_attempt_dated_by_a_wrong_clock_does_not_push_the_real_days_out():
    stats = compute([record("1970-01-01", n=1), record("2026-12-05", n=2)])
    assert stats.since == datetime.date(1970, 1, 1), "the period says what the log holds"
    assert len(stats.per_day) == MAX_DAYS
    assert stats.per_day[-1][0] == datetime.date(2026, 12, 5)
    assert stats.per_day[-1][1]["sent"] == 1


def test_a_period_after_the_last_attempt_is_not_reversed():
    stats = compute([record("2026-12-05")], since=datetime.date(2027, 1, 1))
    assert stats.since <= stats.until
    assert stats.attempts == 0


def test_top_domains_leave_out_the_recipients_a_partial_send_was_refused_for():
    partial = SentRecord(
        1, "<1@x>", "2026-12-06T10:00:00+08:00", "me@x.org",
        ("good@example.com", "Bad <bad@refused.org>", "Other@Refused2.org"), "s", 100, "h:25",
        "partial", ("bad@refused.org: 550 5.1.1 No such user",),
        rcpt_results=(
            {"address": "good@example.com", "field": "to", "code": 250, "text": "OK"},
            {"address": "bad@refused.org", "field": "to", "code": 550, "text": "No"},
            {"address": "Other@Refused2.org", "field": "cc", "code": 452, "text": "Full"},
        ),
    )  # fmt: skip
    assert compute([partial]).top_domains == (("example.com", 1),)
