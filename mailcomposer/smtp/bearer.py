"""OAuth2 bearer tokens over SMTP: XOAUTH2 and OAUTHBEARER (RFC 7628) payloads and errors."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import field

from mailcomposer.records import record
from mailcomposer.smtp.settings import Secret

# Token mechanisms, best first: OAUTHBEARER is the standard (RFC 7628), XOAUTH2 Google's
# and Microsoft's older spelling of the same idea.
TOKEN_MECHANISMS = ("OAUTHBEARER", "XOAUTH2")
# What the server's error report says when the token itself is the problem (RFC 7628
# §3.2.2 "status" values, and what Google and Microsoft send).
_EXPIRED_STATUSES = {"401", "invalid_token"}


@record(frozen=True, repr=False)
class RenewableToken(Secret):
    """An OAuth2 access token that can be exchanged for a fresh one once.

    An empty ``value`` with a ``fetch`` defers getting the token to the login itself,
    on the sending thread (a refresh is an HTTPS request: never on the GUI thread).

    Attributes:
        renew: returns a new access token (refreshing it with the stored refresh
            token); called when the server says the token is invalid or expired.
        fetch: returns the current access token (refreshed if near its expiry);
            used when ``value`` is empty.
    """

    is_token: bool = True
    renew: Callable[[], str] | None = field(default=None, compare=False)
    fetch: Callable[[], str] | None = field(default=None, compare=False)

    def current(self) -> str:
        """The token to log in with: ``value``, or what ``fetch`` returns."""
        if self.value or self.fetch is None:
            return self.value
        return self.fetch()


def xoauth2(user: str, token: str) -> str:
    """The base64 initial response of ``AUTH XOAUTH2``."""
    return _b64(f"user={user}\x01auth=Bearer {token}\x01\x01")


def oauthbearer(user: str, token: str, host: str, port: int) -> str:
    """The base64 initial response of ``AUTH OAUTHBEARER`` (RFC 7628 §3.1)."""
    # In the GS2 header "," and "=" in the authzid are escaped as =2C and =3D.
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return _b64(f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01")


def error_report(challenge: bytes) -> dict[str, object]:
    """Decode the JSON error a server sends in a 334 after a refused token ({} if none)."""
    try:
        data = json.loads(base64.b64decode(challenge.strip(), validate=True))
    except (ValueError, binascii.Error):
        return {}
    return data if isinstance(data, dict) else {}


def token_expired(code: int, report: dict[str, object]) -> bool:
    """Whether a refused token login is worth one retry with a renewed token.

    The JSON report says so (status 401 / invalid_token); without one, a 535 is taken
    as "this token is no longer good", as Microsoft answers with a bare 535.
    """
    if report:
        return str(report.get("status", "")) in _EXPIRED_STATUSES
    return code == 535


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
