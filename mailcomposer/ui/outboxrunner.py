"""The outbox while the window runs: a timer sends due entries one at a time on a thread."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.ui.statusarea import LINK_OUTBOX

# The timer never sleeps longer than this: a clock change or a suspend is caught up.
MAX_WAIT_MS = 10 * 60 * 1000


@dataclass(frozen=True)
class EntryJob:
    """One try of one outbox entry, fixed before the thread starts.

    Attributes:
        queue: the ``OutboxQueue``.
        entry_id: the entry.
        settings: how to reach the server (the local server's port already filled in).
        secret: the password or token; None for no AUTH.
        explicit: the user asked for it (Retry now): also failed or not yet due.
    """

    queue: Any
    entry_id: str
    settings: Any
    secret: Any
    explicit: bool = False


@dataclass(frozen=True)
class Skipped:
    """The entry was not tried: gone, not due any more, or being sent elsewhere."""

    entry_id: str


def run_entry_job(job: EntryJob, on_event: Any, on_progress: Any, cancel: Any) -> Any:
    """Send one entry through ``OutboxQueue.send_entry`` (on the send thread).

    Once accepted, the entry's copy (its Bcc put back) is filed in the account's Sent
    folder as a Send from the window files it, the outcome a ``*`` line in the log.
    """
    from mailcomposer.store.outboxqueue import EntryBusy, NotDue
    from mailcomposer.submission import Submission
    from mailcomposer.ui.sendworker import SendJob, sent_copy_hook

    def send(entry: Any) -> Any:
        home = job.queue.home
        submission = Submission(home, job.settings, job.secret, None, entry.account, entry=entry)
        sent = SendJob(home, job.settings, job.secret, submission.built, entry.account)
        submission.after_sent = sent_copy_hook(sent, on_event)
        return submission.run(on_event=on_event, on_progress=on_progress, cancel=cancel)

    try:
        return job.queue.send_entry(job.entry_id, send, explicit=job.explicit)
    except (EntryBusy, NotDue, KeyError):
        return Skipped(job.entry_id)


class OutboxRunner(QObject):
    """Sends the outbox's due entries while the window is open, never two sends at once.

    A single-shot timer waits for ``OutboxQueue.next_due()``; each change re-arms it.
    A due entry goes out on its own send thread with its stored bytes, its transcript
    in the protocol log. The timer never asks a question: an entry whose password is
    not known stays due, and the banner says what it needs.

    Attributes:
        queue: the ``OutboxQueue`` (its clock is injectable: :meth:`set_clock`).
        waiting_for: the account whose password a due entry waits for ('' if none).

    Signals:
        changed: the outbox changed (an entry was sent, retried or settled).
        sent: an entry was accepted (carries the ``SendResult``).
    """

    changed = Signal()
    sent = Signal(object)

    def __init__(self, window: Any, clock: Callable[[], datetime.datetime] | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._flow = window.send_flow
        self._status = window.status_area
        self._clock = clock
        self._queue: Any = None
        self._controller: Any = None
        self._requests: list[str] = []  # Retry now, waiting for the running send
        self._current = ""
        self._subject = ""
        self._stopped = False
        self.waiting_for = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._flow.outbox_runner = self
        self._flow.sending_changed.connect(self._on_flow_sending_changed)
        # Due entries go once the window has painted, with the other after-start work
        # (the send modules' preload), not before the user sees the window.
        from mailcomposer.ui import preload

        QTimer.singleShot(preload.WARM_UP_DELAY_MS, self.arm)

    @property
    def queue(self) -> Any:
        if self._queue is None:
            from mailcomposer.store.outboxqueue import OutboxQueue

            self._queue = OutboxQueue(self._window.home, clock=self._clock)
        return self._queue

    def set_clock(self, clock: Callable[[], datetime.datetime] | None) -> None:
        """Use ``clock`` for "now" (tests move time on without waiting), then re-arm."""
        self._clock = clock
        self._queue = None
        self.arm()

    def is_sending(self) -> bool:
        """True while an outbox entry is being sent."""
        return self._controller is not None and self._controller.is_running()

    # ------------------------------------------------------------------ the timer

    @Slot()
    def arm(self) -> None:
        """Set the timer to the next due time (at once if something is due now)."""
        if self._stopped:
            return
        self._timer.stop()
        if self._requests:
            self._timer.start(0)
            return
        try:
            due = self.queue.next_due()
        except OSError:
            return
        if due is None:
            return
        wait = (due - self.queue.now()).total_seconds() * 1000
        self._timer.start(int(min(max(wait, 0), MAX_WAIT_MS)))

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.run_due()

    def run_due(self) -> bool:
        """Start the next requested or due entry; False if none could start now."""
        if self._stopped or self.is_sending():
            return False
        if self._flow.is_sending():
            return False  # sending_changed(False) re-arms
        while self._requests:
            entry_id = self._requests.pop(0)
            if self._start(entry_id, explicit=True):
                return True
        try:
            due = self.queue.due()
        except OSError:
            return False
        for entry in due:
            if self._start(entry.id, explicit=False, entry=entry):
                return True
        self.arm_later()
        return False

    def arm_later(self) -> None:
        """Re-arm after what is due now could not go (a password is needed): later."""
        if self.waiting_for and not self._requests:
            self._timer.start(MAX_WAIT_MS)
        else:
            self.arm()

    def retry_now(self, entry_id: str) -> None:
        """Send ``entry_id`` now whatever its state (Retry now); after a running send."""
        if entry_id not in self._requests:
            self._requests.append(entry_id)
        self._ask_password_for(entry_id)
        if not self.run_due():
            self._status.say(_("It will be sent when the running send has ended."))

    # ------------------------------------------------------------------ one send

    def _ask_password_for(self, entry_id: str) -> None:
        """Retry now comes from the user: asking the password is allowed there."""
        try:
            entry = self.queue.get(entry_id)
        except KeyError:
            return
        account = self._account_for(entry)
        if (
            account is not None
            and not account.builtin_sandbox
            and self._flow.connection_for(account, ask=True) is None
        ):
            self._requests.remove(entry_id)

    def _account_for(self, entry: Any) -> Any:
        from mailcomposer.store.accounts import AccountStore

        if not entry.account:
            return None
        return AccountStore(self._window.home).get(entry.account)

    def _connection(self, entry: Any) -> tuple[Any, Any] | None:
        """Settings and secret for ``entry`` without a question; None (and a banner) if not."""
        from mailcomposer.smtp.settings import Security, ServerSettings

        account = self._account_for(entry)
        fields = entry.settings or {}
        if account is None and not entry.account and fields.get("sandbox"):
            account = next(
                (a for a in self._accounts() if getattr(a, "builtin_sandbox", False)), None
            )
        if account is not None:
            connection = self._flow.connection_for(account, ask=False)
            if connection is None:
                return None
            settings, secret = connection
            if settings.username and secret is None:
                self._needs(entry, account.name)
                return None
            return settings, secret
        if entry.account:
            self._needs(entry, entry.account, gone=True)
            return None
        host = str(fields.get("host", ""))
        if not host:
            return None
        settings = ServerSettings(
            host=host,
            port=int(fields.get("port") or 25),
            security=Security(fields.get("security") or "starttls"),
            username=str(fields.get("username") or ""),
        )
        if settings.username:
            self._needs(entry, f"{settings.username}@{host}")
            return None
        cafile = fields.get("cafile")
        return (replace(settings, cafile=Path(cafile)) if cafile else settings), None

    def _accounts(self) -> list[Any]:
        from mailcomposer.store.accounts import AccountStore

        return AccountStore(self._window.home).accounts()

    def _needs(self, entry: Any, who: str, *, gone: bool = False) -> None:
        """Say in the banner what a due entry waits for (no question from the timer)."""
        self.waiting_for = who
        subject = entry.subject() or _("(no subject)")
        if gone:
            text = _("“{subject}” is due, but its account “{account}” no longer exists.")
        else:
            text = _(
                "“{subject}” is due, but the password of “{account}” is not known yet: "
                "send any message with that account, or use Retry now in the outbox."
            )
        self._status.banner.show_notice(
            "warning",
            text.format(subject=subject, account=who),
            LINK_OUTBOX,
            _("Open the outbox"),
        )

    def _start(self, entry_id: str, *, explicit: bool, entry: Any = None) -> bool:
        try:
            entry = entry or self.queue.get(entry_id)
            if self.queue.busy(entry_id):
                return False
        except (KeyError, OSError):
            return False
        if not entry.recipients:  # its record is damaged: only the message is left
            self._status.banner.show_notice(
                "error",
                _(
                    "“{subject}” does not say whom to send it to (its record in the outbox "
                    "is damaged): use Edit, check the recipients, then send it."
                ).format(subject=entry.subject() or _("(no subject)")),
                LINK_OUTBOX,
                _("Open the outbox"),
            )
            return False
        try:
            connection = self._connection(entry)
        except (OSError, RuntimeError, ValueError) as exc:
            self._status.show_error(
                _("The local test server could not start: {error}").format(error=exc)
            )
            return False
        if connection is None:
            return False
        self.waiting_for = ""
        settings, secret = connection
        self._current, self._subject = entry_id, entry.subject() or _("(no subject)")
        job = EntryJob(self.queue, entry_id, settings, secret, explicit)
        self.controller.start(job)
        self._status.say(_("Sending “{subject}” from the outbox…").format(subject=self._subject), 0)
        return True

    @property
    def controller(self) -> Any:
        """The runner's own ``SendController`` (built on first use)."""
        if self._controller is None:
            from mailcomposer.ui.sendcontroller import SendController

            c = self._controller = SendController(self, runner=run_entry_job)
            c.event_batch.connect(self._window.log_dock.append_events)
            c.succeeded.connect(self._on_controller_succeeded)
            c.failed.connect(self._on_controller_failed)
            c.cancelled.connect(self._on_controller_cancelled)
            c.finished.connect(self._on_controller_finished)
        return self._controller

    @Slot(object)
    def _on_controller_succeeded(self, attempt: Any) -> None:
        if isinstance(attempt, Skipped):
            return
        if attempt.result is not None:
            self.sent.emit(attempt.result)
            self._status.say(
                _("Sent “{subject}” from the outbox ({message_id}).").format(
                    subject=self._subject, message_id=attempt.result.message_id
                ),
                0,
            )
            return
        self._report_failure(attempt)

    def _report_failure(self, attempt: Any) -> None:
        from mailcomposer.store.outbox import OutboxState

        error = attempt.error
        reason = error.user_message if error is not None else ""
        if attempt.state is OutboxState.RETRY and attempt.next_try is not None:
            when = attempt.next_try.astimezone().strftime("%H:%M")
            self._status.say(
                _("“{subject}” was not sent ({reason}); it will be tried again at {time}.").format(
                    subject=self._subject, reason=reason, time=when
                ),
                0,
            )
            return
        text = _("“{subject}” could not be sent from the outbox: {reason}").format(
            subject=self._subject, reason=reason
        )
        self._status.banner.show_notice("error", text, LINK_OUTBOX, _("Open the outbox"))

    @Slot(object)
    def _on_controller_failed(self, error: Any) -> None:
        text = _("“{subject}” could not be sent from the outbox: {reason}").format(
            subject=self._subject, reason=getattr(error, "user_message", str(error))
        )
        self._status.banner.show_notice("error", text, LINK_OUTBOX, _("Open the outbox"))

    @Slot()
    def _on_controller_cancelled(self) -> None:
        self._status.say(_("Sending from the outbox was stopped; it stays due."))

    @Slot()
    def _on_controller_finished(self) -> None:
        self._current = ""
        self.changed.emit()
        if not self.run_due():
            self.arm_later()

    @Slot(bool)
    def _on_flow_sending_changed(self, sending: bool) -> None:
        if not sending:
            self.waiting_for = ""  # a send may have made a password known
            QTimer.singleShot(0, self.arm)

    def shutdown(self) -> None:
        """Stop the timer; cancel a running send and wait for its thread."""
        self._stopped = True
        self._timer.stop()
        if self._controller is not None:
            self._controller.shutdown(timeout_ms=None)
