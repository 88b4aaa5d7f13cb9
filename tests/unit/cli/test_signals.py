"""The cancel signals: stop before the send, cancel the token during it, handlers restored."""

from __future__ import annotations

import signal
import sys

import pytest

from mailcomposer import cli
from mailcomposer.cli.signals import CANCEL_SIGNALS, Cancelled, cancel_on_signals

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def test_a_signal_before_the_send_stops_the_command() -> None:
    with cancel_on_signals((signal.SIGUSR1,)) as cancel, pytest.raises(Cancelled):
        signal.raise_signal(signal.SIGUSR1)
    assert cancel.signum == signal.SIGUSR1


def test_after_disarm_a_signal_is_ignored() -> None:
    with cancel_on_signals((signal.SIGUSR1,)) as cancel:
        cancel.disarm()
        signal.raise_signal(signal.SIGUSR1)
    assert cancel.signum is None


def test_the_previous_handlers_come_back() -> None:
    before = {s: signal.getsignal(s) for s in CANCEL_SIGNALS}
    assert cli.main(["send", "--to", "bob@example.org", "--text", "x", "--dry-run"]) == 0
    assert {s: signal.getsignal(s) for s in CANCEL_SIGNALS} == before


def test_sigterm_and_sighup_are_handled_like_ctrl_c() -> None:
    assert signal.SIGINT in CANCEL_SIGNALS and signal.SIGTERM in CANCEL_SIGNALS
    assert signal.SIGHUP in CANCEL_SIGNALS
