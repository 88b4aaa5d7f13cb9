"""The account dialog's OAuth2 sign-in step: provider button, browser, device code, cancel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QGuiApplication

from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.oauth import RefreshTokens
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from tests.integration.oauth_fixtures import (
    USER,
    Browser,
    bearer_smtp,  # noqa: F401 (fixture)
    oauth_server,  # noqa: F401 (fixture)
)
from tests.oauth_server import CLIENT_ID, SCOPE, OAuthTestServer


@pytest.fixture
def dialog(qtbot, home: Home) -> Iterator[AccountDialog]:
    widget = AccountDialog(AccountStore(home), Credentials())
    qtbot.add_widget(widget)
    yield widget
    widget.stop_test_and_wait()


def fill_new_account(dialog: AccountDialog, server: OAuthTestServer, *, device: bool) -> None:
    dialog.new_account()
    dialog.name_edit.setText("Work")
    dialog.address_edit.setText(USER)
    dialog.identities_editor.set_first(address=USER)
    dialog.host_edit.setText("smtp.example.org")
    dialog.user_edit.setText(USER)
    panel = dialog.oauth_panel
    panel.use_box.setChecked(True)
    panel.client_id_edit.setText(CLIENT_ID)
    panel.authorize_edit.setText(server.authorize_url)
    panel.token_edit.setText(server.token_url)
    panel.device_url_edit.setText(server.device_url)
    panel.scope_edit.setText(SCOPE)
    panel.device_box.setChecked(device)


def test_button_names_the_provider(dialog: AccountDialog) -> None:
    dialog.new_account()
    panel = dialog.oauth_panel
    panel.use_box.setChecked(True)
    assert panel.sign_in_button.text() == "Sign in…"
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("outlook"))
    assert panel.sign_in_button.text() == "Sign in with Microsoft"
    assert panel.scope_edit.text() == "https://outlook.office.com/SMTP.Send offline_access"
    assert panel.client_id_edit.text() == ""  # the preset's placeholder is not shown
    assert not panel.token_edit.isVisibleTo(dialog)  # the provider's endpoints are known
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("gmail"))
    assert panel.sign_in_button.text() == "Sign in with Google"
    assert not dialog.password_edit.isEnabled()


def test_sign_in_with_the_browser(
    qtbot,
    dialog: AccountDialog,
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    browser = Browser()
    dialog.sign_in_runner.open_url = browser
    fill_new_account(dialog, oauth_server, device=False)
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        assert dialog.start_sign_in()
        assert dialog.oauth_panel.cancel_button.isVisibleTo(dialog)
    browser.close()
    assert dialog.oauth_panel.status_label.text() == f"Signed in as {USER}."
    assert "close this tab" in browser.pages[0]
    assert RefreshTokens().get("Work", USER)
    saved = dialog.store.get("Work")
    assert saved is not None and saved.oauth is not None
    assert saved.oauth.token_url == oauth_server.token_url
    assert not dialog.oauth_panel.cancel_button.isVisibleTo(dialog)


def test_cancel_while_waiting_for_the_browser(
    qtbot,
    dialog: AccountDialog,
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    opened: list[str] = []
    dialog.sign_in_runner.open_url = opened.append  # the user never signs in
    fill_new_account(dialog, oauth_server, device=False)
    with qtbot.wait_signal(dialog.sign_in_runner.url_opened, timeout=20000):
        dialog.start_sign_in()
    panel = dialog.oauth_panel
    assert "Waiting for you to sign in in the browser" in panel.status_label.text()
    assert panel.url_edit.text() == opened[0]
    panel.copy_url_button.click()
    assert QGuiApplication.clipboard().text() == opened[0]
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        dialog.oauth_panel.cancel_button.click()
    assert dialog.oauth_panel.status_label.text() == "Sign-in cancelled."
    assert RefreshTokens().get("Work", USER) is None


def test_device_code_is_shown_and_copied(
    qtbot,
    dialog: AccountDialog,
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    oauth_server.device_interval = 1
    oauth_server.device_script = ["authorization_pending"] * 100
    fill_new_account(dialog, oauth_server, device=True)
    with qtbot.wait_signal(dialog.sign_in_runner.device_code_shown, timeout=20000):
        dialog.start_sign_in()
    panel = dialog.oauth_panel
    assert panel.code_label.text() == "WDJB-MJHT"
    assert oauth_server.base + "/device" in panel.status_label.text()
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == "WDJB-MJHT"
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        panel.cancel_button.click()
    assert panel.status_label.text() == "Sign-in cancelled."
    assert not panel.code_label.isVisibleTo(dialog)


def test_placeholder_client_id_is_refused_before_the_browser(dialog: AccountDialog) -> None:
    dialog.new_account()
    dialog.address_edit.setText(USER)
    dialog.identities_editor.set_first(address=USER)
    dialog.name_edit.setText("Mail")
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("outlook"))
    dialog.user_edit.setText(USER)
    dialog.oauth_panel.use_box.setChecked(True)
    assert not dialog.start_sign_in()
    assert "client ID" in dialog.form_error.text()
    assert not dialog.signing_in


def test_connection_test_uses_the_token(
    qtbot,
    dialog: AccountDialog,
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp,  # noqa: F811
) -> None:
    browser = Browser()
    dialog.sign_in_runner.open_url = browser
    fill_new_account(dialog, oauth_server, device=False)
    dialog.oauth_panel.device_box.setChecked(False)
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        dialog.start_sign_in()
    browser.close()
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(bearer_smtp.port)
    dialog.security_combo.setCurrentIndex(dialog.security_combo.findData("none"))
    with qtbot.wait_signal(dialog.test_finished, timeout=20000):
        assert dialog.start_test()  # the server's fields, as typed; the saved sign-in
    assert dialog.last_report is not None and dialog.last_report.ok
    assert bearer_smtp.handler.logins[-1] == ("OAUTHBEARER", USER, "ok")
    dialog.user_edit.setText("someone@example.org")
    assert not dialog.start_test()  # no sign-in is kept for that login
    assert "Sign in first" in dialog.form_error.text()


def test_renamed_account_keeps_its_sign_in_and_switching_off_drops_it(
    qtbot,
    dialog: AccountDialog,
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    browser = Browser()
    dialog.sign_in_runner.open_url = browser
    fill_new_account(dialog, oauth_server, device=False)
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        dialog.start_sign_in()
    browser.close()
    stored = RefreshTokens().get("Work", USER)
    assert stored
    dialog.name_edit.setText("Office")
    assert dialog.save()
    assert RefreshTokens().get("Work", USER) is None
    assert RefreshTokens().get("Office", USER) == stored
    assert dialog.oauth_panel.status_label.text() == "Signed in."
    dialog.oauth_panel.use_box.setChecked(False)
    dialog.password_edit.setText("a password now")
    assert dialog.save()
    assert RefreshTokens().get("Office", USER) is None
