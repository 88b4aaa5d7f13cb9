"""XOAUTH2 and OAUTHBEARER payloads, the RFC 7628 error report, and the OAuth account fields."""

from __future__ import annotations

import base64
import json

import pytest

from mailcomposer.oauth import providers
from mailcomposer.smtp.bearer import (
    RenewableToken,
    error_report,
    oauthbearer,
    token_expired,
    xoauth2,
)
from mailcomposer.smtp.login import choose_mechanism
from mailcomposer.smtp.settings import AuthMethod, ServerSettings
from mailcomposer.store.accounts import Account, Identity, account_from_dict, account_to_dict
from mailcomposer.store.oauth import OAuthSettings


def decoded(blob: str) -> str:
    return base64.b64decode(blob).decode("utf-8")


def test_oauthbearer_is_rfc_7628_gs2_with_host_and_port() -> None:
    text = decoded(oauthbearer("ann@example.org", "TOKEN", "smtp.example.org", 587))
    assert (
        text
        == "n,a=ann@example.org,\x01host=smtp.example.org\x01port=587\x01auth=Bearer TOKEN\x01\x01"
    )


def test_oauthbearer_escapes_comma_and_equals_in_the_user() -> None:
    assert decoded(oauthbearer("a,b=c", "T", "h", 1)).startswith("n,a=a=2Cb=3Dc,\x01")


def test_xoauth2_payload() -> None:
    assert decoded(xoauth2("ann", "T")) == "user=ann\x01auth=Bearer T\x01\x01"


def test_error_report_and_expiry() -> None:
    report = error_report(base64.b64encode(json.dumps({"status": "401"}).encode()))
    assert report == {"status": "401"}
    assert token_expired(535, report)
    assert not token_expired(535, {"status": "invalid_request"})
    assert error_report(b"not base64!") == {}
    assert token_expired(535, {})  # Microsoft's bare 535
    assert not token_expired(454, {})


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        (["PLAIN", "XOAUTH2", "OAUTHBEARER"], "OAUTHBEARER"),
        (["PLAIN", "XOAUTH2"], "XOAUTH2"),
        (["PLAIN", "LOGIN"], None),
    ],
)
def test_tokens_prefer_oauthbearer(offered: list[str], expected: str | None) -> None:
    assert choose_mechanism(AuthMethod.AUTO, offered, is_token=True) == expected


def test_renewable_token_hides_its_value() -> None:
    token = RenewableToken("secret-token", renew=lambda: "new")
    assert token.is_token
    assert "secret-token" not in repr(token) and "secret-token" not in str(token)


def test_accounts_file_keeps_oauth_settings_and_reads_old_files() -> None:
    oauth = OAuthSettings(provider="microsoft", client_id="id", token_url="https://t", scope="s")
    account = Account(
        "Work", ServerSettings("smtp.example.org", username="ann"), [Identity("", "a@b.c")],
        oauth=oauth,
    )  # fmt: skip
    data = json.loads(json.dumps(account_to_dict(account)))
    assert account_from_dict(data).oauth == oauth
    del data["oauth"]
    assert account_from_dict(data).oauth is None


def test_presets_carry_provider_endpoints() -> None:
    outlook = providers.for_preset("outlook")
    assert outlook is not None and outlook.provider == "microsoft"
    assert outlook.device_url.endswith("/oauth2/v2.0/devicecode")
    assert "offline_access" in outlook.scope.split()
    gmail = providers.for_preset("gmail")
    assert gmail is not None and gmail.scope == "https://mail.google.com/"
    assert gmail.device_url == ""  # Google's device flow does not grant the Gmail scope
    assert providers.is_placeholder(gmail.client_id)
    assert providers.missing(gmail, device=False)  # a client ID must be given
    mine = providers.with_overrides(gmail, client_id="mine", scope=None)
    assert not providers.missing(mine, device=False)
    assert providers.missing(mine, device=True)
