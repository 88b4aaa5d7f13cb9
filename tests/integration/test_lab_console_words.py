"""What the console tells a student on the real built-in server: wrong order, untrusted TLS."""

from __future__ import annotations

import io

import pytest

from mailcomposer import i18n
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.console import run
from mailcomposer.smtp.settings import Security, ServerSettings

BAD_SEQUENCE = "503 5.5.1 Error: need RCPT command"


@pytest.fixture
def sandbox(tmp_path):
    with SandboxServer(tmp_path / "Maildir", tls=True) as server:
        yield server


def console_output(server: SandboxServer, security: Security, lines: list[str], cafile=None):
    out = io.StringIO()
    settings = ServerSettings(server.host, server.port, security, cafile=cafile)
    code = run(settings, [line + "\n" for line in lines], out)
    return code, out.getvalue()


@pytest.mark.parametrize(
    ("language", "wrong"), [("en", "does not know this command"), ("zh_CN", "不认识这个命令")]
)
def test_data_before_rcpt_is_explained_as_wrong_order_not_as_unknown(sandbox, language, wrong):
    i18n.set_language(language)
    lines = ["EHLO", "STARTTLS", "EHLO", "MAIL FROM:<ann@example.org>", "DATA", "QUIT"]
    _code, out = console_output(sandbox, Security.STARTTLS, lines, sandbox.settings().cafile)
    reply = next(line for line in out.splitlines() if line.startswith("S: " + BAD_SEQUENCE))
    assert wrong not in reply, "DATA is a command every server knows; it came too early"
    assert ("out of order" if language == "en" else "顺序") in reply


def test_an_untrusted_certificate_says_how_to_trust_it(sandbox):
    code, out = console_output(sandbox, Security.STARTTLS, ["EHLO", "STARTTLS", "EHLO"])
    assert code == 1
    assert "certificate is not trusted" in out
    assert "--cafile" in out.splitlines()[-1], "the student learns what to do next"


def test_auth_login_cites_each_section_once(tmp_path):
    with SandboxServer(tmp_path / "Maildir", tls=True, auth=("ann", "secret")) as server:
        lines = ["EHLO", "STARTTLS", "EHLO", "AUTH LOGIN", "*"]
        _code, out = console_output(server, Security.STARTTLS, lines, server.settings().cafile)
    auth = next(line for line in out.splitlines() if line.startswith("C: AUTH LOGIN"))
    refs = auth.rsplit("[", 1)[1].rstrip("]").split(", ")
    assert len(refs) == len(set(refs)), auth
