"""Fixtures of the OAuth2 tests: the authorization server, an SMTP server that takes its
tokens, and a CLI run in a thread whose standard error is read as the user would."""

from __future__ import annotations

import io
import queue
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from mailcomposer import cli
from tests.oauth_server import OAuthTestServer
from tests.servers import BearerHandler, SmtpTestServer

USER = "ann@example.org"


@pytest.fixture
def oauth_server() -> Iterator[OAuthTestServer]:
    with OAuthTestServer(user=USER) as server:
        yield server


@pytest.fixture
def bearer_smtp(oauth_server: OAuthTestServer) -> Iterator[SmtpTestServer]:
    handler = BearerHandler(oauth_server.check)
    with SmtpTestServer(handler=handler, auth_require_tls=False) as server:
        yield server


class StderrLines(io.StringIO):
    """Standard error that also hands each complete line to a queue."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: queue.Queue[str] = queue.Queue()
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        *done, self._partial = self._partial.split("\n")
        for line in done:
            self.lines.put(line)
        return super().write(text)

    def next_matching(self, prefix: str, timeout: float = 20.0) -> str:
        """The next line starting with ``prefix`` (waits for it)."""
        while True:
            line = self.lines.get(timeout=timeout)
            if line.startswith(prefix):
                return line


class CliRun:
    """``mailcomposer ARGS`` in a thread (it waits for the user), with its exit code."""

    def __init__(self, args: list[str]) -> None:
        self.code: int | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(args,), name="cli-run")
        self._thread.start()

    def _run(self, args: list[str]) -> None:
        try:
            self.code = cli.main(args)
        except BaseException as exc:  # reported by result()
            self.error = exc

    def result(self, timeout: float = 30.0) -> int | None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the command did not finish"
        if self.error is not None:
            raise self.error
        return self.code


def open_in_browser(url: str) -> str:
    """Fetch ``url`` as the user's browser would: follow the redirect, return the page."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=20) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:  # a refused redirect still shows its page
        with exc:
            return exc.read().decode("utf-8")


def add_args(smtp: SmtpTestServer, oauth: OAuthTestServer, *extra: str) -> list[str]:
    """``account add`` for an account named Work on the test servers."""
    return [
        "account", "add", "--name", "Work",
        "--server", f"127.0.0.1:{smtp.port}", "--security", "none",
        "--user", USER, "--from", USER,
        *oauth.options(), *extra,
    ]  # fmt: skip


def sign_in_with_browser(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[int, Any]:
    """Run ``args`` (an add or login with --no-browser), open the printed URL; return
    the exit code and the page the browser showed."""
    err = StderrLines()
    monkeypatch.setattr("sys.stderr", err)
    run = CliRun(args)
    url = err.next_matching("http")
    page = open_in_browser(url)
    return run.result(), page


class Browser:
    """The user's browser for an in-process flow: opens each URL from its own thread
    (the flow is then waiting for the redirect); ``close()`` joins them."""

    def __init__(self) -> None:
        self.pages: list[str] = []
        self._threads: list[threading.Thread] = []

    def __call__(self, url: str) -> None:
        thread = threading.Thread(target=lambda: self.pages.append(open_in_browser(url)))
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        for thread in self._threads:
            thread.join(30)


@pytest.fixture
def user_browser() -> Iterator[Browser]:
    browser = Browser()
    yield browser
    browser.close()
