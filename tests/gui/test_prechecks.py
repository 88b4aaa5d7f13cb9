"""Checks before sending in the window: one dialog, fixes, Send anyway, Cancel, overrides."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from mailcomposer.message.screening import Action, Rule, Settings
from mailcomposer.store import screening
from tests.gui.test_send_gui import SEND_TIMEOUT_MS, maildir_messages


def compose(window, *, to: str = "bob@gmial.com", body: str = "Please see the attached file"):
    window.to_field.setText(to)
    window.subject_field.setText("Quarterly figures")
    window.editor.setPlainText(body)


def test_typo_and_forgotten_attachment_stop_for_one_dialog(qtbot, window) -> None:
    compose(window)
    assert not window.send()
    dialog = window.send_log.checks.dialog
    assert dialog is not None and dialog.objectName() == "preSendChecks"
    assert {f.check for f in dialog.findings} == {"attachment", "domain-typo"}
    assert any("gmail.com" in f.message for f in dialog.findings)
    assert not window.is_sending()
    assert maildir_messages(window.home) == []
    # Pressing Send again brings the open dialog forward instead of a second one.
    assert not window.send()
    assert window.send_log.checks.dialog is dialog


def test_fix_corrects_the_domain_and_send_anyway_sends(qtbot, window) -> None:
    compose(window)
    window.send()
    dialog = window.send_log.checks.dialog
    dialog.findChild(QPushButton, "fix_domain-typo").click()
    assert window.to_field.text() == "bob@gmail.com"
    assert [f.check for f in dialog.findings] == ["attachment"], "the dialog shows what is left"
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        dialog.send_button.click()
    assert window.last_error is None
    assert window.last_result is not None
    assert b"X-RcptTo: bob@gmail.com" in maildir_messages(window.home)[0]
    assert window.send_log.checks.dialog is None


def test_cancel_keeps_the_message_as_it_was(qtbot, window) -> None:
    compose(window)
    window.send()
    dialog = window.send_log.checks.dialog
    dialog.cancel_button.click()
    assert window.send_log.checks.dialog is None
    assert not window.is_sending()
    assert maildir_messages(window.home) == []
    assert window.to_field.text() == "bob@gmial.com"
    draft = window.current_draft()
    assert (draft.subject, draft.text.strip()) == (
        "Quarterly figures",
        "Please see the attached file",
    )
    assert window.is_dirty() or window.drafts.load() is not None, "the draft is still kept"


def test_many_recipients_fix_moves_them_to_bcc(qtbot, window) -> None:
    screening.save(window.home.screening_file, Settings(max_visible_recipients=2))
    compose(window, to="a@example.org, b@example.org", body="Hello all")
    window.cc_field.setText("c@example.org")
    window.send()
    dialog = window.send_log.checks.dialog
    dialog.findChild(QPushButton, "fix_many-recipients").click()
    assert (window.to_field.text(), window.cc_field.text()) == ("", "")
    assert window.bcc_field.text() == "a@example.org, b@example.org, c@example.org"
    assert dialog.findings == ()
    assert dialog.send_button.isEnabled()
    dialog.reject()


def test_a_blocking_rule_needs_the_explicit_override(qtbot, window) -> None:
    rule = Rule("Confidential", "word:CONFIDENTIAL", Action.BLOCK)
    screening.save(window.home.screening_file, Settings(rules=(rule,)))
    compose(window, to="bob@example.org", body="CONFIDENTIAL: the numbers")
    assert not window.send()
    dialog = window.send_log.checks.dialog
    assert [f.check for f in dialog.findings] == ["rule"]
    assert "Confidential" in dialog.findings[0].message
    assert not dialog.send_button.isEnabled()
    dialog.accept()  # Enter on the dialog must not get round it
    assert window.send_log.checks.dialog is dialog and dialog.isVisible()
    dialog.override.setChecked(True)
    assert dialog.send_button.isEnabled()
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        dialog.send_button.click()
    assert len(maildir_messages(window.home)) == 1


def test_the_signature_does_not_count_as_mentioning_an_attachment(qtbot, window) -> None:
    compose(window, to="bob@example.org", body="Hello Bob\n\nAnn\nSee attached CV")
    assert [f.check for f in window.send_log.checks.findings()] == ["attachment"]
    window.signature.block_texts = lambda identity=None: ["Ann", "See attached CV"]
    assert [f.check for f in window.send_log.checks.findings()] == []


def test_a_broken_rules_file_is_said_not_silently_ignored(qtbot, window) -> None:
    window.home.screening_file.parent.mkdir(parents=True, exist_ok=True)
    window.home.screening_file.write_text("[[rule]]\nname = 'x'\nmatch = 'regex:('\n")
    compose(window, to="bob@example.org", body="Hello")
    checks = window.send_log.checks.findings()
    assert [f.check for f in checks] == ["rules-file"]
    assert "screening.toml" in checks[0].message
