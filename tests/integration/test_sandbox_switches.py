"""The sandbox's TLS, AUTH, SIZE, hidden-extension and lab-command switches, seen by smtplib."""

from __future__ import annotations

import smtplib
import socket
import ssl
from pathlib import Path

import pytest

from mailcomposer.sandbox.config import Reply, SandboxConfig
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.settings import Security
from tests.servers import StatusCode

MESSAGE = (
    b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: lab\r\n"
    b"Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n\r\nhello\r\n"
)
MUST_STARTTLS = StatusCode(530, "5.7.0 Must issue a STARTTLS command first")
AUTH_REQUIRED = StatusCode(530, "5.7.0 Authentication required")
ENCRYPTION_REQUIRED = StatusCode(538, "5.7.11 Encryption required for requested authentication")
AUTH_OK = StatusCode(235, "2.7.0 Authentication successful")
TOO_BIG = StatusCode(552, "5.3.4")
NOT_OFFERED = StatusCode(502, "5.5.1")
PARAMETER_REFUSED = StatusCode(555, "5.5.4")
OK = StatusCode(250, "2.0.0 OK")
SENDER_OK = StatusCode(250, "2.1.0 OK")
CANNOT_VRFY = StatusCode(252, "2.5.0 Cannot VRFY user")
NO_EXPN = StatusCode(502, "5.5.1 EXPN is not available")
HELP = StatusCode(214, "2.0.0")


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    return tmp_path / "sandbox" / "Maildir"


def lab(maildir: Path, tmp_path: Path, **config: object) -> SandboxServer:
    return SandboxServer(maildir, cert_dir=tmp_path / "certs", config=SandboxConfig(**config))


def client(server: SandboxServer) -> smtplib.SMTP:
    return smtplib.SMTP(server.host, server.port, local_hostname="client.test", timeout=10)


def trusting(server: SandboxServer) -> ssl.SSLContext:
    assert server.certificate is not None
    return ssl.create_default_context(cafile=str(server.certificate.cert))


def stored(maildir: Path) -> list[str]:
    return [m.subject for m in Inbox(maildir).messages()]


def test_require_starttls_refuses_mail_but_allows_helo_rset_noop(
    maildir: Path, tmp_path: Path
) -> None:
    with lab(maildir, tmp_path, require_starttls=True) as server, client(server) as smtp:
        assert smtp.helo()[0] == 250
        assert smtp.rset()[0] == 250
        assert smtp.noop()[0] == 250
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        code, text = smtp.mail("ann@example.org")
        assert StatusCode(code, text.decode()) == MUST_STARTTLS
        code, text = smtp.docmd("VRFY", "bob@example.org")
        assert StatusCode(code, text.decode()) == MUST_STARTTLS
        smtp.starttls(context=trusting(server))
        smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
    assert stored(maildir) == ["lab"]


def test_secure_server_offers_auth_only_after_starttls(maildir: Path, tmp_path: Path) -> None:
    """Regression: the secure sandbox used to advertise (and take) AUTH in plain text."""
    config = {"tls": True, "auth": ("ann", "s3cret")}
    with lab(maildir, tmp_path, **config) as server, client(server) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        assert not smtp.has_extn("auth")
        code, text = smtp.docmd("AUTH", "PLAIN AGFubgBzM2NyZXQ=")
        assert StatusCode(code, text.decode()).line.startswith(ENCRYPTION_REQUIRED.line)
        smtp.starttls(context=trusting(server))
        smtp.ehlo()
        assert smtp.esmtp_features["auth"].split() == ["LOGIN", "PLAIN"]
        assert not smtp.has_extn("starttls")
        code, text = smtp.mail("ann@example.org")
        assert StatusCode(code, text.decode()) == AUTH_REQUIRED
        smtp.rset()
        code, text = smtp.login("ann", "s3cret")
        assert StatusCode(code, text.decode()) == AUTH_OK
        smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
    assert stored(maildir) == ["lab"]


def test_window_style_secure_server_hides_auth_before_tls(maildir: Path, tmp_path: Path) -> None:
    with (
        SandboxServer(maildir, tls=True, auth=("me", "pw"), cert_dir=tmp_path) as server,
        client(server) as smtp,
    ):
        smtp.ehlo()
        assert not smtp.has_extn("auth")
        smtp.starttls(context=trusting(server))
        smtp.ehlo()
        assert smtp.has_extn("auth")


def test_implicit_tls_speaks_tls_from_the_first_byte(maildir: Path, tmp_path: Path) -> None:
    config = {"implicit_tls": True, "auth": ("ann", "pw")}
    with lab(maildir, tmp_path, **config) as server:
        assert server.settings().security is Security.TLS
        with smtplib.SMTP_SSL(
            server.host, server.port, context=trusting(server), timeout=10
        ) as smtp:
            assert smtp.sock.version() in ("TLSv1.2", "TLSv1.3")
            smtp.ehlo()
            assert not smtp.has_extn("starttls")
            assert smtp.has_extn("auth")  # already encrypted
            smtp.login("ann", "pw")
            smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
        # A plain-text client gets no greeting: its EHLO is not a TLS handshake.
        with socket.create_connection((server.host, server.port), timeout=10) as plain:
            plain.sendall(b"EHLO client.test\r\n")
            assert not plain.recv(1024).startswith(b"220")
    assert stored(maildir) == ["lab"]


def test_size_is_advertised_and_enforced_with_552_5_3_4(maildir: Path, tmp_path: Path) -> None:
    big = MESSAGE + (b"x" * 70 + b"\r\n") * 30
    with lab(maildir, tmp_path, size_limit=1000) as server, client(server) as smtp:
        smtp.ehlo()
        assert smtp.esmtp_features["size"] == "1000"
        # smtplib declares SIZE= on MAIL: refused before any data is sent.
        with pytest.raises(smtplib.SMTPSenderRefused) as info:
            smtp.sendmail("ann@example.org", ["bob@example.org"], big)
        assert (info.value.smtp_code, info.value.smtp_error.decode()[:5]) == (552, TOO_BIG.text)
        # A client that does not declare the size is stopped after the data.
        smtp.mail("ann@example.org")
        smtp.rcpt("bob@example.org")
        code, text = smtp.data(big)
        assert (code, text.decode()[:5]) == (552, TOO_BIG.text)
        assert "1000 bytes" in text.decode()
    assert stored(maildir) == []


@pytest.mark.parametrize(
    "name", ["SIZE", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES", "HELP"]
)
def test_hidden_extension_is_not_advertised(maildir: Path, tmp_path: Path, name: str) -> None:
    config = {"hidden": {name}, "size_limit": 5000}
    with lab(maildir, tmp_path, size_limit=5000) as plain, client(plain) as smtp:
        smtp.ehlo()
        assert smtp.has_extn(name)
    with lab(maildir, tmp_path, **config) as server, client(server) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn(name)
        assert smtp.has_extn("8bitmime" if name != "8BITMIME" else "size")


@pytest.mark.parametrize(
    ("name", "parameter"),
    [("SIZE", "SIZE=100"), ("8BITMIME", "BODY=8BITMIME"), ("SMTPUTF8", "SMTPUTF8")],
)
def test_hidden_extension_parameter_is_refused(
    maildir: Path, tmp_path: Path, name: str, parameter: str
) -> None:
    with lab(maildir, tmp_path, hidden={name}) as server, client(server) as smtp:
        smtp.ehlo()
        code, text = smtp.docmd("MAIL", f"FROM:<ann@example.org> {parameter}")
        assert StatusCode(code, text.decode()[:5]) == PARAMETER_REFUSED
        assert name in text.decode()


@pytest.mark.parametrize(
    ("name", "command"), [("STARTTLS", "STARTTLS"), ("AUTH", "AUTH PLAIN"), ("HELP", "HELP")]
)
def test_hidden_command_is_refused_with_502(
    maildir: Path, tmp_path: Path, name: str, command: str
) -> None:
    config = {"hidden": {name}, "tls": name == "STARTTLS", "auth": ("ann", "pw")}
    if name == "AUTH":
        config["tls"] = False
    with lab(maildir, tmp_path, **config) as server, client(server) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn(name)
        code, text = smtp.docmd(command)
        assert StatusCode(code, text.decode()[:5]) == NOT_OFFERED


def test_starttls_with_hidden_extension_makes_smtplib_refuse(maildir: Path, tmp_path: Path) -> None:
    with (
        lab(maildir, tmp_path, tls=True, hidden={"STARTTLS"}) as server,
        client(server) as smtp,
        pytest.raises(smtplib.SMTPNotSupportedError),
    ):
        smtp.starttls(context=ssl.create_default_context())


def test_enhanced_status_codes_are_added_to_plain_replies(maildir: Path, tmp_path: Path) -> None:
    with lab(maildir, tmp_path) as server, client(server) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("enhancedstatuscodes")
        code, text = smtp.noop()
        assert StatusCode(code, text.decode()) == OK
        code, text = smtp.mail("ann@example.org")
        assert StatusCode(code, text.decode()) == SENDER_OK
    with lab(maildir, tmp_path, hidden={"ENHANCEDSTATUSCODES"}) as server, client(server) as smtp:
        smtp.ehlo()
        assert smtp.noop() == (250, b"OK")


def test_vrfy_expn_help_answer_sensibly(maildir: Path, tmp_path: Path) -> None:
    config = {"rejects": {"x@example.org": Reply(550, "5.1.1 No such user here")}}
    with lab(maildir, tmp_path, **config) as server, client(server) as smtp:
        smtp.ehlo()
        code, text = smtp.verify("bob@example.org")
        assert StatusCode(code, text.decode()[: len(CANNOT_VRFY.text)]) == CANNOT_VRFY
        smtp.sendmail("ann@example.org", ["bob@example.org"], MESSAGE)
        assert smtp.verify("bob@example.org") == (250, b"2.1.5 <bob@example.org>")
        assert smtp.verify("x@example.org") == (550, b"5.1.1 No such user here")
        code, text = smtp.expn("lab")
        assert StatusCode(code, text.decode()[: len(NO_EXPN.text)]) == NO_EXPN
        code, text = smtp.docmd("HELP")
        assert StatusCode(code, text.decode()[:5]) == HELP
        assert "MAIL" in text.decode() and "VRFY" in text.decode()
        assert "STARTTLS" not in text.decode()  # not offered here
        code, text = smtp.docmd("HELP", "MAIL")
        assert code == HELP.code and "MAIL FROM:<address>" in text.decode()
        assert smtp.rset() == (250, b"2.0.0 OK")
