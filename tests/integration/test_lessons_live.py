"""Each lesson's server, sent to for real: the transcript shows what the lesson asks about."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.lessons.catalog import REFUSED, SIZE_LIMIT, lesson
from mailcomposer.lessons.model import check
from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.message.mime import build_message
from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import SERVER_HOSTNAME, SandboxServer
from mailcomposer.smtp.errors import SendError, SendResult
from mailcomposer.smtp.session import send
from mailcomposer.smtp.transcript import Direction, TranscriptEvent


class Run:
    """One send's outcome and transcript."""

    def __init__(self, server: SandboxServer, draft: Draft) -> None:
        self.events: list[TranscriptEvent] = []
        self.result: SendResult | None = None
        self.error: SendError | None = None
        try:
            self.result = send(
                server.settings(),
                server.secret(),
                build_message(draft),
                on_event=self.events.append,
            )
        except SendError as exc:
            self.error = exc

    def reply_to(self, command: str) -> list[TranscriptEvent]:
        """The server lines answering each client line that starts with ``command``."""
        replies: list[TranscriptEvent] = []
        waiting = False
        for event in self.events:
            if event.direction is Direction.CLIENT:
                waiting = event.text.upper().startswith(command.upper())
            elif event.direction is Direction.SERVER and waiting:
                replies.append(event)
        return replies

    def ehlo_keywords(self) -> list[set[str]]:
        """The keywords of each EHLO reply, in order (its first line names the host)."""
        groups: list[set[str]] = []
        for event in self.reply_to("EHLO"):
            word = event.text[4:].split(" ")[0].upper()
            if word == SERVER_HOSTNAME.upper():
                groups.append(set())
            elif groups:
                groups[-1].add(word)
        return groups


@pytest.fixture
def start(tmp_path: Path):
    servers: list[SandboxServer] = []

    def start_for(key: str) -> SandboxServer:
        server = SandboxServer(
            tmp_path / "Maildir", cert_dir=tmp_path / "certs", config=lesson(key).config
        ).start()
        servers.append(server)
        return server

    yield start_for
    for server in servers:
        server.stop()


def draft(**fields: object) -> Draft:
    return Draft(from_addr="ann@example.org", subject="Lesson", text="Hello\n", **fields)


def test_envelope_lesson(start) -> None:
    run = Run(start("envelope"), draft(to="bob@example.org"))
    assert run.result is not None
    [mail] = [e for e in run.events if e.direction is Direction.CLIENT and "<ann@" in e.text]
    question = lesson("envelope").question("sender")
    assert check(question, mail.text.split(":<")[0]).correct
    [data_reply] = run.reply_to("DATA")
    assert data_reply.code == 354


def test_bcc_lesson(start, tmp_path: Path) -> None:
    run = Run(start("bcc"), draft(to="bob@example.org", bcc="carol@example.org"))
    assert run.result is not None
    rcpts = [
        e.text for e in run.events if e.direction is Direction.CLIENT and e.text.startswith("RCPT")
    ]
    assert rcpts == ["RCPT TO:<bob@example.org>", "RCPT TO:<carol@example.org>"]
    assert check(lesson("bcc").question("count"), str(len(rcpts))).correct
    [stored] = Inbox(tmp_path / "Maildir").messages()
    headers = stored.raw().split(b"\r\n\r\n")[0]
    # Only the server's own envelope record names carol; no header of the message does.
    assert [line for line in headers.split(b"\r\n") if b"carol" in line] == [
        b"X-RcptTo: bob@example.org, carol@example.org"
    ]


def test_starttls_lesson(start) -> None:
    run = Run(start("starttls"), draft(to="bob@example.org"))
    assert run.result is not None
    [starttls_reply] = run.reply_to("STARTTLS")
    assert starttls_reply.code == 220 and not starttls_reply.secure
    after = run.events[run.events.index(starttls_reply) + 1 :]
    assert all(e.secure for e in after if e.direction is not Direction.NOTE)
    before_tls, after_tls = run.ehlo_keywords()
    assert before_tls - after_tls == {"STARTTLS"}
    assert check(lesson("starttls").question("gone"), "STARTTLS").correct


def test_auth_lesson(start) -> None:
    run = Run(start("auth"), draft(to="bob@example.org"))
    assert run.result is not None
    before_tls, after_tls = run.ehlo_keywords()
    assert "AUTH" not in before_tls and "AUTH" in after_tls
    assert [e.code for e in run.reply_to("AUTH")][-1] == 235
    assert check(lesson("auth").question("235"), "235").correct


def test_refusals_lesson_first_greylisted_then_accepted(start) -> None:
    server = start("refusals")
    recipients = f"bob@example.org, {REFUSED}"
    first = Run(server, draft(to=recipients))
    assert first.error is not None  # every recipient refused: nothing sent
    assert [(e.code, e.text.split(" ")[1]) for e in first.reply_to("RCPT")] == [
        (451, "4.7.1"),
        (550, "5.1.1"),
    ]
    second = Run(server, draft(to=recipients))
    assert second.result is not None
    assert second.result.accepted == ("bob@example.org",)
    assert [e.code for e in second.reply_to("RCPT")] == [250, 550]
    refusals = lesson("refusals")
    assert check(
        refusals.question("refused"), str(second.reply_to(f"RCPT TO:<{REFUSED}")[0].code)
    ).correct
    first_choice = refusals.question("first").choices[refusals.question("first").correct]
    assert first_choice.startswith("451")


def test_size_lesson(start) -> None:
    big = Attachment(filename="photo.jpg", data=b"\xff\xd8" + bytes(SIZE_LIMIT))
    run = Run(start("size"), draft(to="bob@example.org", attachments=[big]))
    assert run.error is not None
    [keywords] = run.ehlo_keywords()
    assert "SIZE" in keywords
    [size_line] = [e.text for e in run.reply_to("EHLO") if "SIZE" in e.text]
    assert check(lesson("size").question("announced"), size_line.split()[-1]).correct
    assert run.error.code == 552
