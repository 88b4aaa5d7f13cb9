"""Pin: a cancel while the client waits for the reply to the final dot is "outcome unknown".

The server may already hold the whole message, so the send must end with exit 8
(never 7, "cancelled"), and the Submission must keep the outbox copy, marked unknown,
so the user can check before resending.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.session import CancelToken, open_session
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from mailcomposer.submission import State, Submission
from tests.servers import Hang, ScriptedServer, accepting_dialogue
from tests.smtp_fixtures import make_built, settings_for


def cancel_after_the_dot(server: ScriptedServer, token: CancelToken) -> threading.Thread:
    """Cancel from another thread once the server has read the final dot."""

    def cancel() -> None:
        if server.wait_for_data():
            token.cancel()

    thread = threading.Thread(target=cancel, name="cancel after the dot")
    thread.start()
    return thread


def test_the_session_reports_a_cancel_after_the_dot_as_unknown(events):
    token = CancelToken()
    with ScriptedServer(accepting_dialogue(after_dot=[Hang()])) as server:
        thread = cancel_after_the_dot(server, token)
        with (
            pytest.raises(SendError) as caught,
            open_session(settings_for(server), None, on_event=events, cancel=token) as connection,
        ):
            connection.connect()
            connection.ehlo()
            connection.transfer(make_built())
        thread.join()
    assert token.cancelled
    assert caught.value.exit_code is ExitCode.UNKNOWN
    assert caught.value.stage is Stage.FINAL_DOT


def test_the_submission_keeps_the_outbox_copy_after_a_cancel_at_the_dot(tmp_path: Path, events):
    home = Home(tmp_path / "home")
    token = CancelToken()
    built = make_built()
    with ScriptedServer(accepting_dialogue(after_dot=[Hang()])) as server:
        submission = Submission(home, settings_for(server), None, built, "Lab")
        thread = cancel_after_the_dot(server, token)
        with pytest.raises(SendError) as caught:
            submission.run(events, cancel=token)
        thread.join()
    assert caught.value.exit_code is ExitCode.UNKNOWN
    assert caught.value.exit_code is not ExitCode.CANCELLED
    assert submission.state is State.UNKNOWN
    [entry] = Outbox(home).pending()
    assert entry.state is OutboxState.UNKNOWN
    assert entry.id == submission.outbox_id
