"""The swaks export: the printed command, run through real swaks, delivers the same message."""

from __future__ import annotations

import email
import shlex
import shutil
import subprocess
from email import policy
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.message.mime import build_message
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import AuthMethod, Security, ServerSettings
from mailcomposer.smtp.swaks import swaks_command
from tests.smtp_fixtures import settings_for

SWAKS = shutil.which("swaks")


def _draft(tmp_path: Path, **kw) -> Draft:
    report = tmp_path / "报告.pdf"
    report.write_bytes(b"%PDF-1.4 \x00\x01\x02 binary" * 100)
    fields = {
        "from_addr": "Ann <ann@example.org>",
        "to": "Bob <bob@example.org>",
        "cc": "carol@example.org",
        "bcc": "dave@example.org",
        "subject": "季度报告 – quarterly report ✓",
        "text": "Hello Bob,\n@not a file\n中文正文\n",
        "attachments": [Attachment("报告.pdf", path=report, content_type="application/pdf")],
    }
    fields.update(kw)
    return Draft(**fields)


def test_the_command_carries_envelope_headers_and_no_secret(tmp_path):
    draft = _draft(tmp_path)
    built = build_message(draft)
    settings = ServerSettings(
        "smtp.example.org", 587, Security.STARTTLS, username="ann", auth=AuthMethod.PLAIN
    )
    command = swaks_command(draft, built, settings)
    argv = list(command.argv)
    assert argv[0] == "swaks"
    assert argv[argv.index("--to") + 1] == "bob@example.org,carol@example.org,dave@example.org"
    assert "--tls" in argv and "--tls-verify" in argv
    assert argv[argv.index("--auth-user") + 1] == "ann"
    assert "--auth-password" not in argv
    headers = [argv[i + 1] for i, a in enumerate(argv) if a == "--header"]
    assert not any(h.lower().startswith("bcc") for h in headers)
    assert any(h.startswith("Subject: =?utf-8?") for h in headers), headers
    assert any(h.startswith("Message-Id: ") for h in headers)
    assert "dave@example.org" not in " ".join(headers)
    assert "swaks --server smtp.example.org --port 587 --tls" in command.shell


def test_implicit_tls_and_only_bcc_recipients(tmp_path):
    draft = _draft(tmp_path, to="", cc="", attachments=[], bcc="x@example.org")
    built = build_message(draft)
    command = swaks_command(draft, built, ServerSettings("h", 465, Security.TLS))
    argv = list(command.argv)
    assert "--tls-on-connect" in argv
    assert "To: undisclosed-recipients:;" in argv, "swaks must not write the Bcc into To"
    assert argv[argv.index("--body") + 1].startswith("Hello Bob,\n@not")


@pytest.mark.skipif(SWAKS is None, reason="swaks is not installed (apt-get install swaks)")
def test_swaks_delivers_the_same_recipients_subject_body_and_attachments(tmp_path, smtp_server):
    draft = _draft(tmp_path, html="<p>Hello <b>Bob</b></p>")
    built = build_message(draft)
    command = swaks_command(draft, built, settings_for(smtp_server))
    run = subprocess.run(command.argv, capture_output=True, timeout=60, check=False)
    assert run.returncode == 0, run.stdout.decode(errors="replace")[-2000:]
    (received,) = smtp_server.handler.received
    assert received.mail_from == "ann@example.org"
    assert received.rcpt_tos == built.envelope.recipients
    message = email.message_from_bytes(received.data, policy=policy.default)
    assert message["Subject"] == draft.subject
    assert message["Bcc"] is None and b"dave@" not in received.data.split(b"\r\n\r\n")[0]
    assert message["Cc"] == "carol@example.org"
    assert message["Message-ID"] == built.message_id
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain.get_content().replace("\r\n", "\n").strip() == draft.text.strip()
    assert "<b>Bob</b>" in html.get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "报告.pdf"
    assert attachment.get_content() == draft.attachments[0].path.read_bytes()


def test_what_swaks_cannot_carry_is_said_in_a_note(tmp_path):
    plain = _draft(tmp_path, attachments=[])
    settings = ServerSettings("h", 25, Security.NONE)
    assert swaks_command(plain, build_message(plain), settings).notes == ()

    asked = _draft(tmp_path, attachments=[], dsn=["SUCCESS", "FAILURE"])
    (note,) = swaks_command(asked, build_message(asked), settings).notes
    assert "DSN" in note and "without them" in note

    utf8 = _draft(tmp_path, attachments=[], from_addr="用户@example.org")
    (note,) = swaks_command(utf8, build_message(utf8), settings).notes
    assert "SMTPUTF8" in note

    oauth = ServerSettings("h", 587, Security.STARTTLS, username="ann", auth=AuthMethod.XOAUTH2)
    (note,) = swaks_command(plain, build_message(plain), oauth).notes
    assert "XOAUTH2" in note


def test_the_ehlo_name_is_the_one_a_send_gives_never_this_machines(tmp_path):
    draft = _draft(tmp_path, attachments=[])
    built = build_message(draft)
    argv = list(swaks_command(draft, built, ServerSettings("h", 25, Security.NONE)).argv)
    assert argv[argv.index("--ehlo") + 1] == "[127.0.0.1]"
    named = ServerSettings("h", 25, Security.NONE, local_hostname="client.example.org")
    argv = list(swaks_command(draft, built, named).argv)
    assert argv[argv.index("--ehlo") + 1] == "client.example.org"


@pytest.mark.skipif(SWAKS is None, reason="swaks is not installed (apt-get install swaks)")
def test_send_as_swaks_prints_a_command_that_swaks_runs_with_priority_receipt_and_dsn_note(
    smtp_server, capsys
):
    code = cli.main(
        ["send", "--server", f"127.0.0.1:{smtp_server.port}", "--security", "none",
         "--from", "ann@example.org", "--to", "bob@example.org", "--subject", "Receipts",
         "--text", "hi", "--priority", "high", "--read-receipt", "--dsn", "--as-swaks"]
    )  # fmt: skip
    assert code == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    notes, command = [line for line in lines if line.startswith("# ")], lines[-1]
    assert any("DSN" in note for note in notes), lines
    assert smtp_server.received == [], "--as-swaks sends nothing itself"

    run = subprocess.run(shlex.split(command), capture_output=True, timeout=60, check=False)
    transcript = run.stdout.decode(errors="replace")
    assert run.returncode == 0, transcript[-2000:]
    assert " -> EHLO [127.0.0.1]" in transcript.splitlines()
    (received,) = smtp_server.received
    message = email.message_from_bytes(received.data, policy=policy.default)
    assert message["X-Priority"] == "1 (Highest)"
    assert message["Importance"] == "high"
    assert message["Disposition-Notification-To"] == "<ann@example.org>"
