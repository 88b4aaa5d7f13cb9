"""The outbox window and the start-up notice: reopen (Message-ID and Bcc kept) or delete."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from mailcomposer.ui.outboxdialog import OutboxDialog
from tests.gui.conftest import click, find_box
from tests.smtp_fixtures import make_built


def leave_in_outbox(home: Home, subject: str, state: OutboxState = OutboxState.UNKNOWN):
    """An outbox entry as a send cut short leaves it (real Outbox, real built message)."""
    built = make_built(subject=subject, to="Bo <bo@example.test>", bcc="hidden.carol@example.test")
    outbox = Outbox(home)
    entry = outbox.add(built, account="Work", server="smtp.example.test:587")
    if state is OutboxState.UNKNOWN:
        outbox.mark(entry.id, state)
    return built, outbox.get(entry.id)


def outbox_dialog(window) -> OutboxDialog:
    (dialog,) = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, OutboxDialog) and w.isVisible() and w.parent() is window
    ]
    return dialog


def test_start_up_says_when_the_outbox_holds_messages(make_window, home: Home) -> None:
    leave_in_outbox(home, "Quarterly report")
    window = make_window()
    assert window.banner.kind == "warning"
    assert "1 in the outbox" in window.banner.text() and 'href="outbox"' in window.banner.text()


def test_an_empty_outbox_says_nothing(make_window) -> None:
    window = make_window()
    assert window.banner.isHidden()
    assert window.check_outbox() == 0


def test_the_outbox_lists_and_reopens_with_message_id_and_bcc(qtbot, make_window, home) -> None:
    built, entry = leave_in_outbox(home, "季度报告 Q3")
    _other, other = leave_in_outbox(home, "another message")
    window = make_window()
    window.banner.link_activated.emit("outbox")
    dialog = outbox_dialog(window)
    assert {e.id for e in dialog.entries()} == {entry.id, other.id}
    dialog.table.selectRow([e.id for e in dialog.entries()].index(entry.id))
    row = [dialog.table.item(dialog.table.currentRow(), column).text() for column in range(5)]
    assert row[1] == "季度报告 Q3" and "hidden.carol@example.test" in row[2]
    assert "unknown" in row[4]

    dialog.open_button.click()  # the composer is untouched: no question first
    assert window.subject_field.text() == "季度报告 Q3"
    assert window.bcc_field.text() == "hidden.carol@example.test"
    assert window.current_draft().message_id == built.message_id
    assert window.banner.isHidden()
    assert len(Outbox(home).pending()) == 2  # the exact copy stays until the resend

    window.send()  # to the built-in server: accepted, so the copy goes
    assert not dialog.isVisible()  # the list closes while a send runs
    qtbot.wait_until(
        lambda: not window.is_sending() and window.last_result is not None, timeout=15000
    )
    assert window.last_result.message_id.strip("<>") == built.message_id.strip("<>")
    assert [e.id for e in Outbox(home).pending()] == [other.id]  # only the resent one went


def test_reopening_keeps_a_bcc_that_differs_from_a_to_only_in_case(make_window, home) -> None:
    # RFC 5321 §2.4: the local part is case-sensitive, so these are two recipients.
    built = make_built(subject="Two Bobs", to="bob@example.org", bcc="Bob@example.org")
    assert built.envelope.recipients == ("bob@example.org", "Bob@example.org")
    outbox = Outbox(home)
    entry = outbox.add(built, account="Work", server="smtp.example.test:587")
    outbox.mark(entry.id, OutboxState.UNKNOWN)
    window = make_window()
    window.show_outbox()
    outbox_dialog(window).open_button.click()
    assert window.to_field.text() == "bob@example.org"
    assert window.bcc_field.text() == "Bob@example.org"
    draft = window.current_draft()
    assert (draft.to, draft.bcc) == ("bob@example.org", "Bob@example.org")


def test_reopening_over_unsaved_work_asks_first(make_window, home: Home) -> None:
    leave_in_outbox(home, "from the outbox", OutboxState.QUEUED)
    window = make_window()
    window.subject_field.setText("being written")
    window.show_outbox()
    dialog = outbox_dialog(window)
    assert "Interrupted" in dialog.table.item(0, 4).text()
    dialog.open_button.click()
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Cancel)
    assert window.subject_field.text() == "being written"
    assert len(Outbox(home).pending()) == 1


def test_delete_asks_and_no_keeps_it(make_window, home: Home) -> None:
    leave_in_outbox(home, "keep or delete")
    window = make_window()
    window.show_outbox()
    dialog = outbox_dialog(window)
    dialog.delete_button.click()
    click(find_box("outboxDeleteQuestion"), QMessageBox.StandardButton.No)
    assert len(dialog.entries()) == 1
    dialog.delete_button.click()
    box = find_box("outboxDeleteQuestion")
    assert "keep or delete" in box.text()
    click(box, QMessageBox.StandardButton.Yes)
    assert dialog.entries() == [] and Outbox(home).pending() == []
    assert not dialog.open_button.isEnabled()
