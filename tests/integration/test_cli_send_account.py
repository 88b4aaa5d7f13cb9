"""``mailcomposer send --account``: settings from the account store, password from the keyring."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home

USER = "ann"
PASSWORD = "pa55-w0rd-Lab"


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "Maildir", auth=(USER, PASSWORD)) as server:
        AccountStore(Home.from_env()).save(
            Account(
                name="Lab",
                server=ServerSettings(
                    host="127.0.0.1", port=server.port, security=Security.NONE, username=USER
                ),
                identities=[Identity(name="Ann Lee", address="ann@example.org")],
            )
        )
        yield server


def send(*extra: str) -> int:
    return cli.main(["send", "--account", "Lab", "--to", "bob@example.org", "--text", "hi", *extra])


def test_password_from_keyring_and_from_identity(
    lab: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    Credentials().set("Lab", PASSWORD, USER)
    code = send()
    out = capsys.readouterr()
    assert code == ExitCode.OK, out.err
    assert PASSWORD not in out.out
    [stored] = Inbox(lab.maildir).messages()
    assert stored.mail_from == "ann@example.org"
    assert b"From: Ann Lee <ann@example.org>" in stored.raw()


def test_password_from_stdin(
    lab: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert send("--password-stdin", "--quiet") == ExitCode.OK, capsys.readouterr().err
    assert len(Inbox(lab.maildir).messages()) == 1


def test_password_from_environment(
    lab: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAILCOMPOSER_PASSWORD", PASSWORD)
    assert send("--quiet") == ExitCode.OK, capsys.readouterr().err


def test_wrong_password_exits_5(
    lab: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAILCOMPOSER_PASSWORD", "wrong")
    assert send() == ExitCode.AUTH
    err = capsys.readouterr().err
    assert err.startswith("mailcomposer: error: ") and "wrong" not in err
    assert Inbox(lab.maildir).messages() == []


def test_no_password_anywhere_exits_2(
    lab: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert send() == ExitCode.INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith("mailcomposer: error: --password-stdin: ")
    assert len(err.splitlines()) == 1


def test_unknown_account_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert send() == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.startswith("mailcomposer: error: --account: ")


def test_account_and_server_together_exit_2(
    lab: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send("--server", "127.0.0.1:25") == ExitCode.INPUT
    assert capsys.readouterr().err.startswith("mailcomposer: error: --server: ")
