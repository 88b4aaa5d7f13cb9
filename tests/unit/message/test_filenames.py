"""message.filenames: names made from a subject that Windows (the strictest) accepts."""

from __future__ import annotations

import pytest

from mailcomposer.message.filenames import is_reserved, name_from_text, shorten_name

# What Windows refuses in a file name, whatever the folder (a Save dialog says
# "The file name is not valid", a write raises OSError).
WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def windows_takes(name: str) -> bool:
    return (
        bool(name)
        and not (set(name) & WINDOWS_FORBIDDEN)
        and all(ch.isprintable() for ch in name)
        and not name.endswith((" ", "."))
        and not is_reserved(name)
        and len(name.encode("utf-16-le")) // 2 <= 255
    )


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: 周报: 第3周?", "Re 周报 第3周"),
        ('Fwd: "budget" <draft>', "Fwd budget draft"),
        ("a/b\\c|d*e", "a b c d e"),
        ("Tab\there\nand a line", "Tab here and a line"),
        ("Done.", "Done"),
        ("   ", "message"),
        ("???", "message"),
        ("CON", "_CON"),
        ("nul.report", "_nul.report"),
        ("com1 . notes", "_com1 . notes"),
        ("Console", "Console"),
    ],
)
def test_a_subject_becomes_a_name_windows_takes(subject, expected):
    name = name_from_text(subject)
    assert name == expected
    assert windows_takes(name + ".eml")


@pytest.mark.parametrize("name", ["CON", "con.txt", "Nul.tar.gz", "COM1 .eml", "lpt9.", "COM¹"])
def test_device_names_are_known_with_extensions_and_trailing_spaces(name):
    assert is_reserved(name)


@pytest.mark.parametrize("name", ["CONTACTS", "con-1.txt", "comX", "nullable", "aux_.txt"])
def test_ordinary_names_are_not_devices(name):
    assert not is_reserved(name)


def test_a_long_subject_is_cut_to_the_limit():
    assert name_from_text("报" * 100) == "报" * 60
    assert name_from_text("x" * 100, limit=10) == "x" * 10


def test_shorten_keeps_the_extension_and_counts_bytes_and_utf16_units():
    chinese = "季" * 200 + ".pdf"  # 200 UTF-16 units, 600 UTF-8 bytes
    short = shorten_name(chinese)
    assert short.endswith(".pdf")
    assert len(short.encode("utf-8")) <= 255
    emoji = "😀" * 200 + ".txt"  # 400 UTF-16 units
    assert len(shorten_name(emoji).encode("utf-16-le")) // 2 <= 255
    assert shorten_name("short.txt") == "short.txt"
