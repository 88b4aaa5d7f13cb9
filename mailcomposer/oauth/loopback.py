"""The loopback redirect listener of the browser sign-in (RFC 8252 §7.3): 127.0.0.1, any port."""

from __future__ import annotations

import html
import http.server
import threading
import time
import urllib.parse
from collections.abc import Callable

from mailcomposer.i18n import _
from mailcomposer.oauth.errors import OAuthError, SignInCancelled

# How often the wait looks at the cancel flag, in seconds.
POLL = 0.2
REDIRECT_PATH = "/"

# The redirect's full path and query -> (accepted, what the browser tab shows).
RedirectCheck = Callable[[str], tuple[bool, str]]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        query = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(query.query)
        if query.path != REDIRECT_PATH or not ({"code", "error"} & params.keys()):
            # The browser also asks for /favicon.ico; only the redirect counts.
            self._page(404, _("Not found."))
            return
        accepted, text = self.server.check(self.path)
        self._page(200 if accepted else 400, text)
        self.server.result = (accepted, self.path, text)

    def _page(self, status: int, text: str) -> None:
        body = (
            "<!doctype html><html><head><meta charset='utf-8'><title>mailcomposer</title>"
            "</head><body style='font-family:sans-serif;margin:3em'><p>"
            + html.escape(text)
            + "</p></body></html>"
        ).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the query holds the authorization code: never log it


class _Server(http.server.HTTPServer):
    def __init__(self, check: RedirectCheck) -> None:
        self.check = check
        self.result: tuple[bool, str, str] | None = None
        super().__init__(("127.0.0.1", 0), _Handler)


class RedirectListener:
    """Listens on 127.0.0.1 on a free port for the one redirect that ends a sign-in.

    Args:
        check: decides whether a redirect is good (the ``state`` matches) and what
            the browser tab says; a refused redirect ends the wait with an error.

    Attributes:
        redirect_uri: the address to give the provider as ``redirect_uri``.
    """

    def __init__(self, check: RedirectCheck) -> None:
        self._server = _Server(check)
        self._server.timeout = POLL
        self.redirect_uri = f"http://127.0.0.1:{self._server.server_port}{REDIRECT_PATH}"

    def wait(self, cancel: threading.Event, timeout: float) -> str:
        """Serve requests until the redirect comes; return its path and query.

        Raises:
            SignInCancelled: ``cancel`` was set, or ``timeout`` seconds passed.
            OAuthError: the redirect was refused (its text says why).
        """
        deadline = time.monotonic() + timeout
        while self._server.result is None:
            if cancel.is_set():
                raise SignInCancelled(_("Sign-in cancelled."))
            if time.monotonic() > deadline:
                raise SignInCancelled(
                    _("Nobody signed in within {minutes} minutes; try again.").format(
                        minutes=round(timeout / 60)
                    )
                )
            self._server.handle_request()  # returns after POLL seconds without a request
        accepted, path, text = self._server.result
        if not accepted:
            raise OAuthError(text)
        return path

    def close(self) -> None:
        """Stop listening."""
        self._server.server_close()

    def __enter__(self) -> RedirectListener:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
