"""A real send explains itself: each RCPT names its field, DATA carries what was sent."""

from __future__ import annotations

from mailcomposer.smtp.rfc import ref
from mailcomposer.smtp.session import send
from mailcomposer.smtp.settings import Secret
from mailcomposer.smtp.transcript import Direction
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, make_built, settings_for


def rcpt_events(events):
    return [e for e in events if e.direction is Direction.CLIENT and e.text.startswith("RCPT")]


def test_each_rcpt_says_which_field_it_came_from(smtp_server, events):
    built = make_built(
        to="Bob <bob@example.test>",
        cc="carol@example.test",
        bcc="Dan <Dan@example.test>",
    )
    result = send(settings_for(smtp_server), None, built, on_event=events)

    assert set(result.accepted) == {"bob@example.test", "carol@example.test", "Dan@example.test"}
    by_address = {e.text.split("<")[1].rstrip(">"): e for e in rcpt_events(events)}
    assert "from the To field" in by_address["bob@example.test"].explanation
    assert "from the Cc field" in by_address["carol@example.test"].explanation
    bcc = by_address["Dan@example.test"]
    assert "from the Bcc field" in bcc.explanation
    # What is particular to this line first: a log cut at the window's edge still says it.
    assert bcc.explanation.startswith("This address is from the Bcc field")
    assert ref(5322, "3.6.3") in bcc.refs
    assert ref(5321, "4.1.1.3") in bcc.refs


def test_the_data_note_carries_the_message_as_sent(smtp_server, events):
    built = make_built(text="first line\n.dotted\nthird\n", bcc="hidden@example.test")
    send(settings_for(smtp_server), None, built, on_event=events)

    data_note = next(e for e in events if e.text.startswith("DATA: "))
    assert "Subject: Test message" in data_note.detail
    assert "first line" in data_note.detail
    assert "hidden@example.test" not in data_note.detail
    # The server received exactly what the preview shows, Bcc absent.
    received = smtp_server.received[-1].data.decode()
    assert "Subject: Test message" in received and "hidden@example.test" not in received
    # Only that note carries a detail; the transcript text stays summarised.
    assert [e for e in events if e.detail] == [data_note]
    assert "first line" not in events.text
    assert data_note.to_json()["detail"] == data_note.detail


def test_dot_stuffed_lines_are_explained(smtp_server, events):
    built = make_built(text="one\n.two\n.three\n")
    send(settings_for(smtp_server), None, built, on_event=events)

    stuffing = [e for e in events if ref(5321, "4.5.2") in e.refs]
    assert len(stuffing) == 1
    assert stuffing[0].direction is Direction.NOTE
    assert "2 lines of the message started with a dot" in stuffing[0].text
    assert smtp_server.received[-1].data.decode().count("\r\n.two") == 1  # unstuffed again


def test_no_dot_no_stuffing_note(smtp_server, events):
    send(settings_for(smtp_server), None, make_built(text="plain\n"), on_event=events)
    assert not [e for e in events if ref(5321, "4.5.2") in e.refs]


def test_explained_starttls_auth_send_has_refs_and_step_times(starttls_server, events):
    settings = settings_for(starttls_server, "starttls", user=AUTH_USER)
    send(settings, Secret(AUTH_PASSWORD), make_built(bcc="x@example.test"), on_event=events)

    replies = [e for e in events if e.direction is Direction.SERVER]
    last_lines = [e for e in replies if e.text[3:4] == " "]
    assert all(e.elapsed is not None and e.elapsed >= 0 for e in last_lines[1:])
    assert all(e.refs for e in last_lines)
    lines = [e.format(explain=True) for e in events]
    assert any("[RFC 3207 §4.2" in line for line in lines)  # the second EHLO
    auth_ok = next(line for line in lines if line.startswith("S: 235"))
    assert auth_ok.endswith((" ms)", " s)"))  # the step's time
