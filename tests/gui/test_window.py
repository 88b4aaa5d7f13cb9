"""The composer window: object names, fields, keyboard, drops, autosave, closing, layout memory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QTextEdit,
    QWidget,
)

from mailcomposer.message.draft import Draft
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home
from mailcomposer.ui.preload import SEND_MODULES
from tests.gui.conftest import click, find_box


def test_object_names_of_the_design_contract(window) -> None:
    assert window.objectName() == "composerWindow"
    assert window.isVisible()
    for name, kind in [
        ("fromCombo", QComboBox),
        ("toField", QLineEdit),
        ("ccField", QLineEdit),
        ("bccField", QLineEdit),
        ("subjectField", QLineEdit),
        ("bodyEditor", QTextEdit),
        ("attachmentList", QListView),
        ("sendProgress", QProgressBar),
    ]:
        assert isinstance(window.findChild(kind, name), kind), name
    send = window.findChild(QAction, "sendAction")
    assert QKeySequence("Ctrl+Return") in send.shortcuts()
    assert QKeySequence("Ctrl+Enter") in send.shortcuts()
    cancel = window.findChild(QAction, "cancelSendAction")
    assert not cancel.isEnabled()
    assert window.findChild(QAction, "sendAction").isEnabled()
    assert window.findChild(object, "protocolLog") is not None


def test_default_sender_is_the_local_test_server(window) -> None:
    assert window.current_account().builtin_sandbox
    combo = window.from_combo
    assert "Local test server" in combo.currentText()
    assert combo.itemText(combo.count() - 1) == "Manage accounts…"


def test_title_follows_subject_and_edits_set_the_modified_mark(qtbot, window) -> None:
    assert window.windowTitle() == "New message[*] — mailcomposer"
    assert not window.isWindowModified()
    qtbot.keyClicks(window.subject_field, "Weekly")  # QTest types ASCII only
    assert window.windowTitle() == "Weekly[*] — mailcomposer"
    assert window.isWindowModified()
    window.subject_field.setText("周报")
    assert window.windowTitle() == "周报[*] — mailcomposer"


def test_cc_and_bcc_rows_fold_but_always_exist(qtbot, window) -> None:
    assert not window.cc_field.isVisible() and not window.bcc_field.isVisible()
    qtbot.mouseClick(window.cc_button, Qt.MouseButton.LeftButton)
    assert window.cc_field.isVisible()
    window.bcc_button.setChecked(True)
    assert window.bcc_field.isVisible()
    window.cc_button.setChecked(False)
    assert not window.cc_field.isVisible()


def test_tab_order_from_to_cc_bcc_subject_body(window) -> None:
    window.cc_button.setChecked(True)
    window.bcc_button.setChecked(True)
    order = [window.from_combo]
    widget = window.from_combo
    for _step in range(7):
        widget = widget.nextInFocusChain()
        while not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            widget = widget.nextInFocusChain()
        order.append(widget)
    names = [w.objectName() for w in order]
    # Each fold toggle comes just before the field it shows (issue 12).
    assert names == [
        "fromCombo", "toField", "ccToggle", "ccField", "bccToggle", "bccField",
        "subjectField", "bodyEditor",
    ]  # fmt: skip


def test_typing_autosaves_and_a_new_window_restores(qtbot, make_window, home: Home) -> None:
    window = make_window()
    qtbot.keyClicks(window.to_field, "Bo <bo@example.org>")
    qtbot.keyClicks(window.subject_field, "Draft ")
    window.subject_field.insert("草稿")
    window.editor.setFocus()
    with qtbot.wait_signal(window.draft_saved, timeout=5000):
        qtbot.keyClicks(window.editor, "Body text")
    saved = DraftStore(home).load()
    assert saved is not None
    assert (saved.to, saved.subject) == ("Bo <bo@example.org>", "Draft 草稿")
    assert "Body text" in saved.text
    # "Crash": the next start restores it.
    again = make_window()
    assert again.to_field.text() == "Bo <bo@example.org>"
    assert again.subject_field.text() == "Draft 草稿"
    assert "Body text" in again.editor.toPlainText()
    assert not again.isWindowModified()


def test_closing_unsaved_work_asks_and_cancel_keeps_the_window(qtbot, window) -> None:
    window.subject_field.setText("unsaved")
    assert not window.close()
    box = find_box("unsavedDialog")
    assert box is not None
    click(box, QMessageBox.StandardButton.Cancel)
    assert window.isVisible()
    assert window.pending_question() is None


def test_closing_with_save_draft_keeps_it(qtbot, window, home: Home) -> None:
    window.subject_field.setText("keep me")
    window.close()
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Save)
    qtbot.wait_until(lambda: not window.isVisible())
    assert DraftStore(home).load().subject == "keep me"


def test_closing_with_discard_removes_the_draft(qtbot, window, home: Home) -> None:
    window.subject_field.setText("throw away")
    window.autosave()
    window.drafts.flush()  # the write runs on the draft writer thread
    assert DraftStore(home).exists()
    window.close()
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Discard)
    qtbot.wait_until(lambda: not window.isVisible())
    assert not DraftStore(home).exists()


def write_eml(path: Path, subject: str) -> Path:
    path.write_bytes(
        b"From: Ann <ann@example.org>\r\nTo: Bo <bo@example.org>\r\nSubject: "
        + subject.encode()
        + b"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nFrom a file\r\n"
    )
    return path


@pytest.mark.parametrize(
    ("answer", "subject"),
    [
        (QMessageBox.StandardButton.Cancel, "being written"),
        (QMessageBox.StandardButton.Discard, "opened"),
    ],
)
def test_opening_an_eml_over_unsaved_work_asks_first(window, tmp_path, answer, subject) -> None:
    path = write_eml(tmp_path / "other.eml", "opened")
    window.subject_field.setText("being written")
    window.replace_message(lambda: window.open_eml(path))
    box = find_box("unsavedDialog")
    assert box is not None and window.subject_field.text() == "being written"
    click(box, answer)
    assert window.subject_field.text() == subject


def test_file_open_asks_before_replacing_unsaved_work(qtbot, window, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    path = write_eml(tmp_path / "other.eml", "opened")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.subject_field.setText("being written")
    window.open_action.trigger()
    # The file is read on a worker first; the question comes once it is read whole.
    qtbot.wait_until(lambda: find_box("unsavedDialog") is not None)
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Cancel)
    assert window.subject_field.text() == "being written"


def test_opening_an_eml_over_an_untouched_message_does_not_ask(window, tmp_path) -> None:
    window.replace_message(lambda: window.open_eml(write_eml(tmp_path / "a.eml", "opened")))
    assert find_box("unsavedDialog") is None
    assert window.subject_field.text() == "opened"


def test_closing_an_untouched_window_does_not_ask(window) -> None:
    assert window.close()
    assert find_box("unsavedDialog") is None


def test_save_draft_shortcut_clears_the_modified_mark(qtbot, window, home: Home) -> None:
    window.subject_field.setText("saved")
    assert window.save_draft()
    assert not window.isWindowModified()
    assert DraftStore(home).load().subject == "saved"
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)


def drop_event(target, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event._mime = mime  # keep the data alive as long as the event
    return event


def test_files_dropped_on_the_window_are_attached(window, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.pdf"
    a.write_text("a")
    b.write_bytes(b"%PDF")
    event = drop_event(window, [a, b])
    window.dropEvent(event)
    assert event.isAccepted()
    assert [x.filename for x in window.attachments.model.attachments()] == ["a.txt", "b.pdf"]
    assert window.attachments.view.isVisible()
    assert window.isWindowModified()
    assert window.statusBar().currentMessage() == "Attached 2 files."


def test_the_drop_message_counts_in_the_plural_and_a_folder_alone_attaches_nothing(
    window, tmp_path: Path
) -> None:
    one, folder = tmp_path / "one.txt", tmp_path / "folder"
    one.write_text("1")
    folder.mkdir()
    window.dropEvent(drop_event(window, [one]))
    assert window.statusBar().currentMessage() == "Attached 1 file."
    window.statusBar().clearMessage()
    window.dropEvent(drop_event(window, [folder]))
    assert window.statusBar().currentMessage() == ""  # not "Attached 0 files."
    assert [x.filename for x in window.attachments.model.attachments()] == ["one.txt"]
    assert "is a folder" in window.attachments.folder_note()  # the pane says why


def test_files_dropped_on_the_editor_that_are_not_images_become_attachments(window, tmp_path):
    doc = tmp_path / "notes.txt"
    doc.write_text("x")
    window.editor.files_dropped.emit([str(doc)])
    assert [x.filename for x in window.attachments.model.attachments()] == ["notes.txt"]


def test_delete_key_removes_an_attachment_in_the_window(qtbot, window, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("a")
    window.attachments.model.add_files([a])
    view = window.attachments.view
    view.setFocus()
    view.setCurrentIndex(window.attachments.model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.attachments.model.rowCount() == 0
    assert not view.isVisible() and window.attachments.hint.isVisible()


def test_geometry_and_folded_rows_are_remembered(qtbot, make_window) -> None:
    first = make_window()
    first.resize(700, 520)  # within the offscreen 800x600 screen (restore clamps to it)
    first.bcc_button.setChecked(True)
    size = first.size()
    assert first.close()
    second = make_window()
    assert second.size() == size
    assert second.bcc_field.isVisible()


def test_mailto_argument_prefills(make_window) -> None:
    window = make_window(["mailto:bo@example.org?subject=Hi%20there&cc=c@example.org&body=Yo"])
    assert window.to_field.text() == "bo@example.org"
    assert window.subject_field.text() == "Hi there"
    assert window.cc_field.text() == "c@example.org" and window.cc_field.isVisible()
    assert "Yo" in window.editor.toPlainText()


def test_eml_argument_opens_it(make_window, tmp_path: Path) -> None:
    path = tmp_path / "in.eml"
    path.write_bytes(
        b"From: Ann <ann@example.org>\r\nTo: Bo <bo@example.org>\r\nSubject: From a file\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFile body\r\n"
    )
    window = make_window([str(path)])
    assert window.subject_field.text() == "From a file"
    assert window.to_field.text() == "Bo <bo@example.org>"
    assert "File body" in window.editor.toPlainText()


def test_a_mailto_keeps_the_draft_in_progress_and_offers_it(make_window, home: Home) -> None:
    DraftStore(home).save(Draft(subject="old draft", to="x@example.org"))
    window = make_window(["mailto:bo@example.org"])
    assert window.to_field.text() == "bo@example.org"
    assert window.banner.kind == "info" and "kept" in window.banner.text()
    window.draft_keeper.write_now()  # the mailto message takes the autosave slot...
    kept = list(home.drafts.glob("kept-*.json"))
    assert len(kept) == 1  # ...and the earlier draft is safe beside it
    window.banner.link_activated.emit("kept-draft")
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Discard)
    assert window.subject_field.text() == "old draft"
    assert window.to_field.text() == "x@example.org"
    assert not kept[0].exists() and DraftStore(home).load().subject == "old draft"


def test_an_unreadable_argument_restores_the_draft_in_progress(make_window, home, tmp_path):
    DraftStore(home).save(Draft(subject="old draft", to="x@example.org"))
    window = make_window([str(tmp_path / "missing.eml")])
    assert window.subject_field.text() == "old draft"
    assert window.banner.kind == "error" and "missing.eml" in window.banner.text()
    assert list(home.drafts.glob("kept-*.json")) == []


def test_a_mailto_without_a_draft_in_progress_says_nothing_about_one(make_window) -> None:
    window = make_window(["mailto:bo@example.org"])
    assert not window.banner.isVisible()


def test_edit_actions_follow_the_focused_widget(qtbot, window) -> None:
    window.activateWindow()
    window.subject_field.setFocus()
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.subject_field)
    qtbot.keyClicks(window.subject_field, "abc")
    window.composer_actions.update_edit_actions()
    assert window.undo_action.isEnabled()
    assert not window.copy_action.isEnabled()
    window.select_all_action.trigger()
    window.composer_actions.update_edit_actions()
    assert window.copy_action.isEnabled()
    window.cut_action.trigger()
    assert window.subject_field.text() == ""
    window.paste_action.trigger()
    assert window.subject_field.text() == "abc"


def test_about_dialog_names_version_and_qt(window) -> None:
    window.about_action.trigger()
    box = find_box("aboutDialog")
    assert box is not None
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # never blocks the app
    from PySide6.QtCore import qVersion

    from mailcomposer import __version__

    assert __version__ in box.informativeText() and qVersion() in box.informativeText()
    box.done(0)


def test_view_menu_opens_mime_structure_and_inbox(qtbot, window) -> None:
    window.to_field.setText("bo@example.org")
    window.subject_field.setText("MIME please")
    window.editor.setPlainText("hello")
    window.mime_action.trigger()
    mime_view = window.findChild(QWidget, "mimeView")
    assert mime_view is not None and mime_view.isVisible()
    mime_view.close()
    window.inbox_action.trigger()
    inbox = window.findChild(QWidget, "sandboxInbox")
    assert inbox is not None and inbox.isVisible()
    inbox.close()


def test_protocol_log_dock_can_be_toggled(window) -> None:
    toggle = window.findChild(QAction, "protocolLogToggle")
    assert window.log_dock.isVisible()
    toggle.trigger()
    assert not window.log_dock.isVisible()
    toggle.trigger()
    assert window.log_dock.isVisible()


def test_no_drops_while_sending(window, tmp_path: Path) -> None:
    a = tmp_path / "z.txt"
    a.write_text("z")
    window.attachments.model.set_read_only(True)
    assert not window.attachments.model.canDropMimeData(
        drop_event(window, [a]).mimeData(),
        Qt.DropAction.CopyAction,
        -1,
        -1,
        window.attachments.model.index(-1),
    )


def test_addresses_sent_to_before_are_completed(qtbot, window, home: Home) -> None:
    from mailcomposer.store.history import History

    history = History(home)
    history.record(
        "<1@example.org>",
        None,
        "me@localhost",
        ["Bo Li <bo@example.org>"],
        "hi",
        10,
        "127.0.0.1:25",
        "sent",
    )
    history.close()
    window.activateWindow()
    qtbot.keyClicks(window.to_field, "bo")
    qtbot.wait_until(window.to_field.completer_popup_visible)
    assert "Bo Li <bo@example.org>" in window.to_field.known_addresses()


def test_ctrl_return_in_the_body_sends(qtbot, window) -> None:
    window.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is window)
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "no recipient yet")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Nothing to send to: the send was attempted, stopped at validation, and said why.
    assert window.banner.isVisible()
    assert "no recipient yet" in window.editor.toPlainText()
    assert "\n" not in window.editor.toPlainText()  # the key did not reach the text


def test_continuous_typing_still_autosaves(qtbot, window, home: Home, monkeypatch) -> None:
    import mailcomposer.ui.draftkeeper as draftkeeper

    monkeypatch.setattr(draftkeeper, "AUTOSAVE_MAX_DELAY_S", 0.0)
    window.draft_keeper.set_autosave_delay(60_000)  # the burst never ends ...
    window.subject_field.setText("a")
    window.subject_field.setText("ab")  # ... but the maximum delay has passed
    window.drafts.flush()
    assert DraftStore(home).load().subject == "ab"


def test_chinese_interface_with_qt_standard_buttons(qtbot, make_window, monkeypatch) -> None:
    from mailcomposer.ui import app as app_module

    monkeypatch.setenv("MAILCOMPOSER_LANG", "zh_CN")
    try:
        window = make_window()
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles[0] == "文件(&F)"
        assert window.windowTitle() == "新邮件[*] — mailcomposer"
        window.subject_field.setText("x")
        window.close()
        box = find_box("unsavedDialog")
        texts = {b.text() for b in box.buttons()}
        assert "取消" in texts  # Qt's own button, from qtbase_zh_CN.qm
        click(box, QMessageBox.StandardButton.Cancel)
    finally:
        monkeypatch.setenv("MAILCOMPOSER_LANG", "en")
        app_module._install_translations(QApplication.instance())


def test_manage_accounts_entry_opens_the_account_dialog(qtbot, window) -> None:
    combo = window.from_combo
    before = combo.currentIndex()
    manage = combo.count() - 1
    combo.setCurrentIndex(manage)
    combo.activated.emit(manage)
    dialog = window.findChild(QWidget, "accountDialog")
    assert dialog is not None and dialog.isVisible()
    assert combo.currentIndex() == before  # the sender did not become "Manage accounts…"
    assert window.current_account().builtin_sandbox
    dialog.reject()
    qtbot.wait_until(lambda: not dialog.isVisible())


def test_save_as_eml_then_open_it_again(qtbot, window, tmp_path: Path) -> None:
    window.to_field.setText("Bo <bo@example.org>")
    window.bcc_field.setText("hidden@example.org")
    window.subject_field.setText("往返 round trip")
    window.editor.setPlainText("Body line")
    path = tmp_path / "out.eml"
    assert window.save_eml(path)
    assert b"\r\nSubject: " in path.read_bytes() or path.read_bytes().startswith(b"Subject: ")
    window.clear_message()
    assert window.open_eml(path)
    assert window.subject_field.text() == "往返 round trip"
    assert window.to_field.text() == "Bo <bo@example.org>"
    assert "Body line" in window.editor.toPlainText()


def test_saving_where_it_cannot_names_the_file_and_the_reason_only(window, tmp_path) -> None:
    window.to_field.setText("bo@example.org")
    window.subject_field.setText("kept")
    (tmp_path / "a file").write_text("not a folder")
    path = tmp_path / "a file" / "out.eml"
    assert not window.save_eml(path)
    text = window.banner.text()
    assert window.banner.isVisible() and window.banner.kind == "error"
    head = f"Could not save {path}: "
    assert text.startswith(head) and len(text) > len(head)  # the path, then the reason
    assert ".tmp" not in text  # the atomic write's temporary name is ours, not the user's
    assert window.subject_field.text() == "kept"


def test_opening_a_missing_file_says_so(window, tmp_path: Path) -> None:
    assert not window.open_eml(tmp_path / "missing.eml")
    assert window.banner.isVisible() and "missing.eml" in window.banner.text()


def test_switching_to_plain_text_asks_before_dropping_formatting(window, monkeypatch) -> None:
    asked: list[str] = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window.editor.setHtml("<p><b>bold</b> text</p>")
    window.format_bar.plain_text_action.trigger()
    assert asked and "formatting" in asked[0]
    assert not window.editor.plain_text_mode
    assert window.editor.body()[1] is not None


def test_send_modules_are_preloaded_on_a_thread_after_the_first_show(qtbot, window) -> None:
    # Launch does not import them and the first Send does not stall importing them.
    qtbot.wait_until(window.preloader.has_started)
    window.preloader.wait()
    assert window.preloader.is_done()
    for name in SEND_MODULES:
        assert name in sys.modules


# --------------------------------------------------------------------------- background autosave


def _writer_threads() -> list:
    import threading

    from mailcomposer.store.drafts import WRITER_THREAD_NAME

    return [t for t in threading.enumerate() if t.name.startswith(WRITER_THREAD_NAME)]


def test_autosave_writes_off_the_gui_thread_and_reports_when_done(qtbot, window) -> None:
    import threading

    writers: list[str] = []
    original = window.drafts.save_later

    def spy(draft, on_error=None, on_done=None):
        def done() -> None:
            writers.append(threading.current_thread().name)
            on_done()

        original(draft, on_error=on_error, on_done=done)

    window.drafts.save_later = spy
    window.subject_field.setText("in the background")
    with qtbot.wait_signal(window.draft_saved, timeout=5000):
        assert window.autosave()
    assert writers and writers[0] != threading.current_thread().name
    assert window.drafts.load().subject == "in the background"


def test_many_quick_autosaves_the_last_one_wins(window) -> None:
    for n in range(30):
        window.subject_field.setText(f"version {n}")
        window.autosave()
    window.drafts.flush()
    assert DraftStore(window.home).load().subject == "version 29"


def test_a_failed_background_write_is_shown_in_the_status_bar(qtbot, window) -> None:
    drafts_folder = window.drafts.path.parent
    drafts_folder.parent.mkdir(parents=True, exist_ok=True)
    if drafts_folder.exists():
        drafts_folder.rmdir()
    drafts_folder.write_text("a file where the drafts folder should be")
    window.subject_field.setText("cannot be written")
    window.autosave()
    qtbot.wait_until(
        lambda: "Could not save the draft" in window.statusBar().currentMessage(), timeout=5000
    )
    assert ".tmp" not in window.statusBar().currentMessage()
    drafts_folder.unlink()


def test_new_message_after_a_pending_save_leaves_no_file(window) -> None:
    window.subject_field.setText("about to be discarded")
    window.autosave()
    window.new_message()
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Discard)
    assert window.subject_field.text() == ""
    assert not window.drafts.path.exists()
    window.drafts.flush()
    assert not window.drafts.path.exists()


def test_shutdown_leaves_no_writer_thread(window) -> None:
    window.subject_field.setText("pending")
    window.autosave()
    window.shutdown()
    assert not _writer_threads()
    assert window.drafts.load().subject == "pending"  # the pending write landed


def test_a_damaged_draft_is_set_aside_and_the_user_told(make_window, home: Home) -> None:
    home.drafts.mkdir(parents=True, exist_ok=True)
    (home.drafts / "autosave.json").write_text('{"version": 1, "draft": {"to": 5}}')
    window = make_window()
    assert window.isVisible() and window.to_field.text() == ""
    assert window.banner.kind == "warning"
    assert "autosave.damaged" in window.banner.text()
    assert (home.drafts / "autosave.damaged").exists()


def test_unreadable_accounts_are_reported_not_silently_dropped(make_window, home: Home) -> None:
    home.accounts_file.parent.mkdir(parents=True, exist_ok=True)
    home.accounts_file.write_text("{broken", encoding="utf-8")
    window = make_window()
    assert window.current_account().builtin_sandbox
    assert window.banner.kind == "warning"
    assert "accounts.json" in window.banner.text() and "Repair or restore" in window.banner.text()
    assert home.accounts_file.read_text(encoding="utf-8") == "{broken"  # untouched


def test_a_bad_mailto_is_shown_as_text_not_markup(make_window) -> None:
    window = make_window(["mailto:%3Cb%3Ebold%3C/b%3E"])
    assert window.banner.kind == "error"
    assert "&lt;b&gt;bold&lt;/b&gt;" in window.banner.text()


def test_tab_goes_round_every_field_and_back_to_the_top(qtbot, window) -> None:
    window.activateWindow()
    window.to_field.setFocus()
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.to_field)
    visited = []
    for _step in range(30):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
        if visited[-1] is window.to_field:
            break
    assert visited[-1] is window.to_field, "Tab never came back to To"
    names = [widget.objectName() for widget in visited]
    assert names.index("subjectField") < names.index("bodyEditor") < names.index("fromCombo")
    assert "protocolLogFind" in names and "fontFamilyCombo" in names


def test_new_over_a_restored_draft_keeps_it_and_the_next_start_brings_it_back(
    make_window, home: Home
) -> None:
    DraftStore(home).save(Draft(subject="restored draft", to="x@example.org"))
    window = make_window()
    assert window.subject_field.text() == "restored draft" and not window.is_dirty()
    window.new_message()
    assert find_box("unsavedDialog") is None  # saved work: no question...
    assert window.subject_field.text() == ""
    assert window.banner.kind == "info" and "kept" in window.banner.text()  # ...and not lost
    window.autosave()  # the blank message frees the slot
    window.drafts.flush()
    again = make_window()
    assert again.subject_field.text() == "restored draft"
    assert list(home.drafts.glob("kept-*.json")) == []


def test_a_kept_draft_is_offered_at_start_when_the_slot_is_taken(make_window, home) -> None:
    store = DraftStore(home)
    store.save(Draft(subject="older"))
    store.keep_aside()
    store.save(Draft(subject="current"))
    window = make_window()
    assert window.subject_field.text() == "current"
    assert window.banner.kind == "info" and 'href="kept-draft"' in window.banner.text()
    window.banner.link_activated.emit("kept-draft")
    assert window.subject_field.text() == "older"
    assert window.banner.kind == "info"  # "current" was kept aside in its turn
    assert len(list(home.drafts.glob("kept-*.json"))) == 1


def test_menu_and_field_mnemonics_do_not_clash(window) -> None:
    """Alt+letter reaches one thing: a menu, or a header field (To, Subject, the toggles)."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    def letter(text: str) -> str | None:
        match = re.search(r"&([^&])", text)
        return match[1].lower() if match else None

    menus = [letter(a.text()) for a in window.menuBar().actions()]
    fields = [letter(w.text()) for w in window.header.findChildren(QLabel)]
    fields += [letter(w.text()) for w in window.header.findChildren(QAbstractButton)]
    used = [m for m in menus + fields if m]
    assert len(used) == len(set(used)), used
