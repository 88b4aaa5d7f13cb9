"""The OAuth2 flows: browser sign-in with PKCE, device code (RFC 8628), refresh.

The protocol steps (request URIs and bodies, parsing, the ``state`` and PKCE checks)
are oauthlib's; the HTTP is urllib with a verified TLS context (``oauth.http``).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oauthlib.oauth2 import DeviceClient, OAuth2Error, WebApplicationClient
from oauthlib.oauth2.rfc6749.errors import MismatchingStateError

from mailcomposer.i18n import _
from mailcomposer.oauth import http
from mailcomposer.oauth.errors import OAuthError, SignInCancelled
from mailcomposer.oauth.loopback import RedirectListener
from mailcomposer.store.oauth import OAuthSettings

# How long the browser sign-in waits for the user, in seconds.
BROWSER_TIMEOUT = 300.0
# RFC 8628 §3.5: without an interval the client waits 5 s; slow_down adds 5 s.
DEFAULT_INTERVAL = 5.0
SLOW_DOWN_STEP = 5.0


@dataclass(frozen=True)
class Tokens:
    """What a sign-in or a refresh returned.

    Attributes:
        access_token: the short-lived bearer token for SMTP AUTH.
        refresh_token: the long-lived token to get new access tokens ('' if none came).
        expires_at: when the access token expires (``time.time()`` seconds).
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False, default="")
    expires_at: float = 0.0


@dataclass(frozen=True)
class DeviceCode:
    """What the user must do to finish a device-code sign-in on another device.

    Attributes:
        user_code: the code to type.
        verification_uri: where to type it.
        verification_uri_complete: a link with the code filled in ('' if none).
        expires_in: seconds the code stays valid.
    """

    user_code: str
    verification_uri: str
    verification_uri_complete: str = ""
    expires_in: float = 900.0


def _loopback_https(url: str) -> tuple[str, str]:
    """The URL oauthlib will accept, and the prefix to put back afterwards.

    WORKAROUND for oauthlib's https-only check (``is_secure_transport``), which also
    refuses the plain-http loopback addresses RFC 8252 §7.3 prescribes for the
    redirect: loopback URLs are handed over as https and turned back afterwards.
    """
    if url.startswith("http://") and http.is_loopback(url):
        return "https://" + url[len("http://") :], "http://"
    return url, ""


def _restore(url: str, prefix: str) -> str:
    return prefix + url[len("https://") :] if prefix else url


def _tokens(client: Any, data: dict[str, Any], old_refresh: str = "") -> Tokens:
    """Parse a token response with oauthlib; raise ``OAuthError`` for an error answer."""
    try:
        token = client.parse_request_body_response(json.dumps(data))
    except OAuth2Error as exc:
        raise _error(exc) from None
    except Warning as exc:  # oauthlib's "scope has changed" (not raised without a scope)
        raise OAuthError(str(exc)) from None
    expires_at = float(token.get("expires_at") or time.time() + 3600)
    return Tokens(
        access_token=token["access_token"],
        refresh_token=token.get("refresh_token") or old_refresh,
        expires_at=expires_at,
    )


def _error(exc: OAuth2Error) -> OAuthError:
    code = exc.error or ""
    if code == "invalid_grant":
        text = _("The sign-in has expired or was revoked; sign in again.")
    elif code == "access_denied":
        # The user pressed Cancel or Deny on the provider's page, or an organisation
        # does not let its users grant access: say what to do about either.
        text = _(
            "The sign-in was refused (access denied): sign in again and allow mailcomposer "
            "to send mail for you. A work or school account may first need its "
            "administrator's approval."
        )
    elif code == "invalid_client":
        text = _("The provider does not know this client ID (or its secret).")
    else:
        text = _("The provider refused the sign-in: {error}").format(error=code or exc)
    if exc.description:
        text += f" ({exc.description})"
    return OAuthError(text, code)


def _extras(settings: OAuthSettings) -> dict[str, str]:
    return {"client_secret": settings.client_secret} if settings.client_secret else {}


def browser_sign_in(
    settings: OAuthSettings,
    open_url: Callable[[str], object],
    cancel: threading.Event,
    *,
    login_hint: str = "",
    timeout: float = BROWSER_TIMEOUT,
) -> Tokens:
    """Sign in through the browser: authorization code with PKCE, loopback redirect.

    Args:
        settings: the provider's endpoints, client and scope.
        open_url: shows the authorization URL to the user (opens the browser, prints it).
        cancel: set from another thread to stop waiting.
        login_hint: the account's address, so the provider can preselect it.
        timeout: how long to wait for the redirect, in seconds.

    Raises:
        OAuthError: refused, a wrong ``state``, the provider unreachable.
        SignInCancelled: cancelled or timed out.
    """
    for url in (settings.authorize_url, settings.token_url):
        http.check_url(url)
    client = WebApplicationClient(settings.client_id)
    verifier = client.create_code_verifier(64)
    challenge = client.create_code_challenge(verifier, "S256")
    state = secrets.token_urlsafe(24)

    def check(path: str) -> tuple[bool, str]:
        try:
            # The listener is ours on 127.0.0.1: see _loopback_https for the scheme.
            client.parse_request_uri_response("https://127.0.0.1" + path, state=state)
        except MismatchingStateError:
            return False, _(
                "This sign-in answer does not belong to the sign-in mailcomposer started "
                "(the state does not match), so it was refused."
            )
        except OAuth2Error as exc:
            return False, _error(exc).message
        return True, _("You are signed in. You can close this tab and go back to mailcomposer.")

    with RedirectListener(check) as listener:
        url, prefix = _loopback_https(settings.authorize_url)
        extra = {"login_hint": login_hint} if login_hint else {}
        authorize = client.prepare_request_uri(
            url,
            redirect_uri=listener.redirect_uri,
            scope=settings.scope.split(),
            state=state,
            code_challenge=challenge,
            code_challenge_method="S256",
            **extra,
        )
        open_url(_restore(authorize, prefix))
        listener.wait(cancel, timeout)
    if cancel.is_set():
        raise SignInCancelled(_("Sign-in cancelled."))
    body = client.prepare_request_body(
        code=client.code,
        redirect_uri=listener.redirect_uri,
        code_verifier=verifier,
        include_client_id=True,
        **_extras(settings),
    )
    _status, data = http.post_form(settings.token_url, body)
    return _tokens(client, data)


def device_sign_in(
    settings: OAuthSettings,
    show: Callable[[DeviceCode], object],
    cancel: threading.Event,
    *,
    slow_down_step: float = SLOW_DOWN_STEP,
) -> Tokens:
    """Sign in with a code typed on another device (RFC 8628).

    Args:
        settings: the provider's endpoints (``device_url`` needed), client and scope.
        show: tells the user the code and where to type it.
        cancel: set from another thread to stop polling.
        slow_down_step: seconds added to the interval on ``slow_down``.

    Raises:
        OAuthError: refused, expired, or the provider unreachable.
        SignInCancelled: cancelled.
    """
    http.check_url(settings.token_url)
    client = DeviceClient(settings.client_id, **_extras(settings))
    # RFC 8628 §3.1 is a form POST; oauthlib's DeviceClient only builds a GET URI.
    request = {"client_id": settings.client_id, "scope": settings.scope, **_extras(settings)}
    status, data = http.post_form(settings.device_url, request)
    if status != 200 or "device_code" not in data:
        error = data.get("error_description") or data.get("error") or status
        raise OAuthError(_("The provider refused the device sign-in: {error}").format(error=error))
    expires_in = float(data.get("expires_in") or 900)
    show(
        DeviceCode(
            user_code=str(data.get("user_code", "")),
            # Google says verification_url, the RFC verification_uri.
            verification_uri=str(data.get("verification_uri") or data.get("verification_url")),
            verification_uri_complete=str(data.get("verification_uri_complete") or ""),
            expires_in=expires_in,
        )
    )
    interval = float(data.get("interval", DEFAULT_INTERVAL))
    deadline = time.monotonic() + expires_in
    while True:
        if cancel.wait(interval):
            raise SignInCancelled(_("Sign-in cancelled."))
        if time.monotonic() > deadline:
            raise OAuthError(_("The code expired before the sign-in was finished; try again."))
        body = client.prepare_request_body(
            data["device_code"], include_client_id=True, **_extras(settings)
        )
        _status, answer = http.post_form(settings.token_url, body)
        error = answer.get("error")
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += slow_down_step
            continue
        if error == "expired_token":
            raise OAuthError(
                _("The code expired before the sign-in was finished; try again."), error
            )
        return _tokens(client, answer)


def refresh(settings: OAuthSettings, refresh_token: str) -> Tokens:
    """Get a new access token with ``refresh_token`` (RFC 6749 §6).

    Raises:
        OAuthError: refused (``invalid_grant``: sign in again) or unreachable.
    """
    client = WebApplicationClient(settings.client_id)
    body = client.prepare_refresh_body(
        refresh_token=refresh_token,
        scope=settings.scope.split() or None,
        client_id=settings.client_id,
        **_extras(settings),
    )
    _status, data = http.post_form(settings.token_url, body)
    return _tokens(client, data, old_refresh=refresh_token)
