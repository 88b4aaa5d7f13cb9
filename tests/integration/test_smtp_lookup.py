"""The server name lookup: a cancel or a silent resolver never holds a send.

There is no DNS on loopback, so the resolver is the one seam replaced here
(``session._getaddrinfo``): it answers names with the real test server's address,
after a delay the test controls. Everything else is real: sockets, the server.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mailcomposer.smtp import session
from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import CancelToken, open_session
from mailcomposer.smtp.settings import Timeouts
from tests.smtp_fixtures import make_built, settings_for

NAME = "mail.example.test"


def by_name(server: Any, **kw: Any) -> Any:
    """The test server's settings, reached through the name NAME instead of its IP."""
    return dataclasses.replace(settings_for(server, **kw), host=NAME)


class SlowResolver:
    """Resolves every name to 127.0.0.1, once ``release`` is set; counts the lookups."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.names: list[str] = []
        self.real = socket.getaddrinfo

    def __call__(self, host: str, port: int, *args: Any) -> list[Any]:
        flags = args[3] if len(args) > 3 else 0
        if flags & socket.AI_NUMERICHOST:
            return self.real(host, port, *args)
        self.names.append(host)
        self.started.set()
        self.release.wait(30)
        return self.real("127.0.0.1", port, 0, socket.SOCK_STREAM)


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowResolver]:
    fake = SlowResolver()
    monkeypatch.setattr(session, "_getaddrinfo", fake)
    yield fake
    fake.release.set()  # let a lookup left behind end


def test_a_name_is_looked_up_and_the_message_goes_out(smtp_server, resolver, events) -> None:
    resolver.release.set()
    settings = by_name(smtp_server)
    with open_session(settings, None, on_event=events) as connection:
        connection.connect()
        connection.ehlo()
        connection.transfer(make_built())
        connection.quit()
    assert resolver.names == [NAME]
    assert len(smtp_server.received) == 1


def test_an_ip_address_needs_no_lookup(smtp_server, resolver, events) -> None:
    with open_session(settings_for(smtp_server), None, on_event=events) as connection:
        connection.connect()
    assert resolver.names == []


def test_cancel_during_the_lookup_returns_at_once(smtp_server, resolver, events) -> None:
    token = CancelToken()
    settings = by_name(smtp_server)
    outcome: list[BaseException] = []

    def connect() -> None:
        with open_session(settings, None, on_event=events, cancel=token) as connection:
            try:
                connection.connect()
            except SendError as exc:
                outcome.append(exc)

    worker = threading.Thread(target=connect)
    worker.start()
    assert resolver.started.wait(10)
    pressed = time.monotonic()
    token.cancel()
    worker.join(10)
    waited = time.monotonic() - pressed
    assert not worker.is_alive()
    assert not resolver.release.is_set(), "the lookup is still hanging: nobody waited for it"
    assert len(outcome) == 1 and isinstance(outcome[0], SendError)
    assert outcome[0].exit_code is ExitCode.CANCELLED
    assert waited < 5  # the poll is 50 ms; a resolver's own timeouts are 5-30 s
    assert smtp_server.received == []


def test_a_silent_resolver_fails_the_connect_stage_after_the_timeout(
    smtp_server, resolver, events
) -> None:
    settings = by_name(smtp_server, timeouts=Timeouts(connect=0.3, command=5.0, final_dot=5.0))
    with (
        open_session(settings, None, on_event=events) as connection,
        pytest.raises(SendError) as info,
    ):
        connection.connect()
    error = info.value
    assert error.stage is Stage.CONNECT
    assert error.exit_code is ExitCode.CONNECTION
    assert "server name could not be found" in error.user_message
    assert NAME in error.detail and "0.3 s" in error.detail
