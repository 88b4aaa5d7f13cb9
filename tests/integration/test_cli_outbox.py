"""``send --later`` and ``mailcomposer outbox`` end to end, "now" moved by MAILCOMPOSER_NOW."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.parsers import build_config
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from tests.servers import RecordingHandler, SmtpTestServer


class DropOnceAfterDot(RecordingHandler):
    """Closes the connection instead of answering the first final dot; accepts the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.dots = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.dots += 1
        if self.dots == 1:
            server.transport.close()
            return "250 OK (never seen)"
        return await super().handle_DATA(server, session, envelope)


def send_args(port: int, *extra: str) -> list[str]:
    return [
        "send", "--server", f"127.0.0.1:{port}", "--security", "none", "--timeout", "30",
        "--from", "ann@example.org", "--to", "bob@example.org", "--subject", "Later report",
        "--text", "Hello", *extra,
    ]  # fmt: skip


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setenv("MAILCOMPOSER_NOW", when)


def outbox_json(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert cli.main(["outbox", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["entries"]


def message_id(raw: bytes) -> str:
    return str(BytesParser(policy=policy.default).parsebytes(raw)["Message-ID"])


def test_send_later_then_outbox_run_against_a_greylisting_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    maildir = tmp_path / "Maildir"
    config = build_config(greylist=True)
    with SandboxServer(maildir, cert_dir=tmp_path / "certs", config=config) as server:
        at(monkeypatch, "2026-12-06 09:00")
        assert cli.main(send_args(server.port, "--later", "2026-12-06 10:00")) == 0
        out = capsys.readouterr().out
        assert "to be sent at 2026-12-06 10:00" in out and "S: " not in out
        [entry] = outbox_json(capsys)
        assert (entry["state"], entry["attempts"]) == ("scheduled", 0)

        at(monkeypatch, "2026-12-06 09:59")
        assert cli.main(["outbox", "run"]) == 0
        assert "Nothing is due." in capsys.readouterr().out
        assert Inbox(maildir).messages() == []

        at(monkeypatch, "2026-12-06 10:00")
        assert cli.main(["outbox", "run"]) == 6  # 451 to every RCPT: greylisted
        out = capsys.readouterr().out
        assert f"Not sent {entry['id']}" in out and "next try at 2026-12-06 10:01" in out
        [retry] = outbox_json(capsys)
        assert (retry["state"], retry["attempts"]) == ("retry", 1)
        assert retry["last_error"].startswith("451 4.7.1")

        at(monkeypatch, "2026-12-06 10:00:30")
        assert cli.main(["outbox", "run"]) == 0
        assert "Nothing is due." in capsys.readouterr().out

        at(monkeypatch, "2026-12-06 10:05")
        assert cli.main(["outbox", "run"]) == 0
        assert f"Sent {entry['id']} (Later report)" in capsys.readouterr().out
    [delivered] = Inbox(maildir).messages()
    assert message_id(delivered.path.read_bytes()) == entry["message_id"]
    assert outbox_json(capsys) == []
    history = History(Home.from_env())
    records = list(reversed(history.recent()))
    history.close()
    assert [(r.result, r.stage, r.reply_code) for r in records] == [
        ("failed", "rcpt", 451),
        ("sent", "", 250),
    ]
    assert {r.message_id for r in records} == {entry["message_id"]}


def test_later_must_be_a_time_to_come(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    at(monkeypatch, "2026-12-06 09:00")
    assert cli.main(send_args(1, "--later", "2026-12-06 08:59")) == 2
    assert "--later: 2026-12-06 08:59 is in the past" in capsys.readouterr().err
    assert cli.main(send_args(1, "--later", "tomorrow")) == 2
    assert "YYYY-MM-DD HH:MM" in capsys.readouterr().err
    assert outbox_json(capsys) == []


def test_unknown_is_not_resent_by_run_but_retry_keeps_the_message_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = DropOnceAfterDot()
    with SmtpTestServer(handler=handler) as server:
        at(monkeypatch, "2026-12-06 09:00")
        assert cli.main(send_args(server.port, "--later", "2026-12-06 09:30")) == 0
        capsys.readouterr()
        at(monkeypatch, "2026-12-06 09:30")
        assert cli.main(["outbox", "run", "--json"]) == 8
        report = json.loads(capsys.readouterr().out)
        [tried] = report["attempts"]
        assert (report["exit_code"], tried["state"]) == (8, "unknown")
        at(monkeypatch, "2026-12-07 09:30")
        assert cli.main(["outbox", "run"]) == 0
        assert handler.dots == 1
        [entry] = outbox_json(capsys)
        assert entry["state"] == "unknown"

        # Any send now says an earlier copy is waiting.
        assert cli.main(send_args(server.port, "--later", "2026-12-08 09:00")) == 0
        note = f"* An earlier message (Later report, {entry['id']}) may or may not have been"
        assert note in capsys.readouterr().out

        assert cli.main(["outbox", "retry", entry["id"]]) == 0
        out = capsys.readouterr().out
        assert "C: RCPT TO:<bob@example.org>" in out and entry["message_id"] in out
    assert [message_id(r.data) for r in handler.received] == [entry["message_id"]]
    assert [e["state"] for e in outbox_json(capsys)] == ["scheduled"]


def test_delete_and_bad_ids(
    smtp_server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    at(monkeypatch, "2026-12-06 09:00")
    assert cli.main(send_args(smtp_server.port, "--later", "2026-12-06 09:30")) == 0
    [entry] = outbox_json(capsys)
    assert cli.main(["outbox", "retry"]) == 2
    assert cli.main(["outbox", "delete", "nope"]) == 2
    assert "no outbox entry nope" in capsys.readouterr().err
    assert cli.main(["outbox", "delete", entry["id"]]) == 0
    assert outbox_json(capsys) == []
    assert cli.main(["outbox"]) == 0
    assert "The outbox is empty." in capsys.readouterr().out
    assert smtp_server.received == []
