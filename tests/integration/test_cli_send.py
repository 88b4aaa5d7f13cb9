"""``mailcomposer send`` end to end: real sockets to the sandbox and the test servers."""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.errors import ExitCode
from tests.servers import NO_SUCH_USER, RecordingHandler, SmtpTestServer, refusing_port

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "Maildir") as server:
        yield server


# Generous: these tests wait for a local server's replies, which a loaded CI machine can
# delay by seconds; no test here is about the timeout itself.
TIMEOUT = "30"


def server_arg(server: SandboxServer | SmtpTestServer) -> list[str]:
    return ["--server", f"127.0.0.1:{server.port}", "--security", "none", "--timeout", TIMEOUT]


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    return lines[0]


def test_done_when_scenario_html_inline_image_and_unicode_attachment(
    sandbox: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    page = tmp_path / "page.html"
    page.write_text(
        '<html><body><p>Hello <b>Bob</b></p><img src="logo.png" alt="logo"></body></html>',
        encoding="utf-8",
    )
    report = tmp_path / "报告.pdf"
    report.write_bytes(PDF)
    code = cli.main(
        [
            "send",
            *server_arg(sandbox),
            "--from",
            "Ann <ann@example.org>",
            "--to",
            "bob@example.org",
            "--bcc",
            "carol@example.org",
            "--subject",
            "测试 ✓",
            "--html-file",
            str(page),
            "--attach",
            str(report),
        ]
    )
    out = capsys.readouterr()
    assert code == ExitCode.OK, out.err
    assert "S: 220 " in out.out and "C: MAIL FROM:<ann@example.org>" in out.out
    [stored] = Inbox(sandbox.maildir).messages()
    assert stored.rcpt_tos == ("bob@example.org", "carol@example.org")
    message = parse(stored.raw())
    assert message["Subject"] == "测试 ✓"
    assert "Bcc" not in message
    assert b"carol@example.org" not in stored.raw().split(b"\r\n\r\n", 1)[1]
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert "Hello" in plain.get_content()
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert html.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    cid = image["Content-ID"].strip("<>")
    assert f"cid:{cid}" in html.get_content()
    assert image.get_payload(decode=True) == PNG
    assert attachment.get_filename() == "报告.pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_payload(decode=True) == PDF
    # The outbox is empty again and the send is in the history.
    from mailcomposer.store.history import History
    from mailcomposer.store.outbox import Outbox
    from mailcomposer.store.paths import Home

    home = Home.from_env()
    assert Outbox(home).pending() == []
    history = History(home)
    [record] = history.recent()
    history.close()
    assert "carol@example.org" in record.recipients
    assert record.subject == "测试 ✓"


def test_default_account_starts_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    from mailcomposer.store.paths import Home

    code = cli.main(["send", "--to", "bob@example.org", "--subject", "hi", "--text", "x"])
    out = capsys.readouterr()
    assert code == ExitCode.OK, out.err
    assert "* Started the built-in test server" in out.out
    # The security in words, not the --security value ("(none)" in a Chinese sentence).
    assert "port " in out.out and " (not encrypted)" in out.out
    [stored] = Inbox(Home.from_env().sandbox_maildir).messages()
    assert stored.rcpt_tos == ("bob@example.org",)


def test_repeatable_and_comma_separated_recipients(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        [
            "send",
            *server_arg(sandbox),
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org, dan@example.org",
            "--to",
            "eve@example.org",
            "--cc",
            '"Doe, Fay" <fay@example.org>',
            "--text",
            "hello",
            "--quiet",
        ]
    )
    out = capsys.readouterr()
    assert code == ExitCode.OK, out.err
    one_line(out.out)
    [stored] = Inbox(sandbox.maildir).messages()
    assert set(stored.rcpt_tos) == {
        "bob@example.org",
        "dan@example.org",
        "eve@example.org",
        "fay@example.org",
    }


def test_json_result_shape(sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        [
            "send",
            *server_arg(sandbox),
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org",
            "--text",
            "hi",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert data["ok"] is True
    assert data["exit_code"] == 0
    assert data["message_id"].startswith("<")
    assert data["accepted"] == ["bob@example.org"]
    assert data["refused"] == []
    assert data["error"] is None
    assert isinstance(data["warnings"], list)
    assert any(line.startswith("S: 220") for line in data["transcript"])
    assert any(line.startswith("C: ") for line in data["transcript"])


def test_json_error_shape_for_refused_recipients(capsys: pytest.CaptureFixture[str]) -> None:
    handler = RecordingHandler(rcpt_replies={"bob@example.org": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        code = cli.main(
            [
                "send",
                *server_arg(server),
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org",
                "--text",
                "x",
                "--json",
            ]
        )
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.REFUSED
    assert data["ok"] is False
    assert data["exit_code"] == 6
    assert data["error"]["code"] == NO_SUCH_USER.code
    assert set(data["error"]) >= {"stage", "code", "enhanced", "server_text", "message"}
    assert handler.received == []


def test_partial_refusal_exits_1_and_lists_the_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = RecordingHandler(rcpt_replies={"bob@example.org": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        code = cli.main(
            [
                "send",
                *server_arg(server),
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org, dan@example.org",
                "--text",
                "x",
                "--quiet",
            ]
        )
    out = capsys.readouterr()
    assert code == ExitCode.PARTIAL
    assert "bob@example.org" in out.out
    assert len(handler.received) == 1


def test_all_recipients_refused_exits_6(capsys: pytest.CaptureFixture[str]) -> None:
    handler = RecordingHandler(
        rcpt_replies={"bob@example.org": NO_SUCH_USER, "dan@example.org": NO_SUCH_USER}
    )
    with SmtpTestServer(handler=handler) as server:
        code = cli.main(
            [
                "send",
                *server_arg(server),
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org, dan@example.org",
                "--text",
                "x",
            ]
        )
    err = capsys.readouterr().err
    assert code == ExitCode.REFUSED
    assert one_line(err).startswith("mailcomposer: error: ")
    assert handler.received == []


def test_refused_connection_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    with refusing_port() as port:
        code = cli.main(
            [
                "send",
                "--server",
                f"127.0.0.1:{port}",
                "--security",
                "none",
                "--timeout",
                TIMEOUT,
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org",
                "--text",
                "x",
            ]
        )
    err = capsys.readouterr().err
    assert code == ExitCode.CONNECTION
    assert one_line(err).startswith("mailcomposer: error: ")


def test_dry_run_prints_tree_and_connects_to_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attachment = tmp_path / "a.pdf"
    attachment.write_bytes(PDF)
    with refusing_port() as port:  # a connection attempt would fail at once
        code = cli.main(
            [
                "send",
                "--server",
                f"127.0.0.1:{port}",
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org",
                "--text",
                "hi",
                "--attach",
                str(attachment),
                "--dry-run",
            ]
        )
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    assert "multipart/mixed" in out
    assert "application/pdf, attachment, “a.pdf”" in out
    assert "S: " not in out


def test_save_eml_then_inspect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "out.eml"
    attachment = tmp_path / "报告.pdf"
    attachment.write_bytes(PDF)
    code = cli.main(
        [
            "send",
            "--server",
            "127.0.0.1:1",
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org",
            "--text",
            "hi",
            "--attach",
            str(attachment),
            "--dry-run",
            "--save-eml",
            str(saved),
        ]
    )
    assert code == ExitCode.OK
    capsys.readouterr()
    assert cli.main(["inspect", str(saved)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "multipart/mixed" in out
    assert "text/plain" in out
    assert f"“报告.pdf”, {len(PDF)} bytes" in out


def test_inspect_unreadable_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["inspect", str(tmp_path / "missing.eml")]) == ExitCode.INPUT
    assert one_line(capsys.readouterr().err).startswith("mailcomposer: error: ")


# -- every bad input: exit 2, one line naming the option, nothing reaches the server --

BAD_INPUTS = [
    (["--to", "bob@"], "--to", "no domain"),
    (["--to", "bob@example.org", "--cc", "not an address"], "--cc", ""),
    (["--to", "bob@example.org", "--subject", "hi\nBcc: eve@example.org"], "--subject", "line"),
    (["--to", "bob@example.org", "--subject", "trailing\r"], "--subject", "line"),
    ([], "--to", "recipients"),
    (["--to", "bob@example.org", "--attach", "{missing}"], "--attach", "does not exist"),
    (["--to", "bob@example.org", "--html-file", "{missing}"], "--html-file", "does not exist"),
    (["--to", "bob@example.org", "--html-file", "{folder}"], "--html-file", "folder"),
    (["--to", "bob@example.org", "--header", "X-Test: a\rb"], "--header", "line"),
    (["--to", "bob@example.org", "--header", "Bcc: eve@example.org"], "--header", "--bcc"),
    (["--to", "bob@example.org", "--header", "no colon"], "--header", ""),
    (["--to", "bob@example.org", "--timeout", "soon"], "--timeout", ""),
    (["--to", "bob@example.org", "--cafile", "{missing}"], "--cafile", "does not exist"),
]


@pytest.mark.parametrize(("extra", "option", "words"), BAD_INPUTS)
def test_bad_input_exits_2_with_one_line(
    extra: list[str],
    option: str,
    words: str,
    smtp_server: SmtpTestServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = [
        a.replace("{missing}", str(tmp_path / "missing.pdf")).replace("{folder}", str(tmp_path))
        for a in extra
    ]
    code = cli.main(
        ["send", *server_arg(smtp_server), "--from", "ann@example.org", "--text", "x", *extra]
    )
    out = capsys.readouterr()
    assert code == ExitCode.INPUT
    line = one_line(out.err)
    assert line.startswith(f"mailcomposer: error: {option}: "), line
    assert words in line
    assert "Traceback" not in out.err
    assert smtp_server.received == []


def unreadable_file(tmp_path: Path) -> Path:
    """A file that exists but cannot be read (as root, chmod does not stop reading)."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        locked = tmp_path / "locked.pdf"
        locked.write_bytes(PDF)
        locked.chmod(0)
        return locked
    mem = Path("/proc/self/mem")  # reading offset 0 fails with EIO
    if not mem.exists():
        pytest.skip("no way to make an unreadable file here")
    return mem


def test_unreadable_attachment_exits_2(
    smtp_server: SmtpTestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = unreadable_file(tmp_path)
    code = cli.main(
        [
            "send",
            *server_arg(smtp_server),
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org",
            "--attach",
            str(secret),
        ]
    )
    assert code == ExitCode.INPUT
    line = one_line(capsys.readouterr().err)
    assert line.startswith("mailcomposer: error: --attach: cannot read")
    assert smtp_server.received == []


def test_argparse_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["send", "--priority", "urgent"]) == ExitCode.INPUT
    assert one_line(capsys.readouterr().err).startswith("mailcomposer: error: ")


def test_non_ascii_local_part_without_smtputf8_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with SmtpTestServer(smtputf8=False) as server:
        code = cli.main(
            [
                "send",
                *server_arg(server),
                "--from",
                "ann@example.org",
                "--to",
                "用户@example.org",
                "--text",
                "x",
            ]
        )
        received = server.received
    err = capsys.readouterr().err
    assert code == ExitCode.INPUT
    assert one_line(err).startswith("mailcomposer: error: ")
    assert "用户@example.org" in err
    assert received == []


def test_help_is_helpful(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["send", "-h"]) == 0
    out = capsys.readouterr().out
    for option in ("--account", "--server", "--bcc", "--attach", "--dry-run", "--json"):
        assert option in out
    assert "Exit codes" in out


def test_starttls_to_sandbox_with_its_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SandboxServer(tmp_path / "Maildir", tls=True, cert_dir=tmp_path / "certs") as server:
        base = [
            "send",
            "--server",
            f"127.0.0.1:{server.port}",
            "--security",
            "starttls",
            "--timeout",
            TIMEOUT,
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org",
            "--text",
            "x",
        ]
        untrusted = cli.main(base)
        err = capsys.readouterr().err
        trusted = cli.main([*base, "--cafile", str(server.settings().cafile)])
        out = capsys.readouterr()
    assert untrusted == ExitCode.TLS
    assert one_line(err).startswith("mailcomposer: error: ")
    assert trusted == ExitCode.OK, out.err
    assert "C: STARTTLS" in out.out
    assert len(Inbox(tmp_path / "Maildir").messages()) == 1


def test_json_for_bad_input(
    smtp_server: SmtpTestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        ["send", *server_arg(smtp_server), "--from", "ann@example.org", "--to", "bob@", "--json"]
    )
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert code == ExitCode.INPUT
    assert data["ok"] is False
    assert data["exit_code"] == 2
    assert data["error"]["stage"] == "build"
    assert data["error"]["message"].startswith("--to: ")
    assert data["transcript"] == []
    assert smtp_server.received == []


def test_json_dry_run(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        [
            "send",
            "--server",
            "127.0.0.1:1",
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org",
            "--bcc",
            "carol@example.org",
            "--text",
            "hi",
            "--dry-run",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert data["dry_run"] is True
    assert data["envelope"]["recipients"] == ["bob@example.org", "carol@example.org"]
    assert data["mime_tree"][0].startswith("text/plain")


def test_large_upload_prints_progress_notes(
    sandbox: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(2 * 1024 * 1024))
    code = cli.main(
        [
            "send",
            *server_arg(sandbox),
            "--from",
            "ann@example.org",
            "--to",
            "bob@example.org",
            "--attach",
            str(big),
        ]
    )
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    notes = [line for line in out.splitlines() if line.startswith("* Uploaded ")]
    assert [n.split()[2] for n in notes] == ["25%", "50%", "75%"]
    [stored] = Inbox(sandbox.maildir).messages()
    attachment = next(p for p in parse(stored.raw()).iter_attachments())
    assert attachment.get_payload(decode=True) == big.read_bytes()


def test_connection_lost_after_final_dot_exits_8_and_keeps_the_copy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.servers import Close, ScriptedServer, accepting_dialogue

    with ScriptedServer(accepting_dialogue(after_dot=[Close()])) as server:
        code = cli.main(
            [
                "send",
                *server_arg(server),
                "--from",
                "ann@example.org",
                "--to",
                "bob@example.org",
                "--text",
                "x",
            ]
        )
    err = capsys.readouterr().err
    assert code == ExitCode.UNKNOWN
    line = one_line(err)
    assert "outbox" in line
    from mailcomposer.store.outbox import Outbox, OutboxState
    from mailcomposer.store.paths import Home

    [entry] = Outbox(Home.from_env()).pending()
    assert entry.state is OutboxState.UNKNOWN
    assert str(entry.path) in line


def test_text_file_dash_reads_the_body_from_standard_input(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "第一行 piped in\nsecond line\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body.encode("utf-8"))))
    code = cli.main(
        ["send", *server_arg(sandbox), "--from", "ann@example.org", "--to", "bob@example.org",
         "--subject", "piped", "--text-file", "-", "--quiet"]
    )  # fmt: skip
    assert code == ExitCode.OK, capsys.readouterr().err
    [stored] = Inbox(sandbox.maildir).messages()
    text = parse(stored.raw()).get_content()
    assert text.replace("\r\n", "\n") == body


@pytest.mark.parametrize(
    ("data", "extra", "problem"),
    [
        (b"\xff\xfe not utf-8", [], "not UTF-8"),
        (b"hello", ["--password-stdin", "--user", "ann"], "both the body and the password"),
    ],
)
def test_text_file_dash_problems_are_input_errors(
    sandbox: SandboxServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    extra: list[str],
    problem: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = cli.main(
        ["send", *server_arg(sandbox), "--from", "ann@example.org", "--to", "bob@example.org",
         "--text-file", "-", *extra]
    )  # fmt: skip
    assert code == ExitCode.INPUT
    assert problem in capsys.readouterr().err
    assert Inbox(sandbox.maildir).messages() == []
