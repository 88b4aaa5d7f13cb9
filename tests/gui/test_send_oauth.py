"""The window sends with an OAuth2 account: the token is got (and renewed) on the send thread."""

from __future__ import annotations

import pytest

from tests.gui.test_send_gui import send_and_wait
from tests.integration.oauth_fixtures import (
    USER,
    add_args,
    bearer_smtp,  # noqa: F401 (fixture)
    oauth_server,  # noqa: F401 (fixture)
    sign_in_with_browser,
)


def test_the_window_sends_with_a_signed_in_account_and_renews_an_expired_token(
    qtbot,
    make_window,
    oauth_server,  # noqa: F811
    bearer_smtp,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    code, _page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 0
    window = make_window()
    assert window.select_identity(USER)
    window.to_field.setText("bob@example.org")
    window.subject_field.setText("token")
    window.editor.setPlainText("hi")
    send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error
    assert bearer_smtp.handler.logins[-1][0] in ("OAUTHBEARER", "XOAUTH2")
    assert len(bearer_smtp.received) == 1

    oauth_server.expire_access_tokens()
    window.to_field.setText("bob@example.org")
    window.subject_field.setText("token again")
    window.editor.setPlainText("hi again")
    send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error
    assert len(bearer_smtp.received) == 2
