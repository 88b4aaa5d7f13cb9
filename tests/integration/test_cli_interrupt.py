"""Ctrl+C, SIGTERM and SIGHUP outside ``send``: exit code 7, no traceback, no silent kill.

``account test`` and ``console`` waiting on a server that never greets are
interrupted the way an administrator does it; ``send``'s own handling is in
test_cli_cancel.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.smtp.errors import ExitCode
from tests.servers import Hang, ScriptedServer

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX signals; Windows has no SIGTERM delivery to handle"
)


def _interrupted(home: Path, argv: list[str], signum: int, server: ScriptedServer):
    env = {**os.environ, "MAILCOMPOSER_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mailcomposer", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert server.accepted.wait(30)  # connected: now waiting for the greeting
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "* Connecting …" is printed before the wait
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, first + out, err


SIGNALS = [
    pytest.param(signal.SIGINT, id="SIGINT"),
    pytest.param(signal.SIGTERM, id="SIGTERM"),
    pytest.param(
        getattr(signal, "SIGHUP", None),
        id="SIGHUP",
        marks=pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP"),
    ),
]


@pytest.mark.parametrize("signum", SIGNALS)
def test_account_test_interrupted_exits_7(mailcomposer_home: Path, signum: int) -> None:
    with ScriptedServer([Hang()]) as server:
        argv = ["account", "test", "--server", f"127.0.0.1:{server.port}", "--security", "none"]
        code, _out, err = _interrupted(mailcomposer_home, argv, signum, server)
    assert code == ExitCode.CANCELLED, err
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    assert line.startswith("mailcomposer: error: ") and "Nothing was sent" in line


def test_account_test_json_interrupted_is_still_one_json_object(mailcomposer_home: Path) -> None:
    with ScriptedServer([Hang()]) as server:
        argv = [
            "account", "test", "--server", f"127.0.0.1:{server.port}", "--security", "none",
            "--json",
        ]  # fmt: skip
        env = {**os.environ, "MAILCOMPOSER_HOME": str(mailcomposer_home)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "mailcomposer", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        try:
            assert server.accepted.wait(30)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == ExitCode.CANCELLED, err
    data = json.loads(out)
    assert data["ok"] is False and data["exit_code"] == ExitCode.CANCELLED
    assert "Cancelled" in data["error"]["message"]


@pytest.mark.parametrize("signum", SIGNALS)
def test_console_interrupted_exits_7(mailcomposer_home: Path, signum: int) -> None:
    with ScriptedServer([Hang()]) as server:
        argv = ["console", f"127.0.0.1:{server.port}", "--security", "none"]
        code, out, err = _interrupted(mailcomposer_home, argv, signum, server)
    assert code == ExitCode.CANCELLED, err
    assert "Traceback" not in err
    assert out.startswith("* Connecting to 127.0.0.1")
    assert err.strip() == "mailcomposer: error: Cancelled by the user."
