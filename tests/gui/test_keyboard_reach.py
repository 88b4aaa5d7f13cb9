"""Keyboard-only use of the composer's dialogs: Enter, Tab and the focus they leave."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from tests.gui.test_send_gui import maildir_messages


def focus_after(qtbot, widget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    """Press ``key`` where the focus is (``widget`` when it is nowhere) and return the focus."""
    qtbot.keyClick(QApplication.focusWidget() or widget, key, modifier)
    return QApplication.focusWidget()


def shown(qtbot, dialog) -> None:
    dialog.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is dialog)


def test_enter_in_the_checks_before_sending_cancels_rather_than_sends(qtbot, window) -> None:
    # Enter, the moment the checks stop a send, must not send what they stopped.
    window.to_field.setText("bob@gmial.com")
    window.subject_field.setText("Quarterly figures")
    window.editor.setPlainText("Please see the attached file")
    window.send()
    dialog = window.send_log.checks.dialog
    shown(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.cancel_button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.send_log.checks.dialog is None
    assert not window.is_sending()
    assert maildir_messages(window.home) == []


def test_the_checks_tab_in_reading_order_and_a_used_fix_hands_focus_on(qtbot, window) -> None:
    window.to_field.setText("bob@gmial.com")
    window.subject_field.setText("Quarterly figures")
    window.editor.setPlainText("Please see the attached file")
    window.send()
    dialog = window.send_log.checks.dialog
    shown(qtbot, dialog)
    typo = dialog.findChild(QPushButton, "fix_domain-typo")
    attach = dialog.findChild(QPushButton, "fix_attachment")
    fixes = list(dialog.fix_buttons.values())
    assert set(fixes) == {typo, attach}
    # From Cancel, Tab wraps to the first Fix, then the next, then Send anyway.
    assert focus_after(qtbot, dialog, Qt.Key.Key_Tab) is fixes[0]
    assert focus_after(qtbot, dialog, Qt.Key.Key_Tab) is fixes[1]
    assert focus_after(qtbot, dialog, Qt.Key.Key_Tab) is dialog.send_button
    typo.setFocus()
    qtbot.keyClick(typo, Qt.Key.Key_Space)
    assert window.to_field.text() == "bob@gmail.com"
    (remaining,) = dialog.fix_buttons.values()
    assert remaining.objectName() == "fix_attachment"
    assert QApplication.focusWidget() is remaining
    dialog.reject()


def test_tabbing_into_the_account_list_keeps_the_account_being_added(qtbot, home) -> None:
    # Tab past Close wraps to the account list: Qt chose its first account for the empty
    # current item, and the form filled with it over the new account being typed.
    from mailcomposer.store.accounts import AccountStore
    from mailcomposer.store.credentials import Credentials
    from mailcomposer.ui.accountdialog import AccountDialog

    dialog = AccountDialog(AccountStore(home), Credentials())
    qtbot.add_widget(dialog)
    dialog.show()
    shown(qtbot, dialog)
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    assert QApplication.focusWidget() is dialog.name_edit
    qtbot.keyClicks(dialog.name_edit, "Work")
    qtbot.keyClicks(dialog.address_edit, "me@work.example")
    dialog.account_list.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is dialog.account_list
    assert dialog.account_list.currentItem() is None
    assert (dialog.name_edit.text(), dialog.address_edit.text()) == ("Work", "me@work.example")
    # An arrow key still chooses an account, as the user asked.
    qtbot.keyClick(dialog.account_list, Qt.Key.Key_Down)
    assert dialog.account_list.currentRow() == 0
    dialog.stop_test_and_wait()


def test_tab_gets_past_the_history_dates_on_any_day(qtbot, window) -> None:
    # On "any day" Qt found no date section to step to: Tab stayed in Since for ever.
    from tests.gui.test_historywindow import open_history

    history = open_history(window)
    shown(qtbot, history)
    history.search_field.setFocus()
    assert history.since_edit.text() == "any day"
    assert focus_after(qtbot, history, Qt.Key.Key_Tab) is history.since_edit
    assert focus_after(qtbot, history, Qt.Key.Key_Tab) is history.until_edit
    assert focus_after(qtbot, history, Qt.Key.Key_Tab) is history.outcome_combo
    back = Qt.KeyboardModifier.ShiftModifier
    assert focus_after(qtbot, history, Qt.Key.Key_Backtab, back) is history.until_edit
    assert focus_after(qtbot, history, Qt.Key.Key_Backtab, back) is history.since_edit
    # A real date still takes Tab through its year, month and day first.
    history.since_edit.setDate(history.since_edit.date().addYears(25))
    sections = history.since_edit.sectionCount()
    history.since_edit.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(sections - 1):
        assert focus_after(qtbot, history, Qt.Key.Key_Tab) is history.since_edit
    assert focus_after(qtbot, history, Qt.Key.Key_Tab) is history.until_edit


def tab_walk(qtbot, top, start, stop, limit: int = 80) -> list:
    """The widgets Tab visits from ``start`` until ``stop`` (AssertionError: never)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = []
    for _ in range(limit):
        widget = focus_after(qtbot, top, Qt.Key.Key_Tab)
        seen.append(widget)
        if widget is stop:
            return seen
    raise AssertionError(f"Tab never reached {stop!r}: {[w.objectName() for w in seen[-12:]]}")


def test_tab_goes_through_the_local_server_panel_and_out(qtbot, home) -> None:
    # The per-stage table kept Tab for its cells, round and round: OK was out of reach.
    from PySide6.QtWidgets import QDialogButtonBox

    from mailcomposer.ui.sandboxpanel import STAGES, SandboxPanel

    panel = SandboxPanel(home)
    qtbot.add_widget(panel)
    panel.fault_table.add_fault("MAIL", 451, "try later")
    panel.show()
    shown(qtbot, panel)
    ok = panel.buttons.button(QDialogButtonBox.StandardButton.Ok)
    seen = tab_walk(qtbot, panel, panel.tls_combo, ok)
    stages = [w for w in seen if w in (*panel.delay_spins.values(), *panel.drop_checks.values())]
    expected = [(panel.delay_spins[s], panel.drop_checks[s]) for s in STAGES]
    assert stages == [w for pair in expected for w in pair]
    table = panel.fault_table
    add = panel.findChild(QPushButton, "addFaultButton")
    cells = seen[seen.index(panel.greylist_check) + 1 : seen.index(add)]
    assert cells == [table.cellWidget(0, 0), table.cellWidget(0, 1), table]
    assert table.currentColumn() == 2, "the reply text is reached"
    # And back out of the table above it with Shift+Tab.
    back = Qt.KeyboardModifier.ShiftModifier
    add.setFocus(Qt.FocusReason.TabFocusReason)
    visited = [focus_after(qtbot, panel, Qt.Key.Key_Backtab, back) for _ in range(4)]
    assert visited == [table, table.cellWidget(0, 1), table.cellWidget(0, 0), panel.greylist_check]
    names = [w.accessibleName() for w in stages]
    assert all(names) and len(set(names)) == len(names), names


def test_tab_leaves_the_font_size_box_onward_and_sets_no_size(qtbot, window) -> None:
    # Tab out of the size box "activated" its text: the size was set and the focus
    # thrown back into the body, so Tab went body, font, size, body... for a while.
    bar = window.format_bar
    shown(qtbot, window)
    window.editor.setPlainText("Hello")
    bar.font_combo.setFocus(Qt.FocusReason.TabFocusReason)
    assert focus_after(qtbot, window, Qt.Key.Key_Tab) is bar.size_combo
    after = focus_after(qtbot, window, Qt.Key.Key_Tab)
    assert after is not window.editor and after is not bar.size_combo
    assert window.editor.currentCharFormat().fontPointSize() == 0, "no size was chosen"
    # Typing a size and Enter still applies it and goes back to writing.
    bar.size_combo.setFocus(Qt.FocusReason.TabFocusReason)
    bar.size_combo.lineEdit().selectAll()
    qtbot.keyClicks(bar.size_combo.lineEdit(), "18")
    qtbot.keyClick(bar.size_combo.lineEdit(), Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.editor
    assert window.editor.currentCharFormat().fontPointSize() == 18


def test_a_banner_link_can_be_followed_from_the_keyboard(qtbot) -> None:
    # "Show the protocol log", "Open the outbox": the mouse only, until now.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QToolButton, QVBoxLayout, QWidget

    from mailcomposer.ui.statusarea import Banner

    page = QWidget()
    qtbot.addWidget(page)
    field, banner = QLineEdit(page), Banner(page)
    layout = QVBoxLayout(page)
    layout.addWidget(field)
    layout.addWidget(banner)
    banner.show_notice("error", "Not sent.", "log", "Show the protocol log")
    page.show()
    qtbot.waitExposed(page)
    field.setFocus()
    qtbot.wait_until(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Tab)  # to the notice
    assert banner.label.hasFocus()
    qtbot.keyClick(banner.label, Qt.Key.Key_Tab)  # to its link
    with qtbot.wait_signal(banner.link_activated) as followed:
        qtbot.keyClick(banner.label, Qt.Key.Key_Return)
    assert followed.args == ["log"]
    close = banner.findChild(QToolButton)
    assert close.accessibleName() == "Hide this message"  # not "×"
