"""The structure pre-scan on its own: boundaries are found wherever they fall."""

from __future__ import annotations

import pytest

from mailcomposer.message import inspect
from mailcomposer.message.inspect import Limits, MessageFileError, scan_message

HEAD = b'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'


@pytest.mark.parametrize("shift", range(-5, 5))
@pytest.mark.parametrize("newline", [b"\r\n", b"\n", b"\r"])
def test_a_boundary_at_the_edge_of_a_search_window_is_counted(shift: int, newline: bytes) -> None:
    # The first part's body (where the search for the next boundary starts) fills the
    # search window, give or take a few bytes: the boundary line straddles its edge.
    part = b"--B" + newline + b"Content-Type: text/plain" + newline + newline
    pad = inspect._DASH_WINDOW + shift
    raw = HEAD + part + b"x" * pad + (newline + part + b"two" + newline) * 2 + b"--B--" + newline
    scan_message(raw, Limits(max_parts=4))  # the message and its three parts
    with pytest.raises(MessageFileError, match="more than 3 parts"):
        scan_message(raw, Limits(max_parts=3))
