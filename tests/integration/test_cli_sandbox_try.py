"""The ``Try:`` line ``mailcomposer sandbox`` prints is a send that works, as printed."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.smtp.errors import ExitCode
from tests.integration.test_cli_sandbox import read_until


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
@pytest.mark.parametrize(
    ("switches", "password"),
    [
        pytest.param([], "", id="plain"),
        pytest.param(["--tls", "--auth", "student:secret"], "secret\n", id="starttls-auth"),
    ],
)
def test_the_suggested_send_is_accepted(
    mailcomposer_home: Path, switches: list[str], password: str
) -> None:
    # It named no sender, and send with --server has no account to take one from: exit 2.
    env = {
        **os.environ,
        "MAILCOMPOSER_HOME": str(mailcomposer_home),
        "MAILCOMPOSER_LANG": "en",
        "PYTHONUNBUFFERED": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "mailcomposer", "sandbox", "--port", "0", *switches],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        banner = read_until(server, "Ctrl+C")
        [suggested] = [line for line in banner if line.startswith("Try: ")]
        argv = shlex.split(suggested.removeprefix("Try: "))
        assert argv[:2] == ["mailcomposer", "send"]
        sent = subprocess.run(
            [sys.executable, "-m", "mailcomposer", *argv[1:]],
            input=password,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=60,
            check=False,
        )
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert sent.returncode == ExitCode.OK, sent.stderr
    [message] = Inbox(mailcomposer_home / "sandbox" / "Maildir").messages()
    assert (message.mail_from, message.rcpt_tos) == ("me@example.org", ("you@example.org",))
