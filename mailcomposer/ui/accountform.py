"""The account form: server, login and identity fields, filled from and read into an Account."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSize, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.settings import AuthMethod, Secret, Security, ServerSettings, Timeouts
from mailcomposer.store import presets
from mailcomposer.store.accounts import Account, Identity
from mailcomposer.ui.detectpanel import DetectPanel
from mailcomposer.ui.formlabels import label_words, share_label_column
from mailcomposer.ui.forms import line_edit, push_button
from mailcomposer.ui.identities import IDENTITY_FIELDS, IdentitiesEditor
from mailcomposer.ui.oauthpanel import SignInPanel
from mailcomposer.ui.tints import NoticeTint


class AccountForm(QTabWidget):
    """The tabs of an account (account and server; identities and signatures).

    Typing an address picks its provider's preset and fills the server and login;
    picking a preset fills the server and shows the provider's note.

    Attributes:
        current: the stored name of the account shown, or None for a new account.
        tabs: the form itself (``accountTabs``), named as the dialog has always named it.
        form_error: the line that says what is wrong with the form (``formError``); the
            dialog places it below the tabs.
        identities_editor: the account's From addresses and signatures.
        name_edit, address_edit, display_name_edit, preset_combo, preset_note, host_edit,
        port_spin, security_combo, user_edit, auth_combo, password_edit, remember_box,
        keyring_note, cafile_edit, connect_timeout, command_timeout, final_dot_timeout:
        the fields.
        oauth_panel: OAuth2 sign-in instead of a password (``SignInPanel``).
        detect_panel: the *Detect settings* step, which fills the server fields.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountTabs")
        self.tabs = self
        self.current: str | None = None
        self._filling = False
        self._imap = None  # the account's IMAP settings: kept through an edit
        # The account's server as stored: what the form does not show (the EHLO name,
        # the reply deadline) is kept through an edit.
        self._server = ServerSettings("")
        self._build()

    # -- layout --

    def _build(self) -> None:
        form = QFormLayout()
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
        self.preset_note_tint = NoticeTint(
            self.preset_note,
            "warning",
            "QLabel { {css} border-radius: 4px; padding: 6px; font-weight: bold; }",
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
        self.oauth_panel = SignInPanel()
        self.oauth_panel.toggled.connect(self._on_oauth_panel_toggled)
        self.cafile_edit = line_edit("cafileField", _("optional: a PEM file with an extra CA"))
        browse = push_button(_("Browse…"), "cafileBrowseButton", self._on_browse_clicked)
        cafile_row = QHBoxLayout()
        cafile_row.addWidget(self.cafile_edit, 1)
        cafile_row.addWidget(browse)
        self.connect_timeout = _seconds("connectTimeout", Timeouts().connect)
        self.command_timeout = _seconds("commandTimeout", Timeouts().command)
        self.final_dot_timeout = _seconds("finalDotTimeout", Timeouts().final_dot, 86400.0)
        timeouts_row = QHBoxLayout()
        timeouts_row.addWidget(connect_label := QLabel(_("connect")))
        timeouts_row.addWidget(self.connect_timeout)
        timeouts_row.addWidget(command_label := QLabel(_("each reply")))
        timeouts_row.addWidget(self.command_timeout)
        final_dot_label = QLabel(_("after the message"))
        # Each box is named by its word to a screen reader.
        connect_label.setBuddy(self.connect_timeout)
        command_label.setBuddy(self.command_timeout)
        final_dot_label.setBuddy(self.final_dot_timeout)
        minutes = round(Timeouts().final_dot / 60)
        final_dot_tip = _(
            "The longest wait for the server's reply after the whole message was sent "
            "(the final dot): servers often scan a message before they answer. "
            "Default: {default}."
        ).format(default=ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes))
        for widget in (final_dot_label, self.final_dot_timeout):
            widget.setToolTip(final_dot_tip)
        timeouts_row.addWidget(final_dot_label)
        timeouts_row.addWidget(self.final_dot_timeout)
        self.identities_editor = IdentitiesEditor()
        self.identities_editor.first_identity_edited.connect(
            self._on_identities_editor_first_identity_edited
        )

        form.addRow(_("Account name:"), self.name_edit)
        self.detect_panel = DetectPanel(self.address_edit)
        self.detect_panel.settings_found.connect(self._on_detect_panel_settings_found)
        address_row = QHBoxLayout()
        address_row.addWidget(self.address_edit, 1)
        address_row.addWidget(self.detect_panel.button)
        form.addRow(_("E-mail address:"), address_row)
        form.addRow(self.detect_panel)
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
        form.addRow(self.oauth_panel)
        form.addRow(_("CA file:"), cafile_row)
        form.addRow(_("Timeouts (s):"), timeouts_row)
        # A row that is a layout gets no buddy from the form: a screen reader named the
        # address and CA file fields nothing.
        for row, field in ((address_row, self.address_edit), (cafile_row, self.cafile_edit)):
            form.labelForField(row).setBuddy(field)
        # Errors name a field by its label's words ("Port: …", "Identity 1, E-mail address: …").
        self._labels = {
            widget: label_words(form, field)
            for widget, field in (
                (self.name_edit, self.name_edit), (self.address_edit, address_row),
                (self.display_name_edit, self.display_name_edit), (self.host_edit, self.host_edit),
                (self.port_spin, self.port_spin), (self.user_edit, self.user_edit),
                (self.password_edit, self.password_edit), (self.cafile_edit, cafile_row),
            )
        }  # fmt: skip
        self.identities_editor.set_first_labels(
            self._labels[self.display_name_edit], self._labels[self.address_edit]
        )
        # The sign-in settings are a form in a row of this one: one label column for both.
        form.setHorizontalSpacing(self.oauth_panel.form.horizontalSpacing())
        share_label_column(form, self.oauth_panel.form)
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
        scroll = _FormScroll(server_page)
        scroll.setAccessibleName(_("Account and server"))  # it takes the focus to scroll
        self.addTab(scroll, _("Account and server"))
        self.addTab(identities_page, _("Identities and signatures"))

        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error_tint = NoticeTint(self.form_error, "error", "QLabel { color: {error}; }")
        self.form_error.setVisible(False)

    def set_keyring_note(self, note: str) -> None:
        """Say why passwords are kept for this session only ("" hides it; "Remember" works)."""
        self.keyring_note.setText(note)
        self.keyring_note.setVisible(bool(note))
        self.remember_box.setEnabled(not note)
        if note:
            self.remember_box.setChecked(False)

    # -- the account in the form --

    def fill(
        self,
        account: Account,
        *,
        new: bool = False,
        password_stored: bool = False,
        signed_in: bool = False,
    ) -> None:
        """Show ``account`` (``new``: one not saved yet); editable unless it is built in.

        ``signed_in``: an OAuth2 account whose refresh token is kept.
        """
        self._filling = True
        try:
            self.current = account.name
            self._imap = account.imap
            server = self._server = account.server
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
            self.password_edit.setPlaceholderText(
                _("stored — leave empty to keep it") if password_stored else ""
            )
            self.remember_box.setChecked(account.remember_password)
            self.cafile_edit.setText(str(server.cafile) if server.cafile else "")
            self.connect_timeout.setValue(server.timeouts.connect)
            self.command_timeout.setValue(server.timeouts.command)
            self.final_dot_timeout.setValue(server.timeouts.final_dot)
            self.identities_editor.set_identities(account.identities)
            self.oauth_panel.fill(account.oauth, account.preset, signed_in=signed_in)
            self.oauth_panel.setVisible(not account.builtin_sandbox)
            self.form_error.setVisible(False)
            self.detect_panel.clear()
            for widget in self._fields():
                widget.setEnabled(not account.builtin_sandbox)
            if not account.builtin_sandbox:
                self._on_oauth_panel_toggled(account.oauth is not None)
        finally:
            self._filling = False
        if new:
            self.current = None

    def _fields(self) -> list[QWidget]:
        return [
            self.name_edit, self.address_edit, self.detect_panel.button, self.display_name_edit,
            self.preset_combo,
            self.host_edit, self.port_spin, self.security_combo, self.user_edit,
            self.auth_combo, self.password_edit, self.cafile_edit, self.connect_timeout,
            self.command_timeout, self.final_dot_timeout, self.identities_editor,
        ]  # fmt: skip

    def account(self) -> Account:
        """Return the account the form describes (not validated)."""
        cafile = self.cafile_edit.text().strip()
        server = replace(
            self._server,
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            security=Security(self.security_combo.currentData()),
            username=self.user_edit.text().strip(),
            auth=AuthMethod(self.auth_combo.currentData()),
            cafile=Path(cafile).expanduser() if cafile else None,
            timeouts=replace(
                self._server.timeouts,
                connect=self.connect_timeout.value(),
                command=self.command_timeout.value(),
                final_dot=self.final_dot_timeout.value(),
            ),
            # As before: a pin comes from the pin store, the lab login from the lab.
            pinned_sha256=None,
            show_lab_login=False,
        )
        identities = self.identities_editor.identities()
        return Account(
            name=self.name_edit.text().strip(),
            server=server,
            identities=identities,
            remember_password=self.remember_box.isChecked(),
            preset=self.preset_combo.currentData() or "",
            oauth=self.oauth_panel.settings(),
            imap=self._imap,
        )

    def typed_secret(self) -> Secret | None:
        """Return the password typed in the form, or None when the field is empty."""
        text = self.password_edit.text()
        return Secret(text) if text else None

    def use_port_and_security(self, settings: ServerSettings) -> None:
        """Put the port and security of working ``settings`` in the form."""
        self.port_spin.setValue(settings.port)
        self.security_combo.setCurrentIndex(self.security_combo.findData(settings.security.value))

    def show_error(self, exc: InputError) -> None:
        """Say what is wrong and put the cursor in the field it is about (on its tab).

        The message starts with the words of the field's label, as the user sees it
        ("Port: …"); an identity's error names its field itself.
        """
        widget = {
            "name": self.name_edit,
            "host": self.host_edit,
            "port": self.port_spin,
            "user": self.user_edit,
            "password": self.password_edit,
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
        message = exc.message
        label = self._labels.get(widget) or self.identities_editor.label_of(widget)
        if label and exc.field not in IDENTITY_FIELDS:
            message = _("{field}: {problem}").format(field=label, problem=message)
        self.form_error.setText(message)
        self.form_error.setVisible(True)
        if widget is not None:
            # Show the tab holding the field first: a hidden widget cannot take the focus.
            for index in range(self.count()):
                if self.widget(index).isAncestorOf(widget):
                    self.setCurrentIndex(index)
            widget.setFocus()

    def hide_error(self) -> None:
        """Hide the error line."""
        self.form_error.setVisible(False)

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
        if self.current is None and not self.name_edit.isModified():
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
        if self.current is not None:
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
        self.oauth_panel.use_preset(preset.id if preset else "")
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

    @Slot(bool)
    def _on_oauth_panel_toggled(self, on: bool) -> None:
        # Signing in with the provider replaces the password.
        self.password_edit.setEnabled(not on)
        self.remember_box.setVisible(not on)
        if self.preset_note.text():
            self.preset_note.setVisible(not on)  # its advice is about passwords

    @Slot(object)
    def _on_detect_panel_settings_found(self, found: object) -> None:
        """Fill the server, login and IMAP fields with what detection found."""
        preset = getattr(found, "preset", "")
        self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(preset), 0))
        self.host_edit.setText(found.host)  # type: ignore[attr-defined]
        security = found.security  # type: ignore[attr-defined]
        self.security_combo.setCurrentIndex(self.security_combo.findData(security.value))
        self.port_spin.setValue(found.port)  # type: ignore[attr-defined]
        user = found.username or self.address_edit.text().strip()  # type: ignore[attr-defined]
        if user:
            self.user_edit.setText(user)
        if found.imap is not None:  # type: ignore[attr-defined]
            self._imap = found.imap  # type: ignore[attr-defined]

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


class _FormScroll(QScrollArea):
    """A tab page that scrolls instead of growing the dialog past the screen.

    The server form grows with the Detect settings steps, the sign-in panel and a
    provider's note: as a plain page it made the account dialog taller than a
    768-pixel screen (849 pixels in Chinese). It still asks for its whole height,
    so with room to spare nothing scrolls.
    """

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidget(page)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)

    def _scroll_bar_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:
        hint = self.widget().sizeHint()
        return QSize(hint.width() + self._scroll_bar_width(), hint.height())

    def minimumSizeHint(self) -> QSize:
        # As wide as the form needs (no sideways scrolling); a few rows high.
        width = self.widget().minimumSizeHint().width() + self._scroll_bar_width()
        return QSize(width, self.fontMetrics().lineSpacing() * 8)


def _seconds(name: str, value: float, maximum: float = 3600.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(1.0, maximum)
    spin.setDecimals(0)
    spin.setValue(value)
    return spin
