"""``HOST[:PORT]`` and the default security: one rule for ``send`` and ``account``."""

from __future__ import annotations

import argparse

import pytest

from mailcomposer.cli.address import default_security, parse_server
from mailcomposer.cli.parser import UsageError, build_parser
from mailcomposer.cli.serverargs import server_from_args
from mailcomposer.smtp.settings import Security
from mailcomposer.store.paths import Home


@pytest.mark.parametrize(
    ("host", "port", "security"),
    [
        ("smtp.example.org", 465, "tls"),
        ("smtp.example.org", 587, "starttls"),
        ("smtp.example.org", 25, "starttls"),
        ("smtp.example.org", 2525, "starttls"),
        ("smtp.example.org", 0, "starttls"),
        ("127.0.0.1", 2525, "none"),
        ("::1", 0, "none"),
        ("localhost", 25, "none"),
        ("127.0.0.1", 465, "tls"),
    ],
)
def test_default_security(host: str, port: int, security: str) -> None:
    assert default_security(host, port) == security


def send_args(*argv: str) -> argparse.Namespace:
    return build_parser("send").parse_args(["send", *argv])


def test_send_to_port_465_defaults_to_implicit_tls() -> None:
    # It used to pick STARTTLS, which a port-465 server never answers (it waits for TLS).
    server = server_from_args(send_args("--server", "smtp.example.org:465"), Home.from_env())
    assert server.settings.security is Security.TLS
    assert server.settings.effective_port == 465


@pytest.mark.parametrize(
    ("text", "security", "port"),
    [
        ("smtp.example.org", Security.STARTTLS, 587),
        ("smtp.example.org:25", Security.STARTTLS, 25),
        ("[2001:db8::1]:465", Security.TLS, 465),
        ("127.0.0.1:2525", Security.NONE, 2525),
    ],
)
def test_send_server_defaults(text: str, security: Security, port: int) -> None:
    server = server_from_args(send_args("--server", text), Home.from_env())
    assert (server.settings.security, server.settings.effective_port) == (security, port)


def test_security_option_wins() -> None:
    args = send_args("--server", "smtp.example.org:465", "--security", "starttls")
    assert server_from_args(args, Home.from_env()).settings.security is Security.STARTTLS


@pytest.mark.parametrize("text", ["h:0", "h:65536", "h:-1", "h:1e3", "h:٣"])
def test_port_range_message(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_server(text, "--server")
    assert "1 to 65535" in info.value.message
