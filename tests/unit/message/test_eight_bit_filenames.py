"""Attachment names written as raw GBK or UTF-8 bytes (old Foxmail, Outlook) read as written."""

from __future__ import annotations

import pytest

from mailcomposer.message.eml import read_eml
from mailcomposer.message.inspect import parse_in_pieces
from mailcomposer.message.structure import part_filename


def message(name: bytes, header: str = "filename") -> bytes:
    where = (
        b'Content-Disposition: attachment; filename="' + name + b'"\r\n'
        if header == "filename"
        else b""
    )
    return (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        b'--b\r\nContent-Type: application/msword; name="' + name + b'"\r\n' + where
        + b"\r\nxx\r\n--b--\r\n"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("报告.doc".encode("gbk"), "filename"),
        ("季度报表（终稿）.xlsx".encode("gb18030"), "filename"),
        ("报告.doc".encode(), "filename"),
        ("报告.doc".encode("gbk"), "name"),  # only Content-Type names it
    ],
)
def test_a_raw_eight_bit_name_reads_as_written(name: bytes, header: str) -> None:
    expected = name.decode("utf-8") if name == "报告.doc".encode() else name.decode("gb18030")
    part = list(parse_in_pieces(message(name, header)).walk())[2]
    assert part_filename(part) == expected


def test_reopening_such_a_message_keeps_the_name() -> None:
    draft = read_eml(message("报告.doc".encode("gbk")))
    assert [a.filename for a in draft.attachments] == ["报告.doc"]


def test_a_well_formed_name_is_left_alone() -> None:
    raw = message(b"=?UTF-8?B?5oql5ZGKLmRvYw==?=")
    part = list(parse_in_pieces(raw).walk())[2]
    assert part_filename(part) == "报告.doc"
