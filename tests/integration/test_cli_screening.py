"""Checks before sending on the command line: ``! `` lines, --force, --strict, --dry-run."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.store.paths import Home
from tests.servers import SmtpTestServer

RULES = """
[[rule]]
name = "Confidential"
match = "word:CONFIDENTIAL"
action = "block"
"""


@pytest.fixture
def home() -> Home:
    return Home(Path(os.environ["MAILCOMPOSER_HOME"]))


def send(server: SmtpTestServer, *extra: str) -> int:
    return cli.main(
        ["send", "--server", f"127.0.0.1:{server.port}", "--security", "none",
         "--timeout", "30", "--from", "ann@example.org", *extra]
    )  # fmt: skip


def test_the_issue_example_prints_both_problems_and_still_sends(smtp_server, capsys):
    code = send(
        smtp_server, "--to", "bob@gmial.com", "--subject", "Report",
        "--text", "Please see the attached file.",
    )  # fmt: skip
    out = capsys.readouterr().out
    bangs = [line for line in out.splitlines() if line.startswith("! ")]
    assert len(bangs) == 2
    assert "attached" in bangs[0] and "bob@gmail.com" in bangs[1]
    assert out.index("! ") < out.index("S: 220"), "findings come before connecting"
    assert code == ExitCode.OK and len(smtp_server.received) == 1


def test_a_blocking_rule_exits_2_and_the_server_sees_no_connection(home, capsys):
    home.screening_file.write_text(RULES, encoding="utf-8")
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.3)
        port = listener.getsockname()[1]
        code = cli.main(
            ["send", "--server", f"127.0.0.1:{port}", "--security", "none", "--from",
             "ann@example.org", "--to", "bob@example.org", "--subject", "Plan",
             "--text", "CONFIDENTIAL"]
        )  # fmt: skip
        with pytest.raises(TimeoutError):
            listener.accept()
    out, err = capsys.readouterr()
    assert code == ExitCode.INPUT
    assert "! blocked: Rule “Confidential” matched: CONFIDENTIAL" in out
    assert "--force" in err
    with SmtpTestServer() as server:
        forced = send(
            server, "--to", "bob@example.org", "--subject", "Plan", "--text", "CONFIDENTIAL",
            "--force",
        )  # fmt: skip
        assert forced == ExitCode.OK and len(server.handler.received) == 1


def test_strict_stops_on_warnings(smtp_server, capsys):
    code = send(smtp_server, "--to", "bob@example.org", "--text", "hi", "--strict")
    assert code == ExitCode.INPUT
    out, err = capsys.readouterr()
    assert "! warning: The subject is empty." in out and "--strict" in err
    assert smtp_server.received == []


def test_dry_run_prints_the_findings(smtp_server, capsys):
    code = send(
        smtp_server, "--to", "bob@hotmial.com", "--subject", "s", "--text", "x", "--dry-run"
    )
    assert code == ExitCode.OK
    out = capsys.readouterr().out
    assert "! warning: bob@hotmial.com: did you mean bob@hotmail.com?" in out
    assert "Dry run: nothing was sent." in out


def test_json_keeps_stdout_one_object(smtp_server, capsys):
    code = send(smtp_server, "--to", "bob@example.org", "--text", "hi", "--json")
    out, err = capsys.readouterr()
    assert code == ExitCode.OK
    assert json.loads(out)["ok"] is True
    assert "! warning: The subject is empty." in err


def test_a_bad_rules_file_is_named(home, smtp_server, capsys):
    home.screening_file.write_text("[[rule]]\nname='x'\nmatch='regex:('\n", encoding="utf-8")
    code = send(smtp_server, "--to", "bob@example.org", "--subject", "s", "--text", "hi")
    assert code == ExitCode.INPUT
    err = capsys.readouterr().err
    assert "screening.toml" in err and "regular expression" in err


def test_as_swaks_prints_the_command_and_sends_nothing(smtp_server, capsys):
    code = send(smtp_server, "--to", "bob@example.org", "--bcc", "c@example.org",
                "--subject", "s", "--text", "hi", "--as-swaks")  # fmt: skip
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    assert out.startswith("swaks --server 127.0.0.1 --port ")
    assert "--to bob@example.org,c@example.org" in out
    assert smtp_server.received == []
