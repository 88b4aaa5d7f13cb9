"""The user's dictionary after the user edited it in Windows Notepad."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.spelling import UserDictionary


def test_a_last_word_without_a_line_end_is_not_glued_to_the_next(tmp_path: Path):
    path = tmp_path / "dictionary.txt"
    path.write_bytes(b"mailcomposer\r\nZhang")  # Notepad writes no last line end
    words = UserDictionary(path)
    words.add("Hangzhou")
    again = UserDictionary(path)
    assert "zhang" in again and "hangzhou" in again and "mailcomposer" in again
    assert "zhanghangzhou" not in again


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b"\xef\xbb\xbf"),  # "UTF-8" in Notepad before Windows 10 1903
        ("gbk", b""),  # "ANSI" on a Chinese system
        ("utf-16-le", b"\xff\xfe"),  # "Unicode"
    ],
)
def test_every_encoding_notepad_saves_in_is_read(tmp_path: Path, encoding: str, bom: bytes):
    path = tmp_path / "dictionary.txt"
    path.write_bytes(bom + "Zhang\r\ncafé\r\n张三\r\n".encode(encoding))
    words = UserDictionary(path)
    assert "Zhang" in words and "café" in words and "张三" in words
    words.add("Hangzhou")
    again = UserDictionary(path)
    assert all(w in again for w in ("Zhang", "café", "张三", "Hangzhou"))
    again.add("Suzhou")  # whatever it was, the file stays readable and keeps every word
    assert all(w in UserDictionary(path) for w in ("Zhang", "café", "张三", "Hangzhou", "Suzhou"))
