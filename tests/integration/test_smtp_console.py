"""The SMTP console (smtp.console) against real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

import base64
import io

import pytest

from mailcomposer.smtp.console import Console, ConsoleError, parse_auth_helper, run
from mailcomposer.smtp.transcript import Direction
from tests.servers import refusing_port
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, settings_for

GREETING_CODE = 220
OK_CODE = 250
START_INPUT_CODE = 354
STARTTLS_FIRST_CODE = 530  # aiosmtpd with require_starttls
LOGGED_IN_CODE = 235
CANNOT_VERIFY_CODE = 252
CLOSING_CODE = 221


class Lines(list):
    def __call__(self, line) -> None:
        self.append(line)

    def texts(self, direction: str) -> list[str]:
        return [line.text for line in self if line.direction.value == direction]

    @property
    def everything(self) -> str:
        return "\n".join(line.format(explain=True) for line in self)


def secrets_of(password: str, user: str = AUTH_USER) -> list[str]:
    return [
        password,
        base64.b64encode(f"\0{user}\0{password}".encode()).decode(),
        base64.b64encode(password.encode()).decode(),
    ]


def test_a_whole_starttls_conversation(starttls_server):
    lines = Lines()
    console = Console(settings_for(starttls_server, "starttls"), lines)
    assert console.connect().code == GREETING_CODE

    ehlo = console.send("EHLO")
    assert ehlo.code == OK_CODE
    assert "EHLO [127.0.0.1]" in lines.texts("C")
    keyword = next(line for line in lines if line.text.startswith("250-STARTTLS"))
    assert keyword.explanation.text.startswith("STARTTLS:")
    assert "RFC 3207 §4" in keyword.explanation.ref_labels

    before_tls = console.send("VRFY bob")
    assert before_tls.code == STARTTLS_FIRST_CODE
    assert before_tls.explanation.refs

    with pytest.raises(ConsoleError, match="STARTTLS first"):
        console.auth("PLAIN", AUTH_USER, AUTH_PASSWORD)  # never over the plain connection

    assert console.send("STARTTLS").code == GREETING_CODE
    assert console.secure
    assert any("EHLO again" in text for text in lines.texts("*"))
    assert console.send("ehlo").code == OK_CODE
    diff = next(text for text in lines.texts("*") if text.startswith("Extensions changed"))
    assert "new after TLS: AUTH" in diff
    assert "no longer offered: STARTTLS" in diff
    diff_line = next(line for line in lines if line.text == diff)
    assert diff_line.explanation.ref_labels == "RFC 3207 §4.2"
    again = [line for line in lines if line.text == "EHLO [127.0.0.1]"]
    assert "again" not in again[0].explanation.text
    assert "again" in again[1].explanation.text

    assert console.send("VRFY bob").code == CANNOT_VERIFY_CODE
    help_reply = console.send("HELP")
    assert help_reply.code == OK_CODE
    assert "Supported commands" in help_reply.lines[-1]
    assert "RFC 5321 §4.1.1.8" in help_reply.explanation.ref_labels

    assert console.auth("PLAIN", AUTH_USER, AUTH_PASSWORD).code == LOGGED_IN_CODE
    assert "AUTH PLAIN ****" in lines.texts("C")

    assert console.send("MAIL FROM:<ann@example.test>").code == OK_CODE
    assert console.send("RCPT TO:<bob@example.test>").code == OK_CODE
    assert console.send("DATA").code == START_INPUT_CODE
    assert console.in_data
    for text in ("Subject: console", "", ".hidden line", "..two dots", "last"):
        assert console.send(text) is None
    final = console.send(".")
    assert final.code == OK_CODE
    assert final.explanation.text.startswith("The server accepted the message")
    stuffed = next(line for line in lines if line.text == "..hidden line")
    assert "second dot" in stuffed.explanation.text
    assert console.send("QUIT").code == CLOSING_CODE
    assert not console.connected

    (got,) = starttls_server.handler.received
    assert got.rcpt_tos == ("bob@example.test",)
    assert b"\r\n.hidden line\r\n" in got.data
    assert b"\r\n..two dots\r\n" in got.data
    for secret in secrets_of(AUTH_PASSWORD):
        assert secret not in lines.everything
    assert all(line.secure for line in lines if line.text == "MAIL FROM:<ann@example.test>")


def test_auth_login_helper_never_shows_the_password(auth_server):
    lines = Lines()
    console = Console(settings_for(auth_server), lines)
    console.connect()
    console.send("EHLO lab")
    assert console.auth("LOGIN", AUTH_USER, AUTH_PASSWORD).code == LOGGED_IN_CODE
    assert any("not encrypted" in text for text in lines.texts("*"))  # security "none"
    for secret in secrets_of(AUTH_PASSWORD):
        assert secret not in lines.everything
    console.close()


def test_lines_typed_after_a_334_are_masked(auth_server):
    lines = Lines()
    console = Console(settings_for(auth_server), lines)
    console.connect()
    console.send("EHLO lab")
    user = base64.b64encode(AUTH_USER.encode()).decode()
    password = base64.b64encode(AUTH_PASSWORD.encode()).decode()
    assert console.send("AUTH LOGIN").code == 334
    assert console.send(user).code == 334
    assert console.send(password).code == LOGGED_IN_CODE
    assert lines.texts("C")[-2:] == ["****", "****"]
    assert password not in lines.everything
    assert console.send("NOOP").code == OK_CODE
    assert lines.texts("C")[-1] == "NOOP"  # back to normal after the login
    console.close()


def test_a_raw_auth_plain_line_is_masked(auth_server):
    lines = Lines()
    console = Console(settings_for(auth_server), lines)
    console.connect()
    console.send("EHLO lab")
    blob = base64.b64encode(f"\0{AUTH_USER}\0{AUTH_PASSWORD}".encode()).decode()
    assert parse_auth_helper(f"AUTH PLAIN {blob}") is None
    assert console.send(f"AUTH PLAIN {blob}").code == LOGGED_IN_CODE
    assert "AUTH PLAIN ****" in lines.texts("C")
    assert blob not in lines.everything
    console.close()


def test_an_untrusted_certificate_closes_the_console(tls_server):
    lines = Lines()
    console = Console(settings_for(tls_server, "tls", cafile=None), lines)
    with pytest.raises(ConsoleError, match="not trusted") as caught:
        console.connect()
    assert caught.value.closed
    assert not console.connected


def test_tls_from_the_first_byte(tls_server):
    lines = Lines()
    console = Console(settings_for(tls_server, "tls"), lines)
    assert console.connect().code == GREETING_CODE
    assert console.secure
    assert any(text.startswith("TLS established") for text in lines.texts("*"))
    console.close()


# -- the piped runner --


def test_run_piped_exits_0_after_a_positive_last_reply(smtp_server):
    out = io.StringIO()
    code = run(settings_for(smtp_server), io.StringIO("EHLO lab\nNOOP\n"), out)
    text = out.getvalue()
    assert code == 0
    assert "C: NOOP    # Nothing to do" in text
    assert "S: 250 OK    # The server is still there. [RFC 5321 §4.1.1.9" in text
    assert text.rstrip().splitlines()[-1].startswith("S: 221")  # goodbye at the end of input


def test_run_piped_exits_1_after_a_refusal(smtp_server):
    code = run(settings_for(smtp_server), ["EHLO lab", "RCPT TO:<bob@example.test>"], io.StringIO())
    assert code == 1  # 503: no MAIL first


def test_run_piped_takes_the_password_from_the_next_line(auth_server):
    out = io.StringIO()
    lines = ["EHLO lab", f"auth plain {AUTH_USER}", AUTH_PASSWORD, "NOOP"]
    assert run(settings_for(auth_server), lines, out) == 0
    assert "S: 235" in out.getvalue()
    for secret in secrets_of(AUTH_PASSWORD):
        assert secret not in out.getvalue()


def test_run_data_mode_from_a_pipe(smtp_server):
    lines = ["EHLO lab", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA"]
    lines += ["Subject: piped", "", ".dot", "."]
    assert run(settings_for(smtp_server), lines, io.StringIO()) == 0
    assert b"\r\n.dot\r\n" in smtp_server.received[0].data


def test_run_cannot_connect_exits_1():
    from mailcomposer.smtp.settings import Security, ServerSettings, Timeouts

    out = io.StringIO()
    with refusing_port() as port:
        settings = ServerSettings("127.0.0.1", port, Security.NONE, timeouts=Timeouts(5, 5, 5))
        assert run(settings, ["NOOP"], out) == 1
    assert out.getvalue().splitlines()[-1].startswith("* ")


def test_sending_when_not_connected_is_refused(smtp_server):
    console = Console(settings_for(smtp_server), Lines())
    with pytest.raises(ConsoleError):
        console.send("NOOP")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("auth plain ann", ("PLAIN", "ann")),
        ("AUTH LOGIN ann@example.test", ("LOGIN", "ann@example.test")),
        ("auth cram-md5 ann", None),
        ("AUTH PLAIN", None),
        ("NOOP", None),
    ],
)
def test_parse_auth_helper(line, expected):
    assert parse_auth_helper(line) == expected


def test_console_line_format_has_refs():
    from mailcomposer.smtp.console import ConsoleLine
    from mailcomposer.smtp.keywords import Explanation
    from mailcomposer.smtp.rfc import ref

    line = ConsoleLine(Direction.SERVER, "250 OK", 250, Explanation("Fine.", (ref(5321, "4.2.2"),)))
    assert line.format() == "S: 250 OK    # Fine. [RFC 5321 §4.2.2]"
    assert line.format(explain=False) == "S: 250 OK"
