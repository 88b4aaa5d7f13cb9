"""Send step by step from the window: the pause bar, Next / Run / Abort, typed commands, Esc."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from mailcomposer.smtp.explain import explain_command_full
from mailcomposer.ui.sendcontroller import live_threads
from tests.gui.conftest import click, find_box
from tests.gui.test_send_gui import SEND_TIMEOUT_MS, maildir_messages

STEPS = ["EHLO", "MAIL", "RCPT", "RCPT", "DATA", ".", "QUIT"]


def fill(window) -> None:
    window.to_field.setText("Bo <bo@example.org>")
    window.bcc_field.setText("hidden@example.org")
    window.subject_field.setText("Step by step 一步一步")
    window.editor.setPlainText("Hello Bo, one command at a time.")


def start_stepping(qtbot, window):
    """Trigger *Send step by step*; return the pause bar, paused before the first command."""
    assert window.composer_actions.send_step_action.isEnabled()
    window.composer_actions.send_step_action.trigger()
    panel = window.findChild(QWidget, "stepPanel")
    assert panel is not None and panel.isVisible()
    assert (
        not window.composer_actions.send_step_action.isEnabled()
        and window.cancel_send_action.isEnabled()
    )
    wait_pause(qtbot, panel)
    return panel


def wait_pause(qtbot, panel) -> str:
    """Wait until the bar offers a step; return its verb."""
    qtbot.wait_until(
        lambda: panel.gate.waiting is not None and panel.next_button.isEnabled(),
        timeout=SEND_TIMEOUT_MS,
    )
    return panel.gate.waiting.verb


def test_next_through_every_command_delivers_once(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    seen = []
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        while True:
            seen.append(wait_pause(qtbot, panel))
            assert panel.command_label.text() == f"C: {panel.gate.waiting.line}"
            qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
            if seen[-1] == "QUIT":
                break
    assert seen == STEPS
    assert window.last_error is None and window.last_result is not None
    assert len(maildir_messages(window.home)) == 1
    log = window.log_dock.transcript_text()
    for line in ("C: EHLO", "C: MAIL FROM:", "C: RCPT TO:<bo@example.org>", "C: DATA", "C: QUIT"):
        assert line in log
    assert log.count("C: RCPT TO:") == 2 and "S: 221" in log
    assert not panel.isVisible() and window.composer_actions.send_step_action.isEnabled()


def test_the_progress_bar_says_before_which_command_the_send_waits(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    bar = window.progress_bar
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        while True:
            verb = wait_pause(qtbot, panel)
            said = "the final dot" if verb == "." else verb
            qtbot.wait_until(lambda s=said: bar.format() == f"Paused before {s}")
            qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
            if verb == "QUIT":
                break


def test_the_progress_bar_names_the_stage_of_the_last_command(qtbot, window) -> None:
    from mailcomposer.smtp.transcript import Direction, TranscriptEvent

    window.status_area.set_sending(True)
    assert window.progress_bar.format() == "Connecting…"

    def logged(*lines: tuple[Direction, str]) -> str:
        events = tuple(TranscriptEvent(0.0, direction, text) for direction, text in lines)
        window.controller.event_batch.emit(events)
        return window.progress_bar.format()

    assert logged((Direction.SERVER, "220 ready")) == "Connecting…"
    assert logged((Direction.CLIENT, "EHLO me"), (Direction.SERVER, "250 hi")) == (
        "Greeting the server…"
    )
    assert logged((Direction.CLIENT, "RCPT TO:<a@b.org>"), (Direction.CLIENT, "NOOP")) == (
        "Giving the recipients…"  # a command of no stage keeps the one before
    )
    assert logged((Direction.CLIENT, ".")) == "Waiting for the server to accept the message…"
    window.status_area.set_sending(False)


def test_a_typed_noop_is_answered_then_run_to_the_end(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    assert panel.gate.waiting.verb == "EHLO"
    qtbot.keyClicks(panel.command_field, "noop")
    qtbot.mouseClick(panel.send_command_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: "C: NOOP" in window.log_dock.transcript_text())
    assert wait_pause(qtbot, panel) == "EHLO"  # asked again about the same command
    log = window.log_dock.transcript_text()
    assert "S: 250" in log[log.index("C: NOOP") :] and "C: EHLO" not in log
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert window.last_result is not None and len(maildir_messages(window.home)) == 1
    assert "C: EHLO" in window.log_dock.transcript_text()


def test_a_command_the_client_sends_itself_is_refused_inline(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    qtbot.keyClicks(panel.command_field, "MAIL FROM:<x@example.org>")
    qtbot.keyClick(panel.command_field, Qt.Key.Key_Return)
    assert panel.problem_label.isVisible() and "NOOP" in panel.problem_label.text()
    assert panel.gate.waiting.verb == "EHLO" and panel.next_button.isEnabled()
    assert panel.command_field.text() == "MAIL FROM:<x@example.org>"  # kept to correct
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert "x@example.org" not in window.log_dock.transcript_text()


def test_the_bar_says_why_with_the_rfc_label(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert wait_pause(qtbot, panel) == "MAIL"
    line = panel.gate.waiting.line
    expected = explain_command_full(line)
    assert "RFC 5321" in expected.ref_labels
    assert panel.refs_label.isVisible() and expected.ref_labels in panel.refs_label.text()
    assert panel.explanation_label.text() == expected.text != ""
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)


def test_abort_at_mail_delivers_nothing_and_keeps_the_draft(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert wait_pause(qtbot, panel) == "MAIL"
    with qtbot.wait_signal(window.controller.cancelled, timeout=SEND_TIMEOUT_MS):
        qtbot.mouseClick(panel.abort_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: not window.is_sending(), timeout=SEND_TIMEOUT_MS)
    assert maildir_messages(window.home) == []
    assert window.last_result is None and window.last_error is None
    assert window.banner.kind == "warning" and not panel.isVisible()
    assert window.to_field.text() == "Bo <bo@example.org>"
    assert window.editor.toPlainText() == "Hello Bo, one command at a time."
    draft = window.drafts.load()
    assert draft.subject == "Step by step 一步一步" and draft.to == "Bo <bo@example.org>"
    assert "C: MAIL FROM" not in window.log_dock.transcript_text()


def test_esc_during_a_pause_cancels(qtbot, window) -> None:
    fill(window)
    panel = start_stepping(qtbot, window)
    with qtbot.wait_signal(window.controller.cancelled, timeout=SEND_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait_until(lambda: not window.is_sending(), timeout=SEND_TIMEOUT_MS)
    assert maildir_messages(window.home) == [] and not panel.isVisible()
    assert window.to_field.text() == "Bo <bo@example.org>"


def test_closing_during_a_pause_asks_then_ends_the_thread(qtbot, window) -> None:
    fill(window)
    start_stepping(qtbot, window)
    assert not window.close()  # asks first, as during any send
    box = find_box("closeDuringSendDialog")
    assert box is not None and window.controller.is_running()
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        click(box, QMessageBox.StandardButton.Yes)
    qtbot.wait_until(lambda: not window.isVisible())
    assert not live_threads()
    assert maildir_messages(window.home) == []


def test_shutdown_during_a_pause_joins_the_thread(qtbot, window) -> None:
    fill(window)
    start_stepping(qtbot, window)
    window.shutdown()  # no event loop needed: the waiting gate sees the cancel itself
    assert not live_threads()


def test_the_gate_answers_once_and_a_cancel_ends_its_wait(qtbot) -> None:
    from mailcomposer.smtp.cancel import CancelToken
    from mailcomposer.smtp.errors import Stage
    from mailcomposer.smtp.step import Choice, PlannedStep
    from mailcomposer.ui.stepgate import StepGate

    gate, token = StepGate(), CancelToken()
    gate.arm(token)
    assert not gate.answer(Choice.next())  # nobody waits: nothing to answer
    step = PlannedStep("NOOP", explain_command_full("NOOP"), Stage.MAIL)
    results: list[Choice] = []
    worker = threading.Thread(target=lambda: results.append(gate.decide(step)))
    worker.start()
    qtbot.wait_until(lambda: gate.waiting is step)
    assert gate.answer(Choice.extra("HELP")) and not gate.answer(Choice.next())
    worker.join(5)
    assert results == [Choice.extra("HELP")] and gate.waiting is None

    worker = threading.Thread(target=lambda: results.append(gate.decide(step)))
    worker.start()
    qtbot.wait_until(lambda: gate.waiting is step)
    token.cancel()  # from this thread, no event loop turning: the wait still ends
    worker.join(5)
    assert not worker.is_alive() and results[-1] == Choice.abort()


def test_send_anyway_after_the_checks_still_steps(qtbot, window) -> None:
    window.to_field.setText("bob@gmial.com")  # a typo: the checks stop the send first
    window.subject_field.setText("Quarterly figures")
    window.editor.setPlainText("No attachment here.")
    window.composer_actions.send_step_action.trigger()
    dialog = window.send_log.checks.dialog
    assert dialog is not None and not window.is_sending()
    dialog.send_button.click()
    panel = window.findChild(QWidget, "stepPanel")
    assert wait_pause(qtbot, panel) == "EHLO"
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert len(maildir_messages(window.home)) == 1
    # The next plain Send does not pause.
    window.editor.setPlainText("Again, at once.")
    window.to_field.setText("bob@example.org")
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        assert window.send()
    assert not panel.isVisible() and len(maildir_messages(window.home)) == 2


def test_progress_that_arrives_during_a_pause_is_said_once_the_send_goes_on(window) -> None:
    # The upload's progress is polled on a timer: it can come in after the pause.
    status, bar = window.status_area, window.progress_bar
    status.set_sending(True)
    status.show_pause("Paused before the final dot")
    status.show_progress(2048, 4096)
    assert bar.format() == "Paused before the final dot" and bar.value() == 500
    status.show_pause("")
    assert bar.format() != "Paused before the final dot" and "of" in bar.format()
    status.set_sending(False)
