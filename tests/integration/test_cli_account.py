"""``mailcomposer account list|add|test|remove`` run in-process against local servers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mailcomposer.cli import main
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Secret, Security
from mailcomposer.store.accounts import SANDBOX_NAME, AccountStore
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from tests.integration.test_probe import AuthServer
from tests.memory_keyring import MemoryKeyring
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:  # fmt: skip
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["account", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_sandbox(capsys) -> None:
    code, out, _err = run(capsys, "list")
    assert code == 0
    assert SANDBOX_NAME in out and out.startswith("*")


def test_add_with_preset_stores_password_in_keyring(
    capsys, monkeypatch, memory_keyring: MemoryKeyring, mailcomposer_home: Path
) -> None:
    code, out, err = run(
        capsys, "add", "--name", "QQ", "--preset", "qq", "--from", "张三 <12345@qq.com>",
        "--password-stdin", stdin="auth-code-xyz\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    assert "smtp.qq.com:465 tls" in out and "授权码" in out
    account = AccountStore(Home(mailcomposer_home)).get("QQ")
    assert account is not None
    assert account.server.username == "12345@qq.com" and account.preset == "qq"
    assert account.identities[0].name == "张三"
    assert Credentials().get("QQ", "12345@qq.com") == Secret("auth-code-xyz")
    for path in mailcomposer_home.rglob("*"):
        if path.is_file():
            assert b"auth-code-xyz" not in path.read_bytes()
    code, out, _err = run(capsys, "list")
    assert "QQ" in out and "* QQ" in out  # the first own account is the default


def test_add_without_a_keyring_says_the_password_was_not_saved(
    capsys, monkeypatch, mailcomposer_home: Path
) -> None:
    import keyring

    from tests.memory_keyring import NoKeyring

    keyring.set_keyring(NoKeyring())
    code, _out, err = run(
        capsys, "add", "--name", "work", "--preset", "gmail", "--user", "me@gmail.com",
        "--password-stdin", stdin="app-pass-123\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    assert "not saved" in err and "MAILCOMPOSER_PASSWORD" in err
    assert "in memory" not in err  # this process ends now: nothing is kept
    for path in mailcomposer_home.rglob("*"):
        if path.is_file():
            assert b"app-pass-123" not in path.read_bytes()


def test_add_with_server(capsys, mailcomposer_home: Path) -> None:
    code, _out, err = run(
        capsys, "add", "--name", "Lab", "--server", "mail.lab.example:2525",
        "--security", "starttls", "--from", "me@lab.example", "--user", "me",
    )  # fmt: skip
    assert code == 0, err
    account = AccountStore(Home(mailcomposer_home)).get("Lab")
    assert account is not None
    assert (account.server.host, account.server.port) == ("mail.lab.example", 2525)
    assert account.server.security is Security.STARTTLS and account.server.username == "me"


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("mail.example.com:465", ("mail.example.com", 465, Security.TLS)),
        ("mail.example.com", ("mail.example.com", 587, Security.STARTTLS)),
        ("[2001:db8::1]:25", ("2001:db8::1", 25, Security.STARTTLS)),
        ("[::1]:2525", ("::1", 2525, Security.NONE)),  # this computer: plain, as for send
    ],
)
def test_add_with_server_default_security(
    capsys, mailcomposer_home: Path, server: str, expected: tuple[str, int, Security]
) -> None:
    code, _out, err = run(capsys, "add", "--name", "S", "--server", server, "--from", "a@b.example")
    assert code == 0, err
    account = AccountStore(Home(mailcomposer_home)).get("S")
    assert account is not None
    assert (account.server.host, account.server.port, account.server.security) == expected


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--server", "mail.example.com:99999", "--from", "a@example.com"], "--server"),
        (["--server", "mail.example.com:abc", "--from", "a@example.com"], "--server"),
        (["--server", "mail.example.com:0", "--from", "a@example.com"], "--server"),
        (["--server", "bad host", "--from", "a@example.com"], "--server"),
        (["--server", "[::1", "--from", "a@example.com"], "--server"),
        (["--preset", "nosuch", "--from", "a@example.com"], "--preset"),
        (["--server", "mail.example.com"], "--from"),
        (["--server", "mail.example.com", "--from", "not an address"], "--from"),
        (["--server", "mail.example.com", "--from", "a@example.com", "--cafile", "/no/ca.pem"],
         "--cafile"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_option(capsys, argv: list[str], option: str) -> None:
    code, _out, err = run(capsys, "add", "--name", "X", *argv)
    assert code == ExitCode.INPUT
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mailcomposer: error: {option}: "), err


def test_empty_password_on_stdin_refused(capsys, monkeypatch, mailcomposer_home: Path) -> None:
    code, _out, err = run(
        capsys, "add", "--name", "Lab", "--server", "mail.lab.example", "--from", "a@lab.example",
        "--password-stdin", stdin="", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == ExitCode.INPUT and err.startswith("mailcomposer: error: --password-stdin: ")
    assert AccountStore(Home(mailcomposer_home)).get("Lab") is None  # nothing half-saved


def test_remove(capsys, mailcomposer_home: Path) -> None:
    run(capsys, "add", "--name", "Lab", "--server", "mail.lab.example", "--from", "a@lab.example")
    Credentials().set("Lab", "pw", "a@lab.example")
    code, out, _err = run(capsys, "remove", "Lab")
    assert code == 0 and "removed" in out
    assert AccountStore(Home(mailcomposer_home)).get("Lab") is None
    assert Credentials().get("Lab", "a@lab.example") is None
    code, _out, err = run(capsys, "remove", SANDBOX_NAME)
    assert code == ExitCode.INPUT and err.startswith("mailcomposer: error: name: ")
    code, _out, err = run(capsys, "remove", "Nope")
    assert code == ExitCode.INPUT


def add_local(capsys, server: SmtpTestServer, security: str, *extra: str) -> None:
    code, _out, err = run(
        capsys, "add", "--name", "Local", "--server", f"127.0.0.1:{server.port}",
        "--security", security, "--from", "ann@example.test", *extra,
    )  # fmt: skip
    assert code == 0, err


def test_test_prints_transcript_and_verdict(capsys, monkeypatch, client_cafile: Path,
                                            server_ssl_context) -> None:  # fmt: skip
    with AuthServer(starttls_context=server_ssl_context, require_starttls=True) as server:
        add_local(capsys, server, "starttls", "--user", AUTH_USER, "--cafile", str(client_cafile))
        code, out, _err = run(
            capsys, "test", "Local", "--password-stdin",
            stdin=AUTH_PASSWORD + "\n", monkeypatch=monkeypatch,
        )  # fmt: skip
        assert code == ExitCode.OK, out
        assert "S: 220" in out and "C: EHLO" in out and "C: STARTTLS" in out
        assert "* TLS established" in out and "C: QUIT" in out
        assert "succeeded" in out and AUTH_PASSWORD not in out

        code, out, _err = run(
            capsys, "test", "Local", "--password-stdin", stdin="wrong\n", monkeypatch=monkeypatch
        )
        assert code == ExitCode.AUTH
        assert "check the user name" in out


def test_test_uses_the_stored_password(capsys, monkeypatch) -> None:
    with AuthServer(auth_require_tls=False) as server:
        add_local(capsys, server, "none", "--user", AUTH_USER)
        Credentials().set("Local", AUTH_PASSWORD, AUTH_USER)
        code, out, _err = run(capsys, "test", "Local", "--explain")
        assert code == ExitCode.OK, out
        assert "    # " in out  # --explain annotates the replies


def test_test_without_password(capsys) -> None:
    with AuthServer(auth_require_tls=False) as server:
        add_local(capsys, server, "none", "--user", AUTH_USER)
        code, _out, err = run(capsys, "test", "Local")
        assert code == ExitCode.INPUT and err.startswith("mailcomposer: error: --password-stdin: ")


def test_test_untrusted_then_trust(capsys, server_ssl_context) -> None:
    with AuthServer(tls_context=server_ssl_context) as server:
        add_local(capsys, server, "tls", "--no-login")
        code, out, _err = run(capsys, "test", "Local")
        assert code == ExitCode.TLS
        fingerprint = next(
            line.split("--trust ", 1)[1] for line in out.splitlines() if "--trust " in line
        )
        code, _out, err = run(capsys, "test", "Local", "--trust", "00" * 32)
        assert code == ExitCode.INPUT and err.startswith("mailcomposer: error: --trust: ")
        code, out, _err = run(capsys, "test", "Local", "--trust", fingerprint)
        assert code == ExitCode.OK, out
        code, out, _err = run(capsys, "test", "Local")  # remembered
        assert code == ExitCode.OK, out


def test_test_sandbox_account(capsys) -> None:
    code, out, _err = run(capsys, "test", SANDBOX_NAME)
    assert code == ExitCode.OK, out
    assert "S: 220" in out and "succeeded" in out


def test_test_unknown_account(capsys) -> None:
    code, _out, err = run(capsys, "test", "Nope")
    assert code == ExitCode.INPUT and err.startswith("mailcomposer: error: name: ")


def test_test_connection_refused(capsys) -> None:
    from tests.servers import refusing_port

    with refusing_port() as port:
        run(capsys, "add", "--name", "Dead", "--server", f"127.0.0.1:{port}", "--security",
            "none", "--from", "a@example.test", "--no-login")  # fmt: skip
        code, out, _err = run(capsys, "test", "Dead")
    assert code == ExitCode.CONNECTION
    assert "failed" in out


@pytest.mark.parametrize("new_password", [None, "new-pass-456"])
def test_replacing_an_account_with_another_user_keeps_one_password(
    capsys, monkeypatch, memory_keyring: MemoryKeyring, new_password: str | None
) -> None:
    base = ["add", "--name", "Lab", "--server", "mail.lab.example", "--from", "a@lab.example"]
    code, _out, err = run(capsys, *base, "--user", "old-user", "--password-stdin",
                          stdin="old-pass-123\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0, err
    extra = ["--password-stdin"] if new_password else []
    code, _out, err = run(capsys, *base, "--user", "new-user", *extra,
                          stdin=f"{new_password}\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0, err
    assert Credentials().get("Lab", "new-user") == Secret(new_password or "old-pass-123")
    assert [key for _service, key in memory_keyring.store] == ["Lab\nnew-user"]  # no orphan


def test_unreadable_accounts_file_is_reported_by_list_and_send(capsys) -> None:
    home = Home.from_env()
    home.accounts_file.parent.mkdir(parents=True, exist_ok=True)
    home.accounts_file.write_text("{broken", encoding="utf-8")
    assert main(["account", "list"]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and str(home.accounts_file) in err
    code = main(["send", "--account", "work", "--to", "bo@example.org", "--text", "x"])
    err = capsys.readouterr().err
    assert code == ExitCode.INPUT
    assert "could not be read" in err and "no account called" in err


def test_test_a_server_without_an_account(capsys, monkeypatch, client_cafile: Path,
                                          server_ssl_context) -> None:  # fmt: skip
    with AuthServer(starttls_context=server_ssl_context, require_starttls=True) as server:
        code, out, err = run(
            capsys, "test", "--server", f"127.0.0.1:{server.port}", "--security", "starttls",
            "--user", AUTH_USER, "--cafile", str(client_cafile), "--password-stdin",
            stdin=AUTH_PASSWORD + "\n", monkeypatch=monkeypatch,
        )  # fmt: skip
        assert code == ExitCode.OK, out + err
        assert "C: STARTTLS" in out and "* TLS established" in out and "succeeded" in out
        code, out, err = run(
            capsys, "test", "--server", f"127.0.0.1:{server.port}", "--security", "starttls",
            "--cafile", str(client_cafile), "--json",
        )  # fmt: skip
    assert code == ExitCode.OK, err
    report = json.loads(out)
    assert report["account"] is None and report["host"] == "127.0.0.1" and report["ok"]
    assert AUTH_PASSWORD not in out + err
    assert AccountStore(Home.from_env()).names() == [SANDBOX_NAME]  # nothing saved


@pytest.mark.parametrize(
    ("argv", "option", "problem"),
    [
        (["test"], "name", "--server HOST[:PORT]"),
        (["test", SANDBOX_NAME, "--server", "127.0.0.1:25"], "name", "not both"),
        (["test", SANDBOX_NAME, "--user", "ann"], "--user", "goes with --server"),
        (["test", "--server", "bad host:25"], "--server", "not a server name"),
        (["test", "--server", "127.0.0.1:99999"], "--server", "1 to 65535"),
        (["test", "--server", "[::1]:0"], "--server", "1 to 65535"),
    ],
)
def test_test_server_input_errors(capsys, argv: list[str], option: str, problem: str) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == ExitCode.INPUT
    assert err.startswith(f"mailcomposer: error: {option}: ") and problem in err
