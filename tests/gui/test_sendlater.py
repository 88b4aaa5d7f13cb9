"""Send Later, the outbox timer, the outbox window's buttons and the Drafts list, in the window."""

from __future__ import annotations

import datetime
from email import message_from_bytes

from PySide6.QtWidgets import QApplication, QMessageBox

from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.sandbox.labfile import save_lab_config
from mailcomposer.store.accounts import SANDBOX_NAME, sandbox_account
from mailcomposer.store.outbox import OutboxState
from mailcomposer.store.outboxqueue import OutboxQueue, settings_fields
from mailcomposer.store.paths import Home
from mailcomposer.ui.draftsdialog import DraftsDialog
from mailcomposer.ui.outboxdialog import OutboxDialog
from mailcomposer.ui.sendlaterdialog import SendLaterDialog, monday_morning, tomorrow_morning
from tests.gui.conftest import click, find_box
from tests.gui.test_send_gui import maildir_messages, send_and_wait
from tests.smtp_fixtures import make_built

SEND_TIMEOUT_MS = 20000


class Clock:
    """A "now" the test moves on (the queue's injectable clock): nothing sleeps."""

    def __init__(self) -> None:
        self.now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


def runner_of(window):
    return window.tool_windows.send_later.runner


def with_clock(window) -> Clock:
    clock = Clock()
    runner_of(window).set_clock(clock)
    return clock


def write(window, subject: str = "Plan for Monday") -> None:
    window.to_field.setText("Bo <bo@example.org>")
    window.bcc_field.setText("hidden@example.org")
    window.subject_field.setText(subject)
    window.editor.setPlainText("Hello Bo,\n\nhere is the plan for Monday.\n")


def send_later(qtbot, window) -> None:
    """File > Send Later, keep the proposed time (in one hour), confirm."""
    window.composer_actions.send_later_action.trigger()
    dialog = window.findChild(SendLaterDialog, "sendLaterDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.accept()
    qtbot.wait_until(lambda: window.findChild(SendLaterDialog) is None or not dialog.isVisible())


def schedule_sandbox(home: Home, clock: Clock, subject: str, *, minutes: float = -1):
    """An entry for the built-in server, due ``minutes`` from the clock's now."""
    built = make_built(subject=subject, to="bo@example.org", bcc="hidden.carol@example.test")
    queue = OutboxQueue(home, clock=clock)
    due = clock() + datetime.timedelta(minutes=minutes)
    settings = settings_fields(sandbox_account().server, sandbox=True)
    return built, queue.schedule(built, due, account=SANDBOX_NAME, settings=settings)


def wait_settled(qtbot, window) -> None:
    runner = runner_of(window)
    qtbot.wait_until(lambda: not runner.is_sending(), timeout=SEND_TIMEOUT_MS)


def outbox_dialog(window) -> OutboxDialog:
    (dialog,) = [w for w in window.findChildren(OutboxDialog) if w.isVisible()]
    return dialog


def message_ids(home: Home) -> list[str]:
    return [message_from_bytes(raw)["Message-ID"] for raw in maildir_messages(home)]


def test_quick_choices_are_tomorrow_and_next_monday_at_eight() -> None:
    friday = datetime.datetime(2026, 12, 4, 17, 30)
    assert tomorrow_morning(friday) == datetime.datetime(2026, 12, 5, 8, 0)
    assert monday_morning(friday) == datetime.datetime(2026, 12, 7, 8, 0)
    monday = datetime.datetime(2026, 12, 7, 7, 0)
    assert monday_morning(monday) == datetime.datetime(2026, 12, 14, 8, 0)


def test_send_later_schedules_then_the_timer_sends_it_once(qtbot, window, home: Home) -> None:
    clock = with_clock(window)
    write(window)
    send_later(qtbot, window)

    (entry,) = OutboxQueue(home).entries()
    assert entry.state is OutboxState.SCHEDULED and entry.account == SANDBOX_NAME
    due = datetime.datetime.fromisoformat(entry.next_try)
    assert datetime.timedelta(minutes=59) <= due - clock() <= datetime.timedelta(minutes=61)
    assert "hidden@example.org" in entry.recipients
    assert "Will be sent at" in window.banner.text()
    assert window.subject_field.text() == "" and window.to_field.text() == ""
    assert not window.is_dirty() and not window.drafts.exists()
    assert maildir_messages(home) == []  # nothing before its time

    clock.advance(minutes=61)
    runner_of(window).arm()
    qtbot.wait_until(lambda: len(maildir_messages(home)) == 1, timeout=SEND_TIMEOUT_MS)
    wait_settled(qtbot, window)
    assert OutboxQueue(home).entries() == []
    assert [i.strip("<>") for i in message_ids(home)] == [entry.message_id.strip("<>")]
    assert b"Bcc" not in maildir_messages(home)[0]
    transcript = window.log_dock.transcript_text()
    assert "C: DATA" in transcript and "hidden@example.org" in transcript

    runner_of(window).arm()  # once: nothing is due any more
    qtbot.wait(50)
    assert not runner_of(window).run_due()
    assert len(maildir_messages(home)) == 1


def test_greylisting_first_try_retries_then_delivers(qtbot, make_window, home: Home) -> None:
    save_lab_config(home, SandboxConfig(greylist=True, greylist_delay=0.0))
    window = make_window()
    clock = with_clock(window)
    built, entry = schedule_sandbox(home, clock, "Greylisted")
    runner = runner_of(window)
    runner.arm()
    qtbot.wait_until(
        lambda: OutboxQueue(home).get(entry.id).attempts == 1 and not runner.is_sending(),
        timeout=SEND_TIMEOUT_MS,
    )
    retry = OutboxQueue(home).get(entry.id)
    assert retry.state is OutboxState.RETRY and retry.last_error.startswith("451")
    next_try = datetime.datetime.fromisoformat(retry.next_try)
    assert clock() < next_try <= clock() + datetime.timedelta(minutes=2)
    assert maildir_messages(home) == []

    window.show_outbox()
    row = outbox_dialog(window).table
    assert "retry" in row.item(0, 4).text().lower() and row.item(0, 6).text() == "1"
    assert row.item(0, 5).text() and "451" in row.item(0, 7).text()

    clock.advance(minutes=2)
    runner.arm()
    qtbot.wait_until(lambda: len(maildir_messages(home)) == 1, timeout=SEND_TIMEOUT_MS)
    wait_settled(qtbot, window)
    assert OutboxQueue(home).entries() == []
    assert message_ids(home)[0].strip("<>") == built.message_id.strip("<>")
    qtbot.wait_until(lambda: outbox_dialog(window).table.rowCount() == 0)


def test_retry_now_sends_a_failed_entry_at_once(qtbot, window, home: Home) -> None:
    clock = with_clock(window)
    built, entry = schedule_sandbox(home, clock, "Refused once", minutes=30)
    OutboxQueue(home).outbox.update(entry.id, state=OutboxState.FAILED, last_error="550 no")
    window.show_outbox()
    dialog = outbox_dialog(window)
    assert "Failed" in dialog.table.item(0, 4).text()
    dialog.retry_button.click()
    qtbot.wait_until(lambda: len(maildir_messages(home)) == 1, timeout=SEND_TIMEOUT_MS)
    wait_settled(qtbot, window)
    assert message_ids(home)[0].strip("<>") == built.message_id.strip("<>")
    qtbot.wait_until(lambda: dialog.table.rowCount() == 0)


def test_edit_reopens_and_takes_it_out_of_the_queue(qtbot, window, home: Home) -> None:
    clock = with_clock(window)
    built, _entry = schedule_sandbox(home, clock, "To be edited", minutes=30)
    window.show_outbox()
    dialog = outbox_dialog(window)
    dialog.open_button.click()
    assert window.subject_field.text() == "To be edited"
    assert window.bcc_field.text() == "hidden.carol@example.test"
    assert window.current_draft().message_id == built.message_id
    assert OutboxQueue(home).entries() == []  # it must not also go by itself
    assert dialog.table.rowCount() == 0
    clock.advance(hours=1)
    assert not runner_of(window).run_due()


def test_delete_removes_a_scheduled_entry(qtbot, window, home: Home) -> None:
    clock = with_clock(window)
    schedule_sandbox(home, clock, "Never mind", minutes=30)
    window.show_outbox()
    dialog = outbox_dialog(window)
    dialog.delete_button.click()
    box = find_box("outboxDeleteQuestion")
    click(box, QMessageBox.StandardButton.Yes)
    assert OutboxQueue(home).entries() == [] and dialog.table.rowCount() == 0


def test_a_due_entry_without_its_password_waits_and_says_so(qtbot, window, home: Home) -> None:
    from mailcomposer.smtp.settings import Security, ServerSettings
    from mailcomposer.store.accounts import Account, AccountStore, Identity

    settings = ServerSettings("127.0.0.1", 9, Security.NONE, username="ann")
    AccountStore(home).save(
        Account(name="Work", server=settings, identities=[Identity("Ann", "ann@example.org")])
    )
    asked = []
    window.ask_password = asked.append
    clock = with_clock(window)
    built = make_built(subject="Needs a login")
    entry = OutboxQueue(home, clock=clock).schedule(built, clock(), account="Work")
    assert not runner_of(window).run_due()
    assert asked == []  # never a question from the timer
    assert "password" in window.banner.text() and "Work" in window.banner.text()
    assert OutboxQueue(home).get(entry.id).state is OutboxState.SCHEDULED


def test_start_up_notice_ignores_scheduled_entries(make_window, home: Home) -> None:
    clock = Clock()
    schedule_sandbox(home, clock, "Later", minutes=600)
    window = make_window()
    assert window.check_outbox() == 0


def test_drafts_lists_a_kept_draft_and_opens_it(qtbot, window, home: Home) -> None:
    write(window, "The earlier message")
    assert window.save_draft()
    kept = window.drafts.keep_aside()  # as opening a mailto: link does
    window.clear_message()
    window.subject_field.setText("The current one")
    assert window.autosave()
    window.drafts.flush()
    window.composer_actions.drafts_action.trigger()
    dialog = window.findChild(DraftsDialog, "draftsDialog")
    assert dialog is not None and dialog.isVisible()
    texts = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert texts == ["The current one", "The earlier message"]
    assert dialog.paths()[1] == kept
    dialog.table.selectRow(1)
    dialog.open_button.click()
    box = window.pending_question()
    if box is not None:  # the current message has unsaved edits: discard them
        box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.wait_until(lambda: window.subject_field.text() == "The earlier message")
    assert not kept.exists()
    QApplication.processEvents()


def test_at_start_a_due_entry_goes_once_the_window_has_shown(qtbot, make_window, home) -> None:
    built, _entry = schedule_sandbox(home, Clock(), "Due while the app was closed")
    window = make_window()
    assert window.isVisible()
    qtbot.wait_until(lambda: len(maildir_messages(home)) == 1, timeout=SEND_TIMEOUT_MS)
    wait_settled(qtbot, window)
    assert message_ids(home)[0].strip("<>") == built.message_id.strip("<>")
    assert OutboxQueue(home).entries() == []


def test_send_later_runs_the_checks_and_keeps_their_fix(qtbot, window, home: Home) -> None:
    from PySide6.QtWidgets import QPushButton

    with_clock(window)
    window.to_field.setText("bob@gmial.com")
    window.subject_field.setText("Quarterly figures")
    window.editor.setPlainText("Please see the attached file")
    send_later(qtbot, window)
    dialog = window.send_log.checks.dialog
    assert dialog is not None and OutboxQueue(home).entries() == []
    dialog.findChild(QPushButton, "fix_domain-typo").click()
    dialog.send_button.click()  # Send anyway (the attachment is not needed)
    (entry,) = OutboxQueue(home).entries()
    assert entry.recipients == ("bob@gmail.com",) and entry.state is OutboxState.SCHEDULED
    assert window.subject_field.text() == ""


def test_send_waits_while_the_outbox_sends(qtbot, window, home: Home) -> None:
    clock = with_clock(window)
    schedule_sandbox(home, clock, "From the outbox")
    write(window, "Written now")
    runner = runner_of(window)
    assert runner.run_due() and runner.is_sending()
    assert not window.send()  # never two sends at once
    assert "outbox" in window.statusBar().currentMessage()
    wait_settled(qtbot, window)
    assert len(maildir_messages(home)) == 1
    send_and_wait(qtbot, window)
    assert len(maildir_messages(home)) == 2
