"""Line ends made local in pieces give exactly what one replace gives (and the same headers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mailcomposer.message import eml

CR_LF_TEXT = st.binary().map(lambda b: bytes(b"\r\na:\xc3\xa9"[x % 6] for x in b))


@settings(max_examples=300, deadline=None)
@given(raw=CR_LF_TEXT, piece=st.integers(min_value=1, max_value=9))
def test_pieces_give_what_one_replace_gives(raw: bytes, piece: int) -> None:
    assert eml.local_line_ends(raw, piece) == raw.replace(b"\r\n", b"\n")


def test_a_piece_never_splits_a_cr_from_its_lf() -> None:
    raw = b"ab\r\r\r\ncd\r\n" * 5
    for piece in range(1, 12):
        assert eml.local_line_ends(raw, piece) == raw.replace(b"\r\n", b"\n")


def _headers(raw: bytes, window: int) -> list[tuple[str, str]] | None:
    saved = eml._HEAD_WINDOW
    eml._HEAD_WINDOW = window
    try:
        found = eml._utf8_headers(raw)
    finally:
        eml._HEAD_WINDOW = saved
    return None if found is None else [(k, str(v)) for k, v in found.items()]


@settings(max_examples=200, deadline=None)
@given(
    head=st.lists(st.sampled_from([b"To: j\xc3\xa9\r\n", b"X: a\n", b"\r", b"\n", b"Y: b"])),
    window=st.integers(min_value=1, max_value=40),
)
def test_the_header_block_is_the_one_a_whole_replace_finds(head, window) -> None:
    raw = b"".join(head) + b"\r\n\r\nbody \xc3\xa9\r\n"
    # A window as large as the message is the former single pass over all of it.
    assert _headers(raw, window) == _headers(raw, len(raw) + 1)
