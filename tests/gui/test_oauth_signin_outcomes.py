"""The account dialog's OAuth2 sign-in, as a first-time user ends it: too late, or refused."""

from __future__ import annotations

import functools

import pytest

from mailcomposer.oauth import flows
from mailcomposer.store.oauth import RefreshTokens
from mailcomposer.ui.accountdialog import AccountDialog
from tests.gui.test_oauth_signin import dialog, fill_new_account  # noqa: F401 (fixture)
from tests.integration.oauth_fixtures import (
    USER,
    oauth_server,  # noqa: F401 (fixture)
)
from tests.oauth_server import OAuthTestServer


def test_nobody_signing_in_in_time_is_said_not_called_cancelled(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    dialog: AccountDialog,  # noqa: F811 (the fixture imported above)
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    # The user closed the browser tab and walked away: the real listener's wait ends
    # (a zero timeout instead of five minutes), and the user never pressed Cancel.
    monkeypatch.setattr(
        flows, "browser_sign_in", functools.partial(flows.browser_sign_in, timeout=0.0)
    )
    dialog.sign_in_runner.open_url = lambda url: None
    fill_new_account(dialog, oauth_server, device=False)
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        assert dialog.start_sign_in()
    text = dialog.oauth_panel.status_label.text()
    assert text != "Sign-in cancelled."
    assert "Nobody signed in within" in text and "try again" in text
    assert RefreshTokens().get("Work", USER) is None


def test_consent_denied_says_what_to_do(
    qtbot,
    dialog: AccountDialog,  # noqa: F811 (the fixture imported above)
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    from urllib.parse import parse_qs, urlsplit

    from tests.integration.oauth_fixtures import Browser

    user = Browser()

    def deny(url: str) -> None:
        # The user pressed "Cancel" on the consent page: the provider redirects back.
        query = parse_qs(urlsplit(url).query)
        user(f"{query['redirect_uri'][0]}?error=access_denied&state={query['state'][0]}")

    dialog.sign_in_runner.open_url = deny
    fill_new_account(dialog, oauth_server, device=False)
    with qtbot.wait_signal(dialog.sign_in_runner.finished, timeout=20000):
        assert dialog.start_sign_in()
    user.close()
    text = dialog.oauth_panel.status_label.text()
    assert "access denied" in text
    assert "sign in again and allow mailcomposer" in text
    assert "sign in again and allow mailcomposer" in user.pages[0]  # the browser tab too
    assert RefreshTokens().get("Work", USER) is None
