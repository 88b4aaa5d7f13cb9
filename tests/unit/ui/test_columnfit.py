"""Column widths that fill a table: the important columns whole, the rest cut first."""

from __future__ import annotations

from mailcomposer.ui.columnfit import fit_widths

WANTED = {0: 100, 1: 80, 2: 200, 3: 150}
CUTS = [(3, 50), (2, 120), (3, 20)]


def test_room_to_spare_goes_to_the_stretch_column() -> None:
    assert fit_widths(600, WANTED, CUTS, stretch=2) == {0: 100, 1: 80, 2: 270, 3: 150}


def test_a_shortfall_is_cut_in_order_down_to_each_floor() -> None:
    assert fit_widths(450, WANTED, CUTS, stretch=2) == {0: 100, 1: 80, 2: 200, 3: 70}
    assert fit_widths(300, WANTED, CUTS, stretch=2) == {0: 100, 1: 80, 2: 120, 3: 20}


def test_columns_never_cut_keep_their_width_when_nothing_fits() -> None:
    widths = fit_widths(100, WANTED, CUTS, stretch=2)
    assert widths == {0: 100, 1: 80, 2: 120, 3: 20}
    assert sum(widths.values()) > 100  # the table scrolls
