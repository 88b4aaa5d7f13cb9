"""The password asked at the first send: no empty password stored, the provider's advice shown."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from mailcomposer.store.credentials import Credentials
from mailcomposer.ui.passworddialog import PasswordDialog, ask_password


def test_ok_waits_for_a_password_and_nothing_empty_is_stored(qtbot) -> None:
    credentials = Credentials()
    dialog = PasswordDialog("QQ", "12345@qq.com", credentials)
    qtbot.add_widget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # Enter in the empty field
    assert dialog.secret is None
    assert Credentials().get("QQ", "12345@qq.com") is None
    dialog.password_edit.setText("abcdefgh")
    assert dialog.ok_button.isEnabled()


def test_first_send_to_qq_shows_the_authorization_code_advice(qtbot) -> None:
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PasswordDialog)
        seen.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.reject()

    QTimer.singleShot(0, answer)
    assert ask_password("QQ", "12345@qq.com", Credentials()) is None
    assert any("授权码" in text for text in seen)
