"""The inbox reads and parses a big message on a worker thread: the window keeps running."""

from __future__ import annotations

import os
from email.message import EmailMessage

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mailcomposer.sandbox.preview import Limits
from mailcomposer.sandbox.server import write_maildir_message
from mailcomposer.ui.inbox import SYNC_BYTES, SandboxInboxDialog
from mailcomposer.ui.inboxloader import running_loads, wait_for_loads
from tests.gui.loopticks import Ticks, needs_ticks
from tests.unit.sandbox.previewmail import stored


@pytest.fixture
def maildir(tmp_path):
    return tmp_path / "Maildir"  # its folders come with the first message


@pytest.fixture(autouse=True)
def no_load_left():
    yield
    assert wait_for_loads(), "a preview load is still running"


def big_message(maildir, megabytes: int = 4) -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["To"] = "b@example.org"
    msg["Subject"] = "big"
    msg.set_content("see attachment")
    msg.add_attachment(
        os.urandom(megabytes * 1024 * 1024),
        maintype="application",
        subtype="octet-stream",
        filename="big.bin",
    )
    write_maildir_message(maildir, stored(msg, "a@example.org", ["b@example.org"]))


def test_show_the_whole_message_parses_while_the_event_loop_runs(qtbot, maildir, monkeypatch):
    import threading

    from mailcomposer.ui import inboxloader

    big_message(maildir)
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.limits = Limits(auto_bytes=1000)  # a big message, as far as the preview knows
    with qtbot.wait_signal(dialog.previewed):
        dialog.table.selectRow(0)
    tab = dialog.preview.message_tab
    assert dialog.preview.preview.deferred
    ticks = Ticks()
    # The job cannot end before the timer ticked three times: only a loop that keeps
    # running while it reads and parses lets the test pass, however loaded the machine.
    ran_on = needs_ticks(inboxloader, "_preview_job", ticks, monkeypatch)
    ticks.start()
    with qtbot.wait_signal(dialog.previewed, timeout=30000):
        tab.whole_button.click()
        # The click returned before the parse: the button says so, the headers stay.
        assert dialog.preview.preview.deferred
        assert tab.whole_button.text() == "Loading…" and not tab.whole_button.isEnabled()
        assert dialog.loader.loading
    ticks.stop()
    # The 10 ms timer kept firing while the message was read and parsed.
    assert ticks.count >= 3 and ran_on == [ran_on[0]] and ran_on[0] is not threading.main_thread()
    preview = dialog.preview.preview
    assert not preview.deferred and [a.filename for a in preview.attachments] == ["big.bin"]
    assert tab.whole_button.text() == "Show the whole message" and tab.whole_button.isEnabled()
    assert dialog.preview.attachments_tab.table.rowCount() == 1


def test_selecting_a_big_message_says_loading_then_shows_it(qtbot, maildir):
    big_message(maildir, 1)
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    assert dialog.messages()[0].size > SYNC_BYTES
    with qtbot.wait_signal(dialog.previewed):
        dialog.table.selectRow(0)
        assert dialog.preview.message_tab.body.toPlainText() == "Loading…"
    assert dialog.preview.message_tab.body.toPlainText() == "see attachment\n"
    assert dialog.preview.isEnabled()


def test_closing_while_it_loads_is_clean(qtbot, maildir):
    big_message(maildir)
    dialog = SandboxInboxDialog(maildir)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # as the window opens it
    dialog.show()
    shown = []
    dialog.previewed.connect(shown.append)
    dialog.table.selectRow(0)
    assert dialog.loader.loading and running_loads() == 1
    gone = []
    dialog.destroyed.connect(lambda *_args: gone.append(True))
    dialog.close()  # at once: no waiting for the parse
    qtbot.wait_until(lambda: bool(gone))
    assert wait_for_loads()
    QApplication.processEvents()  # the dropped result, had it been relayed, lands here
    assert shown == [] and running_loads() == 0


def test_closing_then_showing_again_loads_the_message_again(qtbot, maildir):
    big_message(maildir, 1)
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    dialog.reject()
    assert not dialog.loader.loading
    assert dialog.preview.message_tab.body.toPlainText().startswith("Select a message")
    with qtbot.wait_signal(dialog.previewed):
        dialog.show()
    assert dialog.preview.message_tab.body.toPlainText() == "see attachment\n"
