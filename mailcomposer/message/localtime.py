"""A moment in this computer's time zone, also where Windows cannot tell (before 1970)."""

from __future__ import annotations

from datetime import datetime


def local_time(moment: datetime) -> datetime:
    """``moment`` in this computer's time zone (a naive one is taken as local already).

    ``astimezone()`` asks the C library for the zone's offset at that moment, and on
    Windows it refuses moments before 1970 (and after 3000): ``OSError: [Errno 22]``.
    A message dated ``Thu, 1 Jan 1970 00:00:00 +0800``, 16:00 on the last day of 1969
    in UTC, then broke the inbox list. There the offset in force today is used.
    """
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone()
    except (OSError, OverflowError, ValueError):
        return moment.astimezone(datetime.now().astimezone().tzinfo)


def sort_key(moment: datetime) -> float:
    """Seconds since 1970 for ordering (negative before), even where Windows has no answer."""
    try:
        return moment.timestamp()
    except (OSError, OverflowError, ValueError):  # a naive moment before 1970, on Windows
        return moment.replace(tzinfo=datetime.now().astimezone().tzinfo).timestamp()
