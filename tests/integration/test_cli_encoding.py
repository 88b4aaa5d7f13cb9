"""The CLI on a stream that cannot show ✓ or Chinese (Windows' ANSI code page, redirected).

Each test runs the real command in a fresh interpreter whose stdout and stderr use
cp1252, as Windows gives a program whose output goes to a file or a pipe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.errors import ExitCode

RECIPIENT = "张三@例子.中国"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "maildir") as server:
        yield server


def send_cp1252(server: SandboxServer, *extra: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(
        os.environ,
        PYTHONIOENCODING="cp1252",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",  # never a real vault
    )
    argv = [
        "send", "--server", f"127.0.0.1:{server.port}", "--security", "none",
        "--from", "ann@example.org", "--to", RECIPIENT, "--subject", "季度报告 ✓",
        "--text", "你好", *extra,
    ]  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "mailcomposer", *argv], capture_output=True, env=env, timeout=60
    )


def test_a_transcript_it_cannot_show_is_printed_with_replacements(sandbox) -> None:
    done = send_cp1252(sandbox)
    assert done.returncode == ExitCode.OK, done.stderr.decode("cp1252", "replace")
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("cp1252")
    assert "C: RCPT TO:<??@" in out and "Sent to 1 recipient" in out
    assert len(Inbox(sandbox.maildir).messages()) == 1


def test_json_escapes_what_the_stream_cannot_show_and_stays_exact(sandbox) -> None:
    done = send_cp1252(sandbox, "--json")
    assert done.returncode == ExitCode.OK, done.stderr.decode("cp1252", "replace")
    text = done.stdout.decode("cp1252")
    assert "\\u5f20\\u4e09@" in text and "?" not in text
    result = json.loads(text)
    assert any(RECIPIENT.split("@")[0] in line for line in result["transcript"])
