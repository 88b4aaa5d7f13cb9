"""The OAuth2 part of the account form: the switch, the endpoints and the sign-in step."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.oauth import providers
from mailcomposer.store.oauth import OAuthSettings
from mailcomposer.ui.forms import line_edit, push_button

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mailcomposer.oauth.flows import DeviceCode


class SignInPanel(QWidget):
    """Sign in with Microsoft / Google (or custom endpoints) instead of a password.

    The panel only shows and collects: the dialog runs the sign-in and tells the panel
    what it is waiting for.

    Attributes:
        use_box: "Sign in with OAuth2" (``oauthCheck``).
        sign_in_button: the provider's sign-in button (``oauthSignInButton``).
        cancel_button: stops a running sign-in (``oauthCancelButton``).
        status_label: what is happening (``oauthStatus``).
        code_label: the device code and where to enter it (``oauthDeviceCode``).
        copy_button: copies the device code (``oauthCopyButton``).
        url_edit: the authorization address, for when no browser opened (``oauthUrl``).
        copy_url_button: copies that address (``oauthCopyUrlButton``).
        client_id_edit, authorize_edit, token_edit, device_url_edit, scope_edit,
        device_box: the settings (the preset's, overridable).
        form: the settings' form (``QFormLayout``), so the account form can line its
            labels up with its own.

    Signals:
        sign_in_requested(): the user pressed the sign-in button.
        cancel_requested(): the user pressed Cancel during a sign-in.
        toggled(bool): OAuth2 was switched on or off.
    """

    sign_in_requested = Signal()
    cancel_requested = Signal()
    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("oauthPanel")
        self._base: OAuthSettings | None = None
        self._code = ""
        self.use_box = QCheckBox(_("Sign in with the provider (OAuth2) instead of a password"))
        self.use_box.setObjectName("oauthCheck")
        self.use_box.toggled.connect(self._on_use_box_toggled)
        self.sign_in_button = push_button(
            _("Sign in…"), "oauthSignInButton", self._on_sign_in_button_clicked
        )
        self.cancel_button = push_button(
            _("Cancel"), "oauthCancelButton", self._on_cancel_button_clicked
        )
        self.cancel_button.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("oauthStatus")
        self.status_label.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setObjectName("oauthDeviceCode")
        self.code_label.setStyleSheet("QLabel { font-size: 16pt; font-weight: bold; }")
        self.code_label.setVisible(False)
        self.copy_button = push_button(
            _("Copy code"), "oauthCopyButton", self._on_copy_button_clicked
        )
        self.copy_button.setVisible(False)
        self.url_edit = line_edit("oauthUrl")
        self.url_edit.setReadOnly(True)
        self.copy_url_button = push_button(
            _("Copy address"), "oauthCopyUrlButton", self._on_copy_url_button_clicked
        )
        self.client_id_edit = line_edit(
            "oauthClientId", _("your registered client ID (see the README)")
        )
        self.authorize_edit = line_edit("oauthAuthorizeUrl", "https://…/authorize")
        self.token_edit = line_edit("oauthTokenUrl", "https://…/token")
        self.device_url_edit = line_edit("oauthDeviceUrl", _("optional"))
        self.scope_edit = line_edit("oauthScope")
        self.device_box = QCheckBox(_("Sign in with a code on another device"))
        self.device_box.setObjectName("oauthDeviceCodeCheck")

        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_label)
        code_row.addWidget(self.copy_button)
        code_row.addStretch(1)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.copy_url_button)
        self.details = QWidget()
        self.form = form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Client ID:"), self.client_id_edit)
        form.addRow(_("Authorization URL:"), self.authorize_edit)
        form.addRow(_("Token URL:"), self.token_edit)
        form.addRow(_("Device code URL:"), self.device_url_edit)
        form.addRow(_("Scope:"), self.scope_edit)
        form.addRow("", self.device_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.use_box)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addLayout(code_row)
        layout.addLayout(url_row)
        self._hide_code()
        self._on_use_box_toggled(False)

    # -- settings --

    def fill(self, oauth: OAuthSettings | None, preset_id: str, *, signed_in: bool) -> None:
        """Show an account's OAuth2 settings (or the preset's, switched off)."""
        self._base = providers.for_preset(preset_id) if preset_id else None
        shown = oauth or self._base or OAuthSettings()
        self.use_box.setChecked(oauth is not None)
        self._show_settings(shown)
        self.device_box.setChecked(shown.device_code)
        self._set_status(_("Signed in.") if oauth is not None and signed_in else "")
        self._hide_code()
        self._update_button()

    def use_preset(self, preset_id: str) -> None:
        """Another provider was chosen: show its endpoints."""
        self._base = providers.for_preset(preset_id) if preset_id else None
        self._show_settings(self._base or OAuthSettings())
        self._update_button()

    def _show_settings(self, shown: OAuthSettings) -> None:
        client_id = "" if providers.is_placeholder(shown.client_id) else shown.client_id
        self.client_id_edit.setText(client_id)
        self.authorize_edit.setText(shown.authorize_url)
        self.token_edit.setText(shown.token_url)
        self.device_url_edit.setText(shown.device_url)
        self.scope_edit.setText(shown.scope)

    def settings(self) -> OAuthSettings | None:
        """The settings the panel describes, or None when OAuth2 is off."""
        if not self.use_box.isChecked():
            return None
        return providers.with_overrides(
            self._base,
            client_id=self.client_id_edit.text().strip(),
            authorize_url=self.authorize_edit.text().strip(),
            token_url=self.token_edit.text().strip(),
            device_url=self.device_url_edit.text().strip(),
            scope=" ".join(self.scope_edit.text().split()),
            device_code=self.device_box.isChecked(),
        )

    def _update_button(self) -> None:
        name = providers.provider_name(self._base)
        self.sign_in_button.setText(
            _("Sign in with {provider}").format(provider=name) if name else _("Sign in…")
        )
        # A provider's endpoints are known: only the client ID is the user's to give.
        for edit in (self.authorize_edit, self.token_edit, self.device_url_edit, self.scope_edit):
            self.form.setRowVisible(edit, not name)

    # -- the sign-in step --

    def set_running(self, running: bool) -> None:
        """A sign-in started or ended: Cancel instead of the sign-in button."""
        self.sign_in_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.details.setEnabled(not running)
        self.use_box.setEnabled(not running)
        if not running:
            self._hide_code()

    def show_waiting_for_browser(self, url: str) -> None:
        """Say that the browser is open at ``url`` and we wait for the user."""
        self._set_status(
            _("Waiting for you to sign in in the browser… If no browser opened, open this address:")
        )
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)
        self.url_edit.setVisible(True)
        self.copy_url_button.setVisible(True)

    def show_device_code(self, code: DeviceCode) -> None:
        """Show the device code and where to enter it."""
        self._code = code.user_code
        self._set_status(
            _("On any device, open {url} and enter this code:").format(url=code.verification_uri)
        )
        self.code_label.setText(code.user_code)
        self.code_label.setVisible(True)
        self.copy_button.setVisible(True)

    def show_result(self, text: str) -> None:
        """Say how the sign-in ended."""
        self._set_status(text)

    def _set_status(self, text: str) -> None:
        # Empty, it would still keep a blank line between the sign-in button and the CA file.
        self.status_label.setText(text)
        self.status_label.setVisible(self.use_box.isChecked() and bool(text))

    def _hide_code(self) -> None:
        for widget in (self.code_label, self.copy_button, self.url_edit, self.copy_url_button):
            widget.setVisible(False)

    @Slot(bool)
    def _on_use_box_toggled(self, on: bool) -> None:
        self.details.setVisible(on)
        self.sign_in_button.setVisible(on)
        self.status_label.setVisible(on and bool(self.status_label.text()))
        self.toggled.emit(on)

    @Slot()
    def _on_sign_in_button_clicked(self) -> None:
        self.sign_in_requested.emit()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.cancel_requested.emit()

    @Slot()
    def _on_copy_url_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.url_edit.text())

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._code)
