"""smtp.session.send against real servers on 127.0.0.1: plain sends, AUTH, refusals, errors."""

from __future__ import annotations

import base64
import email
import email.policy

import pytest

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import send
from mailcomposer.smtp.settings import AuthMethod, Secret
from mailcomposer.smtp.transcript import Direction
from tests.servers import (
    AUTH_REQUIRED,
    BAD_CREDENTIALS,
    CLOSING,
    GREETING,
    INSUFFICIENT_STORAGE,
    LOCAL_ERROR,
    MAILBOX_BUSY,
    NO_SERVICE,
    NO_SUCH_USER,
    OK,
    SENDER_REJECTED,
    SERVICE_UNAVAILABLE,
    START_INPUT,
    TRANSACTION_FAILED,
    Close,
    Expect,
    RecordingHandler,
    ScriptedServer,
    Send,
    SmtpTestServer,
    ehlo_reply,
)
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, make_built, settings_for

PASSWORD = Secret(AUTH_PASSWORD)


def test_plain_send_delivers_envelope_and_data(smtp_server, events):
    built = make_built(to="bob@example.test", cc="cy@example.test")
    result = send(settings_for(smtp_server), None, built, on_event=events)

    assert result.exit_code is ExitCode.OK
    assert result.accepted == ("bob@example.test", "cy@example.test")
    assert result.message_id == built.message_id
    assert result.final_reply.startswith("250")
    (got,) = smtp_server.received
    assert got.mail_from == "ann@example.test"
    assert got.rcpt_tos == ("bob@example.test", "cy@example.test")
    assert got.data == built.wire(eight_bit=True).to_bytes()
    assert events[0].direction is Direction.NOTE
    assert events.lines("S")[0].startswith("220 ")
    assert "QUIT" in events.lines("C")


def test_bcc_is_in_the_envelope_but_not_in_the_data(smtp_server, events):
    built = make_built(to="bob@example.test", bcc="secret.carol@example.test")
    send(settings_for(smtp_server), None, built, on_event=events)

    (got,) = smtp_server.received
    assert "secret.carol@example.test" in got.rcpt_tos
    assert b"bcc:" not in got.data.lower()
    assert b"secret.carol" not in got.data


def test_to_cc_and_bcc_together_reach_the_envelope_and_only_to_cc_the_headers(smtp_server, events):
    built = make_built(
        to="Bob <bob@example.test>, dan@example.test",
        cc="Cy <cy@example.test>",
        bcc="Carol <secret.carol@example.test>, eve@example.test",
    )
    result = send(settings_for(smtp_server), None, built, on_event=events)

    everyone = {
        "bob@example.test",
        "dan@example.test",
        "cy@example.test",
        "secret.carol@example.test",
        "eve@example.test",
    }
    (got,) = smtp_server.received
    assert set(got.rcpt_tos) == everyone and len(got.rcpt_tos) == len(everyone)
    assert set(result.accepted) == everyone
    stored = email.message_from_bytes(got.data, policy=email.policy.default)
    assert stored.get_all("Bcc") is None
    assert {a.addr_spec for a in stored["To"].addresses} == {"bob@example.test", "dan@example.test"}
    assert {a.addr_spec for a in stored["Cc"].addresses} == {"cy@example.test"}
    assert b"secret.carol" not in got.data and b"eve@" not in got.data


def test_greeting_is_captured_and_every_reply_is_explained(smtp_server, events):
    send(settings_for(smtp_server), None, make_built(), on_event=events)

    server_events = [e for e in events if e.direction is Direction.SERVER]
    assert server_events[0].code == GREETING.code
    finals = [e for e in server_events if e.explanation]
    assert finals, "server replies carry an explanation"
    accepted = [e for e in finals if e.code == 250 and "responsible" in e.explanation]
    assert accepted, "the 250 to the final dot is explained as acceptance"
    times = [e.time for e in events]
    assert times == sorted(times)


def test_every_client_command_is_explained_too(smtp_server, events):
    built = make_built(bcc="secret.carol@example.test")
    send(settings_for(smtp_server), None, built, on_event=events)

    client = {
        e.text.split()[0].upper(): e.explanation for e in events if e.direction is Direction.CLIENT
    }
    assert set(client) >= {"EHLO", "MAIL", "RCPT", "DATA", ".", "QUIT"}
    assert all(client.values()), client
    assert "Bcc" in client["RCPT"] and "bounces" in client["MAIL"]
    mail = next(e for e in events if e.text.upper().startswith("MAIL FROM"))
    if "SIZE=" in mail.text.upper():
        assert "SIZE" in mail.explanation


def test_ehlo_uses_a_neutral_name_not_the_fqdn(smtp_server, events):
    send(settings_for(smtp_server), None, make_built(), on_event=events)
    assert "EHLO [127.0.0.1]" in events.lines("C")

    events.clear()
    settings = settings_for(smtp_server, local_hostname="client.example.test")
    send(settings, None, make_built(), on_event=events)
    assert "EHLO client.example.test" in events.lines("C")


def test_helo_fallback_when_ehlo_is_refused(events):
    script = [
        Send(GREETING),
        Expect("EHLO"),
        Send("502 5.5.1 EHLO not implemented"),
        Expect("HELO"),
        Send(OK),
        Expect("MAIL FROM:<ann@example.test>"),
        Send(OK),
        Expect("RCPT TO:"),
        Send(OK),
        Expect("DATA"),
        Send(START_INPUT),
        *_read_data_and_accept(),
    ]
    with ScriptedServer(script) as server:
        result = send(settings_for(server), None, make_built(), on_event=events)
    assert result.exit_code is ExitCode.OK
    assert server.mismatches == []


def _read_data_and_accept():
    from tests.servers import ACCEPTED, ReadData

    return [ReadData(), Send(ACCEPTED), Expect("QUIT"), Send(CLOSING), Close()]


# --- AUTH -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [AuthMethod.PLAIN, AuthMethod.LOGIN, AuthMethod.CRAM_MD5])
def test_auth_methods_log_in(auth_server, events, method):
    settings = settings_for(auth_server, user=AUTH_USER, auth=method)
    result = send(settings, PASSWORD, make_built(), on_event=events)

    assert result.exit_code is ExitCode.OK
    assert any(line.startswith("235") for line in events.lines("S"))
    assert any(
        line.upper().startswith(f"AUTH {method.value.upper()}") for line in events.lines("C")
    )
    assert_no_secret(events.text)
    explained = "\n".join(event.format(explain=True) for event in events)
    assert_no_secret(explained)
    unexplained = [e.text for e in events if e.direction is Direction.CLIENT and not e.explanation]
    assert unexplained == [], "every client line says what it asks, login lines included"


def test_auto_prefers_cram_md5(auth_server, events):
    settings = settings_for(auth_server, user=AUTH_USER)
    send(settings, PASSWORD, make_built(), on_event=events)
    assert "AUTH CRAM-MD5" in events.lines("C")


def test_auto_falls_back_to_the_offered_mechanism(events):
    with SmtpTestServer(
        auth={AUTH_USER: AUTH_PASSWORD}, auth_require_tls=False, auth_mechanisms=["LOGIN"]
    ) as server:
        send(settings_for(server, user=AUTH_USER), PASSWORD, make_built(), on_event=events)
    assert "AUTH LOGIN" in events.lines("C")
    assert_no_secret(events.text)


def test_plaintext_auth_is_announced(auth_server, events):
    send(settings_for(auth_server, user=AUTH_USER), PASSWORD, make_built(), on_event=events)
    notes = " ".join(events.lines("*"))
    assert "not encrypted" in notes


def test_wrong_password_is_an_auth_error_with_advice(auth_server, events):
    settings = settings_for(auth_server, user=AUTH_USER, auth=AuthMethod.PLAIN)
    with pytest.raises(SendError) as info:
        send(settings, Secret("wrong-password"), make_built(), on_event=events)

    error = info.value
    assert error.exit_code is ExitCode.AUTH
    assert error.stage is Stage.AUTH
    assert error.code == BAD_CREDENTIALS.code
    assert error.enhanced == "5.7.8"
    assert "app password" in error.user_message
    assert auth_server.received == []
    assert_no_secret(events.text, "wrong-password")
    assert_no_secret(repr(error.to_dict()), "wrong-password")


def test_explicit_mechanism_not_offered_is_an_auth_error(events):
    with SmtpTestServer(
        auth={AUTH_USER: AUTH_PASSWORD}, auth_require_tls=False, auth_mechanisms=["LOGIN"]
    ) as server:
        settings = settings_for(server, user=AUTH_USER, auth=AuthMethod.CRAM_MD5)
        with pytest.raises(SendError) as info:
            send(settings, PASSWORD, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.AUTH
    assert "LOGIN" in info.value.user_message


def test_no_auth_offered_is_an_auth_error(smtp_server, events):
    with pytest.raises(SendError) as info:
        send(settings_for(smtp_server, user=AUTH_USER), PASSWORD, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.AUTH
    assert smtp_server.received == []


def test_xoauth2_token_is_masked(events):
    token = "ya29.A0ARrdaM-very-secret-token"
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply("AUTH PLAIN XOAUTH2"),
        Expect("AUTH XOAUTH2 "),
        Send(BAD_CREDENTIALS),
        Expect("QUIT"),
        Send(CLOSING),
    ]
    with ScriptedServer(script) as server:
        settings = settings_for(server, user=AUTH_USER)
        with pytest.raises(SendError) as info:
            send(settings, Secret(token, is_token=True), make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.AUTH
    assert "AUTH XOAUTH2 ****" in events.lines("C")
    assert_no_secret(events.text, token)
    sent = server.commands[1].split()[2]
    assert token in base64.b64decode(sent).decode()


def assert_no_secret(transcript: str, password: str = AUTH_PASSWORD) -> None:
    """The password, its base64 and the AUTH PLAIN / LOGIN blobs never appear."""
    forms = [
        password,
        base64.b64encode(password.encode()).decode(),
        base64.b64encode(f"\0{AUTH_USER}\0{password}".encode()).decode(),
        base64.b64encode(f"{AUTH_USER}\0{AUTH_USER}\0{password}".encode()).decode(),
    ]
    for form in forms:
        assert form not in transcript, f"secret leaked into the transcript: {form!r}"


# --- refusals -------------------------------------------------------------------------------


def test_partial_refusal_is_a_result(events):
    handler = RecordingHandler(rcpt_replies={"nobody@example.test": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        built = make_built(to="bob@example.test, nobody@example.test")
        result = send(settings_for(server), None, built, on_event=events)

    assert result.exit_code is ExitCode.PARTIAL
    assert result.accepted == ("bob@example.test",)
    (refusal,) = result.refused
    assert (refusal.address, refusal.code) == ("nobody@example.test", NO_SUCH_USER.code)
    assert server.received[0].rcpt_tos == ("bob@example.test",)


def test_all_recipients_refused_is_an_error(events):
    handler = RecordingHandler(
        rcpt_replies={"x@example.test": NO_SUCH_USER, "y@example.test": MAILBOX_BUSY}
    )
    with SmtpTestServer(handler=handler) as server:
        built = make_built(to="x@example.test, y@example.test")
        with pytest.raises(SendError) as info:
            send(settings_for(server), None, built, on_event=events)

    error = info.value
    assert error.exit_code is ExitCode.REFUSED
    assert error.stage is Stage.RCPT
    assert "x@example.test" in error.user_message
    assert "y@example.test" in error.user_message
    assert server.received == []
    assert "DATA" not in events.lines("C")


@pytest.mark.parametrize(
    ("reply", "exit_code"),
    [(LOCAL_ERROR, ExitCode.REFUSED), (SENDER_REJECTED, ExitCode.REFUSED)],
)
def test_mail_refused(events, reply, exit_code):
    with (
        SmtpTestServer(handler=RecordingHandler(mail_reply=reply)) as server,
        pytest.raises(SendError) as info,
    ):
        send(settings_for(server), None, make_built(), on_event=events)
    assert info.value.stage is Stage.MAIL
    assert info.value.exit_code is exit_code
    assert info.value.code == reply.code
    assert "QUIT" in events.lines("C")


def test_mail_requiring_login_is_an_auth_error(events):
    with (
        SmtpTestServer(handler=RecordingHandler(mail_reply=AUTH_REQUIRED)) as server,
        pytest.raises(SendError) as info,
    ):
        send(settings_for(server), None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.AUTH


@pytest.mark.parametrize("reply", [TRANSACTION_FAILED, INSUFFICIENT_STORAGE])
def test_final_dot_refused(events, reply):
    with (
        SmtpTestServer(handler=RecordingHandler(data_reply=reply)) as server,
        pytest.raises(SendError) as info,
    ):
        send(settings_for(server), None, make_built(), on_event=events)
    error = info.value
    assert error.stage is Stage.FINAL_DOT
    assert error.exit_code is ExitCode.REFUSED
    assert error.code == reply.code
    if reply.code < 500:
        assert "try again later" in error.user_message


def test_data_command_refused(events):
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply("8BITMIME"),
        Expect("MAIL"),
        Send(OK),
        Expect("RCPT"),
        Send(OK),
        Expect("DATA"),
        Send(TRANSACTION_FAILED),
        Expect("QUIT"),
        Send(CLOSING),
    ]
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, make_built(), on_event=events)
    assert (info.value.stage, info.value.exit_code) == (Stage.DATA, ExitCode.REFUSED)


@pytest.mark.parametrize("greeting", [SERVICE_UNAVAILABLE, NO_SERVICE])
def test_refused_at_connect(events, greeting):
    with ScriptedServer([Send(greeting), Close()]) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, make_built(), on_event=events)
    error = info.value
    assert error.stage is Stage.GREETING
    assert error.exit_code is ExitCode.CONNECTION
    assert error.code == greeting.code
    assert str(greeting.code) in error.user_message


def test_421_at_rcpt_stops_the_send(events):
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply(),
        Expect("MAIL"),
        Send(OK),
        Expect("RCPT"),
        Send(SERVICE_UNAVAILABLE),
        Close(),
    ]
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, make_built(), on_event=events)
    assert (info.value.stage, info.value.exit_code) == (Stage.RCPT, ExitCode.CONNECTION)


# --- extensions -----------------------------------------------------------------------------


def test_8bitmime_is_used_when_offered(smtp_server, events):
    built = make_built(text="Grüße aus Köln — 你好\n")
    send(settings_for(smtp_server), None, built, on_event=events)
    (got,) = smtp_server.received
    assert "BODY=8BITMIME" in got.mail_options
    assert got.data == built.wire(eight_bit=True).to_bytes()


def test_7bit_without_8bitmime(events):
    built = make_built(text="Grüße aus Köln — 你好\n")
    with ScriptedServer(_accepting(extensions=())) as server:
        send(settings_for(server), None, built, on_event=events)
    mail = next(c for c in server.commands if c.startswith("MAIL"))
    assert "BODY=8BITMIME" not in mail
    assert max(server.data[0]) < 0x80, "only 7-bit bytes without 8BITMIME"


def _accepting(extensions=("8BITMIME",)):
    from tests.servers import accepting_dialogue

    return accepting_dialogue(*extensions)


def test_smtputf8_needed_but_missing_is_an_input_error(events):
    built = make_built(to="用户@example.test")
    assert built.envelope.smtputf8
    with SmtpTestServer(smtputf8=False) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, built, on_event=events)
    assert info.value.exit_code is ExitCode.INPUT
    assert info.value.field == "to"
    assert server.received == []
    assert not any(line.startswith("MAIL") for line in events.lines("C"))


def test_smtputf8_used_when_offered(smtp_server, events):
    built = make_built(to="用户@example.test")
    send(settings_for(smtp_server), None, built, on_event=events)
    (got,) = smtp_server.received
    assert got.smtputf8
    assert got.rcpt_tos == ("用户@example.test",)


def test_size_exceeded_is_left_to_the_server_which_refuses_before_data(events):
    """The lab shows the server's 552 (RFC 1870): the client warns, declares, uploads nothing."""
    built = make_built(attachments=[_attachment(300_000)])
    with SmtpTestServer(data_size_limit=100_000) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, built, on_event=events)
    error = info.value
    assert error.exit_code is ExitCode.REFUSED
    assert error.code == 552
    notes = " ".join(events.lines("*"))
    assert "97.7 KiB" in notes and "0.1 MB" not in notes
    mail = next(line for line in events.lines("C") if line.startswith("MAIL"))
    assert "SIZE=" in mail
    assert not any(line.startswith("DATA") for line in events.lines("C"))
    refusal = next(e for e in events if e.code == 552)
    assert "RFC 1870 §6" in [r.label for r in refusal.refs]


def test_size_is_declared_in_mail_from(smtp_server, events):
    built = make_built()
    send(settings_for(smtp_server), None, built, on_event=events)
    size = built.wire(eight_bit=True).size
    assert f"SIZE={size}" in smtp_server.received[0].mail_options


def _attachment(size: int):
    from mailcomposer.message.draft import Attachment

    return Attachment(filename="blob.bin", data=bytes(range(256)) * (size // 256))


def test_not_an_smtp_server(events):
    script = [Send("HTTP/1.1 400 Bad Request"), Close()]
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.CONNECTION
    assert "not an SMTP reply" in info.value.user_message


def test_size_zero_means_no_fixed_limit(events):
    with ScriptedServer(_accepting(extensions=("SIZE 0", "8BITMIME"))) as server:
        result = send(settings_for(server), None, make_built(), on_event=events)
    assert result.exit_code is ExitCode.OK
    assert "SIZE=" in next(c for c in server.commands if c.startswith("MAIL"))
