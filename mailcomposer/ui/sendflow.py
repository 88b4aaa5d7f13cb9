"""The send flow: send and cancel, the password and certificate questions, the results."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from mailcomposer.i18n import _
from mailcomposer.store.paths import Home
from mailcomposer.ui.draftkeeper import DraftKeeper
from mailcomposer.ui.headerfields import HeaderFields
from mailcomposer.ui.localserver import LocalServer
from mailcomposer.ui.questions import Questions, message_box
from mailcomposer.ui.sendreport import describe_failure, describe_partial_refusal, describe_success
from mailcomposer.ui.statusarea import LINK_LOG, StatusArea, escape
from mailcomposer.ui.uisettings import UiSettings

if TYPE_CHECKING:
    from mailcomposer.smtp.errors import SendError, SendResult
    from mailcomposer.ui.sendcontroller import SendController

# "250-SIZE 35882577" in the EHLO reply; "250-SIZE" alone announces no fixed limit.
_SIZE_LINE = re.compile(r"^250[- ]SIZE(?:\s+(\d+))?\s*$", re.IGNORECASE)


class _Abort(Exception):
    """The user cancelled a question that had to be answered before sending."""


class SendFlow(QObject):
    """Runs the window's sends and answers for them: progress, outcome, what is kept.

    Attributes:
        local_server: the built-in test server the default account sends to.
        ask_password: ``ask_password(account)`` returns a ``Secret`` or None (cancelled).
        message_id: the Message-ID a resend reuses (kept when the outcome is unknown).
        last_result: the last ``SendResult``.
        last_error: the last ``SendError``.
        checks: ``checks(built, proceed)`` runs the pre-send checks; True means wait
            (it calls ``proceed()`` if the user sends anyway). None: no checks.

    Signals:
        sending_changed: a send started (True) or ended (False).
        events_logged: a batch of ``TranscriptEvent`` arrived (a tuple).
        succeeded: the server accepted the message (carries the ``SendResult``).
        size_limit_learned: a server's EHLO reply gave its size limit (account name,
            bytes; 0 when it announced none), or the lab's server was given a new one.
        new_message_requested: after a send, the user asked for a new message.
        close_approved: the user chose to cancel the send and close the window.
    """

    sending_changed = Signal(bool)
    events_logged = Signal(tuple)
    succeeded = Signal(object)
    size_limit_learned = Signal(str, "qlonglong")
    new_message_requested = Signal()
    close_approved = Signal()

    def __init__(
        self,
        window: QWidget,
        home: Home,
        ui_settings: UiSettings,
        header: HeaderFields,
        status: StatusArea,
        keeper: DraftKeeper,
        questions: Questions,
        build: Callable[[], Any],
        focus_field: Callable[[str], None],
    ) -> None:
        """Send what ``build()`` returns (None: nothing to send, the user was told)."""
        super().__init__(window)
        self._window = window
        self._home = home
        self._ui_settings = ui_settings
        self._header = header
        self._status = status
        self._keeper = keeper
        self._questions = questions
        self._build = build
        self._focus_field = focus_field
        self.local_server = LocalServer(home, ui_settings, self)
        self.ask_password: Callable[[Any], Any] = self._ask_password_dialog
        self.message_id: str | None = None
        self.last_result: SendResult | None = None
        self.last_error: SendError | None = None
        self.checks: Callable[[Any, Callable[[], None]], bool] | None = None
        self._checked = False
        # The send controller (a QThread's owner) is built at the warm-up or first Send.
        self._controller: SendController | None = None
        self._credentials: Any = None
        self._session_secrets: dict[str, Any] = {}
        # Accounts whose stored password the server refused: asked again, not re-read.
        self._rejected: set[str] = set()
        self._send_account: Any = None
        # The size limit of the EHLO reply being read (a send may greet twice, with TLS).
        self._ehlo_open = False
        self._ehlo_size: int | None = None
        self._close_after_send = False
        self._dialogs: list[QWidget] = []
        # The outbox's own sender (``OutboxRunner``), stopped with this flow.
        self.outbox_runner: Any = None
        self._stepping = False  # the send being started pauses before each command
        self.step_panel: Any = None  # the pause bar (``StepPanel``), built on first use
        actions = getattr(window, "composer_actions", None)
        if actions is not None:
            actions.send_step_action.triggered.connect(self.send_step)

    @property
    def controller(self) -> SendController:
        """The ``SendController`` running sends (built, and connected, on first use)."""
        if self._controller is None:
            from mailcomposer.ui.sendcontroller import SendController

            c = self._controller = SendController(self)
            c.event_batch.connect(self._on_controller_event_batch)
            c.progress.connect(self._status.show_progress)
            c.succeeded.connect(self._on_controller_succeeded)
            c.failed.connect(self._on_controller_failed)
            c.cancelled.connect(self._on_controller_cancelled)
            c.finished.connect(self._on_controller_finished)
        return self._controller

    def is_sending(self) -> bool:
        return self._controller is not None and self._controller.is_running()

    @Slot()
    def send(self) -> bool:
        """Validate, build and start sending; False if nothing was started."""
        stepping, self._stepping = self._stepping, False
        if self.is_sending():
            return False
        if self.outbox_runner is not None and self.outbox_runner.is_sending():
            self._status.say(_("A message from the outbox is being sent; send again in a moment."))
            return False
        # No join of the preload thread: an import it is running holds that module's
        # lock, so this thread waits for that one module only, then shares the work.
        self._status.banner.hide()
        built = self._build()
        if built is None:
            return False
        checked, self._checked = self._checked, False
        proceed = self.send_step_checked if stepping else self.send_checked
        if not checked and self.checks is not None and self.checks(built, proceed):
            return False  # the checks dialog is open; its Send anyway comes back here
        account = self._header.current_account()
        try:
            settings, secret = self._connection_for(account)
        except _Abort:
            return False
        except (OSError, RuntimeError) as exc:
            self._status.show_error(
                _("The local test server could not start: {error}").format(error=exc)
            )
            return False
        self.message_id = built.message_id
        self.last_result = self.last_error = None
        self._send_account = account
        self._ehlo_open = False
        from mailcomposer.smtp.cancel import CancelToken
        from mailcomposer.ui.sendworker import SendJob

        token = CancelToken()
        gate = self._step_gate(token) if stepping else None
        job = SendJob(self._home, settings, secret, built, account.name, gate)
        self._keeper.autosave()
        self.sending_changed.emit(True)
        self._status.say(_("Sending to {server}…").format(server=self._status.server_text()), 0)
        self.controller.start(job, token)
        return True

    @Slot()
    def send_step(self) -> bool:
        """Like ``send``, pausing before each client command (the pause bar answers)."""
        self._stepping = True
        return self.send()

    def send_step_checked(self) -> bool:
        """Send step by step without running the pre-send checks again."""
        self._stepping = True
        return self.send_checked()

    def _step_gate(self, token: Any) -> Any:
        """The pause bar's gate, armed with ``token`` (the bar is built on first use)."""
        if self.step_panel is None:
            from mailcomposer.ui.stepgate import StepGate
            from mailcomposer.ui.steppanel import StepPanel

            self.step_panel = StepPanel.install(self._window, StepGate(self))
            self.step_panel.gate.paused.connect(self._on_gate_paused)
            self.step_panel.gate.resumed.connect(self._on_gate_resumed)
        self.step_panel.gate.arm(token)
        self.step_panel.start()
        return self.step_panel.gate

    def _follow_phase(self, events: tuple) -> None:
        """Name on the progress bar the stage the last client command started."""
        from mailcomposer.smtp.errors import stage_of_command, stage_progress
        from mailcomposer.smtp.transcript import Direction

        for event in reversed(events):
            stage = stage_of_command(event.text) if event.direction is Direction.CLIENT else None
            if stage is not None:
                self._status.show_phase(stage_progress(stage))
                return

    @Slot(object)
    def _on_gate_paused(self, step: Any) -> None:
        if step.verb == ".":
            self._status.show_pause(_("Paused before the final dot"))
        else:
            self._status.show_pause(_("Paused before {command}").format(command=step.verb))

    @Slot()
    def _on_gate_resumed(self) -> None:
        self._status.show_pause("")

    def send_checked(self) -> bool:
        """Send without running the pre-send checks again (the user has seen them)."""
        self._checked = True
        try:
            return self.send()
        finally:
            self._checked = False

    def connection_for(self, account: Any, *, ask: bool = True) -> tuple[Any, Any] | None:
        """The server settings and secret for ``account``; None if the user cancelled.

        With ``ask=False`` (the outbox's timer) no question is asked: a password that
        is not known yet comes back as a None secret.
        """
        try:
            return self._connection_for(account, ask=ask)
        except _Abort:
            return None

    def _connection_for(self, account: Any, *, ask: bool = True) -> tuple[Any, Any]:
        """Return the server settings and secret for ``account`` (asking for a password)."""
        if account.builtin_sandbox:
            sandbox = self.local_server.ensure()
            return self.local_server.settings(), sandbox.secret()
        settings = account.server
        try:
            from mailcomposer.store.pins import PinStore, settings_with_pin

            settings = settings_with_pin(settings, PinStore(self._home))
        except ImportError:
            pass
        if not settings.username:
            return settings, None
        if getattr(account, "oauth", None) is not None:
            from mailcomposer.oauth.tokens import shared

            # Got (or refreshed) at login, on the send thread: never an HTTPS wait here.
            return settings, shared().deferred_secret(account)
        secret = self._session_secrets.get(account.name)
        if secret is None and account.name not in self._rejected:
            credentials = self.credentials()
            secret = credentials.get(account.name, settings.username) or credentials.get(
                account.name
            )
        if secret is None:
            if not ask:
                return settings, None
            secret = self.ask_password(account)
            if secret is None:
                raise _Abort
            self._rejected.discard(account.name)
        self._session_secrets[account.name] = secret
        return settings, secret

    def credentials(self) -> Any:
        """The one ``Credentials`` of this window (its session-only memory must persist)."""
        if self._credentials is None:
            from mailcomposer.store.credentials import Credentials

            self._credentials = Credentials()
        return self._credentials

    def _ask_password_dialog(self, account: Any) -> Any:
        from mailcomposer.ui.passworddialog import ask_password

        return ask_password(account.name, account.server.username, self.credentials(), self._window)

    @Slot(bool)
    def set_local_server_secure(self, secure: bool) -> None:
        """Run the local test server with (or without) encryption and login from now on."""
        self._status.say(self.local_server.set_secure(secure, restart=not self.is_sending()))

    @Slot(object)
    def on_lab_config_changed(self, config: object) -> None:
        """The lab's server settings changed: the next connection uses them.

        What was learned of the lab server's size limit is replaced by the new one, so
        the checks do not warn against a limit that is gone.
        """
        self._status.say(self.local_server.config_changed(self.is_sending()))
        if not self.local_server.secure:  # the secure mode does not use the lab's switches
            from mailcomposer.store.accounts import SANDBOX_NAME

            self._learn_size_limit(SANDBOX_NAME, getattr(config, "size_limit", None))

    @Slot()
    def cancel(self) -> None:
        """Stop the running send (nothing happens when none runs)."""
        if self.is_sending():
            self._status.say(_("Cancelling…"), 0)
            self.controller.cancel()

    # ------------------------------------------------------------------ outcome

    @Slot(tuple)
    def _on_controller_event_batch(self, events: tuple) -> None:
        self.events_logged.emit(events)
        self._follow_phase(events)
        account = self._send_account
        for event in events:
            text = getattr(event, "text", "")
            if getattr(event, "direction", None) == "C":
                self._ehlo_open = text[:5].upper() == "EHLO "
                self._ehlo_size = None
                continue
            if not self._ehlo_open or getattr(event, "direction", None) != "S":
                continue
            match = _SIZE_LINE.match(text)
            if match and getattr(event, "code", None) == 250:
                self._ehlo_size = int(match.group(1)) if match.group(1) else None
            if text[3:4] != "-":  # the reply's last line
                self._ehlo_open = False
                if account is not None and getattr(event, "code", None) == 250:
                    self._learn_size_limit(account.name, self._ehlo_size or None)

    def _learn_size_limit(self, account: str, limit: int | None) -> None:
        """Remember ``account``'s size limit (None: it has none) and say so."""
        if self._ui_settings.server_size_limit(account) != limit:
            self._ui_settings.set_server_size_limit(account, limit)
        self.size_limit_learned.emit(account, limit or 0)

    @Slot(object)
    def _on_controller_succeeded(self, result: SendResult) -> None:
        self.last_result = result
        self.message_id = None
        self.succeeded.emit(result)
        self._keeper.discard()
        self._forget_outbox_copies(result.message_id)
        self._keeper.set_modified(False)
        self._status.say(_("Message sent ({message_id}).").format(message_id=result.message_id), 0)
        if result.refused:
            self._show_partial_refusal(result)
        else:
            self._offer_new_message(result)

    def _forget_outbox_copies(self, message_id: str) -> None:
        """Remove outbox copies of a message the server has now accepted (a resend)."""
        if not message_id or not any(self._home.outbox.glob("*.json")):
            return
        from mailcomposer.store.outbox import Outbox

        outbox = Outbox(self._home)
        for entry in outbox.pending():
            if entry.message_id.strip("<>") == message_id.strip("<>"):
                outbox.remove_sent(entry.id)  # one that stays is marked: never resent

    def _show_partial_refusal(self, result: SendResult) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = message_box(
            self._window,
            QMessageBox.Icon.Warning,
            _("Sent, but not to everyone"),
            _("The server accepted the message for some recipients only."),
            "partialRefusalDialog",
        )
        box.setInformativeText(describe_partial_refusal(result))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def _offer_new_message(self, result: SendResult) -> None:
        from PySide6.QtWidgets import QMessageBox

        button = QMessageBox.StandardButton
        text = _("Message sent — start a new message?")
        box = message_box(
            self._window, QMessageBox.Icon.Information, _("Message sent"), text, "sentDialog"
        )
        box.setInformativeText(describe_success(result))
        box.setStandardButtons(button.Yes | button.No)
        box.button(button.Yes).setText(_("New message"))
        box.button(button.No).setText(_("Keep this one"))
        box.setDefaultButton(button.No)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.finished.connect(self._on_sent_dialog_finished)
        box.show()

    @Slot(int)
    def _on_sent_dialog_finished(self, result: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        if result == QMessageBox.StandardButton.Yes and not self.is_sending():
            self.new_message_requested.emit()  # asks first if edited since the send

    @Slot(object)
    def _on_controller_failed(self, error: SendError) -> None:
        from PySide6.QtWidgets import QMessageBox

        from mailcomposer.smtp.errors import ExitCode

        self.last_error = error
        if error.exit_code == ExitCode.AUTH and self._send_account is not None:
            # A rejected password must not be retried silently: ask again next time,
            # not read the same one from the keyring (a new one given replaces it there).
            self._session_secrets.pop(self._send_account.name, None)
            self._rejected.add(self._send_account.name)
        if error.exit_code != ExitCode.UNKNOWN:
            # Not delivered: a resend is a new attempt and may get a new Message-ID.
            self.message_id = None
        self._keeper.autosave()
        headline, details = describe_failure(error)
        self._status.say(headline)
        link = f' <a href="{LINK_LOG}">{escape(_("Show the protocol log"))}</a>'
        self._status.banner.show_message(
            "error", f"<b>{escape(headline)}</b><br>{escape(details)}{link}"
        )
        if error.field:
            self._focus_field(error.field)
        certificate = getattr(error, "certificate", None)
        if certificate is not None and self._offer_certificate(certificate):
            return
        box = message_box(
            self._window, QMessageBox.Icon.Critical, _("Not sent"), headline, "sendFailedDialog"
        )
        box.setInformativeText(details)
        if error.detail:
            box.setDetailedText(error.detail)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def _offer_certificate(self, info: Any) -> bool:
        try:
            from mailcomposer.store.pins import PinStore
            from mailcomposer.ui.certdialog import CertificateDialog
        except ImportError:
            return False
        account = self._send_account
        pins = PinStore(self._home)
        host = account.server.host if account is not None else getattr(info, "host", "")
        port = account.server.effective_port if account is not None else getattr(info, "port", 0)
        previous = pins.pin_for(host, port)
        dialog = CertificateDialog(
            info, self._window, previous_sha256=previous.sha256 if previous else None
        )

        def done(result: int) -> None:
            if dialog.trusted:
                pins.trust(info, host, port)
                self._status.banner.show_text(
                    "info", _("Certificate trusted. Press Send to try again.")
                )

        dialog.finished.connect(done)
        self._dialogs.append(dialog)
        dialog.open()
        return True

    @Slot()
    def _on_controller_cancelled(self) -> None:
        self.message_id = None
        self._keeper.autosave()
        message = _("Sending cancelled. Nothing was delivered; your message is kept.")
        self._status.say(message)
        self._status.banner.show_text("warning", message)

    @Slot()
    def _on_controller_finished(self) -> None:
        if self.step_panel is not None:
            self.step_panel.finish()
        self.sending_changed.emit(False)
        self.local_server.apply_mode()  # the mode may have changed during the send
        if self._close_after_send:
            self._close_after_send = False
            self.close_approved.emit()

    # ------------------------------------------------------------------ closing

    def query_close(self) -> bool:
        """True when no send runs; else ask whether to cancel it and close."""
        if not self.is_sending():
            return True
        if not self._close_after_send and self._questions.pending() is None:
            self._ask_close_during_send()
        return False

    def _ask_close_during_send(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        button = QMessageBox.StandardButton
        box = message_box(
            self._window,
            QMessageBox.Icon.Question,
            _("Sending in progress"),
            _("A message is being sent. Cancel it and close?"),
            "closeDuringSendDialog",
        )
        box.setStandardButtons(button.Yes | button.No)
        box.button(button.Yes).setText(_("Cancel sending and close"))
        box.button(button.No).setText(_("Keep sending"))
        box.setDefaultButton(button.No)
        self._questions.ask(box, self._after_close_during_send)

    def _after_close_during_send(self, clicked: Any) -> None:
        from PySide6.QtWidgets import QMessageBox

        if clicked != QMessageBox.StandardButton.Yes:
            return
        if self.is_sending():
            self._close_after_send = True
            self.controller.cancel()
        else:
            self._window.close()

    def shutdown(self) -> None:
        """Cancel a running send and wait for its thread; stop the local server.

        There is no time limit: a running QThread destroyed at exit aborts the
        process (cancel unblocks every socket operation; only a DNS lookup can hold
        it, and that times out by itself).
        """
        if self._controller is not None:
            self._controller.shutdown(timeout_ms=None)
        if self.outbox_runner is not None:
            self.outbox_runner.shutdown()
        self.local_server.stop()
