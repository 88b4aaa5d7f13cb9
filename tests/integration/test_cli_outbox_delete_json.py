"""``mailcomposer outbox delete ID --json`` prints one JSON object, as ``[--json]`` promises."""

from __future__ import annotations

import json

import pytest

from mailcomposer import cli
from tests.servers import SmtpTestServer


def test_delete_with_json_prints_json(
    smtp_server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # It printed "Deleted <id>." whatever --json said, so a script's json.loads failed.
    monkeypatch.setenv("MAILCOMPOSER_NOW", "2026-12-06 09:00")
    send = [
        "send", "--server", f"127.0.0.1:{smtp_server.port}", "--security", "none",
        "--from", "ann@example.org", "--to", "bob@example.org", "--subject", "Later",
        "--text", "Hello", "--later", "2026-12-06 09:30",
    ]  # fmt: skip
    assert cli.main(send) == 0
    capsys.readouterr()
    assert cli.main(["outbox", "list", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)["entries"]
    assert cli.main(["outbox", "delete", entry["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"deleted": entry["id"]}
    assert cli.main(["outbox", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"entries": []}
