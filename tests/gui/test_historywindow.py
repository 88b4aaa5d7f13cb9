"""The History window: attempts from the store, filters, details, CSV export, resend."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog

from mailcomposer.message.draft import Draft
from mailcomposer.store.history import History
from mailcomposer.ui.historywindow import HistoryWindow
from mailcomposer.ui.mimeview import MimeViewDialog
from tests.unit.store.test_send_log import _week


@pytest.fixture
def logged(window):
    history = History(window.home)
    _week(history)
    history.close()
    return window


def open_history(window) -> HistoryWindow:
    window.composer_actions.history_action.trigger()
    found = window.findChildren(HistoryWindow, "historyWindow")
    assert len(found) == 1 and found[0].isVisible()
    return found[0]


def outcomes(history: HistoryWindow) -> list[str]:
    return [r.result for r in history.model.records()]


def test_lists_every_attempt_with_its_outcome(qtbot, logged) -> None:
    history = open_history(logged)
    assert outcomes(history) == [
        "sent", "failed", "cancelled", "unknown", "partial", "failed", "sent", "sent",
    ]  # fmt: skip
    shown = history.model.index(1, 6).data()
    assert shown == "Failed"
    assert not history.model.index(1, 6).data(1).isNull()  # its coloured icon
    logged.composer_actions.history_action.trigger()  # brings the open one forward
    open_history(logged)


def test_filters_by_outcome_text_dates_and_account(qtbot, logged) -> None:
    history = open_history(logged)
    history.outcome_combo.setCurrentIndex(history.outcome_combo.findText("Not sent"))
    assert sorted(outcomes(history)) == ["cancelled", "failed", "failed", "unknown"]
    history.outcome_combo.setCurrentIndex(0)
    # What the search looks in stays readable where its placeholder is cut short.
    assert history.search_field.toolTip() == history.search_field.placeholderText() != ""
    history.search_field.setText("qq.com")
    qtbot.wait_until(lambda: len(outcomes(history)) == 2)
    history.search_field.clear()
    history.since_edit.setDate(QDate(2026, 12, 2))
    history.until_edit.setDate(QDate(2026, 12, 4))
    qtbot.wait_until(lambda: len(outcomes(history)) == 3)
    assert {r.date[:10] for r in history.model.records()} == {
        "2026-12-02", "2026-12-03", "2026-12-04",
    }  # fmt: skip
    history.account_combo.setCurrentIndex(history.account_combo.findData("work"))
    assert {r.account for r in history.model.records()} == {"work"}
    assert len(outcomes(history)) == 2


def test_details_show_the_envelope_recipients_and_reply(qtbot, logged) -> None:
    history = open_history(logged)
    row = next(i for i, r in enumerate(history.model.records()) if r.stage == "rcpt")
    history.table.selectRow(row)
    text = history.details.toPlainText()
    assert "x@example.org" in text and "550 5.1.1 No such user" in text
    assert "<2@example.org>" in text and "RCPT" in text


def test_csv_export_writes_utf8_with_a_bom(qtbot, logged, tmp_path: Path, monkeypatch) -> None:
    history = open_history(logged)
    target = tmp_path / "history.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    history.outcome_combo.setCurrentIndex(history.outcome_combo.findText("Not sent"))
    history.export_button.click()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 4, "the filters apply to the export"
    assert all("报告" in row["subject"] for row in rows)


def test_paging_shows_more_on_demand(qtbot, logged, monkeypatch) -> None:
    monkeypatch.setattr("mailcomposer.ui.historywindow.PAGE", 3)
    history = open_history(logged)
    assert len(outcomes(history)) == 3 and history.more_button.isVisibleTo(history)
    history.more_button.click()
    history.more_button.click()
    assert len(outcomes(history)) == 8 and not history.more_button.isVisibleTo(history)


def _record_copy(window, tmp_path: Path, outcome: str, **receipts: object) -> None:
    copy = tmp_path / "copy.eml"
    copy.write_bytes(
        b"From: Ann <ann@example.org>\r\nTo: bob@example.org\r\nSubject: the copy\r\n"
        b"Message-ID: <kept@example.org>\r\nDate: Sun, 06 Dec 2026 09:00:00 +0800\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nBody as sent.\r\n"
    )
    history = History(window.home)
    history.record(
        "<kept@example.org>", datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC),
        "Ann <ann@example.org>", ["bob@example.org", "hid@example.org"], "the copy", 300,
        "127.0.0.1:25", outcome, stage="final-dot" if outcome == "unknown" else "",
        exit_code=8 if outcome == "unknown" else 0, copy_path=str(copy),
        rcpt_results=[{"address": "bob@example.org", "field": "to", "code": 250, "text": "OK"},
                      {"address": "hid@example.org", "field": "bcc", "code": 250, "text": "OK"}],
        **receipts,
    )  # fmt: skip
    history.close()


def test_resend_of_an_unknown_outcome_keeps_the_message_id(qtbot, window, tmp_path) -> None:
    _record_copy(window, tmp_path, "unknown")
    history = open_history(window)
    assert history.open_button.isEnabled()
    history.resend_button.click()
    assert window.subject_field.text() == "the copy"
    assert "Body as sent." in window.editor.toPlainText()
    assert window.bcc_field.text() == "hid@example.org"
    assert window.send_flow.message_id == "<kept@example.org>"


def test_resend_of_a_sent_attempt_is_a_new_message(qtbot, window, tmp_path) -> None:
    _record_copy(window, tmp_path, "sent")
    history = open_history(window)
    history.open_button.click()
    (view,) = history.findChildren(MimeViewDialog, "mimeView")
    assert view.isVisible() and view.message["Subject"] == "the copy"
    history.resend_button.click()
    assert window.subject_field.text() == "the copy"
    assert window.send_flow.message_id is None


def test_resend_without_a_copy_fills_in_the_addresses(qtbot, logged) -> None:
    history = open_history(logged)
    row = next(i for i, r in enumerate(history.model.records()) if r.stage == "rcpt")
    history.table.selectRow(row)
    assert not history.open_button.isEnabled()
    history.resend_button.click()
    assert logged.to_field.text() == "x@example.org"
    assert logged.subject_field.text() == "report 2 报告"
    assert "not kept" in logged.banner.text()


def test_resend_of_an_unknown_outcome_reopens_it_from_the_outbox(qtbot, window) -> None:
    from mailcomposer.message.draft import Draft
    from mailcomposer.message.mime import build_message
    from mailcomposer.store.outbox import Outbox

    built = build_message(
        Draft(from_addr="ann@example.org", to="bob@example.org", bcc="hid@example.org",
              subject="lost after the dot", text="Did it arrive?")
    )  # fmt: skip
    Outbox(window.home).add(built, account="home", server="127.0.0.1:25")
    history = History(window.home)
    history.record(
        built.message_id, None, "ann@example.org", ["bob@example.org", "hid@example.org"],
        "lost after the dot", 400, "127.0.0.1:25", "unknown", stage="final-dot", exit_code=8,
    )  # fmt: skip
    history.close()
    open_history(window).resend_button.click()
    assert window.subject_field.text() == "lost after the dot"
    assert window.bcc_field.text() == "hid@example.org"  # from the outbox envelope
    assert window.send_flow.message_id == built.message_id
    assert "outbox" in window.statusBar().currentMessage()


def _receipts(window) -> tuple[bool, list[str], bool, bool]:
    from PySide6.QtGui import QAction

    draft = window.current_draft()
    checked = [window.findChild(QAction, n).isChecked() for n in ("readReceiptAction", "dsnAction")]
    return (draft.read_receipt, draft.dsn, *checked)


def test_resend_of_a_sent_message_asks_for_the_same_receipts(qtbot, window) -> None:
    from tests.gui.test_send_gui import maildir_messages, send_and_wait

    window.to_field.setText("bo@example.org")
    window.subject_field.setText("Did you read it?")
    window.editor.setPlainText("Tell me.")
    window.composer_actions.read_receipt_action.trigger()
    window.composer_actions.dsn_action.trigger()
    send_and_wait(qtbot, window)  # to the built-in server
    assert window.last_error is None and len(maildir_messages(window.home)) == 1
    window.load_draft(Draft())
    assert _receipts(window) == (False, [], False, False)

    history = open_history(window)
    assert history.selected().subject == "Did you read it?"
    history.resend_button.click()
    assert window.subject_field.text() == "Did you read it?"
    assert _receipts(window) == (True, ["SUCCESS", "FAILURE"], True, True)


def test_resend_of_a_kept_copy_asks_for_the_same_receipts(qtbot, window, tmp_path) -> None:
    _record_copy(window, tmp_path, "unknown", read_receipt=True, notify=["DELAY"])
    open_history(window).resend_button.click()
    assert window.subject_field.text() == "the copy"
    assert _receipts(window) == (True, ["DELAY"], True, True)


def test_resend_from_the_outbox_asks_for_the_same_receipts(qtbot, window) -> None:
    from mailcomposer.message.mime import build_message
    from mailcomposer.store.outbox import Outbox

    built = build_message(
        Draft(from_addr="ann@example.org", to="bob@example.org", subject="asks for receipts",
              text="Did it arrive?", read_receipt=True, dsn=["FAILURE", "DELAY"])
    )  # fmt: skip
    Outbox(window.home).add(built, account="home", server="127.0.0.1:25")
    history = History(window.home)
    history.record(
        built.message_id, None, "ann@example.org", ["bob@example.org"], "asks for receipts",
        400, "127.0.0.1:25", "unknown", stage="final-dot", exit_code=8,
    )  # fmt: skip
    history.close()
    open_history(window).resend_button.click()
    assert window.subject_field.text() == "asks for receipts"
    assert window.send_flow.message_id == built.message_id
    assert _receipts(window) == (True, ["FAILURE", "DELAY"], True, True)
    # Sent again, it asks for the read receipt once (not a second header).
    draft = window.current_draft()
    wire = build_message(draft).wire().to_bytes()
    assert wire.count(b"Disposition-Notification-To:") == 1
