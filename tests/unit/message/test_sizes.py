"""Sizes for people: exact bytes below 1 KiB, then KiB, MiB, GiB with one decimal."""

from __future__ import annotations

import pytest

from mailcomposer.message.sizes import format_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (500, "500 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KiB"),
        (1536, "1.5 KiB"),
        (1024 * 1024 - 1, "1 MiB"),
        (25 * 1024 * 1024, "25 MiB"),
        (35_900_000, "34.2 MiB"),
        (3 * 1024**3 // 2, "1.5 GiB"),
        (5 * 1024**4, "5 TiB"),
    ],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text
    assert "0.00" not in format_size(size)
