"""Lint, an image part, from_file, File → Open and the History's open run on worker threads.

Each job is wrapped so it cannot finish before a 10 ms GUI timer has ticked three
times: it only ends, and the test only passes, if the event loop keeps running
while the job works (responsiveness, not speed). Closing mid-job is clean.
"""

from __future__ import annotations

import os
import threading
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from mailcomposer.ui import emlopen, mimeview
from mailcomposer.ui.inboxloader import running_loads, wait_for_loads
from mailcomposer.ui.mimeview import MimeViewDialog
from tests.gui.loopticks import Ticks, needs_ticks
from tests.gui.test_mimeview import multipart_message
from tests.unit.message.test_inspect import deep_multipart


@pytest.fixture(autouse=True)
def no_load_left():
    yield
    assert wait_for_loads(), "a load is still running"


def big_eml(tmp_path: Path, megabytes: int = 2) -> Path:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["To"] = "b@example.org"
    msg["Subject"] = "big"
    msg["Date"] = "Sun, 06 Dec 2026 04:30:00 +0000"
    msg["Message-ID"] = "<big@example.org>"
    msg.set_content("see attachment")
    msg.add_attachment(
        os.urandom(megabytes * 1024 * 1024), maintype="application", subtype="octet-stream",
        filename="big.bin",
    )  # fmt: skip
    path = tmp_path / "big.eml"
    path.write_bytes(msg.as_bytes())
    return path


def loaded(qtbot, path: Path) -> MimeViewDialog:
    view = MimeViewDialog()
    qtbot.add_widget(view)
    view.show()
    with qtbot.wait_signal(view.loaded, timeout=30000):
        view.load_file(path)
    return view


# ---------------------------------------------------------------- Check the message


def test_check_the_message_runs_while_the_event_loop_runs(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(mimeview, "LINT_AUTO_LIMIT", 1000)
    view = loaded(qtbot, big_eml(tmp_path))
    assert not view.lint_button.isHidden()
    ticks = Ticks()
    ran_on = needs_ticks(mimeview, "check_job", ticks, monkeypatch)
    ticks.start()
    with qtbot.wait_signal(view.checked, timeout=30000):
        view.lint_button.click()
        assert view.checking and not view.lint_button.isEnabled()
        assert view.lint_button.text() == "Checking…"
        assert view.findings.item(0).text() == "Checking…"
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert view.lint_button.isHidden() and not view.checking
    texts = [view.findings.item(i).text() for i in range(view.findings.count())]
    # The attachment message written with LF line ends: the lint says so.
    assert any("bare LF" in text for text in texts), texts


def test_closing_while_checking_is_clean(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(mimeview, "LINT_AUTO_LIMIT", 1000)
    view = loaded(qtbot, big_eml(tmp_path))
    release = threading.Event()
    needs_ticks(mimeview, "check_job", Ticks(), monkeypatch, release)
    checked = []
    view.checked.connect(lambda: checked.append(True))
    view.lint_button.click()
    assert view.checking and running_loads() == 1
    view.close()
    assert not view.checking
    release.set()
    assert wait_for_loads()
    QApplication.processEvents()  # a relayed result would land here
    assert checked == [] and running_loads() == 0


# ---------------------------------------------------------------- an image part


def image_message() -> bytes:
    return multipart_message()


def image_index(view: MimeViewDialog):
    related = view.model.index(1, 0, view.model.index(0, 0, view.model.index(0, 0)))
    index = view.model.index(1, 0, related)
    assert index.data() == "image/png"
    return index


def test_an_image_part_is_decoded_while_the_event_loop_runs(qtbot, monkeypatch):
    view = MimeViewDialog(image_message())
    qtbot.add_widget(view)
    ticks = Ticks()
    ran_on = needs_ticks(mimeview, "image_job", ticks, monkeypatch)
    ticks.start()
    with qtbot.wait_signal(view.image_shown, timeout=30000):
        view.tree.setCurrentIndex(image_index(view))
        assert view.content_view.toPlainText() == "Loading…"
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert view.content_stack.currentIndex() == 1 and not view.image_view.pixmap().isNull()


def test_selecting_another_part_or_closing_drops_the_picture(qtbot, monkeypatch):
    view = MimeViewDialog(image_message())
    qtbot.add_widget(view)
    view.show()  # closing a dialog never shown does not close it
    release = threading.Event()
    needs_ticks(mimeview, "image_job", Ticks(), monkeypatch, release)
    shown = []
    view.image_shown.connect(lambda: shown.append(True))
    view.tree.setCurrentIndex(image_index(view))
    view.tree.setCurrentIndex(view.model.index(0, 0))  # the message itself: a container
    view.tree.setCurrentIndex(image_index(view))
    view.close()
    release.set()
    assert wait_for_loads()
    QApplication.processEvents()
    assert shown == [] and view.content_stack.currentIndex() == 0


@pytest.mark.qt_log_ignore("QImageIOHandler: Rejecting image")
def test_a_picture_too_big_to_allocate_is_described_as_binary(qtbot):
    """A PNG header may claim 60,000 × 60,000 pixels (14 GB): refused, not allocated."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 6, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
    )
    bomb += chunk(b"IEND", b"")
    msg = EmailMessage()
    msg["Subject"] = "bomb"
    msg.set_content("see")
    msg.add_attachment(bomb, maintype="image", subtype="png", filename="bomb.png")
    view = MimeViewDialog(msg.as_bytes())
    qtbot.add_widget(view)
    with qtbot.wait_signal(view.image_shown, timeout=30000):
        view.tree.setCurrentIndex(view.model.index(1, 0, view.model.index(0, 0)))
    assert view.content_stack.currentIndex() == 0
    assert view.content_view.toPlainText() == f"binary, {len(bomb):,} bytes"


# ---------------------------------------------------------------- from_file and set_raw


def test_from_file_parses_while_the_event_loop_runs(qtbot, tmp_path, monkeypatch):
    path = big_eml(tmp_path)
    ticks = Ticks()
    ran_on = needs_ticks(mimeview, "describe_file_job", ticks, monkeypatch)
    ticks.start()
    view = MimeViewDialog.from_file(path)
    qtbot.add_widget(view)
    assert view.loading and view.summary.text() == "Loading…"
    assert view.windowTitle() == "Message structure: big.eml"
    with qtbot.wait_signal(view.loaded, timeout=30000):
        pass
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert view.part_paths()[-1].strip() == "application/octet-stream"


def test_from_file_of_a_missing_file_says_why(qtbot, tmp_path):
    view = MimeViewDialog.from_file(tmp_path / "gone.eml")
    qtbot.add_widget(view)
    with qtbot.wait_signal(view.failed, timeout=30000) as failed:
        pass
    assert failed.args[0].startswith("Cannot read") and view.summary.text() == failed.args[0]


def test_closing_from_file_mid_load_is_clean(qtbot, tmp_path, monkeypatch):
    release = threading.Event()
    needs_ticks(mimeview, "describe_file_job", Ticks(), monkeypatch, release)
    view = MimeViewDialog.from_file(big_eml(tmp_path))
    qtbot.add_widget(view)
    view.show()
    filled = []
    view.loaded.connect(lambda: filled.append(True))
    view.close()
    release.set()
    assert wait_for_loads()
    QApplication.processEvents()
    assert filled == [] and view.message is None and view.part_paths() == []


def test_a_big_hostile_raw_message_is_refused_on_the_worker(qtbot):
    raw = deep_multipart(10_000)
    assert len(raw) > mimeview.SYNC_BYTES
    view = MimeViewDialog()
    qtbot.add_widget(view)
    with qtbot.wait_signal(view.loaded, timeout=30000):
        view.set_raw(raw)
        assert view.loading
    assert view.message is None and "levels deep" in view.summary.text()


# ---------------------------------------------------------------- File → Open in the composer


def test_file_open_reads_on_a_worker_then_fills_the_window(qtbot, window, tmp_path, monkeypatch):
    path = big_eml(tmp_path)
    ticks = Ticks()
    ran_on = needs_ticks(emlopen, "read_eml_job", ticks, monkeypatch)
    ticks.start()
    window.files.open_eml_in_background(path)
    # Nothing of the file yet: the message is untouched until it is read whole.
    assert window.statusBar().currentMessage() == "Opening big.eml…"
    assert window.current_draft().attachments == []
    qtbot.wait_until(lambda: bool(window.current_draft().attachments), timeout=30000)
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    draft = window.current_draft()
    assert draft.subject == "big" and len(draft.attachments[0].data) == 2 * 1024 * 1024
    assert draft.message_id is None  # a reopened message is a new message
    assert window.statusBar().currentMessage() == "Opened big.eml."


def test_a_file_that_cannot_be_read_leaves_the_message_as_it_was(qtbot, window, tmp_path):
    window.subject_field.setText("kept")
    window.editor.setPlainText("my words")
    before = window.current_draft()
    path = tmp_path / "hostile.eml"
    path.write_bytes(deep_multipart(10_000))
    window.files.open_eml_in_background(path)
    qtbot.wait_until(lambda: window.banner.isVisible(), timeout=30000)
    text = window.banner.text()
    assert "levels deep" in text and "hostile.eml" in text
    assert window.current_draft() == before


def test_closing_the_window_mid_open_fills_nothing(qtbot, window, tmp_path, monkeypatch):
    release = threading.Event()
    needs_ticks(emlopen, "read_eml_job", Ticks(), monkeypatch, release)
    window.files.open_eml_in_background(big_eml(tmp_path))
    assert running_loads() == 1
    window.close_without_questions()
    release.set()
    assert wait_for_loads()
    QApplication.processEvents()  # a relayed draft would land here
    assert window.current_draft().attachments == [] and not window.banner.isVisible()


# ---------------------------------------------------------------- the History window


def test_history_opens_a_kept_copy_on_a_worker(qtbot, window, tmp_path, monkeypatch):
    from mailcomposer.store.history import History

    path = big_eml(tmp_path)
    history = History(window.home)
    history.record("<big@example.org>", None, "a@example.org", ["b@example.org"], "big",
                   path.stat().st_size, "127.0.0.1:25", "sent", copy_path=str(path))  # fmt: skip
    history.close()
    window.composer_actions.history_action.trigger()
    (shown,) = [w for w in QApplication.topLevelWidgets() if w.objectName() == "historyWindow"]
    assert shown.model.rowCount() == 1 and shown.open_button.isEnabled()
    ticks = Ticks()
    ran_on = needs_ticks(mimeview, "describe_file_job", ticks, monkeypatch)
    ticks.start()
    view = shown.open_selected_message()
    assert view.loading and view.windowTitle() == "big"
    with qtbot.wait_signal(view.loaded, timeout=30000):
        pass
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert view.part_paths()[-1].strip() == "application/octet-stream"
    view.close()


def test_the_composers_preview_builds_the_wire_bytes_while_the_event_loop_runs(
    qtbot, tmp_path, monkeypatch
):
    from mailcomposer.message.draft import Attachment
    from mailcomposer.message.mime import build_message
    from tests.gui.test_mimeview import to_cc_bcc_draft

    draft = to_cc_bcc_draft()
    draft.attachments.append(Attachment(filename="big.bin", data=os.urandom(2 * 1024 * 1024)))
    built = build_message(draft)
    ticks = Ticks()
    ran_on = needs_ticks(mimeview, "describe_built_job", ticks, monkeypatch)
    ticks.start()
    view = MimeViewDialog.from_built(built)
    qtbot.add_widget(view)
    assert view.loading and view.summary.text() == "Loading…"
    with qtbot.wait_signal(view.loaded, timeout=30000):
        pass
    ticks.stop()
    assert ticks.count >= 3 and ran_on[0] is not threading.main_thread()
    assert b"\r\nBcc:" not in b"\r\n" + view.raw
    assert view.part_paths()[-1].strip() == "application/octet-stream"
