"""Read receipts and delivery notifications on the wire: the header, NOTIFY, RET and ENVID."""

from __future__ import annotations

from mailcomposer.smtp.explain import explain_command_full
from mailcomposer.smtp.session import send
from tests.servers import ScriptedServer, accepting_dialogue
from tests.smtp_fixtures import make_built, settings_for


def _commands(server: ScriptedServer, verb: str) -> list[str]:
    return [line for line in server.commands if line.upper().startswith(verb)]


def test_dsn_offered_puts_notify_on_rcpt_and_ret_envid_on_mail(events):
    built = make_built(dsn=["success", "failure"])
    with ScriptedServer(accepting_dialogue("DSN", "SIZE 1000000")) as server:
        send(settings_for(server), None, built, on_event=events)

    envid = built.message_id.strip("<>")
    (mail,) = _commands(server, "MAIL")
    assert " RET=HDRS" in mail
    assert f" ENVID={envid}" in mail
    assert _commands(server, "RCPT") == ["RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE"]
    assert server.mismatches == []


def test_dsn_choice_is_passed_as_chosen(events):
    built = make_built(dsn=["delay"])
    with ScriptedServer(accepting_dialogue("DSN")) as server:
        send(settings_for(server), None, built, on_event=events)
    assert _commands(server, "RCPT") == ["RCPT TO:<bob@example.test> NOTIFY=DELAY"]


def test_no_dsn_asked_sends_no_dsn_parameters(events):
    with ScriptedServer(accepting_dialogue("DSN")) as server:
        send(settings_for(server), None, make_built(), on_event=events)
    (mail,) = _commands(server, "MAIL")
    assert "RET=" not in mail and "ENVID=" not in mail
    assert _commands(server, "RCPT") == ["RCPT TO:<bob@example.test>"]


def test_dsn_not_offered_sends_without_it_and_says_so(smtp_server, events):
    # aiosmtpd does not offer DSN (and would refuse the parameters with 555).
    send(settings_for(smtp_server), None, make_built(dsn=["success"]), on_event=events)

    (received,) = smtp_server.received
    assert not any(o.startswith(("RET=", "ENVID=")) for o in received.mail_options)
    assert not [line for line in events.lines("C") if "NOTIFY=" in line]
    notes = [line for line in events.lines("*") if "does not offer DSN" in line]
    assert len(notes) == 1


def test_read_receipt_header_reaches_the_server(smtp_server, events):
    send(settings_for(smtp_server), None, make_built(read_receipt=True), on_event=events)
    (received,) = smtp_server.received
    assert b"\r\nDisposition-Notification-To: <ann@example.test>\r\n" in received.data


def test_no_read_receipt_no_header(smtp_server, events):
    send(settings_for(smtp_server), None, make_built(), on_event=events)
    assert b"Disposition-Notification-To" not in smtp_server.received[0].data


def test_dsn_parameters_are_explained_in_the_log(events):
    built = make_built(dsn=["failure"])
    with ScriptedServer(accepting_dialogue("DSN")) as server:
        send(settings_for(server), None, built, on_event=events)
    rcpt = next(line for line in events.lines("C") if line.startswith("RCPT"))
    mail = next(line for line in events.lines("C") if line.startswith("MAIL"))
    rcpt_text = explain_command_full(rcpt).text
    mail_text = explain_command_full(mail).text
    assert "NOTIFY" in rcpt_text
    assert "RET" in mail_text and "ENVID" in mail_text
    assert 3461 in [r.rfc for r in explain_command_full(rcpt).refs]
