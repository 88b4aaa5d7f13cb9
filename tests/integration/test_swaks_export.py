"""The swaks export: the printed command, run through real swaks, delivers the same message."""

from __future__ import annotations

import email
import shutil
import subprocess
from email import policy
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.message.mime import build_message
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
