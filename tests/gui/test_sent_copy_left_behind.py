"""The window: a message sent whose outbox copy cannot be removed is reported as sent."""

from __future__ import annotations

import pytest

from mailcomposer.store import outbox as outbox_module
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from tests.gui.test_send_gui import maildir_messages, send_and_wait


def test_the_window_says_sent_and_keeps_the_copy_marked(
    qtbot, window, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    def held_open(self: Outbox, entry_id: str) -> None:
        raise PermissionError(13, "The file is being used by another process")

    monkeypatch.setattr(outbox_module.Outbox, "remove", held_open)
    window.to_field.setText("Bo <bo@example.org>")
    window.subject_field.setText("只发一次 once")
    window.editor.setPlainText("Hello")

    send_and_wait(qtbot, window)

    assert window.last_error is None
    assert window.last_result is not None
    assert any("do not send it again" in w for w in window.last_result.warnings)
    assert len(maildir_messages(home)) == 1
    [entry] = Outbox(home).pending()
    assert entry.state is OutboxState.UNKNOWN


def test_a_draft_that_cannot_be_removed_after_the_send_leaves_it_sent(
    qtbot, window, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mailcomposer.store.drafts import DraftStore

    window.to_field.setText("Bo <bo@example.org>")
    window.subject_field.setText("read-only home 只读")
    window.editor.setPlainText("Hello")
    assert window.draft_keeper.write_now()

    def read_only(self: DraftStore) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(DraftStore, "clear", read_only)
    send_and_wait(qtbot, window)

    assert window.last_error is None and window.last_result is not None
    assert len(maildir_messages(home)) == 1
    assert not window.draft_keeper.is_modified()  # the sent message is not "unsaved work"
