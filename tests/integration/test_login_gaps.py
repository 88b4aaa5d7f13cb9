"""Gaps found in use: a relay without AUTH, the password prompt of ``account test``, STARTTLS."""

from __future__ import annotations

import io

import pytest

from mailcomposer.cli import main
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.probe import test_connection
from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.paths import Home
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, EventLog, settings_for


class _Terminal(io.StringIO):
    """Standard input that says it is a terminal (the prompt itself is patched)."""

    def isatty(self) -> bool:
        return True


def _save_relay(server: SmtpTestServer, user: str) -> None:
    # What `account add --server HOST:25 --from ADDR` stores: the sender as user name.
    AccountStore(Home.from_env()).save(
        Account(
            name="Relay",
            server=ServerSettings(
                host="127.0.0.1", port=server.port, security=Security.NONE, username=user
            ),
            identities=[Identity(name="", address="me@example.org")],
        )
    )


def test_send_through_a_relay_without_auth_needs_no_password(
    smtp_server: SmtpTestServer, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, no password anywhere
    _save_relay(smtp_server, "me@example.org")
    code = main(["send", "--account", "Relay", "--to", "bob@example.org", "--text", "hi"])
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    assert "offers no login (AUTH)" in out
    assert len(smtp_server.handler.received) == 1


def test_account_test_of_a_relay_without_auth_succeeds(
    smtp_server: SmtpTestServer, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    _save_relay(smtp_server, "me@example.org")
    code = main(["account", "test", "Relay"])
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    assert "offers no login (AUTH)" in out
    assert "No login is needed: the server offers none" in out


def test_account_add_no_login_stores_no_user(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["account", "add", "--name", "Pit", "--server", "127.0.0.1:1025",
                 "--security", "none", "--from", "me@example.org", "--no-login"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    account = AccountStore(Home.from_env()).get("Pit")
    assert account is not None and account.server.username == ""


def test_a_server_asking_for_login_without_password_is_invalid_input(
    auth_server: SmtpTestServer, events: EventLog
) -> None:
    report = test_connection(settings_for(auth_server, user=AUTH_USER), None, on_event=events)
    assert not report.ok
    assert report.exit_code is ExitCode.INPUT
    assert report.error is not None and report.error.field == "password"


def test_account_test_server_asks_for_the_password_at_a_terminal(
    auth_server: SmtpTestServer, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    asked: list[str] = []

    def getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return AUTH_PASSWORD

    monkeypatch.setattr("sys.stdin", _Terminal(""))
    monkeypatch.setattr("getpass.getpass", getpass)
    code = main(["account", "test", "--server", f"127.0.0.1:{auth_server.port}",
                 "--security", "none", "--user", AUTH_USER])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, out + err
    assert asked == [f"Password for {AUTH_USER} at 127.0.0.1: "]
    assert AUTH_PASSWORD not in out


def test_after_starttls_the_verdict_does_not_call_starttls_unsupported(
    starttls_server: SmtpTestServer, events: EventLog
) -> None:
    settings = settings_for(starttls_server, Security.STARTTLS, user=AUTH_USER)
    report = test_connection(settings, Secret(AUTH_PASSWORD), on_event=events)
    assert report.ok, report.error
    lines = report.verdict_lines()
    assert not any(line.startswith("Not supported") and "STARTTLS" in line for line in lines)
    assert any(line.startswith("Supported") and "STARTTLS" in line for line in lines)


def test_after_implicit_tls_starttls_is_not_listed(tls_server: SmtpTestServer, events) -> None:
    settings = settings_for(tls_server, Security.TLS, user=AUTH_USER)
    report = test_connection(settings, Secret(AUTH_PASSWORD), on_event=events)
    assert report.ok, report.error
    assert not any("STARTTLS" in line for line in report.verdict_lines())
