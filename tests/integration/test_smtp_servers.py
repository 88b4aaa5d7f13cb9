"""The shared test servers themselves: a plain smtplib client against each fixture."""

from __future__ import annotations

import smtplib
import ssl

from tests.servers import (
    NO_SUCH_USER,
    RecordingHandler,
    ScriptedServer,
    SmtpTestServer,
    accepting_dialogue,
)
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

MESSAGE = b"Subject: hi\r\n\r\n.dot first\r\n"


def test_plain_sink_records_envelope_and_data(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port, "client.test", timeout=5) as client:
        client.sendmail("a@example.test", ["b@example.test"], MESSAGE)
    (got,) = smtp_server.received
    assert got.mail_from == "a@example.test"
    assert got.rcpt_tos == ("b@example.test",)
    assert got.data == MESSAGE


def test_starttls_server_offers_auth_only_inside_tls(starttls_server):
    context = ssl.create_default_context(cafile=str(starttls_server.cafile))
    with smtplib.SMTP(starttls_server.host, starttls_server.port, "c.test", timeout=5) as client:
        client.ehlo()
        assert not client.has_extn("auth")
        client.starttls(context=context)
        client.ehlo()
        client.login(AUTH_USER, AUTH_PASSWORD)


def test_tls_server_speaks_tls_from_the_first_byte(tls_server):
    context = ssl.create_default_context(cafile=str(tls_server.cafile))
    with smtplib.SMTP_SSL(
        tls_server.host, tls_server.port, "c.test", timeout=5, context=context
    ) as client:
        client.login(AUTH_USER, AUTH_PASSWORD)


def test_auth_server_does_cram_md5(auth_server):
    with smtplib.SMTP(auth_server.host, auth_server.port, "c.test", timeout=5) as client:
        client.ehlo()
        client.user, client.password = AUTH_USER, AUTH_PASSWORD
        code, _text = client.auth("CRAM-MD5", client.auth_cram_md5)
    assert code == 235


def test_handler_refuses_chosen_recipient():
    handler = RecordingHandler(rcpt_replies={"bad@example.test": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        client = smtplib.SMTP(server.host, server.port, "c.test", timeout=5)
        refused = client.sendmail(
            "a@example.test", ["ok@example.test", "bad@example.test"], MESSAGE
        )
        client.quit()
    assert refused == {"bad@example.test": (NO_SUCH_USER.code, NO_SUCH_USER.text.encode())}
    assert server.received[0].rcpt_tos == ("ok@example.test",)


def test_scripted_server_plays_its_dialogue():
    with ScriptedServer(accepting_dialogue("8BITMIME")) as server:
        client = smtplib.SMTP(server.host, server.port, "c.test", timeout=5)
        client.sendmail("a@example.test", ["b@example.test"], MESSAGE)
        client.quit()
    assert server.mismatches == []
    assert server.data == [b"Subject: hi\r\n\r\n..dot first\r\n"]


def test_auth_server_answers_535_to_a_wrong_password(auth_server):
    with smtplib.SMTP(auth_server.host, auth_server.port, "c.test", timeout=5) as client:
        client.ehlo()
        try:
            client.login(AUTH_USER, "wrong")
        except smtplib.SMTPAuthenticationError as exc:
            assert exc.smtp_code == 535
        else:
            raise AssertionError("login with a wrong password succeeded")
