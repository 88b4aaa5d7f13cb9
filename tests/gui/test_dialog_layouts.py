"""Dialogs as a user sees them, in English and Chinese: nothing stale, cut off or lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit

from mailcomposer import i18n
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.accounts import SANDBOX_NAME, Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.dnslookup import Mx
from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from mailcomposer.ui.charts import BarChart
from mailcomposer.ui.historywindow import HistoryWindow
from mailcomposer.ui.outboxdialog import OutboxDialog
from mailcomposer.ui.passworddialog import PasswordDialog
from mailcomposer.ui.sandboxpanel import SandboxPanel
from tests.gui.test_outbox import leave_in_outbox

WAIT_MS = 20000


def _store(home: Path) -> AccountStore:
    store = AccountStore(Home(home))
    store.save(
        Account(
            name="Work",
            server=ServerSettings("smtp.work.example", 587, Security.STARTTLS, "ann"),
            identities=[Identity("Ann Lee", "ann@work.example")],
        ),
        new=True,
    )
    return store


@pytest.fixture
def account_dialog(qtbot, mailcomposer_home: Path) -> AccountDialog:
    dialog = AccountDialog(_store(mailcomposer_home), Credentials(), select="Work")
    qtbot.add_widget(dialog)
    dialog.show()
    yield dialog
    dialog.form.detect_panel.stop_and_wait()
    dialog.stop_test_and_wait()


def _select(dialog: AccountDialog, name: str) -> None:
    for row in range(dialog.account_list.count()):
        item = dialog.account_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == name:
            dialog.account_list.setCurrentItem(item)
            return
    raise AssertionError(f"no account {name!r} in the list")


def test_another_account_does_not_show_the_last_detection(account_dialog) -> None:
    panel = account_dialog.form.detect_panel
    account_dialog.new_account()
    panel.start()  # no address typed: it says so at once
    assert panel.log.isVisible() and panel.verdict.isVisible()
    _select(account_dialog, "Work")
    assert not panel.log.isVisible() and not panel.verdict.isVisible()
    assert panel.log.toPlainText() == "" and panel.verdict.text() == ""


def test_no_gap_under_the_address_until_a_detection_has_something_to_say(
    qtbot, account_dialog
) -> None:
    form = account_dialog.form
    panel = form.detect_panel
    qtbot.wait_exposed(account_dialog)

    def gap(upper, lower) -> int:
        return lower.geometry().top() - upper.geometry().bottom()

    usual = gap(form.display_name_edit, form.preset_combo)
    assert gap(form.address_edit, form.display_name_edit) == usual
    account_dialog.new_account()
    panel.start()  # no address typed: it says so under the address
    qtbot.wait_until(lambda: gap(form.address_edit, form.display_name_edit) > usual)
    _select(account_dialog, "Work")
    assert panel.isHidden()
    qtbot.wait_until(lambda: gap(form.address_edit, form.display_name_edit) == usual)


class _HeldResolver:
    """Answers one MX look-up (QQ Mail's) only once released."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def srv(self, name: str) -> list:
        return []

    def mx(self, domain: str) -> list[Mx]:
        self.release.wait(WAIT_MS / 1000)
        return [Mx(10, "mx1.qq.com")]


def _no_web(url: str):
    raise OSError("no web in this test")


def test_a_detection_still_running_does_not_fill_another_account(qtbot, account_dialog) -> None:
    panel = account_dialog.form.detect_panel
    resolver = _HeldResolver()
    panel.opener, panel.resolver = _no_web, resolver
    account_dialog.new_account()
    account_dialog.form.address_edit.setText("ann@example.test")
    panel.start()
    assert panel.runner.running
    _select(account_dialog, "Work")  # while it looks up
    with qtbot.wait_signal(panel.finished, timeout=WAIT_MS):
        resolver.release.set()
    assert account_dialog.form.host_edit.text() == "smtp.work.example"
    assert account_dialog.form.preset_combo.currentData() == ""
    assert not panel.verdict.isVisible()
    assert panel.button.isEnabled()


def _outlook(home: Path) -> AccountStore:
    store = _store(home)
    store.save(
        Account(
            name="Office",
            server=ServerSettings("smtp.office365.com", 587, Security.STARTTLS, "ann"),
            identities=[Identity("Ann Lee", "ann@contoso.example")],
            preset="outlook",  # with its note about passwords, two lines in Chinese
        ),
        new=True,
    )
    return store


def test_the_account_form_shows_every_field_at_the_default_size(
    qtbot, mailcomposer_home, language
) -> None:
    dialog = AccountDialog(_outlook(mailcomposer_home), Credentials(), select="Office")
    qtbot.add_widget(dialog)
    with qtbot.wait_exposed(dialog):
        dialog.show()
    form = dialog.form
    assert form.preset_note.isVisible()
    for field in (form.name_edit, form.preset_note, form.final_dot_timeout, form.cafile_edit):
        # Not scrolled away nor cut by the tab: all of it is on screen.
        assert field.visibleRegion().boundingRect() == field.rect(), field.objectName()


def test_the_account_dialog_does_not_grow_past_its_default_height(
    qtbot, mailcomposer_home, language
) -> None:
    """A test's verdict, the Detect steps and the sign-in panel: it stays 680 high.

    It grew to 797 pixels in English and 849 in Chinese, past a 768-pixel screen,
    and could not be made smaller.
    """
    dialog = AccountDialog(_outlook(mailcomposer_home), Credentials(), select="Office")
    qtbot.add_widget(dialog)
    dialog.show()
    default = dialog.size()
    form = dialog.form
    form.oauth_panel.use_box.setChecked(True)
    form.detect_panel.start()  # the steps and a verdict under the address
    form.detect_panel.log.appendPlainText("\n".join(f"• step {n}" for n in range(7)))
    _select(dialog, "Local test server")
    with qtbot.wait_signal(dialog.test_finished, timeout=WAIT_MS):
        assert dialog.start_test()
    assert dialog.verdict.isVisible() and dialog.verdict.text().count("\n") >= 5
    _select(dialog, "Office")
    form.detect_panel.start()
    dialog.layout().activate()  # what the next event loop pass would do
    assert dialog.minimumSizeHint().height() <= default.height()
    assert dialog.size() == default


def _ink_columns(image: QImage, rows: range, columns: range) -> int:
    """How many of ``columns`` hold a dark pixel (text) in ``rows``."""
    return sum(any(QColor(image.pixel(x, y)).lightness() < 110 for y in rows) for x in columns)


@pytest.mark.parametrize(("top", "middle"), [(4, "2.5"), (40, "25")])
def test_the_value_axis_labels_are_drawn_whole(qtbot, top, middle) -> None:
    """A top of 5 has a middle label of "2.5", which the axis cut to ".5"."""
    chart = BarChart("Messages per day")
    qtbot.add_widget(chart)
    chart.set_values([("12-05", top / 2), ("12-06", top)])
    chart.resize(420, 240)
    image = chart.grab().toImage()
    background = image.pixel(0, 0)
    # The three grid lines, found where no bar reaches: the middle one is the label's.
    lines = [y for y in range(image.height()) if image.pixel(image.width() - 12, y) != background]
    grid = [y for y in lines if y - 1 not in lines]
    assert len(grid) == 3
    half = QFontMetrics(chart.font()).height() // 2 + 1
    rows = range(grid[1] - half, grid[1] + half)
    reference = QImage(60, 2 * half, QImage.Format.Format_RGB32)
    reference.fill(background)
    painter = QPainter(reference)
    painter.setFont(chart.font())
    painter.setPen(chart.palette().color(QPalette.ColorRole.WindowText))
    painter.drawText(QPointF(5, half + QFontMetrics(chart.font()).ascent() // 2), middle)
    painter.end()
    whole = _ink_columns(reference, range(reference.height()), range(60))
    assert _ink_columns(image, rows, range(40)) >= whole


def test_history_names_the_built_in_account_in_the_users_language(
    qtbot, mailcomposer_home, language
) -> None:
    history = History(Home(mailcomposer_home))
    history.record(
        "<1@localhost>", "2026-12-06T09:00:00+08:00", "me@localhost", ["tom@example.org"],
        "Q3 sales report 第三季度销售报告", 900, "127.0.0.1:2525", "sent",
        account=SANDBOX_NAME, duration=0.1,
    )  # fmt: skip
    history.close()
    window = HistoryWindow(Home(mailcomposer_home))
    qtbot.add_widget(window)
    window.show()
    shown = i18n._("Local test server")
    assert shown == ("本地测试服务器" if language == "zh_CN" else "Local test server")
    assert window.model.index(0, 1).data() == shown
    assert shown in window.details.toPlainText()
    assert window.account_combo.itemText(1) == shown
    assert window.account_combo.itemData(1) == SANDBOX_NAME  # what the filter searches
    # Whole in its column, not "Local te…".
    needed = window.table.fontMetrics().horizontalAdvance(shown)
    assert window.table.columnWidth(1) > needed


def test_the_outbox_shows_each_subject_whole(qtbot, mailcomposer_home, language) -> None:
    """At its default width the subject said "Happy new y…" (the other columns took it all)."""
    home = Home(mailcomposer_home)
    subject = "Happy new year 新年快乐 — the plans for January"
    leave_in_outbox(home, subject)
    dialog = OutboxDialog(home)
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.table.item(0, 1).text() == subject
    needed = dialog.table.fontMetrics().horizontalAdvance(subject)
    assert dialog.table.columnWidth(1) > needed


def test_the_faults_show_stage_code_and_reply_whole(qtbot, mailcomposer_home, language) -> None:
    """The reply text got a sliver beside two 100-pixel columns, scrolled to "eply tex"."""
    panel = SandboxPanel(Home(mailcomposer_home))
    qtbot.add_widget(panel)
    table = panel.fault_table
    reply = "4.2.1 Mailbox busy, try later"
    table.add_fault("CONNECT", 554, reply)
    panel.show()
    assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll to
    for column in (0, 1):
        box = table.cellWidget(0, column)
        assert table.columnWidth(column) >= box.sizeHint().width(), column
    assert table.columnWidth(2) > table.fontMetrics().horizontalAdvance(reply)


def test_the_password_question_is_not_a_narrow_column(qtbot, language) -> None:
    """It opened 258 pixels wide: the prompt and the provider's note three lines each."""
    note = "Microsoft may have turned off password sign-in (basic authentication) for SMTP."
    dialog = PasswordDialog("Work (Office 365)", "ann.lee@contoso.com", Credentials(), note=note)
    qtbot.add_widget(dialog)
    with qtbot.wait_exposed(dialog):
        dialog.show()
    labels = [label for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert len(labels) == 2
    for label in labels:
        lines = label.height() / label.fontMetrics().lineSpacing()
        assert lines < 2.5, label.text()


def test_the_template_name_is_shown_whole(qtbot, window, language) -> None:
    subject = "Q3 sales report 第三季度销售报告 for the board"
    window.subject_field.setText(subject)
    window.composer_actions.save_template_action.trigger()
    dialog = window.findChild(QInputDialog, "templateNameDialog")
    assert dialog is not None and dialog.isVisible()
    edit = dialog.findChild(QLineEdit)
    assert edit.text() == subject
    assert edit.width() > edit.fontMetrics().horizontalAdvance(subject)
    dialog.reject()


def _busy_history(home: Path) -> None:
    """A week of attempts with long subjects and recipient lists, newest last."""
    history = History(Home(home))
    rows = [
        ("2026-12-01T09:00:00+08:00", "sent", ["me@localhost"], "Test message", SANDBOX_NAME),
        ("2026-12-02T10:00:00+08:00", "failed", ["z@example.org"], "Weekly status", "work"),
        ("2026-12-05T11:03:00+08:00", "partial", ["bob@example.org", "y@163.com", "z@qq.com"],
         "新年快乐 — the plans for January and the budget for the year", "Work (Office 365)"),
        ("2026-12-06T09:12:00+08:00", "unknown", ["tom.zhang@example.org", "li.wei@163.com"],
         "Q3 sales report 第三季度销售报告 for the board meeting", "home"),
    ]  # fmt: skip
    for n, (date, outcome, to, subject, account) in enumerate(rows):
        history.record(
            f"<{n}@example.org>", date, "Ann Lee <ann.lee@example.org>", to, subject,
            5_000_000, "smtp.example.org:587", outcome, account=account,
            stage="final-dot" if outcome == "unknown" else "", reply_code=550 if n == 1 else None,
            reply_text="5.7.8 Username and Password not accepted" if n == 1 else "",
        )  # fmt: skip
    history.close()


@pytest.mark.parametrize("width", [None, 800])
def test_history_shows_time_outcome_recipients_and_subject_without_scrolling(
    qtbot, mailcomposer_home, language, width
) -> None:
    """At 1100 pixels the Outcome column began at 860 behind 750 pixels of other columns:
    at 800 it was scrolled out of sight, and the Reply column always was."""
    _busy_history(mailcomposer_home)
    window = HistoryWindow(Home(mailcomposer_home))
    qtbot.add_widget(window)
    if width:
        window.resize(width, 600)
    with qtbot.wait_exposed(window):
        window.show()
    table, header = window.table, window.table.horizontalHeader()
    qtbot.wait_until(lambda: table.horizontalScrollBar().maximum() == 0)
    assert header.length() <= table.viewport().width()
    # Time, then the outcome, then to whom and what: all in view.
    assert [header.logicalIndex(i) for i in range(4)] == [0, 6, 3, 4]
    for column in range(header.count()):
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width()
    # The outcome, the time and the size whole: nothing of them elided.
    for column in (0, 5, 6):
        needed = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert header.sectionSize(column) >= needed, column
    # Room enough to read a subject: at least twenty characters of it.
    assert header.sectionSize(4) >= 20 * table.fontMetrics().averageCharWidth()
