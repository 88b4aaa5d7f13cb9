"""OAuth2 sign-in settings of an account, and its refresh token in the system keyring."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

SERVICE = "mailcomposer-oauth"


@dataclass(frozen=True)
class OAuthSettings:
    """How an account signs in with OAuth2 instead of a password; no token inside.

    Attributes:
        provider: ``microsoft``, ``google`` or '' for custom endpoints (names the button).
        client_id: the application's client ID registered with the provider.
        client_secret: the "secret" some providers give installed apps ('' if none; it
            is not confidential for a desktop app, RFC 8252 §8.5).
        authorize_url: the authorization endpoint (the browser flow).
        token_url: the token endpoint.
        device_url: the device authorization endpoint ('' if the provider has none).
        scope: space-separated scopes to ask for.
        device_code: sign in with the device-code flow (RFC 8628) instead of the browser.
    """

    provider: str = ""
    client_id: str = ""
    client_secret: str = ""
    authorize_url: str = ""
    token_url: str = ""
    device_url: str = ""
    scope: str = ""
    device_code: bool = False


def oauth_to_dict(settings: OAuthSettings | None) -> dict[str, Any] | None:
    """Serialise for the accounts file (the client secret of an installed app included)."""
    return asdict(settings) if settings is not None else None


def oauth_from_dict(data: Any) -> OAuthSettings | None:
    """Read what ``oauth_to_dict`` wrote; unknown keys are ignored."""
    if not isinstance(data, dict):
        return None
    known = {f.name for f in fields(OAuthSettings)}
    values = {k: v for k, v in data.items() if k in known}
    values["device_code"] = bool(values.get("device_code", False))
    for key in known - {"device_code"}:
        values[key] = str(values.get(key) or "")
    return OAuthSettings(**values)


class RefreshTokens:
    """The refresh token of each OAuth account: in the keyring, never in a file.

    Uses :class:`~mailcomposer.store.credentials.Credentials` under its own service
    name, so a password and a refresh token of the same account never overwrite each
    other, and a keyring that fails keeps the token for this session only.
    """

    def __init__(self, service: str = SERVICE) -> None:
        from mailcomposer.store.credentials import Credentials  # imports keyring

        self.credentials = Credentials(service)

    def get(self, account: str, user: str) -> str | None:
        """The stored refresh token, or None."""
        secret = self.credentials.get(account, user)
        return secret.value if secret is not None else None

    def set(self, account: str, user: str, token: str) -> bool:
        """Store ``token``; True if it went to the keyring, False if only to memory."""
        return self.credentials.set(account, token, user)

    def delete(self, account: str, user: str) -> None:
        """Forget the token (sign out, account removed)."""
        self.credentials.delete(account, user)

    def account_edited(self, account: str, user: str, new_account: str, new_user: str) -> None:
        """Keep the token with an account that was renamed (a new login needs a sign-in)."""
        if user != new_user:
            self.delete(account, user)
        else:
            self.credentials.move(account, user, new_account, new_user)
