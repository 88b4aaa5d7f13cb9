"""Statistics of the send log: per day by outcome, success rate, failures, domains, sizes, times."""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import Counter
from collections.abc import Sequence
from email.utils import getaddresses
from typing import Any

from mailcomposer.store.history import OUTCOMES, SentRecord

SIZE_BUCKETS = ((10 * 1024, "< 10 KiB"), (100 * 1024, "< 100 KiB"), (1024**2, "< 1 MiB"),
                (10 * 1024**2, "< 10 MiB"), (None, "≥ 10 MiB"))  # fmt: skip
MAX_DAYS = 3660  # the days ``per_day`` holds at most (the latest ten years)
TIME_BUCKETS = ((1.0, "< 1 s"), (5.0, "1–5 s"), (30.0, "5–30 s"), (None, "≥ 30 s"))


def _day(record: SentRecord) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(record.date[:10])
    except ValueError:
        return None


def _bucket(value: float, buckets: Sequence[tuple[float | None, str]]) -> str:
    for limit, label in buckets:
        if limit is None or value < limit:
            return label
    return buckets[-1][1]


def _refused(record: SentRecord) -> set[str]:
    """The addresses of a partly sent message that the server refused (they got nothing)."""
    refused = {text.partition(": ")[0].strip().lower() for text in record.refused}
    for result in record.rcpt_results:
        code = result.get("code")
        if isinstance(code, int) and code >= 400:
            refused.add(str(result.get("address", "")).lower())
    return refused


@dataclasses.dataclass(frozen=True)
class Stats:
    """Figures for a period; every count is of send attempts.

    Attributes:
        since, until: the period (inclusive), as days.
        attempts: attempts in the period.
        by_outcome: outcome -> count, every outcome present.
        per_day: one ``(day, {outcome: count})`` per day of the period, oldest first
            (its last ``MAX_DAYS`` days when longer).
        success_rate: sent or partly sent / attempts (None without attempts).
        failures_by_stage: stage -> count, for failed, cancelled and unknown.
        failures_by_code: reply code (``"none"`` when no reply decided) -> count.
        top_domains: ``(domain, count)`` of the recipients who were sent a message (not
            those a partly sent one was refused for), top ten.
        sizes: size bucket -> count; median_size in bytes.
        times: time-to-send bucket -> count; median_time and p90_time in seconds.
    """

    since: datetime.date
    until: datetime.date
    attempts: int
    by_outcome: dict[str, int]
    per_day: tuple[tuple[datetime.date, dict[str, int]], ...]
    success_rate: float | None
    failures_by_stage: dict[str, int]
    failures_by_code: dict[str, int]
    top_domains: tuple[tuple[str, int], ...]
    sizes: dict[str, int]
    median_size: int | None
    times: dict[str, int]
    median_time: float | None
    p90_time: float | None

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["since"] = self.since.isoformat()
        data["until"] = self.until.isoformat()
        data["per_day"] = [{"day": d.isoformat(), **counts} for d, counts in self.per_day]
        data["top_domains"] = [{"domain": d, "count": n} for d, n in self.top_domains]
        return data


def compute(
    records: Sequence[SentRecord],
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Stats:
    """Figures for the records dated from ``since`` to ``until`` (defaults: their span)."""
    dated = [(day, r) for r in records if (day := _day(r)) is not None]
    if until is None:
        until = max((d for d, _r in dated), default=datetime.date.today())
        if since is not None:
            until = max(until, since)  # a period after the last attempt, not a reversed one
    if since is None:
        since = min((d for d, _r in dated), default=until)
    chosen = [r for d, r in dated if since <= d <= until]
    by_outcome = {outcome: 0 for outcome in OUTCOMES}
    days: dict[datetime.date, dict[str, int]] = {}
    # At most MAX_DAYS, the latest: one attempt dated 1970 by a wrong clock must not
    # push every real day out of the chart.
    day = max(since, until - datetime.timedelta(days=MAX_DAYS - 1))
    while day <= until:
        days[day] = {outcome: 0 for outcome in OUTCOMES}
        day += datetime.timedelta(days=1)
    stages: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    sizes: Counter[str] = Counter({label: 0 for _limit, label in SIZE_BUCKETS})
    times: Counter[str] = Counter({label: 0 for _limit, label in TIME_BUCKETS})
    durations: list[float] = []
    for record in chosen:
        outcome = record.result if record.result in by_outcome else "failed"
        by_outcome[outcome] += 1
        record_day = _day(record)
        if record_day in days:
            days[record_day][outcome] += 1
        if record.succeeded:
            sizes[_bucket(record.size, SIZE_BUCKETS)] += 1
            refused = _refused(record)
            for _name, addr in getaddresses(list(record.recipients)):
                if "@" in addr and addr.lower() not in refused:
                    domains[addr.rpartition("@")[2].lower()] += 1
            if record.duration is not None:
                durations.append(record.duration)
                times[_bucket(record.duration, TIME_BUCKETS)] += 1
        else:
            stages[record.stage or "unknown"] += 1
            codes[str(record.reply_code) if record.reply_code else "none"] += 1
    attempts = len(chosen)
    succeeded = by_outcome["sent"] + by_outcome["partial"]
    sent_sizes = [r.size for r in chosen if r.succeeded]
    p90 = None
    if len(durations) >= 2:
        p90 = statistics.quantiles(durations, n=10, method="inclusive")[-1]
    elif durations:
        p90 = durations[0]
    return Stats(
        since=since,
        until=until,
        attempts=attempts,
        by_outcome=by_outcome,
        per_day=tuple(days.items()),
        success_rate=succeeded / attempts if attempts else None,
        failures_by_stage=dict(stages.most_common()),
        failures_by_code=dict(codes.most_common()),
        top_domains=tuple(domains.most_common(10)),
        sizes=dict(sizes),
        median_size=int(statistics.median(sent_sizes)) if sent_sizes else None,
        times=dict(times),
        median_time=statistics.median(durations) if durations else None,
        p90_time=p90,
    )


UNITS = ("day", "week", "month", "year")


@dataclasses.dataclass(frozen=True)
class Bar:
    """Attempts of one day, week (from Monday), month or year, by outcome.

    Attributes:
        first, last: the days it covers (within the period).
        unit: ``day``, ``week``, ``month`` or ``year``.
        counts: outcome -> count.
    """

    first: datetime.date
    last: datetime.date
    unit: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _unit_start(day: datetime.date, unit: str) -> datetime.date:
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def group_days(per_day: Sequence[tuple[datetime.date, dict[str, int]]], most: int) -> list[Bar]:
    """``per_day`` in at most ``most`` bars: by day, else by week, month or year.

    A chart of two years of days has 730 bars thinner than a pixel, labelled by
    none; by month it has 24 that can each be read.
    """
    for unit in UNITS:
        bars: dict[datetime.date, Bar] = {}
        for day, counts in per_day:
            start = _unit_start(day, unit)
            bar = bars.get(start)
            if bar is None:
                bars[start] = Bar(day, day, unit, dict(counts))
            else:
                merged = {o: bar.counts.get(o, 0) + n for o, n in counts.items()}
                bars[start] = Bar(bar.first, day, unit, merged)
        if len(bars) <= most or unit == UNITS[-1]:
            return list(bars.values())
    return []
