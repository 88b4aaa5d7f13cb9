"""Send Later, the outbox runner and the Drafts list, wired into the composer window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot

from mailcomposer.i18n import _
from mailcomposer.ui import preload
from mailcomposer.ui.statusarea import LINK_OUTBOX

if TYPE_CHECKING:
    import datetime  # the window starts without it (~1 ms)

    from mailcomposer.ui.outboxrunner import OutboxRunner


class SendLater(QObject):
    """Schedules the message for later and keeps the outbox going while the window runs.

    Attributes:
        runner: the ``OutboxRunner`` sending due entries.
        dialog: the open ``SendLaterDialog``, if any.
    """

    def __init__(self, window: Any, actions: Any) -> None:
        super().__init__(window)
        self._window = window
        self._runner: OutboxRunner | None = None
        self.dialog: Any = None
        actions.send_later_action.triggered.connect(self.start)
        actions.drafts_action.triggered.connect(self.show_drafts)
        # The runner (and its module) comes after the first paint and after the
        # preloader's warm-up, not in the same event-loop turn; it arms itself a
        # moment later and then sends what is due.
        QTimer.singleShot(2 * preload.WARM_UP_DELAY_MS, self, self._on_runner_timer_timeout)

    @property
    def runner(self) -> OutboxRunner:
        """The ``OutboxRunner`` sending due entries (made at its first use)."""
        if self._runner is None:
            from mailcomposer.ui.outboxrunner import OutboxRunner

            self._runner = OutboxRunner(self._window)  # it arms itself a moment later
            self._window.files.outbox_runner = self._runner
        return self._runner

    @Slot()
    def _on_runner_timer_timeout(self) -> None:
        _ = self.runner

    def now(self) -> datetime.datetime:
        """The queue's "now" (injectable in tests), as local time."""
        return self.runner.queue.now().astimezone()

    @Slot()
    def start(self) -> bool:
        """Build the message (bad input is marked as for Send), then ask when to send it."""
        w = self._window
        if w.is_sending() or self.dialog is not None:
            return False
        w.banner.hide()
        built = w.build_message()
        if built is None:
            return False
        from mailcomposer.ui.sendlaterdialog import SendLaterDialog

        dialog = self.dialog = SendLaterDialog(self.now(), w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done(result: int) -> None:
            self.dialog = None
            if result == dialog.DialogCode.Accepted:
                self._check_then_schedule(built, dialog.chosen())

        dialog.finished.connect(done)
        dialog.open()
        return True

    def _check_then_schedule(self, built: Any, due: datetime.datetime) -> None:
        """The same checks as before Send; their "Send anyway" schedules."""
        checks = self._window.send_flow.checks
        if checks is not None and checks(built, lambda: self._rebuild_and_schedule(due)):
            return
        self.schedule(built, due)

    def _rebuild_and_schedule(self, due: datetime.datetime) -> None:
        """After "Send anyway": the checks' fixes may have changed the message."""
        built = self._window.build_message()
        if built is not None:
            self.schedule(built, due)

    def schedule(self, built: Any, due: datetime.datetime) -> Any:
        """Put ``built`` in the outbox for ``due`` with the current account; start anew."""
        from mailcomposer.store.outboxqueue import settings_fields

        w = self._window
        account = w.current_account()
        sandbox = bool(account.builtin_sandbox)
        settings = account.server
        server = "" if sandbox else f"{settings.host}:{settings.effective_port}"
        try:
            entry = self.runner.queue.schedule(
                built,
                due,
                account=account.name,
                server=server,
                settings=settings_fields(settings, sandbox=sandbox),
            )
        except OSError as exc:
            w.status_area.show_error(
                _("The message could not be put in the outbox: {error}").format(
                    error=exc.strerror or exc
                )
            )
            return None
        # The message is safe in the outbox: the composer starts a new one.
        w.clear_message()
        w.draft_keeper.discard()
        w.draft_keeper.set_modified(False)
        when = due.astimezone().strftime("%Y-%m-%d %H:%M")
        w.banner.show_notice(
            "info",
            _("Will be sent at {time}.").format(time=when),
            LINK_OUTBOX,
            _("Open the outbox"),
        )
        w.status_area.say(_("Scheduled in the outbox ({message_id}).").format(
            message_id=entry.message_id
        ))  # fmt: skip
        self.runner.arm()
        self.runner.changed.emit()
        return entry

    @Slot()
    def show_drafts(self) -> None:
        """Open the Drafts list (``draftsDialog``)."""
        from mailcomposer.ui.draftsdialog import DraftsDialog

        w = self._window
        for dialog in w.findChildren(DraftsDialog):
            dialog.raise_()
            return
        dialog = DraftsDialog(w.draft_keeper.store, w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self._on_drafts_dialog_open_requested)
        dialog.show()

    @Slot(object)
    def _on_drafts_dialog_open_requested(self, path: Any) -> None:
        w = self._window
        dialog = self.sender()
        w.files.replace_message(lambda: w.draft_keeper.open_kept(path) and dialog.refresh())
