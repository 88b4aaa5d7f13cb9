"""Tests for the identities editor: several identities, Reply-To, text and HTML signatures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QTextEdit

from mailcomposer import i18n
from mailcomposer.store.accounts import AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from mailcomposer.ui.identities import IdentitiesEditor

SECOND_HTML_WORD = "Sales"


@pytest.fixture
def dialog(qtbot, home: Home) -> AccountDialog:
    widget = AccountDialog(AccountStore(home), Credentials())
    qtbot.add_widget(widget)
    widget.show()
    yield widget
    widget.stop_test_and_wait()


def open_dialog(qtbot, home: Home, select: str | None = None) -> AccountDialog:
    widget = AccountDialog(AccountStore(home), Credentials(), select=select)
    qtbot.add_widget(widget)
    widget.show()
    return widget


def new_work_account(qtbot, dialog: AccountDialog) -> IdentitiesEditor:
    """A new account "Work" whose first identity is Ann <ann@example.com>."""
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Work")
    qtbot.keyClicks(dialog.address_edit, "ann@example.com")
    qtbot.keyClicks(dialog.display_name_edit, "Ann")
    dialog.host_edit.setText("smtp.example.com")
    return dialog.identities_editor


def add_second_identity(qtbot, editor: IdentitiesEditor, reply_to: str) -> None:
    """Add "Ann (Sales) <sales@example.com>" with an HTML signature with a bold word."""
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.current_row() == 1
    editor.name_edit.clear()
    qtbot.keyClicks(editor.name_edit, "Ann (Sales)")
    qtbot.keyClicks(editor.address_edit, "sales@example.com")
    qtbot.keyClicks(editor.reply_to_edit, reply_to)
    editor.html_box.setChecked(True)
    editor.signature_edit.setFocus()
    qtbot.keyClicks(editor.signature_edit, "Ann, ")
    qtbot.keyClick(editor.signature_edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.signature_edit, SECOND_HTML_WORD)


def test_address_typed_on_a_new_account_fills_the_first_identity(qtbot, dialog) -> None:
    editor = new_work_account(qtbot, dialog)
    assert editor.objectName() == "identitiesEditor"
    assert editor.table.rowCount() == 1
    assert editor.address_edit.text() == "ann@example.com"
    assert editor.name_edit.text() == "Ann"
    assert editor.table.item(0, 1).text() == "ann@example.com"
    # And back: editing the first identity updates the account's fields.
    editor.address_edit.clear()
    qtbot.keyClicks(editor.address_edit, "ann@example.org")
    assert dialog.address_edit.text() == "ann@example.org"


def test_two_identities_with_signatures_saved_and_shown_again(qtbot, dialog, home: Home) -> None:
    editor = new_work_account(qtbot, dialog)
    qtbot.keyClicks(editor.reply_to_edit, "team@example.com")
    qtbot.keyClicks(editor.signature_edit, "Ann")
    qtbot.keyClick(editor.signature_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.signature_edit, "Example Ltd")
    add_second_identity(qtbot, editor, "orders@example.com")
    with qtbot.wait_signal(dialog.accounts_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.form_error.isVisible()

    stored = AccountStore(home).get("Work")
    assert stored is not None
    first, second = stored.identities
    assert first == Identity("Ann", "ann@example.com", "team@example.com", "Ann\nExample Ltd")
    assert (second.name, second.address, second.reply_to) == (
        "Ann (Sales)", "sales@example.com", "orders@example.com"
    )  # fmt: skip
    assert second.signature_is_html
    assert f"<b>{SECOND_HTML_WORD}</b>" in second.signature, second.signature  # e-mail-safe
    assert "<style" not in second.signature and "-qt-" not in second.signature

    again = open_dialog(qtbot, home, select="Work")
    shown = again.identities_editor
    assert shown.table.rowCount() == 2
    assert shown.reply_to_edit.text() == "team@example.com"
    assert shown.signature_edit.toPlainText() == "Ann\nExample Ltd"
    assert not shown.html_box.isChecked()
    shown.select(1)
    assert shown.name_edit.text() == "Ann (Sales)"
    assert shown.reply_to_edit.text() == "orders@example.com"
    assert shown.html_box.isChecked()
    assert shown.signature_edit.toPlainText() == f"Ann, {SECOND_HTML_WORD}"
    assert shown.identities() == stored.identities  # shown again, saved unchanged


def test_invalid_reply_to_of_the_second_identity_named_and_nothing_saved(
    qtbot, dialog, home: Home
) -> None:
    editor = new_work_account(qtbot, dialog)
    add_second_identity(qtbot, editor, "orders@@example")
    editor.select(0)
    assert dialog.save() is False
    message = dialog.form_error.text()
    assert dialog.form_error.isVisible()
    assert "Identity 2" in message and "sales@example.com" in message and "Reply-To" in message
    assert AccountStore(home).get("Work") is None
    # The faulty field is shown and focused.
    assert dialog.tabs.currentWidget().isAncestorOf(editor)
    assert editor.current_row() == 1
    assert editor.reply_to_edit.hasFocus() or QApplication.focusWidget() is editor.reply_to_edit


def test_a_name_in_the_address_field_is_refused(qtbot, dialog, home: Home) -> None:
    editor = new_work_account(qtbot, dialog)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.address_edit, "Bob <bob@example.com>")
    assert dialog.save() is False
    assert "Identity 2" in dialog.form_error.text() and "address" in dialog.form_error.text()
    assert "<Bob <" not in dialog.form_error.text()  # the identity is named once, as typed
    assert AccountStore(home).get("Work") is None


def test_remove_and_move_up(qtbot, dialog, home: Home) -> None:
    editor = new_work_account(qtbot, dialog)
    for address in ("b@example.com", "c@example.com"):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(editor.address_edit, address)
    assert editor.table.rowCount() == 3
    assert not editor.remove_button.isEnabled() or editor.current_row() == 2
    # Move "c" to the top: it becomes the default, and the account's fields follow.
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert editor.current_row() == 0 and not editor.up_button.isEnabled()
    assert [i.address for i in editor.identities()] == [
        "c@example.com", "ann@example.com", "b@example.com"
    ]  # fmt: skip
    assert dialog.address_edit.text() == "c@example.com"
    assert dialog.display_name_edit.text() == "Ann"  # a new identity starts with the name
    assert "(default)" in editor.table.item(0, 0).text()
    # Remove "ann", then the first one: "b" is left and is the default.
    editor.select(1)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    editor.select(0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [i.address for i in editor.identities()] == ["b@example.com"]
    assert dialog.address_edit.text() == "b@example.com"
    assert not editor.remove_button.isEnabled()  # the last identity stays
    assert dialog.save()
    assert [i.address for i in AccountStore(home).get("Work").identities] == ["b@example.com"]


def test_html_signature_off_keeps_the_words(qtbot, dialog) -> None:
    editor = new_work_account(qtbot, dialog)
    editor.html_box.setChecked(True)
    editor.signature_edit.setHtml("<p>Ann <b>Bold</b></p>")
    editor.html_box.setChecked(False)
    assert not editor.signature_edit.acceptRichText()
    assert editor.identities()[0] == Identity("Ann", "ann@example.com", signature="Ann Bold")


def test_keyboard_only_tab_order(qtbot, dialog) -> None:
    editor = new_work_account(qtbot, dialog)
    dialog.tabs.setCurrentIndex(1)
    editor.table.setFocus()
    seen = []
    for _step in range(8):
        widget = QApplication.focusWidget()
        seen.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    # Remove and Move up are disabled with one identity: Tab skips them.
    assert seen[:6] == [
        "identityTable", "addIdentityButton", "identityName", "identityAddress",
        "identityReplyTo", "identitySignature",
    ]  # fmt: skip
    assert seen[6] == "identitySignatureHtml"


def test_sandbox_identities_read_only(dialog) -> None:
    editor = dialog.identities_editor
    assert not editor.isEnabled()
    assert editor.table.rowCount() == 1


def test_from_combo_lists_both_identities_after_saving(qtbot, dialog, make_window) -> None:
    editor = new_work_account(qtbot, dialog)
    add_second_identity(qtbot, editor, "")
    assert dialog.save()
    window = make_window()
    combo = window.findChild(QComboBox, "fromCombo")
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert any(label.startswith("Ann <ann@example.com>") for label in labels), labels
    assert any('"Ann (Sales)" <sales@example.com>' in label for label in labels), labels
    # Choosing the second identity brings its HTML signature into the message.
    assert window.select_identity("sales@example.com")
    body = window.findChild(QTextEdit, "bodyEditor")
    assert f"Ann, {SECOND_HTML_WORD}" in body.toPlainText()
    assert f">{SECOND_HTML_WORD}<" in body.toHtml() and "font-weight" in body.toHtml()


def test_strings_in_chinese(qtbot, home: Home) -> None:
    i18n.set_language("zh_CN")
    widget = open_dialog(qtbot, home)
    assert widget.identities_editor.add_button.text() == "添加身份"
    assert widget.tabs.tabText(1) == "身份与签名"


def test_an_error_in_the_default_address_focuses_the_first_tab(qtbot, dialog) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Bad")
    qtbot.keyClicks(dialog.address_edit, "not-an-address")
    dialog.host_edit.setText("smtp.example.com")
    assert dialog.save() is False
    assert "Identity 1" in dialog.form_error.text()
    assert dialog.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is dialog.address_edit


def test_ctrl_k_makes_a_link_in_an_html_signature(qtbot, dialog) -> None:
    editor = new_work_account(qtbot, dialog)
    editor.html_box.setChecked(True)
    editor.signature_edit.link_asker = lambda: "https://example.com/"
    editor.signature_edit.setFocus()
    qtbot.keyClick(editor.signature_edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.signature_edit, " Ann")
    signature = editor.identities()[0].signature
    assert '<a href="https://example.com/">https://example.com/</a> Ann' in signature, signature


def test_ctrl_b_does_nothing_in_a_text_signature(qtbot, dialog) -> None:
    editor = new_work_account(qtbot, dialog)
    editor.signature_edit.setFocus()
    qtbot.keyClick(editor.signature_edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.signature_edit, "Ann")
    assert editor.identities()[0].signature == "Ann"
    assert not editor.identities()[0].signature_is_html


def type_first_identity_on_its_tab(qtbot, dialog: AccountDialog, address: str) -> IdentitiesEditor:
    """A new account whose first address is typed in the identities editor, not on tab 1."""
    dialog.new_account()
    dialog.tabs.setCurrentIndex(1)
    editor = dialog.identities_editor
    assert editor.current_row() == 0
    qtbot.keyClicks(editor.name_edit, "Zhang San")  # QtTest types ASCII only
    qtbot.keyClicks(editor.address_edit, address)
    return editor


def test_first_identity_typed_in_the_editor_fills_the_provider_preset(qtbot, dialog) -> None:
    type_first_identity_on_its_tab(qtbot, dialog, "12345@qq.com")
    assert dialog.host_edit.text() == "smtp.qq.com"
    assert dialog.port_spin.value() == 465
    assert dialog.security_combo.currentData() == "tls"
    assert dialog.preset_combo.currentData() == "qq"
    assert dialog.preset_note.text() and not dialog.preset_note.isHidden()
    assert dialog.user_edit.text() == "12345@qq.com"  # QQ logs in with the full address
    assert dialog.address_edit.text() == "12345@qq.com"
    assert dialog.name_edit.text() == "12345@qq.com"  # named after the address, as on tab 1


def test_a_corrected_address_picks_the_other_provider(qtbot, dialog) -> None:
    editor = type_first_identity_on_its_tab(qtbot, dialog, "someone@qq.com")
    editor.address_edit.clear()
    qtbot.keyClicks(editor.address_edit, "someone@163.com")
    assert dialog.preset_combo.currentData() == "163"
    assert dialog.host_edit.text() == "smtp.163.com"
    assert dialog.user_edit.text() == "someone@163.com"


def test_server_chosen_by_the_user_is_kept(qtbot, dialog) -> None:
    dialog.new_account()
    dialog.host_edit.setText("mail.company.example")
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.identities_editor.address_edit, "me@qq.com")
    assert dialog.host_edit.text() == "mail.company.example"
    assert (dialog.port_spin.value(), dialog.security_combo.currentData()) == (587, "starttls")
    assert dialog.preset_combo.currentData() == ""


def test_a_custom_port_without_server_is_kept(qtbot, dialog) -> None:
    dialog.new_account()
    dialog.port_spin.setValue(2525)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.identities_editor.address_edit, "me@qq.com")
    assert dialog.host_edit.text() == "" and dialog.port_spin.value() == 2525


def test_an_existing_account_keeps_its_server(qtbot, dialog, home: Home) -> None:
    editor = new_work_account(qtbot, dialog)
    assert dialog.save()
    dialog.tabs.setCurrentIndex(1)
    editor.address_edit.clear()
    qtbot.keyClicks(editor.address_edit, "ann@qq.com")
    assert dialog.address_edit.text() == "ann@qq.com"
    assert dialog.host_edit.text() == "smtp.example.com"
