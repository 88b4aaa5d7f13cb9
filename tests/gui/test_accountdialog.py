"""Tests for the accounts dialog: presets, saving, passwords, live connection test."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from mailcomposer import i18n
from mailcomposer.smtp.settings import Secret, Security
from mailcomposer.store.accounts import SANDBOX_NAME, AccountStore
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from tests.integration.test_probe import AuthServer
from tests.memory_keyring import MemoryKeyring, NoKeyring
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

# Generous waits for a loaded CI machine: a passing test never waits this long. The
# connection timeouts stay below WAIT_MS so that a hung test reports the dialog's verdict.
WAIT_MS = 45000
SERVER_TIMEOUT_S = 15.0
# The offscreen platform warns that it cannot propagate size hints; harmless.


@pytest.fixture
def home(mailcomposer_home: Path) -> Home:
    return Home(mailcomposer_home)


@pytest.fixture
def dialog(qtbot, home: Home) -> AccountDialog:
    widget = AccountDialog(AccountStore(home), Credentials())
    qtbot.add_widget(widget)
    widget.show()
    yield widget
    widget.stop_test_and_wait()


def fill_local(qtbot, dialog: AccountDialog, port: int, security: Security, password: str,
               cafile: Path | None = None) -> None:  # fmt: skip
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Local")
    qtbot.keyClicks(dialog.address_edit, "ann@example.test")
    dialog.host_edit.setText("127.0.0.1")
    dialog.security_combo.setCurrentIndex(dialog.security_combo.findData(security.value))
    dialog.port_spin.setValue(port)
    dialog.user_edit.setText(AUTH_USER)
    dialog.password_edit.setText(password)
    dialog.connect_timeout.setValue(SERVER_TIMEOUT_S)
    dialog.command_timeout.setValue(SERVER_TIMEOUT_S)
    if cafile is not None:
        dialog.cafile_edit.setText(str(cafile))


def test_object_name_and_sandbox_first_shown(dialog: AccountDialog) -> None:
    assert dialog.objectName() == "accountDialog"
    assert dialog.account_list.count() == 1
    assert dialog.name_edit.text() == SANDBOX_NAME
    assert dialog.port_spin.value() == 0 and dialog.port_spin.text() == "automatic"
    assert not dialog.save_button.isEnabled() and not dialog.remove_button.isEnabled()


def test_qq_address_fills_preset_and_shows_note(qtbot, dialog: AccountDialog) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.address_edit, "12345@qq.com")
    assert dialog.host_edit.text() == "smtp.qq.com"
    assert dialog.port_spin.value() == 465
    assert dialog.security_combo.currentData() == "tls"
    assert dialog.preset_combo.currentData() == "qq"
    assert dialog.user_edit.text() == "12345@qq.com"
    assert dialog.preset_note.isVisible()
    assert "授权码" in dialog.preset_note.text()


def test_note_in_chinese(qtbot, home: Home) -> None:
    i18n.set_language("zh_CN")
    widget = AccountDialog(AccountStore(home), Credentials())
    qtbot.add_widget(widget)
    widget.new_account()
    qtbot.keyClicks(widget.address_edit, "someone@163.com")
    assert "客户端授权码" in widget.preset_note.text()


def test_save_stores_password_in_keyring_not_in_files(
    qtbot, dialog: AccountDialog, home: Home, memory_keyring: MemoryKeyring
) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Gmail")
    qtbot.keyClicks(dialog.address_edit, "me@gmail.com")
    dialog.password_edit.setText("app-password-abcd")
    with qtbot.wait_signal(dialog.accounts_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    account = AccountStore(home).get("Gmail")
    assert account is not None and account.server.host == "smtp.gmail.com"
    assert Credentials().get("Gmail", "me@gmail.com") == Secret("app-password-abcd")
    for path in home.root.rglob("*"):
        if path.is_file():
            assert b"app-password-abcd" not in path.read_bytes(), path
    assert dialog.account_list.count() == 2


def test_invalid_input_shown_and_not_saved(qtbot, dialog: AccountDialog, home: Home) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Bad")
    qtbot.keyClicks(dialog.address_edit, "not-an-address")
    dialog.host_edit.setText("smtp.example.com")
    assert dialog.save() is False
    assert dialog.form_error.isVisible() and dialog.form_error.text()
    assert AccountStore(home).get("Bad") is None


def test_keyring_unavailable_explained(qtbot, home: Home) -> None:
    keyring.set_keyring(NoKeyring())
    credentials = Credentials()
    credentials.get("probe")  # discovers there is no backend
    widget = AccountDialog(AccountStore(home), credentials)
    qtbot.add_widget(widget)
    widget.show()
    assert widget.keyring_note.isVisible()
    assert "this session" in widget.keyring_note.text()
    assert not widget.remember_box.isChecked()


def test_remove_and_default(qtbot, dialog: AccountDialog, home: Home) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Work")
    qtbot.keyClicks(dialog.address_edit, "me@example.com")
    dialog.host_edit.setText("smtp.example.com")
    dialog.user_edit.setText("me@example.com")
    assert dialog.save()
    store = AccountStore(home)
    store.set_default(SANDBOX_NAME)
    dialog._reload("Work")
    with qtbot.wait_signal(dialog.accounts_changed):
        qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert store.default().name == "Work"
    credentials = Credentials()
    credentials.set("Work", Secret("name-only"))  # what a send without a user name kept
    with qtbot.wait_signal(dialog.accounts_changed):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert store.names() == [SANDBOX_NAME]
    assert credentials.get("Work") is None


def test_test_connection_shows_transcript_and_verdict(
    qtbot, dialog: AccountDialog, server_ssl_context, client_cafile: Path
) -> None:
    with AuthServer(starttls_context=server_ssl_context, require_starttls=True) as server:
        fill_local(qtbot, dialog, server.port, Security.STARTTLS, AUTH_PASSWORD, client_cafile)
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        log = dialog.test_log.toPlainText()
        assert "S: 220" in log and "C: STARTTLS" in log and "C: QUIT" in log
        assert AUTH_PASSWORD not in log
        assert "succeeded" in dialog.verdict.text()
        assert dialog.last_report.ok
        assert dialog.test_button.isEnabled()


def test_wrong_password_verdict(qtbot, dialog: AccountDialog) -> None:
    with AuthServer(auth_require_tls=False) as server:
        fill_local(qtbot, dialog, server.port, Security.NONE, "wrong")
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            dialog.start_test()
        assert "check the user name" in dialog.verdict.text()


def test_sandbox_account_test(qtbot, dialog: AccountDialog) -> None:
    with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "S: 220" in dialog.test_log.toPlainText()
    assert dialog.last_report.ok


def test_untrusted_certificate_then_trust(qtbot, dialog: AccountDialog, server_ssl_context,
                                          home: Home) -> None:  # fmt: skip
    with AuthServer(tls_context=server_ssl_context) as server:
        fill_local(qtbot, dialog, server.port, Security.TLS, AUTH_PASSWORD)
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            dialog.start_test()
        cert_dialog = dialog.certificate_dialog
        assert cert_dialog is not None and cert_dialog.objectName() == "certificateDialog"
        assert cert_dialog.trust_button is not None
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            qtbot.mouseClick(cert_dialog.trust_button, Qt.MouseButton.LeftButton)
        assert dialog.last_report.ok, dialog.verdict.text()
        assert "explicit exception" in dialog.test_log.toPlainText()


def test_changed_certificate_warns_without_trust(qtbot, dialog: AccountDialog, server_ssl_context,
                                                home: Home) -> None:  # fmt: skip
    from mailcomposer.store.pins import PinStore

    with AuthServer(tls_context=server_ssl_context) as server:
        PinStore(home).trust(_FakeInfo("127.0.0.1", server.port, "00" * 32))
        fill_local(qtbot, dialog, server.port, Security.TLS, AUTH_PASSWORD)
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            dialog.start_test()
        assert not dialog.last_report.ok
        cert_dialog = dialog.certificate_dialog
        assert cert_dialog is not None
        assert cert_dialog.trust_button is None  # no way to accept it by reflex
        assert "has changed" in cert_dialog.findChild(QLabel, "certificateHeadline").text()
        assert PinStore(home).pin_for("127.0.0.1", server.port).sha256 == "00" * 32


class _FakeInfo:
    """The fields PinStore.trust reads from a CertificateInfo."""

    def __init__(self, host: str, port: int, sha256: str) -> None:
        self.host, self.port, self.sha256, self.subject = host, port, sha256, "CN=old"


def test_autodetect_fills_port_and_security(qtbot, dialog: AccountDialog, server_ssl_context,
                                            client_cafile: Path) -> None:  # fmt: skip
    from mailcomposer.smtp.settings import Timeouts

    with AuthServer(starttls_context=server_ssl_context, require_starttls=True) as server:
        dialog.autodetect_ports = ((server.port, Security.TLS), (server.port, Security.STARTTLS))
        # Not about timeouts: every probe here gets an answer (or a TLS error) at once.
        dialog.autodetect_timeouts = Timeouts(SERVER_TIMEOUT_S, SERVER_TIMEOUT_S, SERVER_TIMEOUT_S)
        fill_local(qtbot, dialog, 1, Security.NONE, AUTH_PASSWORD, client_cafile)
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.autodetect_button, Qt.MouseButton.LeftButton)
        assert dialog.security_combo.currentData() == "starttls"
        assert dialog.port_spin.value() == server.port
        assert "WRONG_VERSION_NUMBER" in dialog.verdict.text()


def test_closing_during_a_test_cancels_and_waits(qtbot, dialog: AccountDialog) -> None:
    from tests.servers import Hang, ScriptedServer

    with ScriptedServer([Hang()]) as server:
        fill_local(qtbot, dialog, server.port, Security.NONE, AUTH_PASSWORD)
        dialog.command_timeout.setValue(60)
        assert dialog.start_test()
        qtbot.wait_until(lambda: "Connecting" in dialog.test_log.toPlainText(), timeout=WAIT_MS)
        thread = dialog.runner.worker_thread
        assert thread is not None and thread.isRunning()
        with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
            dialog.reject()
            assert thread.isFinished()  # reject() cancelled and waited
        assert "stopped" in dialog.verdict.text()
