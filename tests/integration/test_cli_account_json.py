"""``mailcomposer account test NAME --json``: one JSON object, the same exit codes, no secret."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest

from mailcomposer.cli import main
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.store.accounts import SANDBOX_NAME
from mailcomposer.store.credentials import Credentials
from tests.integration.test_probe import AuthServer
from tests.servers import SmtpTestServer, refusing_port
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

WRONG_PASSWORD = "not-the-Pa55word-42"
# The keys every ``account test --json`` object has, whatever happened.
KEYS = {
    "account", "ok", "exit_code", "host", "port", "security", "stages", "tls", "capabilities",
    "login", "untrusted_certificate", "error", "verdict", "transcript",
}  # fmt: skip
# The keys of ``send --json``'s error object, which ``account test --json`` keeps.
SEND_ERROR_KEYS = {"stage", "code", "enhanced", "server_text", "message", "field"}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str,
        stdin: str = "") -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["account", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, monkeypatch, "test", *argv, "--json", stdin=stdin)
    data = json.loads(out)  # the whole of stdout is the one object
    assert set(data) == KEYS, data
    assert data["exit_code"] == code
    return code, data, out + err


def assert_no_secret(text: str, password: str) -> None:
    assert password not in text
    for encoded in (
        base64.b64encode(f"\0{AUTH_USER}\0{password}".encode()).decode(),  # AUTH PLAIN
        base64.b64encode(password.encode()).decode(),  # AUTH LOGIN's password line
    ):
        assert encoded not in text


def add_local(capsys, monkeypatch, server: SmtpTestServer, security: str, *extra: str) -> None:
    code, _out, err = run(
        capsys, monkeypatch, "add", "--name", "Local", "--server", f"127.0.0.1:{server.port}",
        "--security", security, "--from", "ann@example.test", *extra,
    )  # fmt: skip
    assert code == 0, err


def test_success_reports_server_tls_capabilities_and_login(
    capsys, monkeypatch, client_cafile: Path, server_ssl_context
) -> None:
    with AuthServer(starttls_context=server_ssl_context, require_starttls=True) as server:
        add_local(capsys, monkeypatch, server, "starttls", "--user", AUTH_USER,
                  "--cafile", str(client_cafile))  # fmt: skip
        code, data, text = run_json(
            capsys, monkeypatch, "Local", "--password-stdin", stdin=AUTH_PASSWORD + "\n"
        )
    assert code == ExitCode.OK
    assert data["ok"] is True and data["exit_code"] == 0 and data["error"] is None
    assert data["account"] == "Local"
    assert (data["host"], data["port"], data["security"]) == ("127.0.0.1", server.port, "starttls")
    assert data["stages"][-1] == "quit" and "starttls" in data["stages"]
    assert data["tls"]["version"].startswith("TLSv1.") and data["tls"]["cipher"]
    certificate = data["tls"]["certificate"]
    assert certificate["sha256"] and "127.0.0.1" in certificate["names"]
    assert certificate["not_after"]  # an ISO date
    capabilities = data["capabilities"]
    assert capabilities["size_limit"] == 32 * 1024 * 1024
    assert "PLAIN" in capabilities["auth"] and capabilities["smtputf8"] is True
    assert data["login"] == {"user": AUTH_USER, "ok": True, "mechanism": data["login"]["mechanism"]}
    assert data["login"]["mechanism"] in {"PLAIN", "LOGIN"}
    assert data["untrusted_certificate"] is None
    transcript = data["transcript"]
    assert any(line.startswith("S: 220") for line in transcript) and "C: STARTTLS" in transcript
    assert any(line.startswith("C: AUTH") for line in transcript)
    assert any("succeeded" in line for line in data["verdict"])
    assert_no_secret(text, AUTH_PASSWORD)


def test_wrong_password_exit_5_with_stage_reply_and_hint(capsys, monkeypatch) -> None:
    with AuthServer(auth_require_tls=False) as server:
        add_local(capsys, monkeypatch, server, "none", "--user", AUTH_USER)
        plain, _out, _err = run(
            capsys, monkeypatch, "test", "Local", "--password-stdin", stdin=WRONG_PASSWORD + "\n"
        )
        code, data, text = run_json(
            capsys, monkeypatch, "Local", "--password-stdin", stdin=WRONG_PASSWORD + "\n"
        )
    assert code == plain == ExitCode.AUTH
    assert data["ok"] is False and data["exit_code"] == 5
    assert data["login"]["ok"] is False and data["login"]["mechanism"] is None
    error = data["error"]
    assert set(error) == SEND_ERROR_KEYS | {"hint"}
    assert error["stage"] == "auth" and error["code"] == 535
    assert error["message"] and "check the user name" in error["hint"]
    assert data["tls"] is None  # security "none"
    assert_no_secret(text, WRONG_PASSWORD)


def test_stored_password_never_printed(capsys, monkeypatch) -> None:
    with AuthServer(auth_require_tls=False) as server:
        add_local(capsys, monkeypatch, server, "none", "--user", AUTH_USER)
        Credentials().set("Local", AUTH_PASSWORD, AUTH_USER)
        code, data, text = run_json(capsys, monkeypatch, "Local", "--explain")
    assert code == ExitCode.OK and data["login"]["ok"] is True
    assert any("    # " in line for line in data["transcript"])  # --explain kept
    assert_no_secret(text, AUTH_PASSWORD)


def test_environment_password_never_printed(capsys, monkeypatch) -> None:
    monkeypatch.setenv("MAILCOMPOSER_PASSWORD", AUTH_PASSWORD)
    with AuthServer(auth_require_tls=False) as server:
        add_local(capsys, monkeypatch, server, "none", "--user", AUTH_USER)
        code, _data, text = run_json(capsys, monkeypatch, "Local")
    assert code == ExitCode.OK
    assert_no_secret(text, AUTH_PASSWORD)


def test_untrusted_certificate_exit_4_then_trusted(capsys, monkeypatch, server_ssl_context) -> None:
    with AuthServer(tls_context=server_ssl_context) as server:
        add_local(capsys, monkeypatch, server, "tls", "--no-login")
        plain, _out, _err = run(capsys, monkeypatch, "test", "Local")
        code, data, _text = run_json(capsys, monkeypatch, "Local")
        assert code == plain == ExitCode.TLS
        assert data["error"]["stage"] == "connect" and data["error"]["hint"]
        assert data["login"] is None  # no user name: no login tried
        fingerprint = data["untrusted_certificate"]["sha256"]
        assert data["untrusted_certificate"]["reason"]

        code, data, _text = run_json(capsys, monkeypatch, "Local", "--trust", fingerprint)
    assert code == ExitCode.OK and data["ok"] is True
    assert data["tls"]["certificate"]["sha256"] == fingerprint
    assert any(line.startswith("* Trusted the certificate") for line in data["transcript"])


def test_connection_refused_exit_3(capsys, monkeypatch) -> None:
    with refusing_port() as port:
        code, _out, err = run(
            capsys, monkeypatch, "add", "--name", "Dead", "--server", f"127.0.0.1:{port}",
            "--security", "none", "--from", "a@example.test", "--no-login",
        )  # fmt: skip
        assert code == 0, err
        plain, _out, _err = run(capsys, monkeypatch, "test", "Dead")
        code, data, _text = run_json(capsys, monkeypatch, "Dead")
    assert code == plain == ExitCode.CONNECTION
    assert data["error"]["stage"] == "connect" and data["stages"] == []
    assert str(port) in data["error"]["hint"]
    assert data["capabilities"] is None and data["tls"] is None


def test_sandbox_account(capsys, monkeypatch) -> None:
    code, data, _text = run_json(capsys, monkeypatch, SANDBOX_NAME)
    assert code == ExitCode.OK and data["ok"] is True
    assert data["host"] == "127.0.0.1" and data["capabilities"] is not None


def test_unknown_account_is_a_json_input_error(capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "test", "Nope", "--json")
    data = json.loads(out)
    assert set(data) == KEYS
    assert code == ExitCode.INPUT and data["exit_code"] == 2 and data["ok"] is False
    assert data["error"]["field"] == "name" and "Nope" in data["error"]["message"]
    assert set(data["error"]) == SEND_ERROR_KEYS | {"hint"}
    assert err == ""  # like send --json: the error is in the object only


def test_missing_password_is_a_json_input_error(capsys, monkeypatch) -> None:
    with AuthServer(auth_require_tls=False) as server:
        add_local(capsys, monkeypatch, server, "none", "--user", AUTH_USER)
        code, data, _text = run_json(capsys, monkeypatch, "Local")
    assert code == ExitCode.INPUT
    assert data["error"]["field"] == "password"
    assert (data["host"], data["port"]) == ("127.0.0.1", server.port)
    # Connecting is how it learns that the server asks for a login (a relay that
    # offers no AUTH needs no password); nothing secret is sent.
    assert not any(line.startswith("C: AUTH") for line in data["transcript"])


def test_help_mentions_json_and_exit_codes(capsys) -> None:
    assert main(["account", "test", "-h"]) == 0
    out = capsys.readouterr().out
    assert "--json" in out and "Exit codes" in out
