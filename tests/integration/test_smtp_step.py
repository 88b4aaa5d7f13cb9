"""Stepping through a send (smtp.step, smtp.stdingate) against real aiosmtpd servers."""

from __future__ import annotations

import io
import os

import pytest

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import send
from mailcomposer.smtp.settings import Secret
from mailcomposer.smtp.stdingate import StdinGate, parse_answer
from mailcomposer.smtp.step import Action, Choice, PlannedStep, check_extra
from tests.servers import OK
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, make_built, settings_for

NOOP_OK = OK.code  # aiosmtpd answers NOOP with "250 OK"


class ScriptGate:
    """A gate that plays a list of choices (then runs to the end) and keeps every step."""

    def __init__(self, *choices: Choice) -> None:
        self.choices = list(choices)
        self.steps: list[PlannedStep] = []

    def decide(self, step: PlannedStep) -> Choice:
        self.steps.append(step)
        return self.choices.pop(0) if self.choices else Choice.next()

    @property
    def verbs(self) -> list[str]:
        return [step.verb for step in self.steps]


def test_noop_at_the_first_pause_then_run_delivers_once(smtp_server, events):
    gate = ScriptGate(Choice.extra("NOOP"), Choice.run())
    result = send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert result.exit_code is ExitCode.OK
    assert len(smtp_server.received) == 1
    # Asked twice for the same first step (EHLO), never again after "run".
    assert gate.verbs == ["EHLO", "EHLO"]
    assert gate.steps[0].stage is Stage.EHLO
    assert "RFC 5321" in gate.steps[0].explanation.ref_labels
    noop = next(e for e in events if e.text == "NOOP")
    reply = events[events.index(noop) + 1]
    assert reply.code == NOOP_OK
    assert reply.explanation == "The server is still there."
    assert noop.explanation.startswith("Nothing to do")


def test_every_command_of_a_starttls_send_is_planned_with_the_secret_masked(
    starttls_server, events
):
    gate = ScriptGate()
    settings = settings_for(starttls_server, "starttls", user=AUTH_USER)
    send(
        settings,
        Secret(AUTH_PASSWORD),
        make_built(cc="cy@example.test"),
        on_event=events,
        gate=gate,
    )

    assert gate.verbs == [
        "EHLO",
        "STARTTLS",
        "EHLO",
        "AUTH",
        "MAIL",
        "RCPT",
        "RCPT",
        "DATA",
        ".",
        "QUIT",
    ]
    assert [s.stage for s in gate.steps][-2:] == [Stage.FINAL_DOT, Stage.QUIT]
    auth = gate.steps[3]
    assert auth.line in ("AUTH PLAIN ****", "AUTH LOGIN", "AUTH CRAM-MD5")
    assert "again" in gate.steps[2].explanation.text
    assert all(AUTH_PASSWORD not in s.line for s in gate.steps)
    assert gate.steps[4].line.startswith("MAIL FROM:<ann@example.test>")
    assert len(starttls_server.received) == 1


def test_abort_before_mail_ends_as_cancelled_and_nothing_is_delivered(smtp_server, events):
    gate = ScriptGate(Choice.next(), Choice.abort())
    with pytest.raises(SendError) as caught:
        send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert caught.value.exit_code is ExitCode.CANCELLED
    assert gate.verbs == ["EHLO", "MAIL"]
    assert smtp_server.received == []
    assert "QUIT" in events.lines("C")  # a polite goodbye, the server was still listening
    assert not any(line.startswith("MAIL") for line in events.lines("C"))


def test_abort_just_before_the_final_dot_delivers_nothing(smtp_server, events):
    gate = ScriptGate(*[Choice.next()] * 4, Choice.abort())  # EHLO MAIL RCPT DATA, then "."
    with pytest.raises(SendError) as caught:
        send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert caught.value.exit_code is ExitCode.CANCELLED
    assert gate.verbs[-1] == "."
    assert smtp_server.received == []
    assert "." not in events.lines("C")
    assert "QUIT" not in events.lines("C")  # inside DATA it would be message text


def test_rset_inside_the_transaction_starts_it_again_and_delivers_once(smtp_server, events):
    # EHLO, MAIL, RCPT: next; at DATA the student types RSET.
    gate = ScriptGate(Choice.next(), Choice.next(), Choice.next(), Choice.extra("rset"))
    built = make_built(to="bob@example.test")
    result = send(settings_for(smtp_server), None, built, on_event=events, gate=gate)

    assert result.exit_code is ExitCode.OK
    assert gate.verbs == ["EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", ".", "QUIT"]
    (got,) = smtp_server.received
    assert got.rcpt_tos == ("bob@example.test",)  # not twice: the first RCPT was forgotten
    assert [line.split(" ")[0] for line in events.lines("C")].count("MAIL") == 2
    assert any("starts the transaction again" in line for line in events.lines("*"))


def test_rset_before_mail_changes_nothing(smtp_server, events):
    gate = ScriptGate(Choice.next(), Choice.extra("RSET"))
    send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert gate.verbs.count("MAIL") == 2  # asked again for the same step, no restart
    assert [line.split(" ")[0] for line in events.lines("C")].count("MAIL") == 1
    assert len(smtp_server.received) == 1


def test_commands_the_client_owns_are_refused_and_never_sent(smtp_server, events):
    gate = ScriptGate(Choice.extra("MAIL FROM:<eve@example.test>"), Choice.extra("NOOP\r\nQUIT"))
    send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert not any("eve@" in line for line in events.lines("C"))
    assert events.lines("C").count("QUIT") == 1
    notes = events.lines("*")
    assert any("Only NOOP, RSET, VRFY, EXPN, HELP" in line for line in notes)
    assert any("printable" in line for line in notes)
    assert len(smtp_server.received) == 1


def test_a_non_ascii_extra_is_refused_and_the_send_goes_on(smtp_server, events):
    gate = ScriptGate(Choice.extra("VRFY 张三"))
    result = send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert result.exit_code is ExitCode.OK
    assert not any(line.startswith("VRFY") for line in events.lines("C"))
    assert any("ASCII" in line for line in events.lines("*"))


def test_no_command_is_sent_inside_data(smtp_server, events):
    gate = ScriptGate(*[Choice.next()] * 4, Choice.extra("NOOP"), Choice.run())
    send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert "NOOP" not in events.lines("C")
    assert any("message text until the final dot" in line for line in events.lines("*"))
    assert b"NOOP" not in smtp_server.received[0].data


def test_vrfy_help_reply_are_explained_in_the_transcript(smtp_server, events):
    gate = ScriptGate(Choice.extra("VRFY bob"), Choice.extra("HELP"), Choice.run())
    send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    vrfy = next(e for e in events if e.text == "VRFY bob")
    assert "mailbox exists" in vrfy.explanation
    replies = [e for e in events if e.code is not None]
    assert any(e.code == 252 and e.explanation for e in replies)
    assert any(e.code == 250 and "Supported commands" in e.text for e in replies)


def test_quit_at_the_goodbye_after_acceptance_keeps_the_send_a_success(smtp_server, events):
    gate = ScriptGate(*[Choice.next()] * 5, Choice.abort())  # ... "." then q at QUIT
    result = send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert result.exit_code is ExitCode.OK
    assert gate.verbs[-1] == "QUIT"
    assert "QUIT" not in events.lines("C")
    assert len(smtp_server.received) == 1


# -- the text-stream gate --


def test_stdin_gate_piped_noop_then_next_then_run(smtp_server, events):
    out = io.StringIO()
    gate = StdinGate(io.StringIO("NOOP\n\nc\n"), out)
    result = send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)

    assert result.exit_code is ExitCode.OK
    assert len(smtp_server.received) == 1
    assert "NOOP" in events.lines("C")
    shown = out.getvalue().splitlines()
    assert all(line.startswith("> ") for line in shown)
    assert shown[0] == "> Next: EHLO [127.0.0.1]"
    assert any("RFC 5321 §4.1.1.1" in line for line in shown)
    assert "> step> NOOP" in shown  # piped input is echoed, so the record reads well
    assert sum(line.startswith("> Next: ") for line in shown) == 3  # EHLO, EHLO, MAIL


def test_stdin_gate_q_aborts_with_exit_7(smtp_server, events):
    gate = StdinGate(io.StringIO("\nq\n"), io.StringIO())
    with pytest.raises(SendError) as caught:
        send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)
    assert caught.value.exit_code == 7
    assert smtp_server.received == []


def test_stdin_gate_end_of_input_runs_to_the_end(smtp_server, events):
    out = io.StringIO()
    gate = StdinGate(io.StringIO(""), out)
    send(settings_for(smtp_server), None, make_built(), on_event=events, gate=gate)
    assert len(smtp_server.received) == 1
    assert out.getvalue().count("> Next: ") == 1


@pytest.mark.parametrize(
    ("line", "action", "text"),
    [
        (None, Action.RUN, ""),
        ("\n", Action.NEXT, ""),
        ("  \n", Action.NEXT, ""),
        ("c\n", Action.RUN, ""),
        ("C", Action.RUN, ""),
        ("q\n", Action.ABORT, ""),
        ("vrfy bob\n", Action.EXTRA, "vrfy bob"),
    ],
)
def test_parse_answer(line, action, text):
    assert parse_answer(line) == Choice(action, text)


def test_check_extra_accepts_the_lab_commands_only():
    assert check_extra("VRFY bob") is None
    assert check_extra("help mail") is None
    assert check_extra("DATA") is not None
    assert check_extra("NOOP\x00") is not None
    assert check_extra("NOOP " + "x" * 600) is not None


@pytest.mark.skipif(os.name != "posix", reason="terminals are polled with select() on POSIX")
def test_stdin_gate_at_a_terminal_prompts_and_a_cancel_ends_the_wait():
    from mailcomposer.smtp.cancel import CancelToken
    from mailcomposer.smtp.explain import explain_command_full

    master, slave = os.openpty()
    token = CancelToken()
    step = PlannedStep("NOOP", explain_command_full("NOOP"), Stage.MAIL)
    with open(slave, encoding="utf-8", closefd=True) as terminal:
        out = io.StringIO()
        gate = StdinGate(terminal, out, cancel=token)
        os.write(master, b"c\n")
        assert gate.decide(step) == Choice.run()
        assert out.getvalue().endswith("> step> ")  # a prompt, and no echo of the typed line
        token.cancel()  # nothing typed: the wait ends as a stop instead of blocking
        assert gate.decide(step) == Choice.abort()
    os.close(master)
