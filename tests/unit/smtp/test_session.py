"""Session helpers that need no server: masking, challenge summaries, AUTH choice, cancel."""

from __future__ import annotations

import base64
import socket

import pytest

from mailcomposer.smtp.session import (
    MASK,
    CancelToken,
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
