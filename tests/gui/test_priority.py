"""Priority: the Options menu, the status bar marker, the draft, and the headers on the wire."""

from __future__ import annotations

import email
import email.policy

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from mailcomposer.message.draft import Draft, Priority
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


def test_options_menu_comes_before_tools_with_exclusive_priorities(window) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("O&ptions") == titles.index("Too&ls") - 1
    options = window.menuBar().actions()[titles.index("O&ptions")].menu()
    priority_menu = options.actions()[0].menu()
    names = [a.objectName() for a in priority_menu.actions()]
    assert names == ["priorityHighAction", "priorityNormalAction", "priorityLowAction"]
    assert all(a.isCheckable() for a in priority_menu.actions())
    assert action(window, "priorityNormalAction").isChecked()
    action(window, "priorityHighAction").trigger()
    checked = [a.objectName() for a in priority_menu.actions() if a.isChecked()]
    assert checked == ["priorityHighAction"]


def test_high_and_low_priority_are_shown_in_the_status_bar(window) -> None:
    label = window.findChild(QLabel, "priorityLabel")
    assert label is not None and not label.isVisible()
    action(window, "priorityHighAction").trigger()
    assert label.isVisible() and label.text() == "High priority"
    assert window.current_draft().priority == Priority.HIGH
    assert window.isWindowModified()
    action(window, "priorityLowAction").trigger()
    assert label.text() == "Low priority"
    action(window, "priorityNormalAction").trigger()
    assert not label.isVisible()
    assert window.current_draft().priority == Priority.NORMAL


def test_priority_is_saved_with_the_draft_and_restored(make_window, home: Home) -> None:
    first = make_window()
    first.subject_field.setText("urgent")
    action(first, "priorityHighAction").trigger()
    assert first.autosave()
    first.drafts.flush()
    assert DraftStore(home).load().priority == Priority.HIGH
    second = make_window()
    assert second.subject_field.text() == "urgent"
    assert second.priority() == Priority.HIGH
    assert action(second, "priorityHighAction").isChecked()
    assert second.findChild(QLabel, "priorityLabel").text() == "High priority"


def test_loading_a_draft_sets_its_priority_and_a_new_message_resets_it(window) -> None:
    window.load_draft(Draft(subject="x", priority=Priority.LOW))
    assert action(window, "priorityLowAction").isChecked()
    window.clear_message()
    assert window.priority() == Priority.NORMAL
    assert action(window, "priorityNormalAction").isChecked()


def test_the_sent_message_carries_the_priority_headers(qtbot, window) -> None:
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
        window.subject_field.setText("Now please")
        window.editor.setPlainText("Important.")
        action(window, "priorityHighAction").trigger()
        with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
            assert window.send()
        assert window.last_error is None
        raw = server.handler.received[0].data
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["X-Priority"].startswith("1")
    assert message["Importance"].lower() == "high"
