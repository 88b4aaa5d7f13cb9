"""Loading a preview within bounds: a hostile header is refused before the email package sees it."""

from __future__ import annotations

import pytest

from mailcomposer.sandbox.preview import Limits
from mailcomposer.sandbox.previewload import load_preview
from tests.unit.sandbox.previewmail import related_message, stored

# One Content-Type of about 290 KB: the email package takes some 30 s over it.
HOSTILE = (
    b"X-MailFrom: a@example.org\r\nX-RcptTo: b@example.org\r\n"
    b"Content-Type: text/plain; "
    + b"; ".join(b"p%d=v" % i for i in range(30_000))
    + b"\r\n\r\nbody\r\n"
)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("full", [False, True])
def test_a_hostile_header_shows_the_source_and_why(tmp_path, full) -> None:
    path = tmp_path / "hostile"
    path.write_bytes(HOSTILE)
    preview = load_preview(path, Limits(auto_bytes=1000), full=full)
    assert preview is not None
    assert preview.problems == ("A header of the message is longer than 16 KB, too long to open",)
    assert preview.source == HOSTILE and preview.size == len(HOSTILE)
    assert not preview.deferred and preview.headers == ()


def test_a_message_inside_the_limits_is_previewed_whole(tmp_path) -> None:
    path = tmp_path / "fine"
    path.write_bytes(stored(related_message(), "alice@example.org", ["bob@example.net"]))
    preview = load_preview(path)
    assert preview is not None and preview.problems == () and len(preview.attachments) == 2


def test_a_cancelled_load_stops_before_parsing(tmp_path) -> None:
    path = tmp_path / "fine"
    path.write_bytes(stored(related_message(), "alice@example.org", ["bob@example.net"]))
    assert load_preview(path, cancelled=lambda: True) is None


def test_an_unreadable_file_raises(tmp_path) -> None:
    with pytest.raises(OSError):
        load_preview(tmp_path / "gone")
