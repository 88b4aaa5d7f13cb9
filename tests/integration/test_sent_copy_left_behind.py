"""A message the server accepted whose outbox copy cannot be removed is still "sent".

On Windows another program holding the file open (an editor, an antivirus scan) makes
the removal fail; elsewhere the folder may have turned read-only. Reporting that as a
failed send invites the user to send again: a duplicate. The copy stays, marked
unknown (never sent again by itself), and the result says to delete it.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from mailcomposer.store import outbox as outbox_module
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.outboxqueue import OutboxQueue, settings_fields
from mailcomposer.store.paths import Home
from mailcomposer.submission import State, Submission
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import make_built, settings_for


@pytest.fixture
def removal_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unlinking an outbox file fails, as when another program holds it open on Windows."""

    def held_open(self: Outbox, entry_id: str) -> None:
        raise PermissionError(13, "The file is being used by another process")

    monkeypatch.setattr(outbox_module.Outbox, "remove", held_open)


def test_a_send_whose_copy_stays_is_sent_with_a_warning(tmp_path: Path, removal_fails) -> None:
    home = Home(tmp_path)
    built = make_built(subject="Sent once 只发一次")
    with SmtpTestServer() as server:
        submission = Submission(home, settings_for(server), None, built)
        result = submission.run(on_event=lambda _event: None)
        assert len(server.received) == 1

    assert submission.state is State.SENT
    assert result.message_id.strip("<>") == built.message_id.strip("<>")
    [warning] = result.warnings
    assert "was sent" in warning and "do not send it again" in warning
    [entry] = Outbox(home).pending()
    assert entry.state is OutboxState.UNKNOWN and "was sent" in entry.last_error
    assert OutboxQueue(home).due() == []


def test_an_outbox_entry_sent_by_the_queue_is_never_sent_twice(
    tmp_path: Path, removal_fails
) -> None:
    home = Home(tmp_path)
    queue = OutboxQueue(home)
    with SmtpTestServer() as server:
        settings = settings_for(server)
        due = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
        entry = queue.schedule(make_built(), due, settings=settings_fields(settings))

        def run(stored):
            return Submission(home, settings, None, None, entry=stored).run(lambda _e: None)

        attempt = queue.send_entry(entry.id, run)
        assert attempt.result is not None and attempt.result.warnings
        assert queue.due() == []  # the next run sends nothing
        assert len(server.received) == 1

    assert queue.get(entry.id).state is OutboxState.UNKNOWN
