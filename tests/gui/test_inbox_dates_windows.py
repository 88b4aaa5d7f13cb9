"""The inbox lists messages dated before 1970 as Windows' C library would leave them."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mailcomposer.message.localtime import local_time, sort_key
from mailcomposer.sandbox.server import write_maildir_message
from mailcomposer.ui.inbox import SandboxInboxDialog


class WindowsDatetime(datetime):
    """A datetime whose local-time questions fail before 1970, as on Windows.

    There ``localtime()`` of a negative time is EINVAL: ``astimezone()`` raises
    OSError, and so does ``timestamp()`` of a naive moment (``mktime``).
    """

    def _before_1970(self) -> bool:
        aware = self if self.tzinfo else self.replace(tzinfo=UTC)
        return datetime.timestamp(aware) < 0

    def astimezone(self, tz=None):
        if tz is None and self._before_1970():
            raise OSError(22, "Invalid argument")
        return datetime.astimezone(self, tz)

    def timestamp(self):
        if self.tzinfo is None and self._before_1970():
            raise OSError(22, "Invalid argument")
        return datetime.timestamp(self)


def as_on_windows(value: datetime) -> WindowsDatetime:
    return WindowsDatetime(*value.timetuple()[:6], tzinfo=value.tzinfo)


@pytest.fixture
def maildir(tmp_path):
    path = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(parents=True)
    return path


def test_a_message_dated_before_1970_is_listed(qtbot, maildir, monkeypatch):
    real = email.utils.parsedate_to_datetime
    monkeypatch.setattr(email.utils, "parsedate_to_datetime", lambda t: as_on_windows(real(t)))
    for date, subject in (
        ("Thu, 01 Jan 1970 00:00:00 +0800", "epoch in Beijing"),  # 1969 in UTC
        ("Mon, 02 Jan 1950 10:00:00 -0000", "no zone"),  # naive
        ("Tue, 02 Jan 2024 10:00:00 +0000", "recent"),
    ):
        write_maildir_message(
            maildir,
            (
                f"X-RcptTo: b@example.net\r\nDate: {date}\r\nFrom: a@example.org\r\n"
                f"To: b@example.net\r\nSubject: {subject}\r\n\r\nhi\r\n"
            ).encode(),
        )
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.refresh()
    qtbot.wait_until(lambda: dialog.proxy.rowCount() == 3)
    shown = {dialog.proxy.index(r, 4).data(): dialog.proxy.index(r, 0).data() for r in range(3)}
    assert shown["no zone"] == "1950-01-02 10:00:00"
    assert shown["epoch in Beijing"][:4] in ("1969", "1970")
    assert shown["recent"].startswith("2024-01-0")


def test_local_time_and_sort_key_answer_where_windows_cannot():
    beijing = datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    moment = as_on_windows(beijing)
    assert local_time(moment) == beijing  # the same instant, in some local offset
    naive = as_on_windows(datetime(1950, 1, 2, 10))
    assert local_time(naive) == naive
    assert sort_key(naive) < sort_key(moment) < 0
