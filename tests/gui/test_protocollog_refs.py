"""The log's RFC reference tags, step times and the unfolded DATA preview, from a real send."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication

from mailcomposer.smtp.rfc import ref
from mailcomposer.smtp.session import send
from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.ui.protocollog import ProtocolLogModel, ReferencePopup
from mailcomposer.ui.protocollog.lines import REF_SETS, rows_of
from tests.gui.conftest import shown_dock
from tests.smtp_fixtures import make_built, settings_for

RCPT_SECTION = ref(5321, "4.1.1.3")


@pytest.fixture
def opened_urls(monkeypatch):
    """Every URL the log would open in a browser (none is opened for real)."""
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toString()))
    return urls


@pytest.fixture
def dock(qtbot):
    dock = shown_dock(qtbot, 1500, 500)
    yield dock
    if dock.view.reference_popup is not None:
        dock.view.reference_popup.close()


@pytest.fixture
def sent(smtp_server, events):
    """The events of a real To/Cc/Bcc send to a local aiosmtpd server."""
    built = make_built(
        to="bob@example.test", cc="carol@example.test", bcc="dan@example.test", text="Hi\n.x\n"
    )
    send(settings_for(smtp_server), None, built, on_event=events)
    return list(events)


def row_of(model: ProtocolLogModel, prefix: str) -> int:
    return next(r for r in range(model.rowCount()) if model.line_at(r).startswith(prefix))


def tag_centre(dock, row: int, wanted=None) -> QPoint:
    view = dock.view
    index = dock.model.index(row)
    layout = view.delegate.layout(view.item_option(index), dock.model, row)
    for rect, found in layout.tags:
        if wanted is None or found == wanted:
            return rect.center().toPoint()
    raise AssertionError(f"no tag {wanted} on row {row}")


def test_roles_carry_references_step_time_and_detail(qtbot, sent):
    model = ProtocolLogModel()
    model.append_events(sent)
    rcpt = row_of(model, "C: RCPT TO:<dan@")
    refs = model.index(rcpt).data(ProtocolLogModel.RefsRole)
    assert RCPT_SECTION in refs and ref(5322, "3.6.3") in refs
    assert model.index(rcpt).data(ProtocolLogModel.StepTimeRole) is None
    reply = rcpt + 1
    assert model.line_at(reply).startswith("S: 250")
    assert model.index(reply).data(ProtocolLogModel.StepTimeRole) >= 0
    data = row_of(model, "* DATA: ")
    assert "Subject: Test message" in model.index(data).data(ProtocolLogModel.DetailRole)
    assert model.index(reply).data(ProtocolLogModel.DetailRole) == ""
    # The log keeps each event whole: what it hands back is what it was given.
    assert model.events() == sent


def test_rows_keep_references_as_a_shared_index():
    refs = (RCPT_SECTION, ref(5321, "3.3"))
    event = TranscriptEvent(1.0, Direction.CLIENT, "RCPT TO:<a@b>", refs=refs, elapsed=None)
    first, second = rows_of([event, event])
    assert first == second  # the same small int names the same references
    assert REF_SETS[first[5] >> 1] == refs
    # Flat rows: nothing in them the garbage collector must track (it untracks such
    # tuples on its next pass; a tuple of Ref objects would stay tracked).
    import gc

    gc.collect()
    assert not gc.is_tracked(first)


def test_tooltip_and_accessible_text_name_the_references_and_time(qtbot, sent):
    model = ProtocolLogModel()
    model.append_events(sent)
    rcpt = row_of(model, "C: RCPT TO:<dan@")
    tip = model.index(rcpt).data(Qt.ItemDataRole.ToolTipRole)
    assert "RFC 5321 §4.1.1.3: Simple Mail Transfer Protocol" in tip
    spoken = model.index(rcpt + 1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "[RFC 5321 §4.1.1.3" in spoken
    assert spoken.endswith((" ms)", " s)"))
    assert "step took" in model.index(rcpt + 1).data(Qt.ItemDataRole.ToolTipRole)


def test_reference_tags_are_laid_out_after_the_explanation(dock, sent):
    dock.parent().resize(900, 500)  # narrower than the RCPT explanation: cut, tags shown
    dock.append_events(sent)
    view = dock.view
    rcpt = row_of(dock.model, "C: RCPT TO:<dan@")
    layout = view.delegate.layout(view.item_option(dock.model.index(rcpt)), dock.model, rcpt)
    assert [r for _rect, r in layout.tags][:1] == [RCPT_SECTION]
    explanation_rect, _text = layout.explanation
    assert layout.tags[0][0].left() > explanation_rect.right()
    reply = rcpt + 1
    reply_layout = view.delegate.layout(
        view.item_option(dock.model.index(reply)), dock.model, reply
    )
    time_rect, stamp = reply_layout.step_time
    assert stamp.endswith(("ms", "s"))
    # Its own column in the gutter, before the marker: the same place on every reply.
    assert time_rect.right() <= reply_layout.marker_left < reply_layout.text_left
    assert not dock.grab().isNull()  # paints with tags, times and the link colour


def test_clicking_a_reference_opens_its_summary_without_going_online(
    dock, qtbot, sent, opened_urls
):
    dock.append_events(sent)
    view = dock.view
    rcpt = row_of(dock.model, "C: RCPT TO:<dan@")
    view.scrollTo(dock.model.index(rcpt))
    with qtbot.wait_signal(view.reference_opened) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=tag_centre(dock, rcpt))
    assert opened.args == [RCPT_SECTION]
    popup = view.reference_popup
    assert isinstance(popup, ReferencePopup)
    assert popup.isVisible() and not popup.isModal()
    assert popup.label.text() == "RFC 5321 §4.1.1.3"
    assert popup.title.text() == "Simple Mail Transfer Protocol"
    assert popup.summary.text() == RCPT_SECTION.summary
    assert "Bcc recipients appear here" in popup.summary.text()
    assert opened_urls == []  # nothing online until the reader asks
    with qtbot.wait_signal(popup.link_opened):
        popup.link.linkActivated.emit(RCPT_SECTION.url)
    assert opened_urls == ["https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.3"]


def test_enter_opens_the_first_reference_of_the_current_line(dock, qtbot, sent, opened_urls):
    dock.append_events(sent)
    view = dock.view
    row = row_of(dock.model, "C: MAIL FROM")
    view.setCurrentIndex(dock.model.index(row))
    view.setFocus()
    with qtbot.wait_signal(view.reference_opened) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [ref(5321, "4.1.1.2")]
    assert view.reference_popup.summary.text().startswith("MAIL FROM starts a new message")
    assert opened_urls == []


def test_context_menu_offers_each_reference(dock, qtbot, sent):
    dock.append_events(sent)
    view = dock.view
    rcpt = row_of(dock.model, "C: RCPT TO:<dan@")
    menu = view.context_menu_for(rcpt)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert "What does RFC 5321 §4.1.1.3 say?" in texts
    assert "What does RFC 5322 §3.6.3 say?" in texts
    action = next(a for a in menu.actions() if a.text() == "What does RFC 5322 §3.6.3 say?")
    with qtbot.wait_signal(view.reference_opened):
        action.trigger()
    assert view.reference_popup.label.text() == "RFC 5322 §3.6.3"
    assert "Bcc" in view.reference_popup.summary.text()


def test_the_data_note_unfolds_to_what_was_sent(dock, qtbot, sent):
    dock.append_events(sent)
    view = dock.view
    data = row_of(dock.model, "* DATA: ")
    single = view.rowHeight(data)
    layout = view.delegate.layout(view.item_option(dock.model.index(data)), dock.model, data)
    assert layout.disclosure is not None
    view.scrollTo(dock.model.index(data))
    layout = view.delegate.layout(view.item_option(dock.model.index(data)), dock.model, data)
    with qtbot.wait_signal(view.detail_toggled) as toggled:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=layout.disclosure.center().toPoint()
        )
    assert toggled.args == [data, True]
    assert view.is_unfolded(data)
    detail = dock.model.detail_at(data)
    assert view.rowHeight(data) >= single + detail.count("\n") * view.fontMetrics().height()
    assert "dan@example.test" not in detail  # Bcc is never on the wire
    assert not dock.grab().isNull()
    # The context menu folds it again, and copies it.
    menu = view.context_menu_for(data)
    texts = [a.text() for a in menu.actions()]
    assert "Hide what was sent" in texts
    next(a for a in menu.actions() if a.text() == "Copy what was sent").trigger()
    assert QGuiApplication.clipboard().text() == detail + "\n"
    next(a for a in menu.actions() if a.text() == "Hide what was sent").trigger()
    assert not view.is_unfolded(data)
    assert view.rowHeight(data) == single


def test_enter_unfolds_the_data_note_and_clear_forgets_it(dock, qtbot, sent):
    dock.append_events(sent)
    view = dock.view
    data = row_of(dock.model, "* DATA: ")
    view.setCurrentIndex(dock.model.index(data))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.is_unfolded(data)
    dock.clear()
    assert view.delegate.unfolded == set()


def test_rcpt_lines_say_their_field_in_the_log(qtbot, sent):
    model = ProtocolLogModel()
    model.append_events(sent)
    for address, field in (("bob", "To"), ("carol", "Cc"), ("dan", "Bcc")):
        row = row_of(model, f"C: RCPT TO:<{address}@")
        assert f"from the {field} field" in model.explanation_at(row)


def test_without_explain_no_tags_and_no_time(dock, sent):
    dock.append_events(sent)
    dock.set_explain(False)
    view = dock.view
    rcpt = row_of(dock.model, "C: RCPT TO:<dan@")
    layout = view.delegate.layout(
        view.item_option(dock.model.index(rcpt + 1)), dock.model, rcpt + 1
    )
    assert layout.tags == [] and layout.step_time is None and layout.explanation is None
