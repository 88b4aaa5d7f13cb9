"""A send that finds the send log damaged says where the old log was kept."""

from __future__ import annotations

import os
from pathlib import Path

from mailcomposer import cli
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.store.paths import Home
from tests.unit.store.test_history_damaged import NOT_A_DATABASE


def _damage(home: Home) -> None:
    home.history_db.parent.mkdir(parents=True, exist_ok=True)
    home.history_db.write_bytes(NOT_A_DATABASE)


def _send(port: int) -> int:
    return cli.main(
        ["send", "--server", f"127.0.0.1:{port}", "--security", "none", "--timeout", "30",
         "--from", "ann@example.org", "--to", "bob@example.org", "--subject", "Hi",
         "--text", "Hello"]
    )  # fmt: skip


def test_a_sent_message_says_the_damaged_log_was_kept(smtp_server, capsys) -> None:
    # The send starts a new log and records itself there; without a word, the old
    # attempts would seem lost (History opens on the new, good log next time).
    home = Home(Path(os.environ["MAILCOMPOSER_HOME"]))
    _damage(home)
    assert _send(smtp_server.port) == ExitCode.OK
    captured = capsys.readouterr()
    (kept,) = home.history_db.parent.glob("history.sqlite3.damaged-*")
    assert f"it was kept as {kept}" in captured.out + captured.err
    assert kept.read_bytes() == NOT_A_DATABASE


def test_a_failed_send_says_it_too(capsys) -> None:
    import socket

    home = Home(Path(os.environ["MAILCOMPOSER_HOME"]))
    _damage(home)
    with socket.socket() as unused:  # a port nobody listens on: connection refused
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert _send(port) != ExitCode.OK
    captured = capsys.readouterr()
    (kept,) = home.history_db.parent.glob("history.sqlite3.damaged-*")
    assert f"it was kept as {kept}" in captured.out + captured.err
