"""Attachments saved from the inbox get names Windows and Linux both take."""

from __future__ import annotations

import pytest

from mailcomposer.sandbox.preview import safe_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("con .txt", "_con .txt"),  # Windows drops the space: still the console
        ("COM¹.log", "_COM¹.log"),  # superscript digits are device numbers too
        ("conout$.txt", "_conout$.txt"),
        ("Contract.txt", "Contract.txt"),
    ],
)
def test_device_names_in_every_spelling_windows_knows_are_defused(name, expected):
    assert safe_filename(name, "text/plain", "1") == expected


def test_a_long_chinese_name_fits_in_255_bytes_and_keeps_its_extension():
    name = safe_filename("季度报告" * 40 + ".pdf", "application/pdf", "2")
    assert name.endswith(".pdf") and name.startswith("季度报告")
    # Linux counts bytes (ext4: 255), Windows UTF-16 units (255); " (2)" must still fit.
    assert len((name + " (2)").encode("utf-8")) <= 255
