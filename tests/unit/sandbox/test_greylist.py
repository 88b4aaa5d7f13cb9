"""Greylisting: the first attempt of a pair is deferred, its retry accepted after the delay."""

from __future__ import annotations

from mailcomposer.sandbox.greylist import GREYLISTED, Greylist


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_retry_accepted_at_once_without_delay() -> None:
    greylist = Greylist(0)
    assert greylist.check("ann@example.org", "bob@example.org") == 0
    assert greylist.check("ANN@example.org", "bob@EXAMPLE.org") is None
    assert greylist.check("ann@example.org", "carol@example.org") == 0  # a new pair


def test_retry_waits_for_the_delay_then_stays_accepted() -> None:
    clock = Clock()
    greylist = Greylist(300, clock=clock)
    assert greylist.check("a@x", "b@x") == 300
    clock.now += 100
    assert greylist.check("a@x", "b@x") == 200  # too early: still deferred, clock not reset
    clock.now += 200
    assert greylist.check("a@x", "b@x") is None
    clock.now += 10_000
    assert greylist.check("a@x", "b@x") is None


def test_reply_says_greylisted_and_when() -> None:
    greylist = Greylist(0)
    assert greylist.reply(0) == GREYLISTED
    assert GREYLISTED.startswith("451 4.7.1 ")
    assert "greylisted, try again later" in GREYLISTED
    assert greylist.reply(59.2).endswith("(in 60 s)")
