"""Session helpers that need no server: masking, challenge summaries, AUTH choice, cancel."""

from __future__ import annotations

import base64
import socket

import pytest

from mailcomposer.smtp.session import (
    MASK,
    CancelToken,
    Capabilities,
    choose_mechanism,
    mask_command,
    summarise_challenge,
)
from mailcomposer.smtp.settings import AuthMethod


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("AUTH PLAIN AGFubgBzM2NyZXQ=", f"AUTH PLAIN {MASK}"),
        ("auth login YW5u", f"AUTH LOGIN {MASK}"),
        ("AUTH XOAUTH2 dXNlcj1hbm4BYXV0aD1CZWFyZXIgdG9r", f"AUTH XOAUTH2 {MASK}"),
        ("AUTH CRAM-MD5", "AUTH CRAM-MD5"),
        ("MAIL FROM:<a@example.test>", "MAIL FROM:<a@example.test>"),
    ],
)
def test_auth_arguments_are_masked(line, shown):
    assert mask_command(line) == shown


def test_challenges_are_summarised():
    assert "Username:" in summarise_challenge(base64.b64encode(b"Username:").decode())
    assert "(challenge: User Name)" in summarise_challenge(
        base64.b64encode(b"User Name\0").decode()
    )
    assert "characters" in summarise_challenge(base64.b64encode(bytes(range(40))).decode())
    assert "characters" in summarise_challenge("not base64 at all!")
    xoauth_error = base64.b64encode(b'{"status":"401","schemes":"bearer"}').decode()
    assert "characters" in summarise_challenge(xoauth_error)
    assert summarise_challenge("")


@pytest.mark.parametrize(
    ("choice", "offered", "token", "expected"),
    [
        (AuthMethod.AUTO, ["PLAIN", "LOGIN", "CRAM-MD5"], False, "CRAM-MD5"),
        (AuthMethod.AUTO, ["LOGIN", "PLAIN"], False, "PLAIN"),
        (AuthMethod.AUTO, ["LOGIN"], False, "LOGIN"),
        (AuthMethod.AUTO, ["PLAIN", "XOAUTH2"], True, "XOAUTH2"),
        (AuthMethod.AUTO, ["PLAIN"], True, None),
        (AuthMethod.AUTO, [], False, None),
        (AuthMethod.LOGIN, ["PLAIN", "LOGIN"], False, "LOGIN"),
        (AuthMethod.CRAM_MD5, ["PLAIN"], False, None),
        (AuthMethod.PLAIN, ["plain"], False, "PLAIN"),
    ],
)
def test_choose_mechanism(choice, offered, token, expected):
    assert choose_mechanism(choice, offered, token) == expected


def test_cancel_token_closes_the_attached_socket():
    left, right = socket.socketpair()
    try:
        token = CancelToken()
        token.attach(left)
        assert not token.cancelled
        token.cancel()
        assert token.cancelled
        assert left.fileno() == -1
        assert right.recv(1) == b"", "the peer sees the shutdown"
        token.cancel()  # idempotent
    finally:
        left.close()
        right.close()


def test_attaching_after_cancel_closes_at_once():
    left, right = socket.socketpair()
    try:
        token = CancelToken()
        token.cancel()
        token.attach(left)
        assert left.fileno() == -1
    finally:
        left.close()
        right.close()


@pytest.mark.parametrize(
    ("features", "size_limit"),
    [({"size": "1000000"}, 1_000_000), ({"size": ""}, 0), ({"size": "lots"}, 0), ({}, None)],
)
def test_capabilities_read_the_size_limit(features, size_limit):
    assert Capabilities.from_features(features).size_limit == size_limit


def test_capabilities_from_ehlo_keywords():
    features = {"auth": "plain LOGIN", "8bitmime": "", "pipelining": "", "chunking": "", "dsn": ""}
    caps = Capabilities.from_features(features, tls_version="TLSv1.3")
    assert caps.auth == ("PLAIN", "LOGIN")
    assert caps.eightbitmime and caps.pipelining and caps.chunking and caps.dsn
    assert not (caps.smtputf8 or caps.starttls)
    assert caps.names == ("AUTH", "8BITMIME", "PIPELINING", "CHUNKING", "DSN")
    assert caps.tls_version == "TLSv1.3" and caps.size_mb is None
