"""Ctrl+C during ``mailcomposer send`` is a clean cancel: exit 7, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.smtp.errors import ExitCode
from mailcomposer.store.outbox import Outbox
from mailcomposer.store.paths import Home
from tests.servers import Hang, ScriptedServer


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_ctrl_c_while_waiting_for_the_server(mailcomposer_home: Path) -> None:
    env = {**os.environ, "MAILCOMPOSER_HOME": str(mailcomposer_home), "PYTHONUNBUFFERED": "1"}
    with ScriptedServer([Hang()]) as server:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mailcomposer",
                "send",
                "--server",
                f"127.0.0.1:{server.port}",
                "--security",
                "none",
                "--timeout",
                "30",
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org",
                "--text",
                "hi",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("* "):  # connecting: now waiting for the greeting
                    break
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == ExitCode.CANCELLED, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert Outbox(Home(mailcomposer_home)).pending() == []
