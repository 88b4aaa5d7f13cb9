"""Hostile servers: endless, trickling, over-long and garbled replies never hold a send.

Each server is a scripted raw socket on 127.0.0.1 (``tests.servers.ScriptedServer``);
the client is the real session. No timed assertions: a reply that is not bounded
makes these tests hang (pytest-timeout) or fail on what the server managed to send.
"""

from __future__ import annotations

import dataclasses

import pytest

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import send
from mailcomposer.smtp.settings import Timeouts
from mailcomposer.smtp.transport import MAX_LINE_BYTES, MAX_REPLY_BYTES, MAX_REPLY_LINES
from tests.servers import (
    GREETING,
    Expect,
    Repeat,
    ScriptedServer,
    Send,
    accepting_dialogue,
)
from tests.smtp_fixtures import make_built, settings_for

# Trickling servers send a line every TRICKLE_S: each read gets an answer well within the
# per-read wait (generous: a loaded machine can stall the server thread), so only the
# reply deadline (never shorter than that wait) can end the reply.
TRICKLE_S = 0.05
TRICKLING = Timeouts(connect=5.0, command=1.0, final_dot=1.0, reply_deadline=1.0)


def failed_send(server: ScriptedServer, events, **kw) -> SendError:
    with pytest.raises(SendError) as caught:
        send(settings_for(server, **kw), None, make_built(), on_event=events)
    return caught.value


def ehlo_then(*steps) -> list:
    return [Send(GREETING), Expect("EHLO"), *steps]


def test_an_endless_multiline_reply_stops_at_the_line_limit(events):
    with ScriptedServer(ehlo_then(Repeat("250-x"))) as server:
        error = failed_send(server, events)
    assert error.exit_code is ExitCode.CONNECTION
    assert error.stage is Stage.EHLO
    assert error.code is None  # the server never finished a reply: no code to report
    assert str(MAX_REPLY_LINES) in error.user_message
    assert "500" not in error.user_message
    # What was received is shown, but no more than the limit (memory stays flat).
    shown = [line for line in events.lines("S") if line.startswith("250-")]
    assert 0 < len(shown) <= MAX_REPLY_LINES


def test_a_reply_of_long_lines_stops_at_the_byte_limit(events):
    with ScriptedServer(ehlo_then(Repeat("250-" + "x" * 500))) as server:
        error = failed_send(server, events)
    assert error.exit_code is ExitCode.CONNECTION
    assert f"{MAX_REPLY_BYTES // 1024} KiB" in error.user_message
    shown = [line for line in events.lines("S") if line.startswith("250-")]
    assert len(shown) * 504 <= MAX_REPLY_BYTES + 504


def test_a_trickling_reply_ends_at_the_reply_deadline(events):
    with ScriptedServer(ehlo_then(Repeat("250-x", interval=TRICKLE_S))) as server:
        error = failed_send(server, events, timeouts=TRICKLING)
        sent = server.repeated
    assert error.exit_code is ExitCode.CONNECTION
    assert error.stage is Stage.EHLO
    assert "took longer than" in error.user_message
    # Far fewer lines than the line limit: the deadline ended it, not the size.
    assert sent < MAX_REPLY_LINES // 4


def test_a_line_that_never_ends_meets_the_deadline_too(events):
    # One byte at a time and never a CRLF: the deadline must hold inside a line.
    script = [Repeat("2", interval=TRICKLE_S, newline=False)]
    with ScriptedServer(script) as server:
        error = failed_send(server, events, timeouts=TRICKLING)
        sent = server.repeated
    assert error.exit_code is ExitCode.CONNECTION
    assert error.stage is Stage.GREETING
    assert "took longer than" in error.user_message
    assert sent < MAX_LINE_BYTES // 4


def test_the_deadline_never_cuts_a_single_wait_short(events):
    # A slow but honest server: each line within the per-read wait, the whole reply
    # longer than reply_deadline. The per-read wait (command) is the floor.
    script = accepting_dialogue()
    patient = dataclasses.replace(TRICKLING, command=5.0, reply_deadline=0.01)
    with ScriptedServer(script) as server:
        result = send(settings_for(server, timeouts=patient), None, make_built(), on_event=events)
    assert result.exit_code is ExitCode.OK


def test_an_overlong_line_is_not_reported_as_a_server_reply(events):
    with ScriptedServer([Send("220 " + "x" * (MAX_LINE_BYTES + 100))]) as server:
        error = failed_send(server, events)
    assert error.exit_code is ExitCode.CONNECTION
    assert error.stage is Stage.GREETING
    assert error.code is None
    assert "500" not in error.user_message
    assert "Line too long" not in error.user_message
    assert str(MAX_LINE_BYTES) in error.user_message


def test_garbage_is_shown_exactly_as_received(events):
    with ScriptedServer([Send("HELLO")]) as server:
        error = failed_send(server, events)
    assert events.lines("S") == ["HELLO"]
    assert error.exit_code is ExitCode.CONNECTION
    assert error.stage is Stage.GREETING
    assert "could not be understood" in error.user_message
    assert "HELLO" in error.user_message
    assert error.server_text == "HELLO"


def test_garbage_inside_a_multiline_reply_is_shown_as_received(events):
    script = ehlo_then(Send("250-mx.test.example\r\n250-PIPELINING\r\nSIZE 1000\r\n250 OK"))
    with ScriptedServer(script) as server:
        error = failed_send(server, events)
    assert events.lines("S")[-2:] == ["250-PIPELINING", "SIZE 1000"]
    assert error.stage is Stage.EHLO
    assert "could not be understood" in error.user_message
    assert "SIZE 1000" in error.user_message


@pytest.mark.parametrize("line", ["25", "2500 OK", "ABC hello", "250x"])
def test_almost_replies_are_not_replies(events, line):
    with ScriptedServer([Send(line)]) as server:
        error = failed_send(server, events)
    assert events.lines("S") == [line]
    assert "could not be understood" in error.user_message


def test_undecodable_bytes_are_shown_escaped_not_replaced(events):
    with ScriptedServer([Send(b"\xff\xfeHI")]) as server:
        error = failed_send(server, events)
    assert events.lines("S") == ["\\xff\\xfeHI"]
    assert "\\xff\\xfeHI" in error.user_message


def test_an_endless_reply_to_the_final_dot_is_an_unknown_outcome(events):
    with ScriptedServer(accepting_dialogue(after_dot=[Repeat("250-queued")])) as server:
        error = failed_send(server, events)
    assert error.stage is Stage.FINAL_DOT
    assert error.exit_code is ExitCode.UNKNOWN
