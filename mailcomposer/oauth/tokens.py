"""Access tokens of OAuth accounts: in memory only, refreshed before they expire."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from mailcomposer.i18n import _
from mailcomposer.oauth import flows
from mailcomposer.oauth.errors import OAuthError
from mailcomposer.smtp.bearer import RenewableToken
from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.store.accounts import Account
from mailcomposer.store.oauth import OAuthSettings, RefreshTokens

# A token this close to its expiry is refreshed first: a send takes a while.
MARGIN = 120.0


class AccessTokens:
    """Hands out access tokens for OAuth accounts, refreshing them when needed.

    Access tokens stay in this object (memory); refresh tokens live in the keyring
    (:class:`~mailcomposer.store.oauth.RefreshTokens`). A provider that rotates the
    refresh token gets the new one stored.

    Args:
        refresh_tokens: the keyring store; default a new one.
        refresh: exchanges a refresh token for tokens (``flows.refresh``).
        clock: the time in seconds (``time.time``).
    """

    def __init__(
        self,
        refresh_tokens: RefreshTokens | None = None,
        refresh: Callable[[OAuthSettings, str], flows.Tokens] = flows.refresh,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.refresh_tokens = refresh_tokens or RefreshTokens()
        self._refresh = refresh
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def signed_in(self, account: str, user: str, tokens: flows.Tokens) -> bool:
        """Keep the tokens of a finished sign-in; True if the keyring took the refresh token.

        Raises:
            OAuthError: the provider sent no refresh token (the account could not
                send again later without a new sign-in).
        """
        if not tokens.refresh_token:
            raise OAuthError(
                _(
                    "The provider gave no refresh token; check that the scope asks for "
                    "offline access (Microsoft: offline_access)."
                )
            )
        with self._lock:
            self._cache[(account, user)] = (tokens.access_token, tokens.expires_at)
        return self.refresh_tokens.set(account, user, tokens.refresh_token)

    def forget(self, account: str, user: str) -> None:
        """Sign out: drop the access token and the stored refresh token."""
        with self._lock:
            self._cache.pop((account, user), None)
        self.refresh_tokens.delete(account, user)

    def forget_access_tokens(self) -> None:
        """Drop every access token kept in memory (the next use refreshes)."""
        with self._lock:
            self._cache.clear()

    def token(self, account: Account, *, renew: bool = False) -> str:
        """A valid access token for ``account`` (refreshed if near expiry, or if ``renew``).

        Raises:
            OAuthError: not signed in, or the refresh was refused.
        """
        if account.oauth is None:
            raise OAuthError(_("This account does not use OAuth sign-in."))
        key = (account.name, account.server.username)
        with self._lock:
            cached = self._cache.get(key)
            if cached and not renew and cached[1] - MARGIN > self._clock():
                return cached[0]
            stored = self.refresh_tokens.get(*key)
            if not stored:
                raise OAuthError(_("This account is not signed in."), "not_signed_in")
            tokens = self._refresh(account.oauth, stored)
            self._cache[key] = (tokens.access_token, tokens.expires_at)
        if tokens.refresh_token and tokens.refresh_token != stored:
            self.refresh_tokens.set(*key, tokens.refresh_token)  # rotated
        return tokens.access_token

    def secret(self, account: Account) -> RenewableToken:
        """The token to log in with, renewable once if the server refuses it.

        Raises:
            SendError: not signed in or the refresh failed (exit code 5, stage AUTH).
        """

        def renew() -> str:
            return self._token_or_send_error(account, renew=True)

        return RenewableToken(self._token_or_send_error(account), renew=renew)

    def deferred_secret(self, account: Account) -> RenewableToken:
        """Like :meth:`secret`, but the token is got at login time, on the sending thread.

        For the window: the refresh (an HTTPS request) then never runs on the GUI
        thread, and a failure arrives as the send's ``SendError`` (stage AUTH, exit 5).
        """

        def fetch() -> str:
            return self._token_or_send_error(account)

        def renew() -> str:
            return self._token_or_send_error(account, renew=True)

        return RenewableToken("", renew=renew, fetch=fetch)

    def _token_or_send_error(self, account: Account, *, renew: bool = False) -> str:
        try:
            return self.token(account, renew=renew)
        except OAuthError as exc:
            hint = _(
                "Sign in again: mailcomposer account login “{name}”, or Sign in in the "
                "account's settings."
            ).format(name=account.name)
            raise SendError(Stage.AUTH, ExitCode.AUTH, f"{exc.message} {hint}") from None


_shared: AccessTokens | None = None
_shared_lock = threading.Lock()


def shared() -> AccessTokens:
    """The access tokens of this process (one cache for every send of a window)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = AccessTokens()
        return _shared
