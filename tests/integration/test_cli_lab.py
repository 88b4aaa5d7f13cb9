"""The SMTP lab on the command line: ``send --step`` and ``console`` with piped input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer

pytestmark = pytest.mark.timeout(60)


def run(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", MAILCOMPOSER_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "mailcomposer", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=50,
        env=env,
        check=False,
    )


@pytest.fixture
def sandbox(tmp_path: Path):
    with SandboxServer(tmp_path / "Maildir") as server:
        yield server


def send_args(server: SandboxServer, *extra: str) -> list[str]:
    return [
        "send", "--server", f"127.0.0.1:{server.port}", "--security", "none",
        "--from", "ann@example.org", "--to", "bob@example.org", "--subject", "step",
        "--text", "hello", *extra,
    ]  # fmt: skip


def test_step_sends_a_noop_at_the_first_pause_then_finishes(sandbox):
    result = run(send_args(sandbox, "--step"), "NOOP\n\nc\n")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    noop = lines.index("C: NOOP")
    assert lines[noop + 1].startswith("S: 250")
    assert lines.index("C: NOOP") < next(
        i for i, line in enumerate(lines) if line.startswith("C: EHLO")
    )
    assert any(line.startswith("> Next: EHLO") for line in lines)
    assert len(Inbox(sandbox.maildir).messages()) == 1


def test_step_q_aborts_with_exit_7_and_nothing_delivered(sandbox):
    result = run(send_args(sandbox, "--step"), "\nq\n")
    assert result.returncode == 7, result.stdout + result.stderr
    assert Inbox(sandbox.maildir).messages() == []


def test_step_and_password_stdin_cannot_share_standard_input(sandbox):
    result = run(send_args(sandbox, "--step", "--password-stdin", "--user", "ann"), "x\n")
    assert result.returncode == 2
    assert "--step" in result.stderr


def test_console_answers_vrfy_help_and_starttls(tmp_path: Path):
    config = SandboxConfig(tls=True)
    with SandboxServer(tmp_path / "Maildir", config=config, cert_dir=tmp_path) as server:
        cafile = server.certificate.cert
        result = run(
            ["console", f"127.0.0.1:{server.port}", "--security", "none", "--cafile", str(cafile)],
            "EHLO me\nVRFY bob\nHELP\nSTARTTLS\nEHLO me\nVRFY bob\nHELP\n",
        )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "S: 220 Ready to start TLS" in out
    assert "after STARTTLS the server forgets" in out and "RFC 3207 §4.2" in out
    assert "Extensions changed" in out
    assert "C: VRFY bob" in out and "S: 252" in out
    assert "S: 214" in out


def test_console_exit_status_follows_the_last_reply(sandbox):
    ok = run(["console", f"127.0.0.1:{sandbox.port}"], "EHLO me\nNOOP\n")
    assert ok.returncode == 0
    bad = run(["console", f"127.0.0.1:{sandbox.port}"], "EHLO me\nRCPT TO:<x@example.org>\n")
    assert bad.returncode == 1
    assert "503" in bad.stdout


def test_console_bad_server_is_a_usage_error():
    result = run(["console", "127.0.0.1:99999"], "")
    assert result.returncode == 2
    assert result.stderr.startswith("mailcomposer: error: server:")
