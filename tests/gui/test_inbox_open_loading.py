"""Open… on a big message and a refresh over many new ones run off the GUI thread.

Each job is wrapped (``needs_ticks``) so it cannot finish before a 10 ms GUI timer
has ticked three times: the test passes only if the event loop keeps running while
the job works, however fast or loaded the machine is.
"""

from __future__ import annotations

import threading
from email.message import EmailMessage

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mailcomposer.sandbox.server import write_maildir_message
from mailcomposer.ui import inbox, mimeview
from mailcomposer.ui.inbox import SYNC_BYTES, SYNC_FILES, SandboxInboxDialog
from mailcomposer.ui.inboxloader import running_loads, wait_for_loads
from mailcomposer.ui.mimeview import MimeViewDialog
from tests.gui.loopticks import Ticks, needs_ticks
from tests.gui.test_inbox_loading import big_message
from tests.unit.message.test_inspect import deep_multipart
from tests.unit.sandbox.previewmail import stored


@pytest.fixture
def maildir(tmp_path):
    return tmp_path / "Maildir"


@pytest.fixture(autouse=True)
def no_load_left():
    yield
    assert wait_for_loads(), "a load is still running"


def small(subject: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "alice@example.org"
    msg["To"] = "bob@example.net"
    msg["Subject"] = subject
    msg.set_content("hello\n")
    return stored(msg, "alice@example.org", ["bob@example.net", "hidden@example.com"])


def write_many(maildir, count: int) -> None:
    """``count`` small messages in new/ (no fsync each: the list is what is tested)."""
    folder = maildir / "new"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"1700000000.M{number}P1.test").write_bytes(small(f"message {number}"))


def opened(qtbot, maildir) -> SandboxInboxDialog:
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    qtbot.wait_until(lambda: not dialog.loader.loading)
    return dialog


def test_open_shows_the_view_at_once_and_parses_while_the_event_loop_runs(
    qtbot, maildir, monkeypatch
):
    big_message(maildir)
    dialog = opened(qtbot, maildir)
    ticks = Ticks()
    ran_on = needs_ticks(mimeview, "describe_file_job", ticks, monkeypatch)
    ticks.start()
    viewer = dialog.open_selected()
    # Shown before the parse: it says so, nothing of the message yet.
    assert viewer.isVisible() and viewer.loading
    assert viewer.summary.text() == "Loading…" and viewer.part_paths() == []
    with qtbot.wait_signal(viewer.loaded, timeout=30000):
        pass
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert not viewer.loading
    assert [p.strip() for p in viewer.part_paths()] == [
        "multipart/mixed",
        "text/plain",
        "application/octet-stream",
    ]
    assert viewer.summary.text().startswith("big — multipart/mixed, 2 parts")
    assert viewer.source_view.toPlainText().startswith("X-Peer:")


def test_the_double_click_opens_the_same_way(qtbot, maildir):
    big_message(maildir, 1)
    dialog = opened(qtbot, maildir)
    index = dialog.proxy.index(0, 0)
    dialog.table.doubleClicked.emit(index)
    (viewer,) = dialog.findChildren(MimeViewDialog, "mimeView")
    assert viewer.loading
    qtbot.wait_until(lambda: not viewer.loading, timeout=30000)
    assert viewer.part_paths()[-1].strip() == "application/octet-stream"


def test_closing_the_view_while_it_loads_is_clean(qtbot, maildir):
    big_message(maildir)
    dialog = opened(qtbot, maildir)
    viewer = dialog.open_selected()
    assert viewer.loading and running_loads() == 1
    filled = []
    viewer.loaded.connect(lambda: filled.append(True))
    gone = []
    viewer.destroyed.connect(lambda *_args: gone.append(True))
    viewer.close()  # at once: no waiting for the parse; the inbox then deletes it
    qtbot.wait_until(lambda: bool(gone))
    assert wait_for_loads()
    QApplication.processEvents()  # the dropped result, had it been relayed, lands here
    assert filled == [] and running_loads() == 0
    assert dialog.isVisible()


def test_a_hostile_message_opened_on_the_worker_says_why(qtbot, maildir):
    raw = deep_multipart(10_000)
    assert len(raw) > SYNC_BYTES  # the worker's path
    write_maildir_message(maildir, raw)
    dialog = opened(qtbot, maildir)
    viewer = dialog.open_selected()
    assert viewer.loading
    with qtbot.wait_signal(viewer.loaded, timeout=30000):
        pass
    assert viewer.message is None and viewer.part_paths() == []
    assert "levels deep" in viewer.summary.text()
    assert "levels deep" in viewer.findings.item(0).text()
    assert viewer.source_view.toPlainText().startswith("From: a@example.org")


def test_a_message_gone_before_it_is_read_says_so_and_the_list_follows(qtbot, maildir):
    big_message(maildir, 1)
    dialog = opened(qtbot, maildir)
    dialog.messages()[0].path.unlink()
    viewer = dialog.open_selected()
    with (
        qtbot.wait_signal(viewer.failed, timeout=30000) as failed,
        qtbot.wait_signal(dialog.refreshed),
    ):
        pass
    assert failed.args[0].startswith("Cannot read")
    assert viewer.summary.text() == failed.args[0]
    assert dialog.messages() == []


def test_a_refresh_over_many_new_messages_reads_them_on_a_worker(qtbot, maildir, monkeypatch):
    (maildir / "new").mkdir(parents=True)
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.watcher.blockSignals(True)  # only the call below refreshes
    count = 300
    assert count > SYNC_FILES
    write_many(maildir, count)
    ticks = Ticks()
    ran_on = needs_ticks(inbox, "_rows_job", ticks, monkeypatch)
    ticks.start()
    with qtbot.wait_signal(dialog.refreshed, timeout=30000) as refreshed:
        dialog.refresh()
        # It returned before reading: the list waits, the status says why.
        assert dialog.list_loader.loading and dialog.messages() == []
        assert dialog.status.text() == "Reading 300 messages…"
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert refreshed.args == [count] and len(dialog.messages()) == count
    row = [dialog.proxy.index(0, c).data() for c in range(6)]
    assert row[3] == "hidden@example.com" and row[4].startswith("message ")
    # Sorted as before: newest first by date, the column the table sorts on.
    assert dialog.table.horizontalHeader().sortIndicatorSection() == 0


def test_a_second_refresh_reads_only_what_changed(qtbot, maildir):
    write_many(maildir, 3)
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.table.selectRow(1)
    kept = dialog.selected_keys()
    first = {m.key: m for m in dialog.messages()}
    (maildir / "new" / "1700000000.M0P1.test").write_bytes(small("changed"))
    write_maildir_message(maildir, small("new one"))
    dialog.refresh()
    now = {m.key: m for m in dialog.messages()}
    assert len(now) == 4
    assert now["1700000000.M0P1.test"].subject == "changed"
    # The unchanged file was not read again: the very same description is shown.
    assert now["1700000000.M1P1.test"] is first["1700000000.M1P1.test"]
    assert dialog.selected_keys() == kept


def test_closing_the_inbox_while_its_list_loads_is_clean_and_showing_reads_again(qtbot, maildir):
    write_many(maildir, SYNC_FILES + 40)
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    assert dialog.list_loader.loading
    dialog.reject()
    assert not dialog.list_loader.loading
    assert wait_for_loads()
    QApplication.processEvents()
    assert dialog.messages() == []
    with qtbot.wait_signal(dialog.refreshed, timeout=30000):
        dialog.show()
    assert len(dialog.messages()) == SYNC_FILES + 40


def test_deleting_the_inbox_while_its_list_loads_is_clean(qtbot, maildir):
    write_many(maildir, SYNC_FILES + 40)
    dialog = SandboxInboxDialog(maildir)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    assert dialog.list_loader.loading and running_loads() == 1
    gone = []
    dialog.destroyed.connect(lambda *_args: gone.append(True))
    dialog.close()
    qtbot.wait_until(lambda: bool(gone))
    assert wait_for_loads()
    QApplication.processEvents()
    assert running_loads() == 0
