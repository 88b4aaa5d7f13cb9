"""``mailcomposer send --read-receipt --dsn``: the header and the DSN parameters end to end."""

from __future__ import annotations

import pytest

from mailcomposer import cli
from tests.servers import ScriptedServer, SmtpTestServer, accepting_dialogue

BASE = ["send", "--security", "none", "--timeout", "30", "--from", "ann@example.test"]


def _send(port: int, *extra: str) -> int:
    return cli.main([*BASE, "--server", f"127.0.0.1:{port}", "--to", "bob@example.test", *extra])


def test_read_receipt_option_adds_the_header(capsys: pytest.CaptureFixture[str]) -> None:
    with SmtpTestServer() as server:
        assert _send(server.port, "--read-receipt", "--subject", "r") == 0
    (received,) = server.handler.received
    assert b"\r\nDisposition-Notification-To: <ann@example.test>\r\n" in received.data


def test_dsn_without_value_asks_for_success_and_failure(capsys) -> None:
    with ScriptedServer(accepting_dialogue("DSN")) as server:
        assert _send(server.port, "--dsn", "--subject", "d") == 0
    assert "RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE" in server.commands
    assert "NOTIFY=SUCCESS,FAILURE" in capsys.readouterr().out


def test_dsn_with_a_choice(capsys) -> None:
    with ScriptedServer(accepting_dialogue("DSN")) as server:
        assert _send(server.port, "--dsn", "failure,delay") == 0
    assert "RCPT TO:<bob@example.test> NOTIFY=FAILURE,DELAY" in server.commands


def test_dsn_unknown_word_is_a_usage_error(capsys) -> None:
    assert cli.main([*BASE, "--server", "127.0.0.1:9", "--to", "b@x.test", "--dsn", "often"]) == 2
    assert "--dsn" in capsys.readouterr().err


def test_dsn_refused_server_note_in_transcript(capsys) -> None:
    with SmtpTestServer() as server:
        assert _send(server.port, "--dsn") == 0
    out = capsys.readouterr().out
    assert "does not offer DSN" in out
    assert "NOTIFY=" not in out


def test_a_later_send_keeps_the_dsn_request_in_the_outbox(monkeypatch, capsys) -> None:
    with ScriptedServer(accepting_dialogue("DSN")) as server:
        monkeypatch.setenv("MAILCOMPOSER_NOW", "2026-12-06 09:00")
        assert _send(server.port, "--dsn", "failure", "--later", "2026-12-06 09:30") == 0
        assert server.commands == []  # nothing sent yet
        monkeypatch.setenv("MAILCOMPOSER_NOW", "2026-12-06 09:30")
        assert cli.main(["outbox", "run"]) == 0
    assert "RCPT TO:<bob@example.test> NOTIFY=FAILURE" in server.commands
