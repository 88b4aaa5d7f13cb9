"""A small OAuth2 authorization server on 127.0.0.1 for tests (real HTTP, http.server).

``/authorize`` checks the request (client, loopback redirect, PKCE S256 challenge) and
redirects to the loopback listener with a code and the state; ``/token`` exchanges a
code (checking the ``code_verifier``), a refresh token or a device code; ``/devicecode``
starts a device sign-in (RFC 8628). Tokens it issued can be checked by the SMTP test
server (``check``) and expired at will (``expire_access_tokens``): no timed tests.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

CLIENT_ID = "test-client-id"
SCOPE = "https://mail.test.example/ offline_access"


@dataclass
class _Grant:
    challenge: str
    redirect_uri: str
    user: str


@dataclass
class OAuthTestServer:
    """The authorization server; use as a context manager.

    Attributes:
        user: the mailbox every sign-in is for.
        access_ttl: lifetime of issued access tokens, in seconds.
        wrong_state: redirect with a state that is not the client's.
        device_script: answers to device-code polls before the tokens, in order
            (``authorization_pending``, ``slow_down``); a terminal error
            (``access_denied``, ``expired_token``) is answered for good.
        rotate_refresh: issue a new refresh token on each refresh.
        device_interval: the polling interval /devicecode asks for, in seconds.
        requests: (path, form or query) of every request, oldest first.
        refreshes: how many refresh grants were answered with tokens.
    """

    user: str = "ann@example.org"
    access_ttl: int = 3600
    wrong_state: bool = False
    device_script: list[str] = field(default_factory=list)
    rotate_refresh: bool = False
    device_interval: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    refreshes: int = 0

    def __post_init__(self) -> None:
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, tuple[str, float]] = {}
        self._refresh: dict[str, str] = {}
        self._devices: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- addresses --

    @property
    def base(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_port}"

    @property
    def authorize_url(self) -> str:
        return self.base + "/authorize"

    @property
    def token_url(self) -> str:
        return self.base + "/token"

    @property
    def device_url(self) -> str:
        return self.base + "/devicecode"

    def options(self) -> list[str]:
        """The ``account add`` options that point at this server."""
        return [
            "--oauth",
            "--oauth-client-id", CLIENT_ID,
            "--oauth-authorize-url", self.authorize_url,
            "--oauth-token-url", self.token_url,
            "--oauth-device-url", self.device_url,
            "--oauth-scope", SCOPE,
        ]  # fmt: skip

    # -- what the SMTP server asks --

    def check(self, user: str, token: str) -> str:
        """ "ok", "expired" or "invalid" for an access token presented by ``user``."""
        with self._lock:
            issued = self._access.get(token)
        if issued is None or issued[0] != user:
            return "invalid"
        return "ok" if issued[1] > time.time() else "expired"

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far expired (as time passing would)."""
        with self._lock:
            self._access = {t: (u, 0.0) for t, (u, _e) in self._access.items()}

    def issued_secrets(self) -> list[str]:
        """Every token and code this server handed out (to look for them in files)."""
        with self._lock:
            return [*self._access, *self._refresh, *self._codes]

    # -- serving --

    def _tokens(self, user: str, refresh: str | None = None) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(24)
        with self._lock:
            self._access[access] = (user, time.time() + self.access_ttl)
            if refresh is None:
                refresh = "rt-" + secrets.token_urlsafe(24)
                self._refresh[refresh] = user
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.access_ttl,
            "refresh_token": refresh,
            "scope": SCOPE,
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer /authorize: a redirect (302 + Location) or an error page."""
        redirect = query.get("redirect_uri", "")
        if (
            query.get("client_id") != CLIENT_ID
            or query.get("response_type") != "code"
            or not redirect.startswith("http://127.0.0.1:")
            or query.get("code_challenge_method") != "S256"
            or len(query.get("code_challenge", "")) < 43
            or not query.get("state")
        ):
            return 400, {}, {"error": "invalid_request"}
        code = "code-" + secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = _Grant(query["code_challenge"], redirect, self.user)
        state = "forged-state" if self.wrong_state else query["state"]
        location = redirect + "?" + urllib.parse.urlencode({"code": code, "state": state})
        return 302, {"Location": location}, {}

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer /token for the three grants."""
        grant = form.get("grant_type")
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client"}
        if grant == "authorization_code":
            with self._lock:
                issued = self._codes.pop(form.get("code", ""), None)  # used once
            if issued is None or issued.redirect_uri != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}
            digest = hashlib.sha256(form.get("code_verifier", "").encode("ascii")).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != issued.challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE mismatch"}
            return 200, self._tokens(issued.user)
        if grant == "refresh_token":
            with self._lock:
                user = self._refresh.get(form.get("refresh_token", ""))
                if user is not None and self.rotate_refresh:
                    del self._refresh[form["refresh_token"]]
            if user is None:
                return 400, {"error": "invalid_grant"}
            self.refreshes += 1
            keep = None if self.rotate_refresh else form["refresh_token"]
            return 200, self._tokens(user, keep)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            with self._lock:
                script = self._devices.get(form.get("device_code", ""))
                if script is None:
                    return 400, {"error": "invalid_grant"}
                step = script[0] if script else ""
                if step in ("authorization_pending", "slow_down"):
                    script.pop(0)
            if step:
                return 400, {"error": step}
            return 200, self._tokens(self.user)
        return 400, {"error": "unsupported_grant_type"}

    def device(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer /devicecode."""
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client"}
        device_code = "dc-" + secrets.token_urlsafe(16)
        with self._lock:
            self._devices[device_code] = list(self.device_script)
        return 200, {
            "device_code": device_code,
            "user_code": "WDJB-MJHT",
            "verification_uri": self.base + "/device",
            "expires_in": 900,
            "interval": self.device_interval,
        }

    def start(self) -> OAuthTestServer:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                owner.requests.append((url.path, query))
                if url.path != "/authorize":
                    self._json(404, {"error": "not_found"})
                    return
                status, headers, body = owner.authorize(query)
                self._json(status, body, headers)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                owner.requests.append((self.path, form))
                if self.path == "/token":
                    self._json(*owner.token(form))
                elif self.path == "/devicecode":
                    self._json(*owner.device(form))
                else:
                    self._json(404, {"error": "not_found"})

            def _json(
                self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="oauth-test"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> OAuthTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
