"""Ctrl+C, SIGTERM and SIGHUP during ``mailcomposer send``: a clean cancel, the contract's code.

Each test starts ``python -m mailcomposer send`` as a child process and signals it.
The child installs its own handlers, so these tests pass however pytest itself was
started (``trap "" INT`` makes every child inherit SIGINT ignored): the "ignored"
cases below start the child that way on purpose.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mailcomposer.smtp.errors import ExitCode
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from tests.servers import Hang, ScriptedServer, accepting_dialogue

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX signals; Windows has no SIGTERM delivery to handle"
)


def _ignore_sigint() -> None:
    # What a shell does for "mailcomposer send ... &" in a script.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def send_process(home: Path, port: int, *, sigint: str = "default") -> Iterator[subprocess.Popen]:
    """``mailcomposer send`` to 127.0.0.1:``port``, SIGINT inherited as ``sigint``."""
    env = {**os.environ, "MAILCOMPOSER_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    argv = [
        sys.executable, "-m", "mailcomposer", "send",
        "--server", f"127.0.0.1:{port}", "--security", "none", "--timeout", "30",
        "--from", "ann@example.org", "--to", "bob@example.org", "--text", "hi",
    ]  # fmt: skip
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        preexec_fn=_ignore_sigint if sigint == "ignored" else _default_sigint,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def read_until(proc: subprocess.Popen, prefix: str) -> list[str]:
    """The lines the child printed up to the first one starting with ``prefix``."""
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith(prefix):
            return lines
    raise AssertionError(f"no line starting with {prefix!r}; got {lines}")


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def finish(proc: subprocess.Popen, signum: int) -> tuple[str, str]:
    proc.send_signal(signum)
    return proc.communicate(timeout=20)


@pytest.mark.parametrize(
    ("signum", "sigint"),
    [
        pytest.param(signal.SIGINT, "default", id="SIGINT"),
        # Started from a script with "&": SIGINT inherited ignored, Ctrl+C still cancels.
        pytest.param(signal.SIGINT, "ignored", id="SIGINT-inherited-ignored"),
        pytest.param(signal.SIGTERM, "default", id="SIGTERM"),
        pytest.param(signal.SIGTERM, "ignored", id="SIGTERM-SIGINT-inherited-ignored"),
        pytest.param(
            getattr(signal, "SIGHUP", None),
            "default",
            id="SIGHUP",
            marks=pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP"),
        ),
    ],
)
def test_a_signal_while_waiting_for_the_server_cancels(
    mailcomposer_home: Path, signum: int, sigint: str
) -> None:
    with (
        ScriptedServer([Hang()]) as server,
        send_process(mailcomposer_home, server.port, sigint=sigint) as proc,
    ):
        read_until(proc, "* ")  # connecting: now waiting for the greeting
        assert server.accepted.wait(30)
        _out, err = finish(proc, signum)
    assert proc.returncode == ExitCode.CANCELLED, err
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    assert line.startswith("mailcomposer: error: ") and "not sent" in line
    # Cancelled before the final dot: not delivered, and nothing is left to resend.
    assert Outbox(Home(mailcomposer_home)).pending() == []


@pytest.mark.parametrize(
    "signum",
    [pytest.param(signal.SIGTERM, id="SIGTERM"), pytest.param(signal.SIGINT, id="SIGINT")],
)
def test_a_signal_after_the_final_dot_is_outcome_unknown(
    mailcomposer_home: Path, signum: int
) -> None:
    # The server takes the whole message, then never answers the final dot.
    with (
        ScriptedServer(accepting_dialogue(after_dot=[Hang()])) as server,
        send_process(mailcomposer_home, server.port, sigint="ignored") as proc,
    ):
        read_until(proc, "C: .")
        wait_for(lambda: bool(server.data))  # the dot reached the server
        _out, err = finish(proc, signum)
    assert proc.returncode == ExitCode.UNKNOWN, err
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    assert line.startswith("mailcomposer: error: ") and "outbox" in line
    # Maybe delivered: the copy stays, marked unknown (SIGTERM used to leave it queued).
    [entry] = Outbox(Home(mailcomposer_home)).pending()
    assert entry.state is OutboxState.UNKNOWN
    assert str(entry.path) in line
