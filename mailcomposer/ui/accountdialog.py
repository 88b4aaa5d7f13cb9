"""The accounts dialog: the account list beside its form; save, remove, test the connection live."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store.accounts import SANDBOX_NAME, Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.pins import PinStore, normalize_fingerprint, settings_with_pin
from mailcomposer.ui.accountform import AccountForm
from mailcomposer.ui.accountprobe import ProbeRunner, ProbeWorker
from mailcomposer.ui.accountsecrets import AccountPasswords
from mailcomposer.ui.forms import push_button
from mailcomposer.ui.oauthsignin import SignInRunner

__all__ = ["AccountDialog", "ProbeWorker"]


class AccountDialog(QDialog):
    """Accounts on the left, the selected account's form on the right.

    Attributes:
        store: where accounts are saved.
        credentials: where passwords go.
        pins: trusted certificates.
        form: the selected account's ``AccountForm`` (its fields are also attributes
            of the dialog: ``name_edit``, ``host_edit``, ``tabs``, ``form_error``...).
        runner: the ``ProbeRunner`` of the connection test.
        sign_in_runner: the ``SignInRunner`` of an OAuth2 sign-in.
        oauth_panel: the form's ``SignInPanel``.
        last_report: the report of the last test or auto-detection.
        autodetect_ports: (port, security) candidates Auto-detect tries, in order.
        autodetect_timeouts: timeouts of each auto-detect attempt.

    Signals:
        accounts_changed(): an account was saved, removed or made the default.
        test_finished(object): a test or auto-detection ended (its report, or None).
    """

    accounts_changed = Signal()
    test_finished = Signal(object)

    def __init__(
        self,
        store: AccountStore,
        credentials: Credentials,
        parent: QWidget | None = None,
        *,
        pins: PinStore | None = None,
        select: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.setWindowTitle(_("Accounts"))
        self.store = store
        self.credentials = credentials
        self.passwords = AccountPasswords(credentials)
        self.pins = pins or PinStore(store.home)
        self.last_report: Any = None
        self.certificate_dialog: QDialog | None = None
        self.runner = ProbeRunner(self)
        self.runner.event_logged.connect(self._on_runner_event_logged)
        self.runner.succeeded.connect(self._on_runner_succeeded)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.cancelled.connect(self._on_runner_cancelled)
        self.runner.finished.connect(self._on_runner_finished)
        self.sign_in_runner = SignInRunner(self)
        self.sign_in_runner.url_opened.connect(self._on_sign_in_runner_url_opened)
        self.sign_in_runner.device_code_shown.connect(self._on_sign_in_runner_device_code_shown)
        self.sign_in_runner.succeeded.connect(self._on_sign_in_runner_succeeded)
        self.sign_in_runner.failed.connect(self._on_sign_in_runner_failed)
        self.sign_in_runner.cancelled.connect(self._on_sign_in_runner_cancelled)
        self.sign_in_runner.finished.connect(self._on_sign_in_runner_finished)
        self._tested_settings: ServerSettings | None = None
        self._autodetecting = False
        from mailcomposer.smtp import probe

        self.autodetect_ports = probe.DEFAULT_CANDIDATES
        self.autodetect_timeouts = probe.AUTODETECT_TIMEOUTS
        self._build()
        self._reload(select)

    # -- layout --

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.account_list = QListWidget()
        self.account_list.setObjectName("accountList")
        self.account_list.setAccessibleName(_("Accounts"))
        self.account_list.currentItemChanged.connect(self._on_account_list_current_changed)
        left_layout.addWidget(self.account_list)
        row = QHBoxLayout()
        self.add_button = push_button(_("Add"), "addAccountButton", self._on_add_clicked)
        self.remove_button = push_button(
            _("Remove"), "removeAccountButton", self._on_remove_clicked
        )
        self.default_button = push_button(
            _("Set as default"), "defaultAccountButton", self._on_default_clicked
        )
        for button in (self.add_button, self.remove_button, self.default_button):
            row.addWidget(button)
        left_layout.addLayout(row)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.form = AccountForm()
        right_layout.addWidget(self.form)
        right_layout.addWidget(self.form.form_error)
        form = self.form
        # The fields, as the dialog's own attributes (callers and tests reach them here).
        self.tabs, self.form_error = form.tabs, form.form_error
        self.name_edit, self.address_edit = form.name_edit, form.address_edit
        self.display_name_edit, self.identities_editor = (
            form.display_name_edit, form.identities_editor,
        )  # fmt: skip
        self.preset_combo, self.preset_note = form.preset_combo, form.preset_note
        self.host_edit, self.port_spin = form.host_edit, form.port_spin
        self.security_combo, self.user_edit = form.security_combo, form.user_edit
        self.auth_combo, self.password_edit = form.auth_combo, form.password_edit
        self.remember_box, self.keyring_note = form.remember_box, form.keyring_note
        self.cafile_edit = form.cafile_edit
        self.connect_timeout, self.command_timeout = form.connect_timeout, form.command_timeout
        self.final_dot_timeout = form.final_dot_timeout
        self.oauth_panel = form.oauth_panel
        self.oauth_panel.sign_in_requested.connect(self._on_oauth_panel_sign_in_requested)
        self.oauth_panel.cancel_requested.connect(self._on_oauth_panel_cancel_requested)

        actions = QHBoxLayout()
        self.save_button = push_button(_("Save"), "saveAccountButton", self._on_save_clicked)
        self.test_button = push_button(
            _("Test connection"), "testConnectionButton", self._on_test_clicked
        )
        self.autodetect_button = push_button(
            _("Auto-detect"), "autodetectButton", self._on_autodetect_clicked
        )
        self.cancel_test_button = push_button(
            _("Stop test"), "cancelTestButton", self._on_cancel_test_clicked
        )
        self.cancel_test_button.setEnabled(False)
        for button in (self.save_button, self.test_button, self.autodetect_button,
                       self.cancel_test_button):  # fmt: skip
            actions.addWidget(button)
        right_layout.addLayout(actions)

        self.test_log = QPlainTextEdit()
        self.test_log.setObjectName("accountTestLog")
        self.test_log.setAccessibleName(_("Connection test log"))
        self.test_log.setReadOnly(True)
        self.test_log.setMaximumBlockCount(5000)
        self.test_log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.test_log.setStyleSheet("font-family: monospace;")
        # The form first (it scrolls only when it must); the log takes what is left,
        # at least four lines.
        self.test_log.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.test_log.setMinimumHeight(self.test_log.fontMetrics().lineSpacing() * 4 + 12)
        right_layout.addWidget(self.test_log, 1)
        self.verdict = QLabel()
        self.verdict.setObjectName("testVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setVisible(False)  # until there is one: its empty line costs the form room
        right_layout.addWidget(self.verdict)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(900, 680)
        self._update_keyring_note()

    def _update_keyring_note(self) -> None:
        self.form.set_keyring_note(self.passwords.unavailable_note())

    # -- list --

    def _reload(self, select: str | None = None) -> None:
        default = self.store.default().name
        self.account_list.blockSignals(True)
        self.account_list.clear()
        chosen: QListWidgetItem | None = None
        for account in self.store.accounts():
            # The built-in account's stored name is a fixed key; show it translated.
            label = _("Local test server") if account.builtin_sandbox else account.name
            if account.name == default:
                label = _("{name} (default)").format(name=label)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, account.name)
            self.account_list.addItem(item)
            if account.name == (select or default):
                chosen = item
        self.account_list.blockSignals(False)
        if chosen is not None:
            self.account_list.setCurrentItem(chosen)

    def _selected_name(self) -> str | None:
        item = self.account_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_account_list_current_changed(self, current, _previous) -> None:
        if current is None:
            return
        account = self.store.get(current.data(Qt.ItemDataRole.UserRole))
        if account is not None:
            self._fill(account)

    def _fill(self, account: Account, *, new: bool = False) -> None:
        self.form.fill(
            account,
            new=new,
            password_stored=self.passwords.is_stored(account),
            signed_in=self._signed_in(account),
        )
        editable = not account.builtin_sandbox
        self.save_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.autodetect_button.setEnabled(editable)
        self._update_keyring_note()

    def new_account(self) -> None:
        """Clear the form for a new account."""
        self.account_list.blockSignals(True)
        self.account_list.clearSelection()
        # The view's own setCurrentIndex: Tabbing into a list with no current item made
        # Qt choose the first account, which filled the form over the one being typed.
        self.account_list.setCurrentIndex(QModelIndex())
        self.account_list.blockSignals(False)
        blank = Account(
            name="",
            server=ServerSettings(host="", port=587, security=Security.STARTTLS),
            identities=[Identity("", "")],
        )
        self._fill(blank, new=True)
        self.test_log.clear()
        self._show_verdict("")
        self.name_edit.setFocus()

    @Slot()
    def _on_add_clicked(self) -> None:
        self.new_account()

    @Slot()
    def _on_remove_clicked(self) -> None:
        name = self._selected_name()
        if name is None or name == SANDBOX_NAME:
            return
        account = self.store.get(name)
        try:
            self.store.remove(name)
        except InputError as exc:
            self.form.show_error(exc)
            return
        if account is not None:
            self.passwords.removed(account)
            if account.oauth is not None:
                from mailcomposer.oauth.tokens import shared

                shared().forget(account.name, account.server.username)
        self.accounts_changed.emit()
        self._reload()

    @Slot()
    def _on_default_clicked(self) -> None:
        name = self._selected_name()
        if name is None:
            return
        self.store.set_default(name)
        self.accounts_changed.emit()
        self._reload(name)

    # -- the account in the form --

    def account_from_form(self) -> Account:
        """Return the account the form describes (not validated)."""
        return self.form.account()

    @Slot()
    def _on_save_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Validate and save the form; return whether it was saved."""
        previous = self.form.current
        if previous == SANDBOX_NAME:
            return False
        try:
            account = self.form.account()
            before = self.store.get(previous) if previous else None
            self.identities_editor.validate()
            self.store.save(account, previous_name=previous, new=previous is None)
        except InputError as exc:
            self.form.show_error(exc)
            return False
        self.passwords.saved(before, account, self.form.typed_secret())
        if before is not None and before.oauth is not None:
            self._sign_in_follows(before, account)
        self._update_keyring_note()
        self.form.hide_error()
        self.accounts_changed.emit()
        self._reload(account.name)
        return True

    # -- testing --

    @property
    def testing(self) -> bool:
        """True while a test or auto-detection runs."""
        return self.runner.running

    @Slot()
    def _on_test_clicked(self) -> None:
        self.start_test()

    @Slot()
    def _on_autodetect_clicked(self) -> None:
        self.start_test(autodetect=True)

    def start_test(self, *, autodetect: bool = False) -> bool:
        """Start a connection test (or auto-detection) of the form's settings."""
        if self.testing:
            return False
        self.test_log.clear()
        self._show_verdict("")
        self.last_report = None
        current = self.form.current
        if current == SANDBOX_NAME:
            self._tested_settings = None
            self.runner.start_sandbox_test(self.store.home.sandbox_maildir)
            self._began(autodetect)
            return True
        account = self.form.account()
        settings = account.server
        if not settings.host:
            self.form.show_error(InputError("host", _("Enter the server name first.")))
            return False
        if account.oauth is not None and current is not None:
            stored = self.store.get(current)
            same_login = stored is not None and (stored.name, stored.server.username) == (
                account.name,
                settings.username,
            )  # the refresh token is kept under both
            if stored is not None and same_login and stored.oauth == account.oauth:
                self._tested_settings = settings_with_pin(settings, self.pins)
                self.runner.start_oauth_test(self._tested_settings, stored)
                self._began(False)
                return True
        if account.oauth is not None:
            # New, or another login or provider: signing in saves it first.
            self.form.show_error(InputError("oauth", _("Sign in first, then test.")))
            return False
        secret = self.passwords.for_test(
            current or account.name, settings.username, self.form.typed_secret()
        )
        if secret is None and settings.username:
            self.form.show_error(InputError("password", _("Enter the password first.")))
            self.password_edit.setFocus()
            return False
        settings = settings_with_pin(settings, self.pins)
        self._tested_settings = settings
        if autodetect:
            self.runner.start_autodetect(
                settings, secret, self.autodetect_ports, self.autodetect_timeouts
            )
        else:
            self.runner.start_test(settings, secret)
        self._began(autodetect)
        return True

    def _began(self, autodetect: bool) -> None:
        # What the worker reports arrives through the event loop, after this.
        self.form.hide_error()
        self._autodetecting = autodetect
        self._set_testing(True)

    def _set_testing(self, on: bool) -> None:
        self.test_button.setEnabled(not on)
        self.autodetect_button.setEnabled(not on and self.form.current != SANDBOX_NAME)
        self.cancel_test_button.setEnabled(on)

    @Slot()
    def _on_cancel_test_clicked(self) -> None:
        self.cancel_test()

    def cancel_test(self) -> None:
        """Stop a running test (the runner then reports ``cancelled``)."""
        self.runner.cancel()

    @Slot(object)
    def _on_runner_event_logged(self, event: TranscriptEvent) -> None:
        self.test_log.appendPlainText(event.format(explain=True))

    @Slot(object)
    def _on_runner_succeeded(self, report: Any) -> None:
        self._show_report(report)

    @Slot(object)
    def _on_runner_failed(self, report: Any) -> None:
        if isinstance(report, str):
            self._show_verdict(report)
            self.last_report = None
            return
        self._show_report(report)
        info = None if self._autodetecting else report.untrusted_certificate
        if info is not None:
            self._ask_trust(info)

    def _show_verdict(self, text: str) -> None:
        self.verdict.setText(text)
        self.verdict.setVisible(bool(text))

    @Slot()
    def _on_runner_cancelled(self) -> None:
        self._show_verdict(_("The test was stopped."))

    @Slot()
    def _on_runner_finished(self) -> None:
        self._set_testing(False)
        self.test_finished.emit(self.last_report)

    def _show_report(self, report: Any) -> None:
        self.last_report = report
        lines = report.lines() if self._autodetecting else report.verdict_lines()
        self._show_verdict("\n".join(lines))
        best = getattr(report, "best", None) if self._autodetecting else None
        if best is not None:
            # Auto-detect found a working combination: put it in the form.
            self.form.use_port_and_security(best.settings)

    # -- OAuth2 sign-in --

    def _signed_in(self, account: Account) -> bool:
        if account.oauth is None or not account.server.username:
            return False
        from mailcomposer.oauth.tokens import shared

        # The window's one token store: its session-only memory must persist.
        tokens = shared().refresh_tokens
        return tokens.get(account.name, account.server.username) is not None

    def _sign_in_follows(self, before: Account, account: Account) -> None:
        """A renamed account keeps its sign-in; another login or no OAuth2 drops it."""
        from mailcomposer.oauth.tokens import shared

        user = before.server.username
        if account.oauth is None:
            shared().forget(before.name, user)
        else:
            shared().refresh_tokens.account_edited(
                before.name, user, account.name, account.server.username
            )

    @property
    def signing_in(self) -> bool:
        """True while an OAuth2 sign-in runs."""
        return self.sign_in_runner.running

    @Slot()
    def _on_oauth_panel_sign_in_requested(self) -> None:
        self.start_sign_in()

    def start_sign_in(self) -> bool:
        """Save the form, then sign its account in with the provider (off the GUI thread)."""
        from mailcomposer.oauth import providers

        if self.signing_in or not self.save():
            return False
        account = self.store.get(self.form.current or "")
        if account is None or account.oauth is None:
            return False
        problem = providers.missing(account.oauth, device=account.oauth.device_code)
        if problem:
            self.form.show_error(InputError("oauth", problem))
            self.oauth_panel.client_id_edit.setFocus()
            return False
        self.oauth_panel.set_running(True)
        self.oauth_panel.show_result(
            _("Asking the provider for a code…")
            if account.oauth.device_code
            else _("Waiting for you to sign in in the browser…")
        )
        self.sign_in_runner.start(account)
        return True

    @Slot()
    def _on_oauth_panel_cancel_requested(self) -> None:
        self.sign_in_runner.cancel()

    @Slot(str)
    def _on_sign_in_runner_url_opened(self, url: str) -> None:
        self.oauth_panel.show_waiting_for_browser(url)

    @Slot(object)
    def _on_sign_in_runner_device_code_shown(self, code: Any) -> None:
        self.oauth_panel.show_device_code(code)

    @Slot(str)
    def _on_sign_in_runner_succeeded(self, user: str) -> None:
        self.oauth_panel.show_result(_("Signed in as {user}.").format(user=user))

    @Slot(str)
    def _on_sign_in_runner_failed(self, text: str) -> None:
        self.oauth_panel.show_result(_("Sign-in failed: {error}").format(error=text))

    @Slot()
    def _on_sign_in_runner_cancelled(self) -> None:
        self.oauth_panel.show_result(_("Sign-in cancelled."))

    @Slot()
    def _on_sign_in_runner_finished(self) -> None:
        self.oauth_panel.set_running(False)

    # -- certificates --

    def _ask_trust(self, info: Any) -> None:
        from mailcomposer.ui.certdialog import CertificateDialog

        settings = self._tested_settings
        if settings is None:
            return
        pin = self.pins.pin_for(settings.host, settings.effective_port)
        previous = None
        if pin is not None and pin.sha256 != normalize_fingerprint(info.sha256):
            previous = pin.sha256
        dialog = CertificateDialog(info, self, previous_sha256=previous)
        dialog.accepted.connect(self._on_certificate_dialog_accepted)
        self.certificate_dialog = dialog
        dialog.open()

    @Slot()
    def _on_certificate_dialog_accepted(self) -> None:
        dialog = self.certificate_dialog
        settings = self._tested_settings
        if dialog is None or settings is None:
            return
        self.pins.trust(dialog.info, settings.host, settings.effective_port)
        self.certificate_dialog = None
        dialog.deleteLater()
        self.start_test()

    # -- closing --

    def stop_test_and_wait(self) -> None:
        """Cancel a running test or sign-in and wait for its thread (never leave one running)."""
        self.runner.stop_and_wait()
        self.sign_in_runner.stop_and_wait()

    def done(self, result: int) -> None:
        """Close: a running test is cancelled and waited for first."""
        self.stop_test_and_wait()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_test_and_wait()
        super().closeEvent(event)
