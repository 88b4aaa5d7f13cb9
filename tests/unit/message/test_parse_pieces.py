"""The message parsed a piece at a time is the message parsed whole."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcomposer.message import inspect as message_inspect

PIECES = st.sampled_from([1, 2, 3, 7, 64, 1024 * 1024])

BODY = (
    b"From: Ann <ann@example.org>\r\nTo: bo@example.org\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n"
    b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\npreamble\r\n'
    b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello \xc3\xa9\r\n\r\n"
    b"--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
    b"\r\nAAECAwQFBgcICQ==\r\n--b1--\r\nepilogue\r\n"
)


def whole(raw: bytes) -> bytes:
    return BytesParser(policy=policy.default).parsebytes(raw).as_bytes()


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 64])
def test_cut_anywhere_a_message_parses_the_same(monkeypatch, piece: int) -> None:
    monkeypatch.setattr(message_inspect, "PARSE_PIECE", piece)
    for raw in (BODY, BODY.replace(b"\r\n", b"\n"), BODY.replace(b"\r\n", b"\r")):
        assert message_inspect.parse_in_pieces(raw).as_bytes() == whole(raw)


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=400), piece=PIECES)
def test_any_bytes_parse_the_same_in_pieces(raw: bytes, piece: int) -> None:
    original = message_inspect.PARSE_PIECE
    message_inspect.PARSE_PIECE = piece
    try:
        ours = message_inspect.parse_in_pieces(raw)
    finally:
        message_inspect.PARSE_PIECE = original
    theirs = BytesParser(policy=policy.default).parsebytes(raw)
    assert ours.as_bytes() == theirs.as_bytes()
    assert [type(d) for d in ours.defects] == [type(d) for d in theirs.defects]
