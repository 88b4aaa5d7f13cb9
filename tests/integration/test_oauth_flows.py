"""The OAuth2 flows and token renewal against the local authorization and SMTP servers."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from mailcomposer.oauth import flows
from mailcomposer.oauth.errors import OAuthError, SignInCancelled
from mailcomposer.oauth.tokens import AccessTokens
from mailcomposer.smtp.errors import ExitCode, SendError
from mailcomposer.smtp.session import send
from mailcomposer.smtp.settings import AuthMethod, Security, ServerSettings
from mailcomposer.store.accounts import Account, Identity
from mailcomposer.store.oauth import OAuthSettings
from tests.integration.oauth_fixtures import (
    USER,
    Browser,
    bearer_smtp,  # noqa: F401 (fixture)
    oauth_server,  # noqa: F401 (fixture)
    open_in_browser,
)
from tests.oauth_server import CLIENT_ID, SCOPE, OAuthTestServer
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import EventLog, make_built


def settings_of(server: OAuthTestServer) -> OAuthSettings:
    return OAuthSettings(
        client_id=CLIENT_ID,
        authorize_url=server.authorize_url,
        token_url=server.token_url,
        device_url=server.device_url,
        scope=SCOPE,
    )


def browser(server: OAuthTestServer) -> flows.Tokens:
    """A browser sign-in as the user would do it."""
    user = Browser()
    try:
        return flows.browser_sign_in(settings_of(server), user, threading.Event())
    finally:
        user.close()


def account_on(smtp: SmtpTestServer, oauth: OAuthTestServer, **server: object) -> Account:
    return Account(
        name="Work",
        server=ServerSettings(
            host="127.0.0.1", port=smtp.port, security=Security.NONE, username=USER, **server
        ),
        identities=[Identity("", USER)],
        oauth=settings_of(oauth),
    )


def test_browser_flow_returns_tokens_the_server_issued(
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    tokens = browser(oauth_server)
    assert oauth_server.check(USER, tokens.access_token) == "ok"
    assert tokens.refresh_token.startswith("rt-")
    assert "rt-" not in repr(tokens)


def test_cancel_stops_waiting_for_the_browser(oauth_server: OAuthTestServer) -> None:  # noqa: F811
    cancel = threading.Event()
    shown: list[str] = []

    def show(url: str) -> None:
        shown.append(url)
        cancel.set()  # the user presses Cancel instead of signing in

    with pytest.raises(SignInCancelled):
        flows.browser_sign_in(settings_of(oauth_server), show, cancel)
    assert len(shown) == 1
    assert not any(path == "/token" for path, _q in oauth_server.requests)


def test_unknown_client_never_comes_back_and_times_out(
    oauth_server: OAuthTestServer,  # noqa: F811
) -> None:
    bad = replace(settings_of(oauth_server), client_id="someone-else")
    user = Browser()
    # The test server answers 400 at /authorize: the browser shows its error page and
    # never comes back; the flow ends at its timeout, as a cancel.
    with pytest.raises(SignInCancelled, match="Nobody signed in"):
        flows.browser_sign_in(bad, user, threading.Event(), timeout=1.0)
    user.close()
    assert user.pages and "invalid_request" in user.pages[0]


def test_denied_sign_in_is_reported(oauth_server: OAuthTestServer) -> None:  # noqa: F811
    def deny(url: str) -> None:
        # The provider redirects back with error=access_denied and the right state.
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(url).query)
        back = f"{query['redirect_uri'][0]}?error=access_denied&state={query['state'][0]}"
        user(back)

    user = Browser()
    with pytest.raises(OAuthError, match="access denied"):
        flows.browser_sign_in(settings_of(oauth_server), deny, threading.Event())
    user.close()
    assert "access denied" in user.pages[0]


def test_plain_http_endpoints_are_refused_off_this_computer() -> None:
    remote = OAuthSettings(
        client_id="x",
        authorize_url="http://login.example.com/authorize",
        token_url="https://login.example.com/token",
    )
    with pytest.raises(OAuthError, match="https"):
        flows.browser_sign_in(remote, open_in_browser, threading.Event())


def test_device_flow_slows_down_when_asked(oauth_server: OAuthTestServer) -> None:  # noqa: F811
    oauth_server.device_script = ["slow_down", "authorization_pending"]
    shown: list[flows.DeviceCode] = []
    tokens = flows.device_sign_in(
        settings_of(oauth_server), shown.append, threading.Event(), slow_down_step=0.01
    )
    assert shown[0].user_code == "WDJB-MJHT"
    assert oauth_server.check(USER, tokens.access_token) == "ok"


def test_refresh_rotated_token_is_kept(oauth_server: OAuthTestServer) -> None:  # noqa: F811
    oauth_server.rotate_refresh = True
    tokens = AccessTokens()
    account = Account("Work", ServerSettings("h", username=USER), oauth=settings_of(oauth_server))
    tokens.signed_in("Work", USER, browser(oauth_server))
    first = tokens.refresh_tokens.get("Work", USER)
    tokens.token(account, renew=True)
    second = tokens.refresh_tokens.get("Work", USER)
    assert second and second != first
    tokens.token(account, renew=True)  # the rotated one works
    assert oauth_server.refreshes == 2


@pytest.mark.parametrize(
    ("auth", "mechanism"), [(AuthMethod.AUTO, "OAUTHBEARER"), (AuthMethod.XOAUTH2, "XOAUTH2")]
)
def test_expired_token_is_renewed_once_and_auth_retried(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    auth: AuthMethod,
    mechanism: str,
) -> None:
    tokens = AccessTokens()
    account = account_on(bearer_smtp, oauth_server, auth=auth)
    tokens.signed_in("Work", USER, browser(oauth_server))
    send(account.server, tokens.secret(account), make_built(), on_event=EventLog())
    # The provider expires the token early (revoked, clock skew): our cache still
    # thinks it is good, so the server's answer is what triggers the refresh.
    oauth_server.expire_access_tokens()
    events = EventLog()
    send(account.server, tokens.secret(account), make_built(), on_event=events)
    assert [(m, o) for m, _u, o in bearer_smtp.handler.logins] == [
        (mechanism, "ok"),
        (mechanism, "expired"),
        (mechanism, "ok"),
    ]
    assert oauth_server.refreshes == 1
    assert len(bearer_smtp.received) == 2
    for secret in oauth_server.issued_secrets():
        assert secret not in events.text
    assert f"AUTH {mechanism} ****" in events.lines("C")


def test_second_refusal_is_the_answer(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
) -> None:
    oauth_server.access_ttl = -1  # every token is born expired
    tokens = AccessTokens(clock=lambda: 0.0)  # ... but we believe it is fresh
    account = account_on(bearer_smtp, oauth_server)
    tokens.signed_in("Work", USER, browser(oauth_server))
    with pytest.raises(SendError) as caught:
        send(account.server, tokens.secret(account), make_built(), on_event=EventLog())
    assert caught.value.exit_code == ExitCode.AUTH
    assert len(bearer_smtp.handler.logins) == 2  # renewed once, not in a loop
    assert oauth_server.refreshes == 1


def test_token_is_refreshed_before_it_expires(oauth_server: OAuthTestServer) -> None:  # noqa: F811
    now = [1000.0]
    tokens = AccessTokens(clock=lambda: now[0])
    account = Account("Work", ServerSettings("h", username=USER), oauth=settings_of(oauth_server))
    signed = browser(oauth_server)
    tokens.signed_in("Work", USER, replace(signed, expires_at=now[0] + 3600))
    assert tokens.token(account) == signed.access_token  # from memory
    now[0] += 3600 - 60  # within the margin
    assert tokens.token(account) != signed.access_token
    assert oauth_server.refreshes == 1


def test_not_signed_in_is_an_auth_error(oauth_server: OAuthTestServer) -> None:  # noqa: F811
    account = Account("Work", ServerSettings("h", username=USER), oauth=settings_of(oauth_server))
    with pytest.raises(SendError) as caught:
        AccessTokens().secret(account)
    assert caught.value.exit_code == ExitCode.AUTH
    assert "account login" in caught.value.user_message


def test_deferred_token_is_fetched_at_login(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
) -> None:
    tokens = AccessTokens()
    account = account_on(bearer_smtp, oauth_server)
    tokens.signed_in("Work", USER, browser(oauth_server))
    tokens.forget_access_tokens()
    secret = tokens.deferred_secret(account)
    assert oauth_server.refreshes == 0  # nothing fetched until the login
    send(account.server, secret, make_built(), on_event=EventLog())
    assert oauth_server.refreshes == 1
    assert bearer_smtp.handler.logins == [("OAUTHBEARER", USER, "ok")]
