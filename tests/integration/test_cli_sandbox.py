"""``mailcomposer sandbox`` in the foreground: listens, stores, stops cleanly on Ctrl+C."""

from __future__ import annotations

import os
import re
import signal
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.smtp.errors import ExitCode

MESSAGE = b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: lab\r\n\r\nhello\r\n"


def read_until(proc: subprocess.Popen[str], marker: str) -> list[str]:
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never printed; got {lines}")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
@pytest.mark.parametrize(
    "signum",
    # The sandbox installs its handlers itself: SIGINT works even when this test runs
    # under a pytest started with SIGINT ignored, and SIGTERM stops it cleanly too.
    [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")],
)
def test_sandbox_runs_in_foreground_and_stops_on_a_signal(
    mailcomposer_home: Path, signum: int
) -> None:
    env = {**os.environ, "MAILCOMPOSER_HOME": str(mailcomposer_home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mailcomposer", "sandbox", "--port", "0", "--auth", "ann:pw"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        banner = read_until(proc, "Ctrl+C")
        port = int(re.search(r"127\.0\.0\.1:(\d+)", banner[0]).group(1))
        maildir = mailcomposer_home / "sandbox" / "Maildir"
        assert any(str(maildir) in line for line in banner)
        with smtplib.SMTP("127.0.0.1", port, local_hostname="client.test", timeout=10) as smtp:
            smtp.login("ann", "pw")
            smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
        [received] = read_until(proc, "Received from")
        assert "ann@example.org" in received and "bob@example.org" in received
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "Stopped." in out
    assert [m.subject for m in Inbox(maildir).messages()] == ["lab"]


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--auth", "nopassword"], "--auth"),
        (["--port", "70000"], "--port"),
        (["--port", "x"], "--port"),
        (["--size", "-1"], "--size"),
    ],
)
def test_sandbox_bad_options_exit_2(
    argv: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["sandbox", *argv]) == ExitCode.INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"mailcomposer: error: {option}: ")
    assert len(err.splitlines()) == 1
