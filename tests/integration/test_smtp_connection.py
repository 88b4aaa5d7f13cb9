"""smtp.session.Connection step by step against real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

import ssl

import pytest

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import CancelToken, open_session
from mailcomposer.smtp.settings import Secret, Security
from mailcomposer.smtp.tls import fingerprint
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, make_built, settings_for

SIZE_LIMIT = 32 * 1024 * 1024  # SmtpTestServer's default data_size_limit


def test_capabilities_come_from_the_real_ehlo(smtp_server, events):
    with open_session(settings_for(smtp_server), None, on_event=events) as connection:
        connection.connect()
        caps = connection.ehlo()
        assert connection.capabilities is caps
        assert connection.quit() == ()
    assert caps.size_limit == SIZE_LIMIT and caps.size_mb == SIZE_LIMIT / 1_000_000
    assert caps.eightbitmime and caps.smtputf8
    assert not (caps.starttls or caps.auth or caps.chunking)
    assert {"SIZE", "8BITMIME", "SMTPUTF8"} <= set(caps.names)
    assert (caps.tls_version, caps.tls_cipher, caps.certificate) == ("", "", None)
    assert events.lines("C") == ["EHLO [127.0.0.1]", "QUIT"]
    assert smtp_server.received == []


def test_secure_forgets_the_plaintext_ehlo(starttls_server, server_cert, events):
    settings = settings_for(starttls_server, Security.STARTTLS, user=AUTH_USER)
    with open_session(settings, Secret(AUTH_PASSWORD), on_event=events) as connection:
        connection.connect()
        plain = connection.ehlo()
        connection.secure()
        inside = connection.capabilities
        mechanism = connection.login()
        connection.quit()
    # aiosmtpd offers AUTH only inside TLS: what the plaintext EHLO said is gone.
    assert plain.starttls and not plain.auth and not plain.tls_version
    assert inside.auth and not inside.starttls
    assert inside.tls_version.startswith("TLSv1.") and inside.tls_cipher
    der = ssl.PEM_cert_to_DER_cert(server_cert.cert_chain_pems[0].bytes().decode())
    assert inside.certificate is not None and inside.certificate.sha256 == fingerprint(der)
    assert mechanism in inside.auth and connection.mechanism == mechanism
    assert starttls_server.received == []


def test_implicit_tls_is_set_up_by_connect(tls_server, events):
    with open_session(settings_for(tls_server, Security.TLS), None, on_event=events) as connection:
        connection.connect()
        assert connection.capabilities.tls_version.startswith("TLSv1.")
        assert connection.capabilities.names == ()  # no EHLO yet
        connection.ehlo()
        connection.secure()  # nothing left to do
        connection.quit()
    assert "STARTTLS" not in events.lines("C")


def test_a_failed_step_closes_but_keeps_what_was_learnt(smtp_server, events):
    settings = settings_for(smtp_server, Security.STARTTLS)
    with open_session(settings, None, on_event=events) as connection:
        connection.connect()
        connection.ehlo()
        with pytest.raises(SendError) as info:
            connection.secure()
        assert (info.value.stage, info.value.exit_code) == (Stage.STARTTLS, ExitCode.TLS)
        assert connection.capabilities.size_limit == SIZE_LIMIT
        seen = len(events)
        with pytest.raises(SendError):
            connection.transfer(make_built())  # the connection is gone
        assert connection.quit() == ()
        assert len(events) == seen  # nothing more reached the wire or the transcript
    assert events.lines("*")[-1].startswith("Failed: ")
    assert smtp_server.received == []


def test_cancel_between_steps(smtp_server, events):
    token = CancelToken()
    with open_session(settings_for(smtp_server), None, on_event=events, cancel=token) as conn:
        conn.connect()
        conn.ehlo()
        token.cancel()
        with pytest.raises(SendError) as info:
            conn.transfer(make_built())
    assert info.value.exit_code is ExitCode.CANCELLED
    assert "Cancelled: the message was not sent." in events.lines("*")
    assert smtp_server.received == []


def test_transfer_then_quit(smtp_server, events):
    built = make_built()
    progress: list[tuple[int, int]] = []
    with open_session(settings_for(smtp_server), None, on_event=events) as connection:
        connection.connect()
        connection.ehlo()
        connection.login()  # no user name: nothing to do
        result = connection.transfer(built, lambda sent, total: progress.append((sent, total)))
        assert connection.accepted
        assert connection.quit() == ()
    assert result.accepted == built.envelope.recipients and result.warnings == ()
    assert result.final_reply.startswith("250")
    assert progress[-1] == (result.size, result.size)
    assert events.lines("C")[-1] == "QUIT"
    assert len(smtp_server.received) == 1
