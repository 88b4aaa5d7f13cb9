"""Signatures: added to new messages, swapped with the From identity, never duplicated, sent."""

from __future__ import annotations

import email
import email.policy

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog

from mailcomposer.message.draft import Draft
from mailcomposer.smtp.settings import Security, ServerSettings, Timeouts
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home
from tests.servers import SmtpTestServer

QUICK = Timeouts(connect=5.0, command=5.0, final_dot=10.0)
SEND_TIMEOUT_MS = 15000
ANN_SIGNATURE = "Ann Sender\nExample Ltd."
BO_HTML_SIGNATURE = "<p><b>Bo</b> Builder<br>+1 555 0100</p>"


def save_accounts(home: Home, port: int = 2525) -> None:
    """One account with three identities: plain signature, HTML signature, none."""
    AccountStore(home).save(
        Account(
            name="Work",
            server=ServerSettings("127.0.0.1", port, Security.NONE, timeouts=QUICK),
            identities=[
                Identity("Ann Sender", "ann@example.org", signature=ANN_SIGNATURE),
                Identity(
                    "Bo Builder",
                    "bo@example.org",
                    signature=BO_HTML_SIGNATURE,
                    signature_is_html=True,
                ),
                Identity("No Sig", "nosig@example.org"),
            ],
        )
    )
    AccountStore(home).set_default("Work")


def body(window) -> str:
    return window.editor.toPlainText()


def choose(window, address: str) -> None:
    for i in range(window.from_combo.count()):
        if address in window.from_combo.itemText(i):
            window.from_combo.setCurrentIndex(i)
            return
    raise AssertionError(address)


def type_at_start(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(window.editor, text)


def test_a_new_message_gets_the_signature_below_the_delimiter(make_window, home: Home) -> None:
    save_accounts(home)
    window = make_window()
    assert "ann@example.org" in window.from_combo.currentText()
    assert body(window) == "\n-- \nAnn Sender\nExample Ltd."
    assert window.has_signature()
    assert window.editor.textCursor().position() == 0  # the user writes above it
    assert not window.isWindowModified()  # a signature alone is nothing to save
    assert not window.is_dirty()


def test_changing_from_swaps_the_signature_and_keeps_user_text(
    qtbot, make_window, home: Home
) -> None:
    save_accounts(home)
    window = make_window()
    type_at_start(qtbot, window, "Hello team")
    choose(window, "bo@example.org")
    assert body(window) == "Hello team\n-- \nBo Builder\n+1 555 0100"
    html = window.current_draft().html
    assert "<b>" in html or "font-weight" in html  # the HTML signature keeps its bold
    choose(window, "ann@example.org")
    assert body(window) == "Hello team\n-- \nAnn Sender\nExample Ltd."


def test_an_identity_without_signature_removes_it(qtbot, make_window, home: Home) -> None:
    save_accounts(home)
    window = make_window()
    type_at_start(qtbot, window, "Only my words")
    choose(window, "nosig@example.org")
    assert body(window) == "Only my words"
    assert not window.has_signature()
    choose(window, "ann@example.org")
    assert body(window) == "Only my words\n-- \nAnn Sender\nExample Ltd."


def test_text_typed_inside_the_signature_is_never_deleted(qtbot, make_window, home: Home) -> None:
    save_accounts(home)
    window = make_window()
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(window.editor, "\r")  # a new paragraph inherits the signature's block
    qtbot.keyClicks(window.editor, "PS see you")
    choose(window, "nosig@example.org")
    assert body(window) == "\nPS see you"


def test_signature_in_plain_text_mode(qtbot, make_window, home: Home) -> None:
    save_accounts(home)
    window = make_window()
    window.editor.set_plain_text_mode(True)
    assert window.editor.plain_text_mode
    type_at_start(qtbot, window, "plain")
    choose(window, "bo@example.org")  # the HTML signature as text
    assert body(window) == "plain\n-- \nBo Builder\n+1 555 0100"
    assert window.current_draft().html is None
    choose(window, "nosig@example.org")
    assert body(window) == "plain"


def test_a_restored_draft_is_not_given_a_second_signature(qtbot, make_window, home: Home) -> None:
    save_accounts(home)
    first = make_window()
    type_at_start(qtbot, first, "Draft text")
    assert first.autosave()
    first.drafts.flush()
    saved = DraftStore(home).load()
    assert saved.text.count("-- ") == 1
    second = make_window()  # restores the autosave
    assert body(second) == "Draft text\n-- \nAnn Sender\nExample Ltd."
    # ... and the restored signature is recognised: a From change replaces it.
    choose(second, "nosig@example.org")
    assert body(second) == "Draft text"


def test_an_opened_eml_is_not_given_a_signature(make_window, home: Home, tmp_path) -> None:
    save_accounts(home)
    window = make_window()
    window.load_draft(Draft(subject="from a file", text="Body of the file", html=None))
    assert body(window) == "Body of the file"
    assert not window.has_signature()


def test_the_sent_message_carries_the_signature_in_both_parts(qtbot, make_window, home) -> None:
    with SmtpTestServer() as server:
        save_accounts(home, server.port)
        window = make_window()
        choose(window, "bo@example.org")
        type_at_start(qtbot, window, "See you Monday")
        window.to_field.setText("Cy <cy@example.org>")
        window.subject_field.setText("Signed")
        with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
            assert window.send()
        assert window.last_error is None
        raw = server.handler.received[0].data
    message = email.message_from_bytes(raw, policy=email.policy.default)
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "See you Monday\n-- \nBo Builder\n+1 555 0100" in plain.replace("\r\n", "\n")
    assert "-- " in html and "Bo" in html and "Builder" in html and "+1 555 0100" in html


def test_an_edited_signature_replaces_the_shown_one(qtbot, make_window, home: Home) -> None:
    save_accounts(home)
    window = make_window()
    type_at_start(qtbot, window, "Hi")
    store = AccountStore(home)
    account = store.get("Work")
    account.identities[0] = Identity("Ann Sender", "ann@example.org", signature="Ann, CEO")
    store.save(account)
    window.accounts_action.trigger()
    dialog = window.findChild(QDialog, "accountDialog")
    dialog.accounts_changed.emit()  # as when the dialog saves an edit
    assert body(window) == "Hi\n-- \nAnn, CEO"
    dialog.reject()
    qtbot.wait_until(lambda: not dialog.isVisible())
    assert body(window) == "Hi\n-- \nAnn, CEO"  # closing it does not add a second one


def test_a_mailto_link_starts_a_new_message_with_the_signature(qtbot, mailcomposer_home) -> None:
    from mailcomposer.ui.app import create_window

    save_accounts(Home(mailcomposer_home))
    window = create_window(["mailcomposer", "mailto:bob@example.org?subject=Hi&body=Hello%20Bob"])
    qtbot.add_widget(window)
    text = body(window)
    assert text.startswith("Hello Bob")
    assert text.rstrip().endswith("-- \n" + ANN_SIGNATURE)
    assert window.isWindowModified()
    window.shutdown()
