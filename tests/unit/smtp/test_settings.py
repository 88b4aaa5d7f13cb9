"""Timeouts: the documented defaults and the one-number form the CLI's --timeout uses."""

from __future__ import annotations

import pytest

from mailcomposer.smtp.settings import FINAL_DOT_FACTOR, REPLY_DEADLINE_FACTOR, Timeouts


def test_each_reply_has_a_deadline_by_default_twice_the_command_timeout():
    assert Timeouts().reply_limit == 2 * Timeouts().command
    assert Timeouts(connect=5, command=7, final_dot=9).reply_limit == 14
    assert Timeouts(reply_deadline=3.5).reply_limit == 3.5


def test_one_number_scales_the_final_dot_and_the_reply_deadline():
    timeouts = Timeouts.scaled(5)
    assert (timeouts.connect, timeouts.command) == (5, 5)
    assert timeouts.final_dot == 5 * FINAL_DOT_FACTOR == 50
    assert timeouts.reply_limit == 5 * REPLY_DEADLINE_FACTOR == 10


def test_positional_construction_keeps_its_meaning():
    assert Timeouts(1, 2, 3) == Timeouts(connect=1, command=2, final_dot=3)


@pytest.mark.parametrize(
    "host,loopback",
    [("127.0.0.1", True), ("127.5.6.7", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("LOCALHOST.", True), ("127.0.0.1.example.org", False),
     ("127.evil.example", False), ("smtp.example.org", False), ("10.0.0.1", False)],
)  # fmt: skip
def test_only_this_computer_is_loopback(host, loopback):
    """A name that merely starts with 127. is somebody else's server (login, OAuth http)."""
    from mailcomposer.oauth.http import is_loopback
    from mailcomposer.smtp.settings import ServerSettings, is_loopback_host

    assert is_loopback_host(host) is loopback
    assert ServerSettings(host).is_loopback is loopback
    in_url = f"[{host}]" if ":" in host and not host.startswith("[") else host
    assert is_loopback(f"http://{in_url}:8080/callback") is loopback


def test_the_security_modes_in_words_for_notes() -> None:
    from mailcomposer import i18n
    from mailcomposer.smtp.settings import Security

    assert [s.words for s in Security] == [
        "not encrypted", "STARTTLS", "TLS from the first byte",
    ]  # fmt: skip
    i18n.set_language("zh_CN")
    try:
        assert Security.NONE.words == "不加密"
        assert Security.TLS.words == "从第一个字节起使用 TLS"
    finally:
        i18n.set_language("en")
