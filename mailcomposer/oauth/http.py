"""The HTTP side of OAuth2: form POSTs to the provider with urllib, TLS verified."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.oauth.errors import OAuthError
from mailcomposer.smtp.tls import make_ssl_context

TIMEOUT = 30.0
# A token response is a few kilobytes; more is not a token server.
MAX_RESPONSE = 1024 * 1024


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this computer (plain http is allowed there only).

    Only ``localhost`` and loopback IP literals count: a name such as
    ``127.0.0.1.example.org`` is somebody else's server.
    """
    from mailcomposer.smtp.settings import is_loopback_host

    return is_loopback_host(urllib.parse.urlsplit(url).hostname or "")


def check_url(url: str) -> None:
    """Raise ``OAuthError`` unless ``url`` is https (or http on this computer)."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and is_loopback(url)):
        return
    raise OAuthError(
        _("“{url}” is not an https address; sign-in endpoints must use https.").format(url=url)
    )


def post_form(
    url: str, fields: dict[str, str] | str, context: ssl.SSLContext | None = None
) -> tuple[int, dict[str, Any]]:
    """POST ``fields`` form-encoded to ``url``; return the HTTP status and the JSON body.

    Error statuses (400, 401) are returned, not raised: OAuth2 servers put the error
    code in the JSON body of those.

    Raises:
        OAuthError: not https, the server cannot be reached, or it did not answer JSON.
    """
    check_url(url)
    body = fields if isinstance(fields, str) else urllib.parse.urlencode(fields)
    request = urllib.request.Request(
        url,
        data=body.encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    handler = urllib.request.HTTPSHandler(context=context or make_ssl_context())
    # No ProxyHandler: a token request must not wander through an environment proxy
    # unasked, and loopback test servers must be reached directly.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), handler)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            status, raw = response.status, response.read(MAX_RESPONSE)
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read(MAX_RESPONSE)
        exc.close()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OAuthError(
            _("Could not reach {host}: {reason}").format(
                host=urllib.parse.urlsplit(url).netloc, reason=reason
            )
        ) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise OAuthError(
            _("{host} did not answer with a token (HTTP {status}).").format(
                host=urllib.parse.urlsplit(url).netloc, status=status
            )
        )
    return status, data
