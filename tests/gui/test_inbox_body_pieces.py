"""The inbox shows a long plain-text body a piece at a time, the first screen at once."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailcomposer.sandbox.server import write_maildir_message
from mailcomposer.ui import inboxfill
from mailcomposer.ui.inbox import SandboxInboxDialog
from mailcomposer.ui.inboxloader import wait_for_loads
from tests.unit.sandbox.previewmail import stored

TEXT = "".join(f"Line {n} of a long letter.\n" for n in range(3000))


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr(inboxfill, "PIECE_CHARS", 8 * 1024)
    monkeypatch.setattr(inboxfill, "FIRST_CHARS", 2048)
    yield
    assert wait_for_loads()


def test_a_long_body_goes_in_piece_by_piece(qtbot, tmp_path):
    msg = EmailMessage()
    msg["Subject"] = "long"
    msg.set_content(TEXT)
    write_maildir_message(tmp_path, stored(msg, "a@example.org", ["b@example.org"]))
    dialog = SandboxInboxDialog(tmp_path)
    qtbot.add_widget(dialog)
    body = dialog.preview.message_tab.body
    with qtbot.wait_signal(body.filler.filled, timeout=20000):
        with qtbot.wait_signal(dialog.previewed, timeout=20000):
            dialog.table.selectRow(0)
        # Shown: the first screen; the rest follows over the next turns of the event loop.
        assert dialog.preview.message_tab.filling
        first = body.toPlainText()
        assert 0 < len(first) <= 2 * 2048 and TEXT.startswith(first)
    assert body.toPlainText() == TEXT
    assert not dialog.preview.message_tab.filling
