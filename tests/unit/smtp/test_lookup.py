"""The system resolver call: an ASCII name skips the idna codec and nothing else changes."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from mailcomposer.smtp import lookup


def outcome(resolve: Any, host: str) -> tuple[str, Any]:
    try:
        found = resolve(host, 25, 0, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    except (OSError, UnicodeError) as exc:
        return type(exc).__name__, str(exc)
    return "ok", sorted(info[4] for info in found)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "::1", "mail.example.org", "mail.example.org.", "", "a..b", "a" * 64 + ".org",
     "x." + "b" * 64, "bücher.example"],
)  # fmt: skip
def test_the_same_answer_or_error_as_getaddrinfo_itself(host: str) -> None:
    assert outcome(lookup.system_getaddrinfo, host) == outcome(socket.getaddrinfo, host)


def test_an_ascii_name_goes_as_bytes_and_any_other_as_given(monkeypatch) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *args: seen.append(host) or [])
    for host in ("mail.example.org", "a..b", "bücher.example"):
        lookup.system_getaddrinfo(host, 25)
    # The idna codec gives an ASCII name's bytes once its labels are 1 to 63
    # characters long; the codec itself still sees the others (and raises for them).
    assert seen == [b"mail.example.org", "a..b", "bücher.example"]
