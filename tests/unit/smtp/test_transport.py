"""Reply lines: what is and is not an SMTP reply line (RFC 5321 4.2)."""

from __future__ import annotations

import pytest

from mailcomposer.smtp.transport import parse_line


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        (b"250 OK\r\n", (250, False, "OK")),
        (b"250-PIPELINING\r\n", (250, True, "PIPELINING")),
        (b"250\r\n", (250, False, "")),
        (b"221 bye\n", (221, False, "bye")),  # a bare LF is tolerated
        (b"354  spaced  \r\n", (354, False, "spaced")),
    ],
)
def test_reply_lines_parse(raw, parsed):
    assert parse_line(raw) == parsed


@pytest.mark.parametrize(
    "raw", [b"HELLO\r\n", b"25\r\n", b"2500 OK\r\n", b"250x\r\n", b"\r\n", b"ABC ok\r\n"]
)
def test_other_lines_are_not_replies(raw):
    assert parse_line(raw) is None
