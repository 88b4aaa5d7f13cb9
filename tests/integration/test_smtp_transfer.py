"""smtp.session.send while moving the message: progress, cancel, dropped connections, timeouts."""

from __future__ import annotations

import threading
import time

import pytest

from mailcomposer.message.draft import Attachment
from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import CHUNK_SIZE, CancelToken, open_session, send
from mailcomposer.smtp.settings import Secret, Timeouts
from tests.servers import (
    ACCEPTED,
    GREETING,
    OK,
    START_INPUT,
    Close,
    Expect,
    Hang,
    ReadData,
    ScriptedServer,
    Send,
    SmtpTestServer,
    Stall,
    accepting_dialogue,
    ehlo_reply,
    free_port,
)
from tests.smtp_fixtures import make_built, settings_for

QUICK = Timeouts(connect=2.0, command=0.5, final_dot=0.5)


def big_built(size: int):
    data = bytes(range(256)) * (size // 256)
    return make_built(attachments=[Attachment(filename="big.bin", data=data)])


def test_data_is_summarised_not_shown(smtp_server, events):
    built = make_built(subject="Quarterly numbers", text="the secret plan\n")
    send(settings_for(smtp_server), None, built, on_event=events)

    size = built.wire(eight_bit=True).size
    assert f"DATA: {size:,} bytes — text/plain" in events.lines("*")
    assert "Quarterly numbers" not in events.text
    assert "secret plan" not in events.text
    assert events.lines("C")[-2:] == [".", "QUIT"]


def test_progress_reports_every_chunk_up_to_the_total(smtp_server, events):
    built = big_built(600_000)
    progress: list[tuple[int, int]] = []
    result = send(
        settings_for(smtp_server),
        None,
        built,
        on_event=events,
        on_progress=lambda *a: progress.append(a),
    )

    total = built.wire(eight_bit=True).size
    assert progress[0] == (0, total)
    assert progress[-1] == (total, total)
    sent = [p[0] for p in progress]
    assert sent == sorted(sent)
    assert len(progress) >= total // CHUNK_SIZE
    assert result.size == total
    assert len(smtp_server.received[0].data) == total


def test_cancel_from_progress_stops_before_the_final_dot(smtp_server, events):
    token = CancelToken()

    def on_progress(sent: int, total: int) -> None:
        if sent > 0:
            token.cancel()

    with pytest.raises(SendError) as info:
        send(
            settings_for(smtp_server),
            None,
            big_built(1_000_000),
            on_event=events,
            on_progress=on_progress,
            cancel=token,
        )
    assert info.value.exit_code is ExitCode.CANCELLED
    assert "not sent" in info.value.user_message
    assert smtp_server.received == []
    assert "." not in events.lines("C")


def test_cancel_from_another_thread_while_the_upload_is_blocked(events):
    token = CancelToken()
    started = threading.Event()
    script = [*accepting_dialogue()[:9], Stall()]  # the server stops reading after 354
    with ScriptedServer(script) as server:
        canceller = threading.Thread(target=lambda: started.wait(5) and token.cancel())
        canceller.start()
        begin = time.monotonic()
        with pytest.raises(SendError) as info:
            send(
                settings_for(server),
                None,
                big_built(12_000_000),
                on_event=events,
                on_progress=lambda sent, total: sent and started.set(),
                cancel=token,
            )
        canceller.join()
    assert info.value.exit_code is ExitCode.CANCELLED
    assert time.monotonic() - begin < 4


def _cancel_once(ready, token: CancelToken, cancelled_at: list[float]) -> threading.Thread:
    """Cancel from another thread as soon as ``ready()`` says the client is waiting.

    Waiting for the client to reach the stage (rather than a fixed delay) keeps the
    test about *where* the cancel lands even on a loaded machine.
    """

    def run() -> None:
        assert ready(), "the client never reached the stage under test"
        cancelled_at.append(time.monotonic())
        token.cancel()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_cancel_from_another_thread_while_waiting_for_the_greeting(events):
    token, cancelled_at = CancelToken(), []
    slow = Timeouts(connect=5, command=5, final_dot=5)
    with (
        ScriptedServer([Hang()]) as server,
        open_session(
            settings_for(server, timeouts=slow), None, on_event=events, cancel=token
        ) as conn,
    ):

        def in_greeting() -> bool:
            deadline = time.monotonic() + 30
            while conn.stage is not Stage.GREETING and time.monotonic() < deadline:
                time.sleep(0.005)
            return conn.stage is Stage.GREETING

        canceller = _cancel_once(in_greeting, token, cancelled_at)
        with pytest.raises(SendError) as info:
            conn.connect()
        canceller.join()
    assert info.value.exit_code is ExitCode.CANCELLED
    assert info.value.stage is Stage.GREETING
    assert time.monotonic() - cancelled_at[0] < 3, "cancel does not wait for the timeout"


@pytest.mark.parametrize(
    ("security", "script", "stage", "ready"),
    [
        ("tls", [Hang()], Stage.CONNECT, lambda server: server.accepted.wait(30)),
        (
            "none",
            [Send(GREETING), Expect("EHLO"), ehlo_reply("AUTH PLAIN"), Expect("AUTH"), Hang()],
            Stage.AUTH,
            lambda server: server.wait_for_command("AUTH"),
        ),
    ],
    ids=["tls-handshake", "auth"],
)
def test_cancel_from_another_thread_while_waiting(events, security, script, stage, ready):
    token, cancelled_at = CancelToken(), []
    slow = Timeouts(connect=5, command=5, final_dot=5)
    with ScriptedServer(script) as server:
        settings = settings_for(server, security, timeouts=slow, user="ann")
        canceller = _cancel_once(lambda: ready(server), token, cancelled_at)
        with pytest.raises(SendError) as info:
            send(settings, Secret("pw"), make_built(), on_event=events, cancel=token)
        canceller.join()
    assert info.value.exit_code is ExitCode.CANCELLED
    assert info.value.stage is stage
    assert time.monotonic() - cancelled_at[0] < 3, "cancel does not wait for the timeout"


def test_cancel_before_start_connects_nowhere(smtp_server, events):
    token = CancelToken()
    token.cancel()
    with pytest.raises(SendError) as info:
        send(settings_for(smtp_server), None, make_built(), on_event=events, cancel=token)
    assert info.value.exit_code is ExitCode.CANCELLED
    assert smtp_server.received == []


def test_connection_dropped_during_data(events):
    script = [*accepting_dialogue()[:9], ReadData(drop_after=10_000)]
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, big_built(8_000_000), on_event=events)
    assert info.value.exit_code is ExitCode.CONNECTION
    assert info.value.stage is Stage.UPLOAD


def test_connection_dropped_after_the_final_dot_is_unknown(events):
    script = accepting_dialogue(after_dot=[Close()])
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        send(settings_for(server), None, make_built(), on_event=events)
    error = info.value
    assert error.exit_code is ExitCode.UNKNOWN
    assert error.stage is Stage.FINAL_DOT
    assert "may have been delivered" in error.user_message


def test_no_reply_to_the_final_dot_is_unknown(events):
    script = accepting_dialogue(after_dot=[Hang()])
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        # Only the final-dot wait is short: the earlier replies must not time out on a
        # loaded machine, or the test would end at an earlier stage.
        timeouts = Timeouts(connect=10.0, command=10.0, final_dot=0.5)
        send(settings_for(server, timeouts=timeouts), None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.UNKNOWN


def test_quit_failure_after_acceptance_is_only_a_warning(events):
    with ScriptedServer(accepting_dialogue(after_dot=[Send(ACCEPTED), Close()])) as server:
        result = send(settings_for(server), None, make_built(), on_event=events)
    assert result.exit_code is ExitCode.OK
    assert result.final_reply == ACCEPTED.line
    assert len(result.warnings) == 1
    assert "was sent" in result.warnings[0]


def test_silent_server_times_out(events):
    with ScriptedServer([Hang()]) as server:
        begin = time.monotonic()
        with pytest.raises(SendError) as info:
            send(settings_for(server, timeouts=QUICK), None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.CONNECTION
    assert info.value.stage is Stage.GREETING
    assert time.monotonic() - begin < 3


def test_server_that_stops_answering_mid_session_times_out(events):
    script = [Send(GREETING), Expect("EHLO"), ehlo_reply(), Expect("MAIL"), Hang()]
    with ScriptedServer(script) as server, pytest.raises(SendError) as info:
        send(settings_for(server, timeouts=QUICK), None, make_built(), on_event=events)
    assert (info.value.stage, info.value.exit_code) == (Stage.MAIL, ExitCode.CONNECTION)
    assert "did not answer in time" in info.value.user_message


def test_nothing_listening_is_a_connection_error(events):
    port = free_port()
    server = SmtpTestServer()  # never started: only for host/port in settings_for
    server.port = port
    with pytest.raises(SendError) as info:
        send(settings_for(server), None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.CONNECTION
    assert str(port) in info.value.user_message


def test_a_message_without_final_crlf_still_ends_cleanly(events):
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply(),
        Expect("MAIL"),
        Send(OK),
        Expect("RCPT"),
        Send(OK),
        Expect("DATA"),
        Send(START_INPUT),
        ReadData(),
        Send(ACCEPTED),
        Expect("QUIT"),
        Close(),
    ]

    class NoTrailingCrlf:
        size = 5

        def data_chunks(self, chunk_size=65536):
            yield b"x: y\r\n\r\nbody"[:13]

    class Built:
        envelope = make_built().envelope
        message_id = "<id@example.test>"

        def summary(self):
            return "text/plain"

        def wire(self, eight_bit=False):
            return NoTrailingCrlf()

    with ScriptedServer(script) as server:
        send(settings_for(server), None, Built(), on_event=events)
    assert server.data == [b"x: y\r\n\r\nbody\r\n"]


@pytest.mark.slow
def test_25_mib_attachment_streams_from_disk(tmp_path, events):
    path = tmp_path / "big.bin"
    with path.open("wb") as out:
        block = bytes(range(256)) * 4096
        for _ in range(25 * 1024 * 1024 // len(block)):
            out.write(block)
    built = make_built(attachments=[Attachment(filename="big.bin", path=path)])
    with SmtpTestServer(data_size_limit=None) as server:
        begin = time.monotonic()
        result = send(settings_for(server), None, built, on_event=events)
        elapsed = time.monotonic() - begin
    assert result.exit_code is ExitCode.OK
    assert result.size > 34_000_000
    assert len(server.received[0].data) == result.size
    # About 2 s here; the benchmarks own the real budget. This only catches a pathological
    # slowdown (a quadratic loop, one giant sendall) without flaking on a loaded machine.
    assert elapsed < 30


def test_silent_tls_server_times_out_without_the_465_hint(events):
    with ScriptedServer([Hang()]) as server:
        settings = settings_for(server, "tls", timeouts=Timeouts(0.5, 0.5, 0.5))
        with pytest.raises(SendError) as info:
            send(settings, None, make_built(), on_event=events)
    assert info.value.exit_code is ExitCode.CONNECTION
    assert "choose TLS" not in info.value.user_message
    assert str(info.value) == info.value.user_message


def test_slow_reader_longer_than_the_command_timeout_succeeds(events):
    # 64 KiB every 35 ms: the upload (~2 s) outlasts the command timeout, no single
    # chunk does, with room for a loaded machine.
    script = accepting_dialogue()
    script[9] = ReadData(pause=0.035)
    built = big_built(4_000_000)
    timeouts = Timeouts(connect=10.0, command=1.0, final_dot=10.0)
    with ScriptedServer(script) as server:
        begin = time.monotonic()
        result = send(settings_for(server, timeouts=timeouts), None, built, on_event=events)
        elapsed = time.monotonic() - begin
    assert result.exit_code is ExitCode.OK
    assert elapsed > timeouts.command
    assert server.data == [b"".join(built.wire(eight_bit=True).data_chunks())]
