"""Receipts in the composer: the Options menu actions, the draft, and the header on the wire."""

from __future__ import annotations

import email
import email.policy

from PySide6.QtGui import QAction

from mailcomposer.message.draft import Draft
from mailcomposer.smtp.settings import Security, ServerSettings, Timeouts
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home
from tests.servers import SmtpTestServer

SEND_TIMEOUT_MS = 15000


def action(window, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_options_menu_offers_both_checkable_requests(window) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    options = window.menuBar().actions()[titles.index("O&ptions")].menu()
    names = [a.objectName() for a in options.actions()]
    assert "readReceiptAction" in names and "dsnAction" in names
    for name in ("readReceiptAction", "dsnAction"):
        assert action(window, name).isCheckable()
        assert not action(window, name).isChecked()
    assert window.current_draft().read_receipt is False
    assert window.current_draft().dsn == []


def test_checking_them_fills_the_draft_and_marks_it_modified(window) -> None:
    action(window, "readReceiptAction").trigger()
    action(window, "dsnAction").trigger()
    draft = window.current_draft()
    assert draft.read_receipt is True
    assert draft.dsn == ["SUCCESS", "FAILURE"]
    assert window.isWindowModified()


def test_a_loaded_draft_shows_its_requests_and_keeps_its_choice(window) -> None:
    window.load_draft(Draft(subject="x", read_receipt=True, dsn=["DELAY"]))
    assert action(window, "readReceiptAction").isChecked()
    assert action(window, "dsnAction").isChecked()
    assert window.current_draft().dsn == ["DELAY"]
    window.clear_message()
    assert not action(window, "readReceiptAction").isChecked()
    assert window.current_draft().dsn == []


def test_requests_are_autosaved_and_restored(make_window, home: Home) -> None:
    first = make_window()
    first.subject_field.setText("confirm please")
    action(first, "readReceiptAction").trigger()
    action(first, "dsnAction").trigger()
    assert first.autosave()
    first.drafts.flush()
    saved = DraftStore(home).load()
    assert saved.read_receipt and saved.dsn == ["SUCCESS", "FAILURE"]
    second = make_window()
    assert action(second, "readReceiptAction").isChecked()
    assert action(second, "dsnAction").isChecked()


def test_the_sent_message_asks_for_a_read_receipt(qtbot, window) -> None:
    with SmtpTestServer() as server:
        AccountStore(window.home).save(
            Account(
                name="Test server",
                server=ServerSettings(
                    "127.0.0.1", server.port, Security.NONE, timeouts=Timeouts(5.0, 5.0, 10.0)
                ),
                identities=[Identity("Ann Sender", "ann@example.org")],
            )
        )
        window.header.reload_accounts()
        assert window.select_identity("ann@example.org")
        window.to_field.setText("bo@example.org")
        window.subject_field.setText("Did you read it?")
        window.editor.setPlainText("Tell me.")
        action(window, "readReceiptAction").trigger()
        action(window, "dsnAction").trigger()  # aiosmtpd offers no DSN: a note, still sent
        with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
            assert window.send()
        assert window.last_error is None
        raw = server.handler.received[0].data
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Disposition-Notification-To"] == "<ann@example.org>"
