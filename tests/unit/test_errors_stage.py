"""Which stage a client command starts, and what a progress bar says for it."""

from __future__ import annotations

from mailcomposer.smtp.errors import Stage, stage_of_command, stage_progress


def test_each_command_starts_its_stage() -> None:
    assert stage_of_command("EHLO me.example") is Stage.EHLO
    assert stage_of_command("helo me") is Stage.EHLO
    assert stage_of_command("AUTH PLAIN ****") is Stage.AUTH
    assert stage_of_command("RCPT TO:<a@b.org>") is Stage.RCPT
    assert stage_of_command(".") is Stage.FINAL_DOT
    assert stage_of_command("NOOP") is None
    assert stage_of_command("") is None


def test_every_stage_has_words_for_a_progress_bar() -> None:
    for stage in Stage:
        assert stage_progress(stage).endswith("…")
    assert stage_progress(Stage.FINAL_DOT) == "Waiting for the server to accept the message…"
