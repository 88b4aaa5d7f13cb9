"""smtp.session.send over TLS: STARTTLS, implicit TLS, untrusted and pinned certificates."""

from __future__ import annotations

import hashlib
import ssl

import pytest

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import send
from mailcomposer.smtp.settings import Secret, Security, Timeouts
from mailcomposer.smtp.tls import CertificateInfo, fingerprint
from mailcomposer.smtp.transcript import Direction
from tests.servers import (
    GREETING,
    Expect,
    Hang,
    ScriptedServer,
    Send,
    SmtpTestServer,
    ehlo_reply,
)
from tests.smtp_fixtures import (
    AUTH_PASSWORD,
    AUTH_USER,
    make_built,
    server_context,
    settings_for,
)

PASSWORD = Secret(AUTH_PASSWORD)
QUICK = Timeouts(connect=2.0, command=0.5, final_dot=1.0)


def _der(cert) -> bytes:
    return ssl.PEM_cert_to_DER_cert(cert.cert_chain_pems[0].bytes().decode())


def test_starttls_send_with_login(starttls_server, events):
    settings = settings_for(starttls_server, Security.STARTTLS, user=AUTH_USER)
    result = send(settings, PASSWORD, make_built(), on_event=events)

    assert result.exit_code is ExitCode.OK
    assert len(starttls_server.received) == 1
    commands = events.lines("C")
    assert commands.index("STARTTLS") < commands.index("AUTH CRAM-MD5")
    assert commands.count("EHLO [127.0.0.1]") == 2, "EHLO again inside TLS"
    starttls_at = next(i for i, e in enumerate(events) if e.text == "STARTTLS")
    assert not any(e.secure for e in events[: starttls_at + 1])
    auth = next(e for e in events if e.text.startswith("AUTH"))
    assert auth.secure
    notes = " ".join(events.lines("*"))
    assert "TLSv1.3" in notes or "TLSv1.2" in notes
    assert "Certificate subject" in notes
    assert "Issued by" in notes
    assert "Valid until" in notes
    assert "not encrypted" not in notes


def test_implicit_tls_send(tls_server, events):
    settings = settings_for(tls_server, Security.TLS, user=AUTH_USER)
    result = send(settings, PASSWORD, make_built(), on_event=events)

    assert result.exit_code is ExitCode.OK
    server_lines = [e for e in events if e.direction is Direction.SERVER]
    assert server_lines[0].secure, "the greeting already travelled inside TLS"


def test_untrusted_certificate_is_refused_with_its_details(tls_server, server_cert, events):
    settings = settings_for(tls_server, Security.TLS, cafile=None, user=AUTH_USER)
    with pytest.raises(SendError) as info:
        send(settings, PASSWORD, make_built(), on_event=events)

    error = info.value
    assert error.exit_code is ExitCode.TLS
    assert "not trusted" in error.user_message
    cert = error.certificate
    assert isinstance(cert, CertificateInfo)
    assert cert.sha256 == fingerprint(_der(server_cert))
    assert cert.host == "127.0.0.1"
    assert cert.port == tls_server.port
    assert "authority" in cert.reason
    assert cert.not_after is not None
    assert "localhost" in cert.names
    assert tls_server.received == []
    assert not any(line.startswith("AUTH") for line in events.lines("C"))


def test_untrusted_certificate_over_starttls(starttls_server, events):
    settings = settings_for(starttls_server, Security.STARTTLS, cafile=None)
    with pytest.raises(SendError) as info:
        send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.TLS
    assert info.value.stage is Stage.STARTTLS
    assert isinstance(info.value.certificate, CertificateInfo)


def test_certificate_for_another_host_is_refused(ca, client_cafile, events):
    other = ca.issue_cert("mail.other.test")
    with SmtpTestServer(tls_context=server_context(other)) as server:
        settings = settings_for(server, Security.TLS, cafile=client_cafile)
        with pytest.raises(SendError) as info:
            send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.TLS
    assert "different server name" in info.value.user_message
    assert info.value.certificate.names == ("mail.other.test",)


def test_pinned_certificate_is_accepted(tls_server, server_cert, events):
    pin = hashlib.sha256(_der(server_cert)).hexdigest()
    settings = settings_for(tls_server, Security.TLS, cafile=None, pinned_sha256=pin)
    result = send(settings, None, make_built(), on_event=events)

    assert result.exit_code is ExitCode.OK
    assert len(tls_server.received) == 1
    assert any("explicit exception" in note for note in events.lines("*"))


def test_pin_in_colon_form_is_accepted(starttls_server, server_cert, events):
    settings = settings_for(
        starttls_server,
        Security.STARTTLS,
        cafile=None,
        pinned_sha256=fingerprint(_der(server_cert)),
    )
    result = send(settings, None, make_built(), on_event=events)
    assert result.exit_code is ExitCode.OK


def test_a_different_pinned_fingerprint_is_refused(tls_server, server_cert, events):
    settings = settings_for(tls_server, Security.TLS, cafile=None, pinned_sha256="ab" * 32)
    with pytest.raises(SendError) as info:
        send(settings, PASSWORD, make_built(), on_event=events)

    error = info.value
    assert error.exit_code is ExitCode.TLS
    assert error.certificate.sha256 == fingerprint(_der(server_cert))
    assert tls_server.received == []


def test_starttls_not_offered_fails_before_auth(events):
    script = [Send(GREETING), Expect("EHLO"), ehlo_reply("AUTH PLAIN LOGIN", "8BITMIME"), Hang()]
    with ScriptedServer(script) as server:
        settings = settings_for(server, Security.STARTTLS, user=AUTH_USER)
        with pytest.raises(SendError) as info:
            send(settings, PASSWORD, make_built(), on_event=events)

    error = info.value
    assert (error.stage, error.exit_code) == (Stage.STARTTLS, ExitCode.TLS)
    assert "STARTTLS" in error.user_message
    assert server.commands == ["EHLO [127.0.0.1]"], "nothing after EHLO, above all no AUTH"


def test_tls_to_a_plain_port_says_so(smtp_server, events):
    settings = settings_for(smtp_server, Security.TLS)
    with pytest.raises(SendError) as info:
        send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.TLS
    assert "STARTTLS or a plain connection" in info.value.user_message


def test_plain_to_an_implicit_tls_port_times_out_with_a_hint(tls_server, events):
    settings = settings_for(tls_server, Security.STARTTLS, timeouts=QUICK)
    with pytest.raises(SendError) as info:
        send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.CONNECTION
    assert info.value.stage is Stage.GREETING
    assert "choose TLS" in info.value.user_message


def test_expired_certificate_is_refused_and_says_so(ca, client_cafile, events):
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    expired = ca.issue_cert(
        "localhost",
        "127.0.0.1",
        not_before=now - dt.timedelta(days=400),
        not_after=now - dt.timedelta(days=30),
    )
    with SmtpTestServer(tls_context=server_context(expired)) as server:
        settings = settings_for(server, Security.TLS, cafile=client_cafile)
        with pytest.raises(SendError) as info:
            send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.TLS
    assert "expired" in info.value.user_message
    assert info.value.certificate.not_after < now


def test_self_signed_certificate_is_refused_and_says_so(events):
    import trustme

    lonely = trustme.CA(organization_unit_name="Self-signed server")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with lonely.cert_pem.tempfile() as certfile, lonely.private_key_pem.tempfile() as keyfile:
        context.load_cert_chain(certfile, keyfile)
    with SmtpTestServer(tls_context=context) as server:
        settings = settings_for(server, Security.TLS)
        with pytest.raises(SendError) as info:
            send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.TLS
    assert "self-signed" in info.value.user_message
    assert info.value.certificate.self_signed


def test_starttls_checks_the_host_name(ca, client_cafile, events):
    # smtplib leaves _host empty after SMTP() + connect(); the session must set it so a
    # verified STARTTLS checks the name (PITFALLS).
    other = ca.issue_cert("mail.other.test")
    with SmtpTestServer(starttls_context=server_context(other)) as server:
        settings = settings_for(server, Security.STARTTLS, cafile=client_cafile)
        with pytest.raises(SendError) as info:
            send(settings, None, make_built(), on_event=events)
    assert (info.value.stage, info.value.exit_code) == (Stage.STARTTLS, ExitCode.TLS)
    assert "different server name than 127.0.0.1" in info.value.user_message
