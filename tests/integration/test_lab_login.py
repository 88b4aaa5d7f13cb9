"""AUTH you can learn from, safely: decoded only for the lab's own server on this computer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mailcomposer import cli
from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message
from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.sandbox.server import SandboxServer
from mailcomposer.smtp.recorder import Recorder, decode_login_line
from mailcomposer.smtp.session import send
from mailcomposer.smtp.transcript import Direction
from tests.smtp_fixtures import EventLog

LAB = SandboxConfig(auth=("student", "s3cr3t-lab"))


def built():
    return build_message(
        Draft(from_addr="ann@example.org", to="bob@example.org", subject="s", text="hi")
    )


@pytest.mark.parametrize("mechanism", ["plain", "login"])
def test_the_lab_server_shows_the_login_decoded_when_asked(tmp_path, mechanism):
    from mailcomposer.smtp.settings import AuthMethod

    with SandboxServer(tmp_path / "Maildir", config=LAB, cert_dir=tmp_path) as server:
        settings = replace(server.settings(show_login=True), auth=AuthMethod(mechanism))
        events = EventLog()
        send(settings, server.secret(), built(), on_event=events)
    client = [e for e in events if e.direction is Direction.CLIENT]
    explained = " ".join(e.explanation for e in client)
    if mechanism == "plain":
        assert any(e.text.startswith("AUTH PLAIN AHN0dWRlbnQAczNjcjN0LWxhYg") for e in client)
        assert "\\0student\\0s3cr3t-lab" in explained
    else:
        assert "student" in explained and "s3cr3t-lab" in explained
    assert "RFC 4954 §4" in [r.label for e in client for r in e.refs]


def test_without_asking_the_login_stays_masked(tmp_path):
    with SandboxServer(tmp_path / "Maildir", config=LAB, cert_dir=tmp_path) as server:
        events = EventLog()
        send(server.settings(), server.secret(), built(), on_event=events)
    text = " ".join(e.text + e.explanation for e in events)
    assert "s3cr3t-lab" not in text and "czNjcjN0LWxhYg" not in text
    assert "AUTH PLAIN ****" in text


def test_a_server_off_this_computer_never_shows_the_login():
    from mailcomposer.smtp.session import Connection
    from mailcomposer.smtp.settings import ServerSettings

    connection = Connection(
        ServerSettings("smtp.example.org", 587, show_lab_login=True), None, on_event=lambda e: None
    )
    assert connection._recorder.reveal_login is False
    recorder = Recorder(lambda e: None)
    assert recorder.reveal_login is False


def test_decoding_shows_nul_bytes():
    assert (
        decode_login_line("AUTH PLAIN AHN0dWRlbnQAcGFzc3dvcmQ=")
        == "AUTH PLAIN \\0student\\0password"
    )
    assert decode_login_line("c3R1ZGVudA==") == "student"


def test_the_cli_refuses_show_login_for_another_server(capsys):
    code = cli.main(
        ["send", "--server", "smtp.example.org:587", "--from", "a@example.org", "--to",
         "b@example.org", "--subject", "s", "--text", "x", "--show-login"]
    )  # fmt: skip
    assert code == 2
    assert "--show-login" in capsys.readouterr().err
