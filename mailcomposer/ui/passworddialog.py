"""Dialog asking for an account's password (once per session)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.smtp.settings import Secret
from mailcomposer.store.credentials import Credentials


class PasswordDialog(QDialog):
    """Asks for the password of one account and stores it in ``credentials``.

    The "Remember password" box is only offered when the keyring works; otherwise
    the dialog says why the password is kept for this session only.

    Attributes:
        secret: the password entered, once accepted.
    """

    def __init__(
        self,
        account: str,
        user: str,
        credentials: Credentials,
        parent: QWidget | None = None,
        *,
        note: str = "",
        remember: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(_("Password for {account}").format(account=account))
        self.account = account
        self.user = user
        self.credentials = credentials
        self.secret: Secret | None = None
        layout = QVBoxLayout(self)
        prompt = QLabel(
            _("Enter the password for {user} (account “{account}”).").format(
                user=user or "-", account=account
            )
        )
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        if note:
            hint = QLabel(note)
            hint.setObjectName("passwordNote")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordField")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password_edit)
        self.remember_box = QCheckBox(_("Remember password"))
        self.remember_box.setObjectName("rememberPassword")
        self.remember_box.setChecked(remember and credentials.backend_available)
        self.remember_box.setVisible(credentials.backend_available)
        layout.addWidget(self.remember_box)
        self.keyring_note = QLabel(credentials.why_unavailable)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setVisible(not credentials.backend_available)
        layout.addWidget(self.keyring_note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # An empty password was stored in the keyring and sent at every later send:
        # OK waits for one (as ``--password-stdin`` refuses an empty line).
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.password_edit.textChanged.connect(self._on_password_edit_text_changed)
        # Its wrapped lines made it open 258 pixels wide: the prompt and a provider's
        # note in columns of three or four words.
        self.setMinimumWidth(420)
        self.resize(420, max(self.heightForWidth(420), self.minimumSizeHint().height()))

    @Slot(str)
    def _on_password_edit_text_changed(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text))

    def accept(self) -> None:
        """Store the password (keyring or session memory) and close."""
        if not self.password_edit.text():
            return  # Enter in the empty field: nothing to store
        self.secret = Secret(self.password_edit.text())
        self.credentials.set(
            self.account, self.secret, self.user, remember=self.remember_box.isChecked()
        )
        # The keyring may have failed just now: the memory copy still serves this session.
        super().accept()


def ask_password(
    account: str,
    user: str,
    credentials: Credentials,
    parent: QWidget | None = None,
    *,
    note: str = "",
) -> Secret | None:
    """Return the stored secret, or ask for it (modal); None if the user cancelled.

    Without a ``note``, the provider of ``user``'s address gives its advice (QQ's and
    163's 授权码, Gmail's app password), as the account form does.
    """
    secret = credentials.get(account, user)
    if secret is not None:
        return secret
    if not note:
        from mailcomposer.store.presets import preset_for_address

        preset = preset_for_address(user)
        note = preset.note if preset is not None else ""
    dialog = PasswordDialog(account, user, credentials, parent, note=note)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.secret
    return None
