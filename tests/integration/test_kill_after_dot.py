"""``mailcomposer send`` killed (SIGKILL, a crash, a power cut) after the final dot.

No handler runs: the outbox copy is left as it was written, ``queued``. Its sender
is gone, so its outcome is unknown: listed and announced as such, never sent by itself.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.outboxqueue import OutboxQueue
from mailcomposer.store.paths import Home
from tests.integration.test_cli_cancel import read_until, send_process, wait_for
from tests.servers import Hang, ScriptedServer, accepting_dialogue

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_a_send_killed_after_the_final_dot_is_then_outcome_unknown(
    mailcomposer_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Home(mailcomposer_home)
    with (
        ScriptedServer(accepting_dialogue(after_dot=[Hang()])) as server,
        send_process(mailcomposer_home, server.port) as proc,
    ):
        read_until(proc, "C: .")
        wait_for(lambda: bool(server.data))  # the dot reached the server
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=20)

    assert [e.state for e in Outbox(home).pending()] == [OutboxState.QUEUED]  # as left
    queue = OutboxQueue(home)
    [entry] = queue.entries()
    assert entry.state is OutboxState.UNKNOWN
    assert "stopped before the outcome was known" in entry.last_error
    assert queue.due() == []

    # The next send says so before anything else.
    capsys.readouterr()
    cli.main(["send", "--dry-run", "--from", "ann@example.org", "--to", "bo@example.org"])
    out = capsys.readouterr()
    assert entry.id in out.out + out.err


def test_a_queued_entry_of_a_live_sender_stays_queued(mailcomposer_home: Path) -> None:
    """This very process is still sending it (waiting for the reply to the dot)."""
    from tests.smtp_fixtures import make_built

    home = Home(mailcomposer_home)
    Outbox(home).add(make_built())

    assert [e.state for e in OutboxQueue(home).entries()] == [OutboxState.QUEUED]
