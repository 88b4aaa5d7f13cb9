"""``account add --oauth``, ``account login`` and ``send --account`` against local servers."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.oauth import RefreshTokens
from mailcomposer.store.paths import Home
from tests.integration.oauth_fixtures import (
    USER,
    CliRun,
    StderrLines,
    add_args,
    bearer_smtp,  # noqa: F401 (fixture)
    oauth_server,  # noqa: F401 (fixture)
    sign_in_with_browser,
)
from tests.oauth_server import OAuthTestServer
from tests.servers import SmtpTestServer


def send() -> int:
    return cli.main(["send", "--account", "Work", "--to", "bob@example.org", "--text", "hi"])


def every_file(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file()]


def test_add_sign_in_send_and_refresh(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    mailcomposer_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 0
    assert "close this tab" in page
    # The authorization request carried PKCE (S256) and a state; the code went back once.
    authorize = next(q for path, q in oauth_server.requests if path == "/authorize")
    assert authorize["code_challenge_method"] == "S256" and authorize["state"]
    assert authorize["login_hint"] == USER
    account = AccountStore(Home.from_env()).get("Work")
    assert account is not None and account.oauth is not None
    assert account.oauth.token_url == oauth_server.token_url
    assert RefreshTokens().get("Work", USER)  # in the (test) keyring

    assert send() == ExitCode.OK
    assert bearer_smtp.handler.logins[-1] == ("OAUTHBEARER", USER, "ok")
    assert len(bearer_smtp.received) == 1

    oauth_server.expire_access_tokens()
    before = oauth_server.refreshes
    assert send() == ExitCode.OK
    assert oauth_server.refreshes == before + 1
    assert len(bearer_smtp.received) == 2

    out = capsys.readouterr().out
    secrets = oauth_server.issued_secrets()
    assert secrets
    for path in every_file(mailcomposer_home):
        content = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in content, f"a token is in {path}"
    for secret in secrets:
        assert secret not in out


def test_device_code_sign_in(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oauth_server.device_script = ["authorization_pending", "authorization_pending"]
    err = StderrLines()
    monkeypatch.setattr("sys.stderr", err)
    run = CliRun(add_args(bearer_smtp, oauth_server, "--device-code"))
    line = err.next_matching("To sign in")
    assert "WDJB-MJHT" in line and oauth_server.base + "/device" in line
    assert run.result() == 0
    polls = [f for p, f in oauth_server.requests if p == "/token"]
    assert len(polls) == 3  # two "pending", then the tokens
    assert send() == ExitCode.OK


@pytest.mark.parametrize("error", ["access_denied", "expired_token"])
def test_device_code_refused_exits_5(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    error: str,
) -> None:
    oauth_server.device_script = ["authorization_pending", error]
    err = StderrLines()
    monkeypatch.setattr("sys.stderr", err)
    assert CliRun(add_args(bearer_smtp, oauth_server, "--device-code")).result() == 5
    assert "Sign-in failed" in err.getvalue()
    assert RefreshTokens().get("Work", USER) is None


def test_wrong_state_is_refused(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oauth_server.wrong_state = True
    code, page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 5
    assert "state does not match" in page
    assert not any(path == "/token" for path, _q in oauth_server.requests)
    assert RefreshTokens().get("Work", USER) is None


def test_login_signs_in_again_and_send_without_sign_in_exits_5(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 0
    RefreshTokens().delete("Work", USER)  # e.g. revoked, or another computer
    monkeypatch.setattr("sys.stderr", StderrLines())
    assert send() == ExitCode.AUTH
    code, _page = sign_in_with_browser(monkeypatch, ["account", "login", "Work", "--no-browser"])
    assert code == 0
    assert send() == ExitCode.OK


def test_remove_forgets_the_refresh_token(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 0
    assert cli.main(["account", "remove", "Work"]) == 0
    assert RefreshTokens().get("Work", USER) is None


def test_oauth_options_need_oauth(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["account", "add", "--name", "W", "--preset", "gmail", "--user", USER,
         "--oauth-client-id", "x"]
    )  # fmt: skip
    assert code == ExitCode.INPUT
    assert "--oauth: " in capsys.readouterr().err


def test_placeholder_client_id_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["account", "add", "--name", "W", "--preset", "outlook", "--user", USER,
                     "--oauth"])  # fmt: skip
    assert code == ExitCode.INPUT
    assert "--oauth-client-id" in capsys.readouterr().err


def test_preset_endpoints_with_own_client_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Nothing is fetched: the browser step is only shown, then cancelled by Ctrl+C.
    err = StderrLines()
    monkeypatch.setattr("sys.stderr", err)

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mailcomposer.oauth.loopback.RedirectListener.wait", interrupt)
    code = cli.main(["account", "add", "--name", "W", "--preset", "outlook", "--user", USER,
                     "--oauth", "--oauth-client-id", "my-id", "--no-browser"])  # fmt: skip
    assert code == ExitCode.CANCELLED
    url = next(line for line in err.getvalue().splitlines() if line.startswith("https://"))
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert parts.netloc == "login.microsoftonline.com"
    assert query["client_id"] == "my-id"
    assert query["scope"] == "https://outlook.office.com/SMTP.Send offline_access"
    assert query["redirect_uri"].startswith("http://127.0.0.1:")


def test_account_test_logs_in_with_the_token(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 0
    assert cli.main(["account", "test", "Work"]) == 0
    assert bearer_smtp.handler.logins[-1] == ("OAUTHBEARER", USER, "ok")
    assert "AUTH OAUTHBEARER ****" in capsys.readouterr().out


def test_account_test_without_sign_in_exits_5(
    oauth_server: OAuthTestServer,  # noqa: F811
    bearer_smtp: SmtpTestServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _page = sign_in_with_browser(
        monkeypatch, add_args(bearer_smtp, oauth_server, "--no-browser")
    )
    assert code == 0
    RefreshTokens().delete("Work", USER)
    assert cli.main(["account", "test", "Work"]) == ExitCode.AUTH
    assert "account login" in capsys.readouterr().out
