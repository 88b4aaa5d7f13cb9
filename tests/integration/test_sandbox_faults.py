"""The sandbox's faults, refused recipients, greylisting, delays and drops, seen by smtplib."""

from __future__ import annotations

import smtplib
import ssl
from pathlib import Path

import pytest

from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.parsers import build_config
from mailcomposer.sandbox.server import SandboxServer
from tests.servers import StatusCode

MESSAGE = (
    b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: lab\r\n"
    b"Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n\r\n" + b"hello, line\r\n" * 50
)
NO_SERVICE = StatusCode(554, "No service")
SHUTTING_DOWN = StatusCode(421, "4.3.2 Shutting down")
EHLO_REFUSED = StatusCode(554, "5.7.1 Go away")
TLS_UNAVAILABLE = StatusCode(454, "4.7.0 TLS not available right now")
AUTH_TEMPFAIL = StatusCode(454, "4.7.0 Temporary authentication failure")
SENDER_REFUSED = StatusCode(553, "5.7.1 Sender not allowed")
MAILBOX_BUSY = StatusCode(450, "4.2.0 Mailbox busy")
DATA_REFUSED = StatusCode(554, "5.6.0 No thanks")
TOO_BIG = StatusCode(552, "5.3.4 Too big")
NO_SUCH_USER = StatusCode(550, "5.1.1 No such user here")
GREYLISTED = StatusCode(451, "4.7.1 Recipient greylisted, try again later")
ONLY_QUIT = StatusCode(503, "5.5.1 No service here: only QUIT is accepted")


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    return tmp_path / "sandbox" / "Maildir"


def lab(maildir: Path, tmp_path: Path, **options: object) -> SandboxServer:
    """A server configured from command-line style option strings."""
    config = build_config(**options)  # type: ignore[arg-type]
    return SandboxServer(maildir, cert_dir=tmp_path / "certs", config=config)


def client(server: SandboxServer) -> smtplib.SMTP:
    return smtplib.SMTP(server.host, server.port, local_hostname="client.test", timeout=10)


def send(server: SandboxServer, to: list[str] | None = None) -> dict:
    with client(server) as smtp:
        return smtp.sendmail("ann@example.org", to or ["bob@example.org"], MESSAGE)


def reply(error: Exception) -> StatusCode:
    code = getattr(error, "smtp_code", None)
    text = getattr(error, "smtp_error", b"")
    return StatusCode(code, text.decode() if isinstance(text, bytes) else text)


def stored(maildir: Path) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.subject, m.rcpt_tos) for m in Inbox(maildir).messages()]


def test_connect_fault_refuses_the_greeting(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, faults=["CONNECT=554 No service"]) as server:
        with pytest.raises(smtplib.SMTPConnectError) as info:
            client(server)
        assert reply(info.value) == NO_SERVICE
        # RFC 5321 §3.1: after a 554 greeting only QUIT is accepted.
        smtp = smtplib.SMTP(timeout=10)
        try:
            smtp.sock = smtp._get_socket(server.host, server.port, 10)
            smtp.file = None
            assert smtp.getreply() == (554, b"No service")
            assert smtp.docmd("EHLO", "client.test") == (503, ONLY_QUIT.text.encode())
            assert smtp.docmd("QUIT")[0] == 221
        finally:
            smtp.close()
    assert stored(maildir) == []


def test_421_at_ehlo_closes_the_connection(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, faults=["EHLO=421 4.3.2 Shutting down"]) as server,
        client(server) as smtp,
    ):
        assert smtp.ehlo() == (421, SHUTTING_DOWN.text.encode())
        with pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.helo()


def test_ehlo_fault_applies_to_helo_too(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, faults=["ehlo=554 5.7.1 Go away"]) as server,
        client(server) as smtp,
    ):
        # smtplib falls back to HELO after a refused EHLO: refused too.
        with pytest.raises(smtplib.SMTPHeloError) as info:
            smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
        assert smtp.ehlo_resp == b"5.7.1 Go away"
        assert reply(info.value) == EHLO_REFUSED


def test_starttls_fault(maildir: Path, tmp_path: Path) -> None:
    options = {"tls": True, "faults": ["STARTTLS=454 4.7.0 TLS not available right now"]}
    with lab(maildir, tmp_path, **options) as server, client(server) as smtp:
        with pytest.raises(smtplib.SMTPResponseException) as info:
            smtp.starttls(context=ssl.create_default_context())
        assert reply(info.value) == TLS_UNAVAILABLE


def test_auth_fault(maildir: Path, tmp_path: Path) -> None:
    options = {"auth": "ann:pw", "faults": ["AUTH=454 4.7.0 Temporary authentication failure"]}
    with lab(maildir, tmp_path, **options) as server, client(server) as smtp:
        with pytest.raises(smtplib.SMTPAuthenticationError) as info:
            smtp.login("ann", "pw")
        assert reply(info.value) == AUTH_TEMPFAIL


def test_mail_fault(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, faults=["MAIL=553 5.7.1 Sender not allowed"]) as server:
        with pytest.raises(smtplib.SMTPSenderRefused) as info:
            send(server)
        assert reply(info.value) == SENDER_REFUSED
    assert stored(maildir) == []


def test_rcpt_fault_refuses_every_recipient(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, faults=["RCPT=450 4.2.0 Mailbox busy"]) as server,
        pytest.raises(smtplib.SMTPRecipientsRefused) as info,
    ):
        send(server, ["bob@example.org", "carol@example.org"])
    assert info.value.recipients == {
        "bob@example.org": (450, b"4.2.0 Mailbox busy"),
        "carol@example.org": (450, b"4.2.0 Mailbox busy"),
    }
    assert stored(maildir) == []


@pytest.mark.parametrize(
    ("fault", "expected"),
    [("DATA=554 5.6.0 No thanks", DATA_REFUSED), ("DOT=552 5.3.4 Too big", TOO_BIG)],
)
def test_data_and_dot_faults_refuse_the_message(
    maildir: Path, tmp_path: Path, fault: str, expected: StatusCode
) -> None:
    with lab(maildir, tmp_path, faults=[fault]) as server:
        with pytest.raises(smtplib.SMTPDataError) as info:
            send(server)
        assert reply(info.value) == expected
    assert stored(maildir) == []


def test_fault_without_text_gets_a_generic_enhanced_code(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, faults=["RCPT=452"]) as server,
        pytest.raises(smtplib.SMTPRecipientsRefused) as info,
    ):
        send(server)
    assert info.value.recipients == {"bob@example.org": (452, b"4.0.0 Refused by the sandbox")}


def test_reject_rcpt_gives_partial_acceptance(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, rejects=["x@example.org"]) as server:
        refused = send(server, ["bob@example.org", "X@Example.org"])
    assert refused == {"X@Example.org": (NO_SUCH_USER.code, NO_SUCH_USER.text.encode())}
    assert stored(maildir) == [("lab", ("bob@example.org",))]


def test_reject_rcpt_with_own_reply(maildir: Path, tmp_path: Path) -> None:
    options = {"rejects": ["x@example.org=450 4.2.0 Mailbox busy"]}
    with (
        lab(maildir, tmp_path, **options) as server,
        pytest.raises(smtplib.SMTPRecipientsRefused) as info,
    ):
        send(server, ["x@example.org"])
    assert info.value.recipients == {"x@example.org": (450, MAILBOX_BUSY.text.encode())}


def test_greylist_defers_first_attempt_and_accepts_the_retry(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, greylist=True) as server:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as info:
            send(server)
        [(code, text)] = info.value.recipients.values()
        assert StatusCode(code, text.decode()) == GREYLISTED
        assert "greylisted, try again later" in text.decode().lower()
        assert stored(maildir) == []
        assert send(server) == {}  # same pair, retried: accepted
        # Another pair is deferred on its own first attempt.
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            send(server, ["carol@example.org"])
    assert stored(maildir) == [("lab", ("bob@example.org",))]


def test_greylist_delay_defers_an_early_retry(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, greylist=True, greylist_delay="600") as server:
        for _attempt in range(2):
            with pytest.raises(smtplib.SMTPRecipientsRefused) as info:
                send(server)
            [(code, text)] = info.value.recipients.values()
            assert code == GREYLISTED.code
    assert "in 600 s" in text.decode() or "in 599 s" in text.decode()
    assert stored(maildir) == []


@pytest.mark.parametrize(
    ("stage", "error"),
    [
        ("CONNECT", smtplib.SMTPServerDisconnected),
        ("EHLO", smtplib.SMTPServerDisconnected),
        ("MAIL", smtplib.SMTPServerDisconnected),
        ("RCPT", smtplib.SMTPServerDisconnected),
    ],
)
def test_drop_before_data_stores_nothing(
    maildir: Path, tmp_path: Path, stage: str, error: type[Exception]
) -> None:
    with (
        lab(maildir, tmp_path, drops=[stage]) as server,
        pytest.raises(error),
    ):
        send(server)
    assert stored(maildir) == []


def test_drop_at_data_cuts_the_message_and_stores_nothing(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, drops=["DATA"]) as server,
        pytest.raises((smtplib.SMTPServerDisconnected, ConnectionError)),
    ):
        # The client may still be writing (reset) or already waiting for the reply (EOF).
        send(server)
    assert stored(maildir) == []


def test_drop_at_dot_stores_the_message_but_the_client_never_hears(
    maildir: Path, tmp_path: Path
) -> None:
    """The client's "outcome unknown" case: the server has the message, the client cannot know."""
    with lab(maildir, tmp_path, drops=["DOT"]) as server, client(server) as smtp:
        smtp.ehlo()
        smtp.mail("ann@example.org")
        smtp.rcpt("bob@example.org")
        with pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.data(MESSAGE)  # the whole message and the dot went out
    assert stored(maildir) == [("lab", ("bob@example.org",))]


def test_drop_at_starttls_and_auth(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, tls=True, drops=["STARTTLS"]) as server,
        client(server) as smtp,
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        smtp.starttls(context=ssl.create_default_context())
    with (
        lab(maildir, tmp_path, auth="ann:pw", drops=["AUTH"]) as server,
        client(server) as smtp,
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        smtp.login("ann", "pw")


def test_delay_answers_late_but_answers(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, delays=["RCPT=0.2", "DOT=0.1"]) as server:
        assert send(server) == {}
    assert stored(maildir) == [("lab", ("bob@example.org",))]


def test_delay_longer_than_the_client_timeout_is_a_timeout(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, delays=["MAIL=30"]) as server:
        smtp = smtplib.SMTP(server.host, server.port, local_hostname="client.test", timeout=0.5)
        try:
            smtp.ehlo()
            with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
                smtp.mail("ann@example.org")
        finally:
            smtp.close()


def test_faults_apply_to_the_next_connection_of_a_fresh_server(
    maildir: Path, tmp_path: Path
) -> None:
    """A config is per server; the window restarts the server to change it."""
    config = SandboxConfig.from_dict({"faults": {"MAIL": "451 4.3.0 Try later"}})
    with SandboxServer(maildir, config=config) as server:
        for _attempt in range(2):
            with pytest.raises(smtplib.SMTPSenderRefused) as info:
                send(server)
            assert reply(info.value) == StatusCode(451, "4.3.0 Try later")
    with SandboxServer(maildir) as server:
        assert send(server) == {}


def test_drop_at_dot_inside_tls(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, require_starttls=True, drops=["DOT"]) as server:
        assert server.certificate is not None
        context = ssl.create_default_context(cafile=str(server.certificate.cert))
        with client(server) as smtp:
            smtp.starttls(context=context)
            with pytest.raises(smtplib.SMTPServerDisconnected):
                smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
    assert stored(maildir) == [("lab", ("bob@example.org",))]


def test_delay_at_connect_then_a_normal_session(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path, delays=["CONNECT=0.2"], faults=["DATA=451 4.3.0 Later"]) as server:
        with pytest.raises(smtplib.SMTPDataError) as info:
            send(server)
        assert reply(info.value) == StatusCode(451, "4.3.0 Later")
