"""Standard output that goes away (``| head``, a full disk) never stops the command's work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from tests.servers import SmtpTestServer


def _send_argv(port: int) -> list[str]:
    return [
        sys.executable, "-m", "mailcomposer", "send",
        "--server", f"127.0.0.1:{port}", "--security", "none", "--timeout", "30",
        "--from", "ann@example.org", "--to", "bob@example.org",
        "--subject", "through a closed pipe", "--text", "hi",
    ]  # fmt: skip


def _run_with_stdout(argv: list[str], home: Path, stdout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "MAILCOMPOSER_HOME": str(home), "MAILCOMPOSER_LANG": "en"}
    return subprocess.run(
        argv, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, timeout=60, check=False
    )


def test_a_send_whose_reader_left_still_sends_and_exits_0(
    smtp_server: SmtpTestServer, mailcomposer_home: Path
) -> None:
    # What "mailcomposer send … | head -1" gives the send once head has its line:
    # a pipe nobody reads. Here nobody reads it from the start, so every print fails.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = _run_with_stdout(_send_argv(smtp_server.port), mailcomposer_home, write_end)
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr
    assert done.stderr == ""  # a reader that leaves is no error to report
    assert done.returncode == 0
    (received,) = smtp_server.handler.received
    assert b"Subject: through a closed pipe" in received.data
    (entry,) = History(Home(mailcomposer_home)).recent(1)
    assert entry.result == "sent"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_stdout_is_said_once_and_the_message_still_goes(
    smtp_server: SmtpTestServer, mailcomposer_home: Path
) -> None:
    with open("/dev/full", "w") as full:
        done = _run_with_stdout(_send_argv(smtp_server.port), mailcomposer_home, full.fileno())
    assert "Traceback" not in done.stderr
    assert done.stderr.count("standard output could not be written") == 1
    assert done.returncode == 0
    assert len(smtp_server.handler.received) == 1
