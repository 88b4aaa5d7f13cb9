"""Tests for the certificate trust dialog and the password dialog."""

from __future__ import annotations

import datetime as dt

import keyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from mailcomposer.smtp.settings import Secret
from mailcomposer.smtp.tls import CertificateInfo
from mailcomposer.store.credentials import Credentials
from mailcomposer.ui.certdialog import CertificateDialog
from mailcomposer.ui.passworddialog import PasswordDialog
from tests.memory_keyring import NoKeyring

FINGERPRINT = ":".join(["AB"] * 32)
OLD = "cd" * 32
INFO = CertificateInfo(
    subject="CN=mail.lab.example",
    issuer="CN=mail.lab.example",
    not_before=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    not_after=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    sha256=FINGERPRINT,
    reason="the certificate is self-signed, so nothing vouches for it",
    host="mail.lab.example",
    port=465,
    names=("mail.lab.example",),
)


def label(dialog, name: str) -> str:
    widget = dialog.findChild(QLabel, name)
    assert widget is not None, name
    return widget.text()


def test_shows_fingerprint_and_details(qtbot) -> None:
    dialog = CertificateDialog(INFO)
    qtbot.add_widget(dialog)
    assert dialog.objectName() == "certificateDialog"
    assert label(dialog, "certificateFingerprint") == FINGERPRINT
    assert label(dialog, "certificateSubject") == "CN=mail.lab.example"
    assert label(dialog, "certificateIssuer") == "CN=mail.lab.example"
    assert "2027-01-01" in label(dialog, "certificateValidity")
    assert label(dialog, "certificateHost") == "mail.lab.example:465"
    assert "self-signed" in label(dialog, "certificateReason")
    assert dialog.trust_button is not None
    assert "mail.lab.example:465" in dialog.trust_button.text()
    assert not dialog.trust_button.isDefault()  # Enter never trusts by accident
    with qtbot.wait_signal(dialog.accepted):
        qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    assert dialog.trusted


def test_cancel_does_not_trust(qtbot) -> None:
    dialog = CertificateDialog(INFO)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.rejected):
        dialog.reject()
    assert not dialog.trusted


def test_changed_certificate_warns_without_trust_button(qtbot) -> None:
    dialog = CertificateDialog(INFO, previous_sha256=OLD)
    qtbot.add_widget(dialog)
    assert dialog.trust_button is None
    assert "has changed" in label(dialog, "certificateHeadline")
    assert label(dialog, "certificateOldFingerprint") == OLD
    assert label(dialog, "certificateFingerprint") == FINGERPRINT
    replace = CertificateDialog(INFO, previous_sha256=OLD, allow_replace=True)
    qtbot.add_widget(replace)
    assert replace.trust_button is not None and "Replace" in replace.trust_button.text()


def test_password_dialog_remembers_in_keyring(qtbot) -> None:
    credentials = Credentials()
    dialog = PasswordDialog("Work", "me@example.com", credentials)
    qtbot.add_widget(dialog)
    assert dialog.remember_box.isChecked() and not dialog.keyring_note.isVisibleTo(dialog)
    dialog.password_edit.setText("pw")
    dialog.accept()
    assert dialog.secret == Secret("pw")
    assert Credentials().get("Work", "me@example.com") == Secret("pw")


def test_password_dialog_without_keyring(qtbot) -> None:
    keyring.set_keyring(NoKeyring())
    credentials = Credentials()
    credentials.get("x")
    dialog = PasswordDialog("Work", "me", credentials)
    qtbot.add_widget(dialog)
    assert dialog.keyring_note.isVisibleTo(dialog)
    assert "kept in memory" in dialog.keyring_note.text()
    assert not dialog.remember_box.isVisibleTo(dialog)
    dialog.password_edit.setText("pw")
    dialog.accept()
    assert credentials.get("Work", "me") == Secret("pw")  # for this session
