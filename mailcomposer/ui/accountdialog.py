"""The accounts dialog: edit accounts, presets, passwords; test the connection live."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.settings import AuthMethod, Secret, Security, ServerSettings, Timeouts
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store import presets
from mailcomposer.store.accounts import SANDBOX_NAME, Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.pins import PinStore, normalize_fingerprint, settings_with_pin
from mailcomposer.ui.forms import line_edit, push_button
from mailcomposer.ui.identities import IdentitiesEditor

Job = Callable[..., Any]


class ProbeWorker(QObject):
    """Runs one connection test (or auto-detection) on a worker thread.

    Emits exactly one terminal signal (``succeeded``, ``failed`` or ``cancelled``),
    then ``finished``, whatever happens.

    Signals:
        event_logged(TranscriptEvent): one transcript line (immutable).
        succeeded(object): the report of a test that worked.
        failed(object): the report of a test that did not work (or an error text).
        cancelled(): the user stopped it.
        finished(): always last.
    """

    event_logged = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        from mailcomposer.smtp.session import CancelToken

        self._job = job
        self.token = CancelToken()

    def cancel(self) -> None:
        """Stop the test from any thread (closes its socket)."""
        self.token.cancel()

    @Slot()
    def run(self) -> None:
        """Run the job; never lets an exception escape (the thread would hang)."""
        try:
            report = self._job(on_event=self._on_event, cancel=self.token)
            if self.token.cancelled:
                self.cancelled.emit()
            elif report.ok:
                self.succeeded.emit(report)
            else:
                self.failed.emit(report)
        except Exception as exc:
            self.failed.emit(_("The test stopped unexpectedly: {error}").format(error=exc))
        finally:
            self.finished.emit()

    def _on_event(self, event: TranscriptEvent) -> None:
        self.event_logged.emit(event)


def _probe_job(settings: ServerSettings, secret: Secret | None, *, on_event: Any,
               cancel: Any) -> Any:  # fmt: skip
    from mailcomposer.smtp.probe import test_connection
    from mailcomposer.store.presets import login_note_for_host

    return test_connection(settings, secret, on_event=on_event, cancel=cancel,
                           provider_note=login_note_for_host(settings.host))  # fmt: skip


def _autodetect_job(settings: ServerSettings, secret: Secret | None, ports: Any, timeouts: Any,
                    *, on_event: Any, cancel: Any) -> Any:  # fmt: skip
    from mailcomposer.smtp.probe import autodetect
    from mailcomposer.store.presets import login_note_for_host

    return autodetect(settings.host, secret, settings.username, on_event=on_event,
                      cancel=cancel, base=settings, ports=ports, timeouts=timeouts,
                      provider_note=login_note_for_host(settings.host))  # fmt: skip


class AccountDialog(QDialog):
    """Accounts on the left, the selected account's form on the right.

    Attributes:
        store: where accounts are saved.
        credentials: where passwords go.
        pins: trusted certificates.
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
        self.pins = pins or PinStore(store.home)
        self.last_report: Any = None
        self.certificate_dialog: QDialog | None = None
        self._current: str | None = None  # name of the account in the form; None = new
        self._thread: QThread | None = None
        self._worker: ProbeWorker | None = None
        self._tested_settings: ServerSettings | None = None
        self._autodetecting = False
        self._filling = False
        self._sandbox: Any = None
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
        form = QFormLayout()
        self.form = form
        self.name_edit = line_edit("accountName")
        self.address_edit = line_edit("accountAddress", "name@example.com")
        self.address_edit.textEdited.connect(self._on_address_edited)
        self.display_name_edit = line_edit("accountDisplayName")
        self.display_name_edit.textEdited.connect(self._on_display_name_edited)
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.addItem(_("Other server (enter the settings yourself)"), "")
        for preset in presets.presets():
            self.preset_combo.addItem(preset.name, preset.id)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        self.preset_note = QLabel()
        self.preset_note.setObjectName("presetNote")
        self.preset_note.setWordWrap(True)
        # Prominent: the single most common reason a first send fails.
        self.preset_note.setStyleSheet(
            "QLabel { background: #fff4ce; color: #3b2f00; border: 1px solid #e0c060;"
            " border-radius: 4px; padding: 6px; font-weight: bold; }"
        )
        self.preset_note.setVisible(False)
        self.host_edit = line_edit("hostField", "smtp.example.com")
        self.port_spin = QSpinBox()
        self.port_spin.setObjectName("portField")
        self.port_spin.setRange(0, 65535)
        # 0 is the built-in server's "any free port, started on demand".
        self.port_spin.setSpecialValueText(_("automatic"))
        self.port_spin.setValue(587)
        self.security_combo = QComboBox()
        self.security_combo.setObjectName("securityCombo")
        for security, label in (
            (Security.STARTTLS, _("STARTTLS (usually port 587)")),
            (Security.TLS, _("TLS from the first byte (usually port 465)")),
            (Security.NONE, _("None: not encrypted (local or lab servers only)")),
        ):
            self.security_combo.addItem(label, security.value)
        self.security_combo.currentIndexChanged.connect(self._on_security_changed)
        self.user_edit = line_edit("userField")
        self.auth_combo = QComboBox()
        self.auth_combo.setObjectName("authCombo")
        for method, label in (
            (AuthMethod.AUTO, _("Automatic (best offered)")),
            (AuthMethod.PLAIN, "PLAIN"),
            (AuthMethod.LOGIN, "LOGIN"),
            (AuthMethod.CRAM_MD5, "CRAM-MD5"),
            (AuthMethod.XOAUTH2, _("XOAUTH2 (OAuth 2 token)")),
        ):
            self.auth_combo.addItem(label, method.value)
        self.password_edit = line_edit("passwordField")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(_("Remember password"))
        self.remember_box.setObjectName("rememberPassword")
        self.remember_box.setChecked(True)
        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        self.cafile_edit = line_edit("cafileField", _("optional: a PEM file with an extra CA"))
        browse = push_button(_("Browse…"), "cafileBrowseButton", self._on_browse_clicked)
        cafile_row = QHBoxLayout()
        cafile_row.addWidget(self.cafile_edit, 1)
        cafile_row.addWidget(browse)
        self.connect_timeout = self._seconds("connectTimeout", Timeouts().connect)
        self.command_timeout = self._seconds("commandTimeout", Timeouts().command)
        timeouts_row = QHBoxLayout()
        timeouts_row.addWidget(QLabel(_("connect")))
        timeouts_row.addWidget(self.connect_timeout)
        timeouts_row.addWidget(QLabel(_("each reply")))
        timeouts_row.addWidget(self.command_timeout)
        self.identities_editor = IdentitiesEditor()
        self.identities_editor.first_identity_edited.connect(
            self._on_identities_editor_first_identity_edited
        )

        form.addRow(_("Account name:"), self.name_edit)
        form.addRow(_("E-mail address:"), self.address_edit)
        form.addRow(_("Your name:"), self.display_name_edit)
        form.addRow(_("Provider:"), self.preset_combo)
        form.addRow(self.preset_note)
        form.addRow(_("Server:"), self.host_edit)
        form.addRow(_("Port:"), self.port_spin)
        form.addRow(_("Security:"), self.security_combo)
        form.addRow(_("User name:"), self.user_edit)
        form.addRow(_("Login method:"), self.auth_combo)
        form.addRow(_("Password:"), self.password_edit)
        form.addRow("", self.remember_box)
        form.addRow(self.keyring_note)
        form.addRow(_("CA file:"), cafile_row)
        form.addRow(_("Timeouts (s):"), timeouts_row)
        server_page = QWidget()
        server_page.setLayout(form)
        identities_page = QWidget()
        identities_layout = QVBoxLayout(identities_page)
        identities_hint = QLabel(
            _(
                "Each identity is a From address of this account. The first one is the"
                " default; its name and address are the ones on the first tab."
            )
        )
        identities_hint.setWordWrap(True)
        identities_layout.addWidget(identities_hint)
        identities_layout.addWidget(self.identities_editor, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("accountTabs")
        self.tabs.addTab(server_page, _("Account and server"))
        self.tabs.addTab(identities_page, _("Identities and signatures"))
        right_layout.addWidget(self.tabs)

        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("QLabel { color: #b00020; }")
        self.form_error.setVisible(False)
        right_layout.addWidget(self.form_error)

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
        self.test_log.setReadOnly(True)
        self.test_log.setMaximumBlockCount(5000)
        self.test_log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.test_log.setStyleSheet("font-family: monospace;")
        right_layout.addWidget(self.test_log, 1)
        self.verdict = QLabel()
        self.verdict.setObjectName("testVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right_layout.addWidget(self.verdict)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(900, 680)
        self._update_keyring_note()

    def _seconds(self, name: str, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(1.0, 3600.0)
        spin.setDecimals(0)
        spin.setValue(value)
        return spin

    def _update_keyring_note(self) -> None:
        available = self.credentials.backend_available
        self.keyring_note.setText(
            ""
            if available
            else _("The password is kept for this session only: {why}").format(
                why=self.credentials.why_unavailable
            )
        )
        self.keyring_note.setVisible(not available)
        self.remember_box.setEnabled(available)
        if not available:
            self.remember_box.setChecked(False)

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

    def _fill(self, account: Account) -> None:
        self._filling = True
        try:
            self._current = account.name
            server = account.server
            identity = account.identity or Identity("", "")
            self.name_edit.setText(account.name)
            self.address_edit.setText(identity.address)
            self.display_name_edit.setText(identity.name)
            index = self.preset_combo.findData(account.preset)
            self.preset_combo.setCurrentIndex(max(index, 0))
            self._show_note(presets.get(account.preset) if account.preset else None)
            self.host_edit.setText(server.host)
            port = server.port or server.security.default_port
            self.port_spin.setValue(0 if account.builtin_sandbox else port)
            self.security_combo.setCurrentIndex(self.security_combo.findData(server.security.value))
            self.user_edit.setText(server.username)
            self.auth_combo.setCurrentIndex(self.auth_combo.findData(server.auth.value))
            self.password_edit.clear()
            stored = self.credentials.get(account.name, server.username) if server.username \
                else None  # fmt: skip
            self.password_edit.setPlaceholderText(
                _("stored — leave empty to keep it") if stored is not None else ""
            )
            self.remember_box.setChecked(account.remember_password)
            self.cafile_edit.setText(str(server.cafile) if server.cafile else "")
            self.connect_timeout.setValue(server.timeouts.connect)
            self.command_timeout.setValue(server.timeouts.command)
            self.identities_editor.set_identities(account.identities)
            self.form_error.setVisible(False)
            editable = not account.builtin_sandbox
            for widget in self._form_widgets():
                widget.setEnabled(editable)
            self.save_button.setEnabled(editable)
            self.remove_button.setEnabled(editable)
            self.autodetect_button.setEnabled(editable)
            self._update_keyring_note()
        finally:
            self._filling = False

    def _form_widgets(self) -> list[QWidget]:
        return [
            self.name_edit, self.address_edit, self.display_name_edit, self.preset_combo,
            self.host_edit, self.port_spin, self.security_combo, self.user_edit,
            self.auth_combo, self.password_edit, self.cafile_edit, self.connect_timeout,
            self.command_timeout, self.identities_editor,
        ]  # fmt: skip

    def new_account(self) -> None:
        """Clear the form for a new account."""
        self.account_list.blockSignals(True)
        self.account_list.clearSelection()
        self.account_list.setCurrentItem(None)
        self.account_list.blockSignals(False)
        blank = Account(
            name="",
            server=ServerSettings(host="", port=587, security=Security.STARTTLS),
            identities=[Identity("", "")],
        )
        self._fill(blank)
        self._current = None
        self.test_log.clear()
        self.verdict.clear()
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
            self._show_error(exc)
            return
        if account is not None:
            self.credentials.forget_account(account.name, account.server.username)
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

    # -- presets --

    @Slot(str)
    def _on_address_edited(self, text: str) -> None:
        self.identities_editor.set_first(address=text.strip())
        self._autofill_from_address(text)

    def _autofill_from_address(self, text: str) -> None:
        """Fill the provider's server, the login and a new account's name from an address."""
        preset = presets.preset_for_address(text)
        if preset is None:
            return
        index = self.preset_combo.findData(preset.id)
        if index != self.preset_combo.currentIndex():
            self.preset_combo.setCurrentIndex(index)  # fills host, port, security
        user = self.user_edit.text().strip()
        if not user or "@" in user:
            # Providers log in with the full address.
            self.user_edit.setText(text.strip())
        if self._current is None and not self.name_edit.isModified():
            # A new account is named after its address until the user names it.
            self.name_edit.setText(text.strip())

    @Slot(str)
    def _on_display_name_edited(self, text: str) -> None:
        self.identities_editor.set_first(name=text)

    @Slot(str, str)
    def _on_identities_editor_first_identity_edited(self, name: str, address: str) -> None:
        # setText does not emit textEdited: no loop back into the editor.
        self.display_name_edit.setText(name)
        self.address_edit.setText(address)
        if self._server_unset():
            # The first address may be typed on the identities tab before the server is set.
            self._autofill_from_address(address)

    def _server_unset(self) -> bool:
        """True while a new account's server fields hold nothing the user chose.

        That is: empty (with the usual port), or still exactly the preset an address
        filled in, so a corrected address can pick another provider.
        """
        if self._current is not None:
            return False
        host = self.host_edit.text().strip()
        port = self.port_spin.value()
        security = Security(self.security_combo.currentData())
        if not host:
            return port == security.default_port
        preset = presets.get(self.preset_combo.currentData() or "")
        return preset is not None and (host, port, security) == (
            preset.host, preset.port, preset.security
        )  # fmt: skip

    @Slot(int)
    def _on_preset_changed(self, index: int) -> None:
        if self._filling:
            return
        preset = presets.get(self.preset_combo.itemData(index) or "")
        self._show_note(preset)
        if preset is None:
            return
        self.host_edit.setText(preset.host)
        self.security_combo.setCurrentIndex(self.security_combo.findData(preset.security.value))
        self.port_spin.setValue(preset.port)

    def _show_note(self, preset: presets.Preset | None) -> None:
        if preset is None:
            self.preset_note.clear()
            self.preset_note.setVisible(False)
            return
        self.preset_note.setText(
            _("{provider}: {note}").format(provider=preset.name, note=preset.note)
        )
        self.preset_note.setVisible(True)

    @Slot(int)
    def _on_security_changed(self, _index: int) -> None:
        if self._filling:
            return
        security = Security(self.security_combo.currentData())
        # Follow the usual port unless the user typed a non-standard one.
        if self.port_spin.value() in (25, 465, 587):
            self.port_spin.setValue(security.default_port)

    @Slot()
    def _on_browse_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("CA certificate file"), "", _("PEM certificates (*.pem *.crt);;All files (*)")
        )
        if path:
            self.cafile_edit.setText(path)

    # -- the account in the form --

    def account_from_form(self) -> Account:
        """Return the account the form describes (not validated)."""
        cafile = self.cafile_edit.text().strip()
        server = ServerSettings(
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            security=Security(self.security_combo.currentData()),
            username=self.user_edit.text().strip(),
            auth=AuthMethod(self.auth_combo.currentData()),
            cafile=Path(cafile).expanduser() if cafile else None,
            timeouts=Timeouts(
                connect=self.connect_timeout.value(),
                command=self.command_timeout.value(),
            ),
        )
        identities = self.identities_editor.identities()
        return Account(
            name=self.name_edit.text().strip(),
            server=server,
            identities=identities,
            remember_password=self.remember_box.isChecked(),
            preset=self.preset_combo.currentData() or "",
        )

    def _typed_secret(self) -> Secret | None:
        text = self.password_edit.text()
        return Secret(text) if text else None

    @Slot()
    def _on_save_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Validate and save the form; return whether it was saved."""
        if self._current == SANDBOX_NAME:
            return False
        try:
            account = self.account_from_form()
            previous = self._current
            before = self.store.get(previous) if previous else None
            self.identities_editor.validate()
            self.store.save(account, previous_name=previous, new=previous is None)
        except InputError as exc:
            self._show_error(exc)
            return False
        secret = self._typed_secret()
        if before is not None:
            # The secret is keyed by name and user name: it follows either change.
            self.credentials.account_edited(
                before.name, before.server.username, account.name, account.server.username,
                new_secret=secret is not None,
            )  # fmt: skip
        if secret is not None and account.server.username:
            self.credentials.set(account.name, secret, account.server.username,
                                 remember=account.remember_password)  # fmt: skip
        elif not account.remember_password and account.server.username:
            # Unticked "Remember": drop the stored copy, keep it for this session.
            stored = self.credentials.get(account.name, account.server.username)
            if stored is not None:
                self.credentials.set(account.name, stored, account.server.username,
                                     remember=False)  # fmt: skip
        self._update_keyring_note()
        self.form_error.setVisible(False)
        self.accounts_changed.emit()
        self._reload(account.name)
        return True

    def _show_error(self, exc: InputError) -> None:
        self.form_error.setText(exc.message)
        self.form_error.setVisible(True)
        widget = {
            "name": self.name_edit,
            "host": self.host_edit,
            "port": self.port_spin,
            "user": self.user_edit,
            "cafile": self.cafile_edit,
            "from": self.address_edit,
            "reply-to": self.identities_editor.reply_to_edit,
        }.get(exc.field) or self.identities_editor.field_widget(exc.field)
        if self.identities_editor.current_row() == 0:
            # The default identity's name and address are typed on the first tab.
            widget = {
                self.identities_editor.address_edit: self.address_edit,
                self.identities_editor.name_edit: self.display_name_edit,
            }.get(widget, widget)
        if widget is not None:
            # Show the tab holding the field first: a hidden widget cannot take the focus.
            for index in range(self.tabs.count()):
                if self.tabs.widget(index).isAncestorOf(widget):
                    self.tabs.setCurrentIndex(index)
            widget.setFocus()

    # -- testing --

    @property
    def testing(self) -> bool:
        """True while a test or auto-detection runs."""
        return self._thread is not None

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
        self.verdict.clear()
        self.last_report = None
        if self._current == SANDBOX_NAME:
            # Started here, in the GUI thread: a Python thread started from a QThread
            # would leave a dummy thread record behind. Stopped when the test ends.
            from mailcomposer.sandbox.server import SandboxServer

            self._sandbox = SandboxServer(self.store.home.sandbox_maildir).start()
            job: Job = functools.partial(_probe_job, self._sandbox.settings(),
                                         self._sandbox.secret())  # fmt: skip
            self._tested_settings = None
        else:
            account = self.account_from_form()
            settings = account.server
            if not settings.host:
                self._show_error(InputError("host", _("Enter the server name first.")))
                return False
            secret = self._typed_secret()
            if secret is None and settings.username:
                secret = self.credentials.get(self._current or account.name, settings.username)
            if secret is None and settings.username:
                self._show_error(InputError("password", _("Enter the password first.")))
                self.password_edit.setFocus()
                return False
            settings = settings_with_pin(settings, self.pins)
            self._tested_settings = settings
            if autodetect:
                ports, timeouts = self.autodetect_ports, self.autodetect_timeouts
                job = functools.partial(_autodetect_job, settings, secret, ports, timeouts)
            else:
                job = functools.partial(_probe_job, settings, secret)
        self.form_error.setVisible(False)
        self._autodetecting = autodetect
        self._start_worker(job)
        return True

    def _start_worker(self, job: Job) -> None:
        thread = QThread(self)
        worker = ProbeWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.event_logged.connect(self._on_worker_event_logged)
        worker.succeeded.connect(self._on_worker_succeeded)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        worker.finished.connect(self._on_worker_finished)
        self._thread, self._worker = thread, worker
        self._set_testing(True)
        thread.start()

    def _set_testing(self, on: bool) -> None:
        self.test_button.setEnabled(not on)
        self.autodetect_button.setEnabled(not on and self._current != SANDBOX_NAME)
        self.cancel_test_button.setEnabled(on)

    @Slot()
    def _on_cancel_test_clicked(self) -> None:
        self.cancel_test()

    def cancel_test(self) -> None:
        """Stop a running test (the worker then reports ``cancelled``)."""
        if self._worker is not None:
            self._worker.cancel()

    @Slot(object)
    def _on_worker_event_logged(self, event: TranscriptEvent) -> None:
        self.test_log.appendPlainText(event.format(explain=True))

    @Slot(object)
    def _on_worker_succeeded(self, report: Any) -> None:
        self._show_report(report)

    @Slot(object)
    def _on_worker_failed(self, report: Any) -> None:
        if isinstance(report, str):
            self.verdict.setText(report)
            self.last_report = None
            return
        self._show_report(report)
        info = None if self._autodetecting else report.untrusted_certificate
        if info is not None:
            self._ask_trust(info)

    @Slot()
    def _on_worker_cancelled(self) -> None:
        self.verdict.setText(_("The test was stopped."))

    @Slot()
    def _on_worker_finished(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if worker is not None:
            worker.deleteLater()
        self._stop_sandbox()
        self._set_testing(False)
        self.test_finished.emit(self.last_report)

    def _show_report(self, report: Any) -> None:
        self.last_report = report
        lines = report.lines() if self._autodetecting else report.verdict_lines()
        self.verdict.setText("\n".join(lines))
        best = getattr(report, "best", None) if self._autodetecting else None
        if best is not None:
            # Auto-detect found a working combination: put it in the form.
            self.port_spin.setValue(best.settings.port)
            self.security_combo.setCurrentIndex(
                self.security_combo.findData(best.settings.security.value)
            )

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
        """Cancel a running test and wait for its thread (never leave one running)."""
        thread, worker = self._thread, self._worker
        if thread is None:
            return
        if worker is not None:
            worker.cancel()
        thread.quit()
        thread.wait()
        self._stop_sandbox()

    def _stop_sandbox(self) -> None:
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            sandbox.stop()

    def done(self, result: int) -> None:
        """Close: a running test is cancelled and waited for first."""
        self.stop_test_and_wait()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_test_and_wait()
        super().closeEvent(event)
