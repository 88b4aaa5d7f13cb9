"""Tests for the sandbox server: Maildir storage, STARTTLS, AUTH, SIZE, loopback only."""

from __future__ import annotations

import smtplib
import ssl
import threading
from pathlib import Path

import pytest

from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer, is_loopback_host
from mailcomposer.smtp.settings import Security

MESSAGE = (
    b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: hello\r\n"
    b"Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n\r\nbody line\r\n"
)
SIZE_EXCEEDED = 552
AUTH_FAILED = 535
AUTH_REQUIRED = 530


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    return tmp_path / "sandbox" / "Maildir"


def client(server: SandboxServer) -> smtplib.SMTP:
    return smtplib.SMTP(server.host, server.port, local_hostname="client.test", timeout=10)


def test_stores_message_with_envelope_headers_in_maildir(maildir: Path) -> None:
    with SandboxServer(maildir) as server:
        assert server.port > 0
        with client(server) as smtp:
            smtp.sendmail("ann@example.org", ["bob@example.org", "carol@example.org"], MESSAGE)
    assert {p.name for p in maildir.iterdir()} == {"new", "cur", "tmp"}
    stored = list((maildir / "new").iterdir())
    assert len(stored) == 1
    assert list((maildir / "tmp").iterdir()) == []
    raw = stored[0].read_bytes()
    assert raw.startswith(b"X-Peer: ('127.0.0.1', ")
    assert b"\r\nX-MailFrom: ann@example.org\r\n" in raw
    assert b"\r\nX-RcptTo: bob@example.org, carol@example.org\r\n" in raw
    assert raw.endswith(MESSAGE)
    [message] = Inbox(maildir).messages()
    assert message.mail_from == "ann@example.org"
    assert message.rcpt_tos == ("bob@example.org", "carol@example.org")
    assert message.subject == "hello"
    assert message.size == len(raw)
    assert message.raw() == raw


def test_no_auth_offered_without_credentials(maildir: Path) -> None:
    with SandboxServer(maildir) as server, client(server) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn("auth")
        assert smtp.has_extn("smtputf8")


def test_stop_leaves_no_thread(maildir: Path) -> None:
    before = set(threading.enumerate())
    server = SandboxServer(maildir).start()
    server.stop()
    assert set(threading.enumerate()) <= before
    server.stop()  # idempotent


def test_port_zero_picks_distinct_free_ports(maildir: Path) -> None:
    with SandboxServer(maildir) as one, SandboxServer(maildir) as two:
        assert one.port != two.port
        assert one.settings().port == one.port
        assert one.settings().security is Security.NONE


def test_starttls_with_self_signed_certificate_verifies(maildir: Path, tmp_path: Path) -> None:
    with SandboxServer(maildir, tls=True, cert_dir=tmp_path / "certs") as server:
        settings = server.settings()
        assert settings.security is Security.STARTTLS
        assert settings.cafile is not None and settings.cafile.is_file()
        context = ssl.create_default_context(cafile=str(settings.cafile))
        with client(server) as smtp:
            smtp.starttls(context=context)
            assert smtp.sock.version() in ("TLSv1.2", "TLSv1.3")
            smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
    assert len(Inbox(maildir).messages()) == 1


def test_certificate_is_kept_between_runs(maildir: Path, tmp_path: Path) -> None:
    with SandboxServer(maildir, tls=True, cert_dir=tmp_path) as server:
        first = server.settings().cafile.read_bytes()
    with SandboxServer(maildir, tls=True, cert_dir=tmp_path) as server:
        assert server.settings().cafile.read_bytes() == first


def test_untrusted_certificate_fails_verification(maildir: Path, tmp_path: Path) -> None:
    with (
        SandboxServer(maildir, tls=True, cert_dir=tmp_path) as server,
        client(server) as smtp,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        smtp.starttls(context=ssl.create_default_context())


def test_tls_server_refuses_mail_before_starttls(maildir: Path, tmp_path: Path) -> None:
    with SandboxServer(maildir, tls=True, cert_dir=tmp_path) as server, client(server) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        code, _text = smtp.mail("ann@example.org")
        assert code == AUTH_REQUIRED


def test_auth_user_password(maildir: Path) -> None:
    with SandboxServer(maildir, auth=("ann", "s3cret")) as server:
        assert server.settings().username == "ann"
        assert server.secret().value == "s3cret"
        with client(server) as smtp:
            smtp.ehlo()
            assert smtp.esmtp_features["auth"].split() == ["LOGIN", "PLAIN"]
            code, _text = smtp.mail("ann@example.org")
            assert code == AUTH_REQUIRED
            with pytest.raises(smtplib.SMTPAuthenticationError) as info:
                smtp.login("ann", "wrong")
            assert info.value.smtp_code == AUTH_FAILED
            smtp.login("ann", "s3cret")
            smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
    assert len(Inbox(maildir).messages()) == 1


def test_size_limit_is_advertised_and_enforced(maildir: Path) -> None:
    with SandboxServer(maildir, size_limit=1000) as server, client(server) as smtp:
        smtp.ehlo()
        assert smtp.esmtp_features["size"] == "1000"
        with pytest.raises(smtplib.SMTPSenderRefused) as info:
            smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE + b"x" * 2000)
        assert info.value.smtp_code == SIZE_EXCEEDED
    assert Inbox(maildir).messages() == []


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org", "::"])
def test_refuses_non_loopback_hosts(maildir: Path, host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(maildir, host=host)


def test_loopback_detection() -> None:
    assert is_loopback_host("127.0.0.1")
    assert is_loopback_host("localhost")
    assert is_loopback_host("::1")
    assert not is_loopback_host("10.0.0.1")


def test_port_in_use_is_an_error_and_leaves_no_thread(maildir: Path) -> None:
    with SandboxServer(maildir) as first:
        second = SandboxServer(maildir, port=first.port)
        with pytest.raises(OSError):
            second.start()
        assert not second.running


def test_on_stored_reports_each_message(maildir: Path) -> None:
    stored: list[tuple[str, list[str]]] = []
    with (
        SandboxServer(maildir, on_stored=lambda path, s, r: stored.append((s, r))) as server,
        client(server) as smtp,
    ):
        smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
    assert stored == [("ann@example.org", ["bob@example.org"])]
