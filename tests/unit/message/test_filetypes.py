"""MIME type guessing: content first, then extension, then octet-stream."""

from __future__ import annotations

import pytest

from mailcomposer.message.filetypes import guess_type


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("report.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("renamed.bin", b"%PDF-1.7\n", "application/pdf"),
        ("a.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("photo", b"\xff\xd8\xff\xe0", "image/jpeg"),
        ("x.gif", b"GIF89a", "image/gif"),
        ("x", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            "a.docx",
            b"PK\x03\x04",
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ),
        (
            "a.xlsx",
            b"PK\x03\x04",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "a.pptx",
            b"PK\x03\x04",
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ),
        ("a.zip", b"PK\x03\x04", "application/zip"),
        ("a.gz", b"\x1f\x8b\x08", "application/gzip"),
        ("song.mp3", b"ID3\x03", "audio/mpeg"),
        ("clip", b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        ("notes.txt", b"hello", "text/plain"),
        ("data.csv", b"a,b", "text/csv"),
        ("unknown.zzzz", b"\x00\x01", "application/octet-stream"),
        ("", b"", "application/octet-stream"),
    ],
)
def test_guess_type(name: str, head: bytes, expected: str) -> None:
    assert guess_type(name, head) == expected
