"""The send log keeps one line per envelope recipient, keyed as the envelope counts them.

RFC 5321 §2.4: ``Bob@`` and ``bob@`` may be two mailboxes (each with its own field
and its own RCPT reply), while a domain that differs only in case is one.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message
from mailcomposer.smtp.errors import SendResult
from mailcomposer.store.history import History
from mailcomposer.store.outboxqueue import OutboxQueue
from mailcomposer.store.paths import Home
from mailcomposer.submission import Submission
from tests.servers import NO_SUCH_USER, RecordingHandler, SmtpTestServer
from tests.smtp_fixtures import settings_for


class CaseSensitiveRefusal(RecordingHandler):
    """Refuses exactly the recipients named (local part case and all), accepts the rest."""

    def __init__(self, *refused: str) -> None:
        super().__init__()
        self.refused = set(refused)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return NO_SUCH_USER.line
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def send(home: Home, handler: RecordingHandler, **fields: str):
    built = build_message(
        Draft(from_addr="Ann <ann@example.org>", subject="Two Bobs", text="Hi.", **fields)
    )
    with SmtpTestServer(handler=handler) as server:
        result = Submission(home, settings_for(server), None, built).run(lambda event: None)
    history = History(home)
    try:
        [record] = history.recent()
    finally:
        history.close()
    return built, result, record


def test_two_local_parts_in_other_case_are_two_recipients_each_with_its_reply(home) -> None:
    handler = CaseSensitiveRefusal("bob@example.org")
    built, result, record = send(home, handler, to="Bob <bob@example.org>", bcc="Bob@example.org")
    assert built.envelope.recipients == ("bob@example.org", "Bob@example.org")
    assert isinstance(result, SendResult) and [r.address for r in result.refused] == [
        "bob@example.org"
    ]
    assert handler.received[0].rcpt_tos == ("Bob@example.org",)
    assert record.result == "partial"
    assert [(r["address"], r["field"], r["code"]) for r in record.rcpt_results] == [
        ("bob@example.org", "to", 550),
        ("Bob@example.org", "bcc", 250),
    ]


def test_a_domain_in_other_case_is_one_recipient(home) -> None:
    handler = RecordingHandler()
    built, _result, record = send(home, handler, to="bob@Example.ORG", bcc="bob@example.org")
    assert built.envelope.recipients == ("bob@Example.ORG",)
    assert handler.received[0].rcpt_tos == ("bob@Example.ORG",)
    assert [(r["address"], r["field"], r["code"]) for r in record.rcpt_results] == [
        ("bob@Example.ORG", "to", 250),
    ]


def test_an_idn_bcc_is_logged_as_bcc(home) -> None:
    # The envelope has the punycode, the Bcc list the Unicode the user typed.
    handler = RecordingHandler()
    built, _result, record = send(home, handler, to="bob@example.org", bcc="Wang@Bücher.example")
    assert built.envelope.recipients == ("bob@example.org", "Wang@xn--bcher-kva.example")
    assert [(r["address"], r["field"], r["code"]) for r in record.rcpt_results] == [
        ("bob@example.org", "to", 250),
        ("Wang@xn--bcher-kva.example", "bcc", 250),
    ]


def test_a_queued_copy_keeps_the_fields_apart(home) -> None:
    from mailcomposer.store.attemptlog import recipient_fields
    from mailcomposer.store.storedmessage import StoredMessage

    built = build_message(
        Draft(from_addr="ann@example.org", to="bob@example.org", bcc="Bob@example.org", text="x")
    )
    entry = OutboxQueue(home).schedule(built, datetime.datetime.now(datetime.UTC))
    assert recipient_fields(StoredMessage(entry)) == {
        "bob@example.org": "to",
        "Bob@example.org": "bcc",
    }
