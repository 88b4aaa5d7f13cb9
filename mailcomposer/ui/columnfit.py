"""Column widths that fill a table's width: the important columns whole, the rest cut first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def fit_widths(
    available: int,
    wanted: Mapping[int, int],
    cuts: Iterable[tuple[int, int]],
    stretch: int,
) -> dict[int, int]:
    """Share ``available`` pixels among columns (a table without sideways scrolling).

    Every column starts at its ``wanted`` width. Room to spare goes to the
    ``stretch`` column; a shortfall is cut from the columns in the order of
    ``cuts``, each ``(column, floor)`` taking a column down to ``floor`` at most (a
    column may come back later with a lower floor). Columns never named in
    ``cuts`` keep their wanted width. When even the floors do not fit, the widths
    add up to more than ``available`` and the table scrolls.

    Args:
        available: the width to fill (the table's viewport).
        wanted: each column's width with its text whole (within a sensible maximum).
        cuts: the order in which columns give way, least important first.
        stretch: the column that takes what is left over.
    """
    widths = dict(wanted)
    over = sum(widths.values()) - available
    if over < 0:
        widths[stretch] -= over
        return widths
    for column, floor in cuts:
        if over <= 0:
            break
        cut = min(over, max(0, widths[column] - floor))
        widths[column] -= cut
        over -= cut
    return widths
