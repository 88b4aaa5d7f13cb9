"""``send --explain`` and ``send --json``: each line's meaning, RFC sections and step time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.errors import ExitCode

STEP_TIME = re.compile(r"\(\d+(\.\d)? ms\)$|\(\d+\.\d\d s\)$")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "Maildir") as server:
        yield server


def send_args(server: SandboxServer, *extra: str) -> list[str]:
    return [
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
        "--cc",
        "carol@example.org",
        "--bcc",
        "dan@example.org",
        "--text",
        "hello\n.with a dot\n",
        *extra,
    ]


def test_explain_prints_meanings_references_and_step_times(sandbox, capsys):
    code = cli.main(send_args(sandbox, "--explain"))
    out = capsys.readouterr().out
    assert code == ExitCode.OK, out
    lines = out.splitlines()

    ehlo = next(line for line in lines if line.startswith("C: EHLO"))
    assert "    # " in ehlo and "[RFC 5321 §4.1.1.1]" in ehlo
    greeting = next(line for line in lines if line.startswith("S: 220"))
    assert "[RFC 5321 §3.1" in greeting
    accepted = [line for line in lines if line.startswith("S: 250 ")]
    assert accepted and all(STEP_TIME.search(line) for line in accepted)
    rcpts = {line.split("<")[1].split(">")[0]: line for line in lines if "RCPT TO" in line}
    assert "from the To field" in rcpts["bob@example.org"]
    assert "from the Cc field" in rcpts["carol@example.org"]
    assert "from the Bcc field" in rcpts["dan@example.org"]
    assert "RFC 5322 §3.6.3" in rcpts["dan@example.org"]
    dots = next(line for line in lines if "started with a dot" in line)
    assert dots.startswith("* ") and "[RFC 5321 §4.5.2]" in dots


def test_without_explain_no_annotations(sandbox, capsys):
    code = cli.main(send_args(sandbox))
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    assert "    # " not in out
    assert "RFC 5321" not in out


def test_json_carries_events_with_references_times_and_the_data_preview(sandbox, capsys):
    code = cli.main(send_args(sandbox, "--json"))
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    # The existing keys stay as they were: the transcript as printed lines.
    assert all(isinstance(line, str) for line in data["transcript"])
    events = data["events"]
    assert len(events) == len(data["transcript"])
    assert [e["direction"] for e in events] == [line[0] for line in data["transcript"]]

    rcpt = next(e for e in events if e["text"] == "RCPT TO:<dan@example.org>")
    assert "from the Bcc field" in rcpt["explanation"]
    labels = [r["label"] for r in rcpt["refs"]]
    assert "RFC 5321 §4.1.1.3" in labels and "RFC 5322 §3.6.3" in labels
    assert rcpt["refs"][0]["url"].startswith("https://www.rfc-editor.org/rfc/rfc")
    final = next(e for e in events if e["direction"] == "S" and e["text"].startswith("250 "))
    assert final["elapsed_ms"] >= 0
    data_note = next(e for e in events if e["text"].startswith("DATA: "))
    assert "To: bob@example.org" in data_note["detail"]
    assert "Cc: carol@example.org" in data_note["detail"]
    assert "dan@example.org" not in data_note["detail"]
