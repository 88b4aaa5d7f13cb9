"""The History window's words: sizes, the reply and the fields in the details, the date filters."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mailcomposer.store.paths import Home
from mailcomposer.ui.historywindow import SIZE, HistoryWindow, details_html
from tests.unit.store.test_send_log import _week


def test_a_failed_attempt_shows_no_size_and_a_sent_one_its_size(qtbot, tmp_path) -> None:
    from mailcomposer.store.history import History

    home = Home(tmp_path)
    history = History(home)
    _week(history)
    history.close()
    window = HistoryWindow(home)
    qtbot.add_widget(window)
    model = window.model
    shown = {
        (model.record(row).result, model.data(model.index(row, SIZE), Qt.ItemDataRole.DisplayRole))
        for row in range(model.rowCount())
    }
    assert ("failed", "—") in shown and ("cancelled", "—") in shown
    assert ("sent", "800 bytes") in shown and ("partial", "4.8 MiB") in shown
    assert not any(size == "0 bytes" for _result, size in shown)
    failed = next(r for r in model.records() if r.result == "failed")
    assert "0 bytes" not in details_html(failed)


def test_details_name_the_fields_and_do_not_call_our_own_words_a_server_reply(qtbot) -> None:
    from mailcomposer import i18n
    from mailcomposer.store.history import SentRecord

    timeout = SentRecord(
        1, "<1@x>", "2026-12-06T10:00:00+08:00", "me@x.org", ("a@x.org", "b@x.org"), "s", 0,
        "h:25", "failed", (), stage="mail", reply_text="The server did not answer in time.",
        rcpt_results=({"address": "a@x.org", "field": "to"}, {"address": "b@x.org", "field": "cc"}),
    )  # fmt: skip
    html = details_html(timeout)
    assert "Server reply" not in html and "<b>Why</b>" in html
    i18n.set_language("zh_CN")
    try:
        html = details_html(timeout)
    finally:
        i18n.set_language("en")
    assert "收件人" in html and "抄送" in html and "原因" in html
    assert ">to&nbsp;<" not in html and ">cc&nbsp;<" not in html


def test_the_date_filters_are_not_labelled_like_address_fields(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QLabel

    window = HistoryWindow(Home(tmp_path))
    qtbot.add_widget(window)
    labels = {label.text() for label in window.findChildren(QLabel)}
    assert {"Since:", "Until:"} <= labels and not {"From:", "To:"} & labels


def test_an_empty_list_says_why_it_is_empty(qtbot, tmp_path) -> None:
    from mailcomposer.store.history import History

    home = Home(tmp_path)
    window = HistoryWindow(home)
    qtbot.add_widget(window)
    assert "Nothing has been sent yet" in window.details.toPlainText()
    history = History(home)
    _week(history)
    history.close()
    window.refresh()
    window.search_field.setText("no such words anywhere")
    window.refresh()
    assert window.model.rowCount() == 0
    assert "No attempt matches these filters" in window.details.toPlainText()
    window.search_field.clear()
    window.refresh()
    assert window.model.rowCount() == 8 and "Outcome" in window.details.toPlainText()
