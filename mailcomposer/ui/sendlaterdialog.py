"""The Send Later dialog: pick when the message goes (in an hour, tomorrow, Monday)."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _

MORNING = datetime.time(8, 0)


def in_one_hour(now: datetime.datetime) -> datetime.datetime:
    """``now`` plus one hour, to the minute."""
    return (now + datetime.timedelta(hours=1)).replace(second=0, microsecond=0)


def tomorrow_morning(now: datetime.datetime) -> datetime.datetime:
    """Tomorrow at 08:00 local time (``now`` is local time)."""
    return _local_morning(now, now.date() + datetime.timedelta(days=1))


def monday_morning(now: datetime.datetime) -> datetime.datetime:
    """The next Monday at 08:00 local time (a week on when today is Monday)."""
    days = (7 - now.weekday()) % 7 or 7
    return _local_morning(now, now.date() + datetime.timedelta(days=days))


def _local_morning(now: datetime.datetime, day: datetime.date) -> datetime.datetime:
    """08:00 on ``day`` in the local time zone, at that day's own UTC offset (naive if ``now`` is).

    Not ``now``'s offset: across a daylight-saving change (the last Sunday of March
    in Europe) that would be 09:00 or 07:00 by the clock on the wall.
    """
    morning = datetime.datetime.combine(day, MORNING)
    return morning if now.tzinfo is None else morning.astimezone()


class SendLaterDialog(QDialog):
    """Asks when to send (``sendLaterDialog``); ``chosen()`` is the aware local time.

    Attributes:
        picker: the date-time field (``sendLaterTime``), one hour on at first.
    """

    def __init__(self, now: datetime.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendLaterDialog")
        self.setWindowTitle(_("Send Later"))
        self._now = now.astimezone()
        intro = QLabel(
            _(
                "The message waits in the outbox and is sent at this time while mailcomposer "
                "runs (or by “mailcomposer outbox run”)."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.picker = QDateTimeEdit(self)
        self.picker.setObjectName("sendLaterTime")
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.picker.setMinimumDateTime(_qt(self._now))
        self.set_time(in_one_hour(self._now))
        quick = QHBoxLayout()
        for name, text, pick in (
            ("sendLaterHourButton", _("In 1 hour"), in_one_hour),
            ("sendLaterTomorrowButton", _("Tomorrow 08:00"), tomorrow_morning),
            ("sendLaterMondayButton", _("Monday 08:00"), monday_morning),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, p=pick: self.set_time(p(self._now)))
            quick.addWidget(button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Send Later"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addLayout(quick)
        layout.addWidget(buttons)

    def set_time(self, moment: datetime.datetime) -> None:
        """Show ``moment`` in the picker."""
        self.picker.setDateTime(_qt(moment))

    def chosen(self) -> datetime.datetime:
        """The time picked, aware (local time zone)."""
        return self.picker.dateTime().toPython().replace(second=0, microsecond=0).astimezone()


def _qt(moment: datetime.datetime) -> QDateTime:
    local = moment.astimezone().replace(tzinfo=None)
    return QDateTime(local.date(), local.time())
