"""Tests for the protocol log model, view and dock."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow

from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.ui.protocollog import (
    MARKERS,
    Kind,
    ProtocolLogDock,
    ProtocolLogModel,
    kind_of,
)
from tests.gui.conftest import shown_dock

OK = (250, "2.0.0 Ok: queued as 4Xyz")
START_INPUT = (354, "End data with <CR><LF>.<CR><LF>")
GREYLISTED = (451, "4.7.1 Greylisted, try again later")
UNKNOWN_USER = (550, "5.1.1 User unknown")


def server(code_text: tuple[int, str], t: float = 0.0, **kw) -> TranscriptEvent:
    code, text = code_text
    return TranscriptEvent(t, Direction.SERVER, f"{code} {text}", code=code, **kw)


def client(text: str, t: float = 0.0, **kw) -> TranscriptEvent:
    return TranscriptEvent(t, Direction.CLIENT, text, **kw)


def note(text: str, t: float = 0.0, **kw) -> TranscriptEvent:
    return TranscriptEvent(t, Direction.NOTE, text, **kw)


def session() -> list[TranscriptEvent]:
    """A short realistic STARTTLS session, already masked as the core delivers it."""
    return [
        server((220, "mx.example ESMTP"), 0.0),
        client("EHLO pc", 0.01),
        server((250, "STARTTLS"), 0.02),
        client("STARTTLS", 0.03),
        server((220, "2.0.0 Ready to start TLS"), 0.04),
        note("TLS established: TLSv1.3", 0.09, secure=True),
        client("AUTH PLAIN ********", 0.10, secure=True),
        server((235, "2.7.0 Authentication successful"), 0.2, secure=True),
        client("MAIL FROM:<a@example.org>", 0.21, secure=True),
        server((250, "2.1.0 Ok"), 0.22, secure=True, explanation="The sender is accepted."),
        client("DATA", 0.3, secure=True),
        server(START_INPUT, 0.31, secure=True),
        client("[message: 1,234 bytes]", 0.32, secure=True),
        server(OK, 0.5, secure=True),
        client("QUIT", 0.51, secure=True),
    ]


def numbered(count: int, start: int = 0) -> list[TranscriptEvent]:
    return [client(f"NOOP {i}", float(i)) for i in range(start, start + count)]


# The offscreen platform warns about docks' size hints; harmless here.


@pytest.fixture
def dock(qtbot):
    dock = shown_dock(qtbot, 900, 400)
    return dock


def test_model_keeps_the_newest_lines_up_to_its_bound(qtbot):
    model = ProtocolLogModel(max_lines=200_000)
    removed = []
    model.rowsAboutToBeRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    for start in range(0, 250_000, 50_000):
        model.append_events(numbered(50_000, start))
    assert model.rowCount() == 200_000
    assert model.event_at(0).text == "NOOP 50000"
    assert model.event_at(199_999).text == "NOOP 249999"
    assert removed == [(0, 49_999)]


def test_batch_is_one_insertion(qtbot):
    model = ProtocolLogModel()
    inserted = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.append_events(numbered(50))
    model.append_events(numbered(50, 50))
    assert inserted == [(0, 49), (50, 99)]


def test_batch_bigger_than_bound_keeps_its_tail(qtbot):
    model = ProtocolLogModel(max_lines=10)
    model.append_events(numbered(25))
    assert [e.text for e in model.events()] == [f"NOOP {i}" for i in range(15, 25)]


def test_display_text_is_the_cli_form(qtbot):
    model = ProtocolLogModel()
    events = session()
    model.append_events(events)
    for row, event in enumerate(events):
        assert model.index(row).data() == event.format()
    assert model.index(0).data() == "S: 220 mx.example ESMTP"
    assert model.index(1).data() == "C: EHLO pc"
    assert model.index(5).data() == "* TLS established: TLSv1.3"


@pytest.mark.parametrize(
    ("reply", "kind"),
    [(OK, Kind.OK), (START_INPUT, Kind.MORE), (GREYLISTED, Kind.TEMP), (UNKNOWN_USER, Kind.FAIL)],
)
def test_reply_class_has_colour_and_a_marker(qtbot, reply, kind):
    model = ProtocolLogModel()
    model.append_events([server(reply)])
    index = model.index(0)
    assert index.data(ProtocolLogModel.KindRole) == kind
    foreground = index.data(Qt.ItemDataRole.ForegroundRole)
    background = index.data(Qt.ItemDataRole.BackgroundRole)
    assert foreground is not None and background is not None
    # Not by colour alone: a distinct glyph, the S: prefix, and words for screen readers.
    marker = index.data(ProtocolLogModel.MarkerRole)
    assert marker == MARKERS[kind] and marker
    assert index.data().startswith("S: ")
    assert index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_reply_classes_differ_in_colour_and_marker(qtbot):
    model = ProtocolLogModel()
    model.append_events([server(r) for r in (OK, START_INPUT, GREYLISTED, UNKNOWN_USER)])
    colours = {model.index(r).data(Qt.ItemDataRole.ForegroundRole).color().name() for r in range(4)}
    markers = {model.index(r).data(ProtocolLogModel.MarkerRole) for r in range(4)}
    assert len(colours) == 4
    assert len(markers) == 4


def test_client_and_note_lines_are_classified(qtbot):
    assert kind_of(client("EHLO x")) == Kind.CLIENT
    assert kind_of(note("Connecting to x:25")) == Kind.NOTE
    assert kind_of(note("TLS established: TLSv1.3")) == Kind.TLS


def test_tooltip_explains_and_gives_the_time(qtbot):
    model = ProtocolLogModel()
    model.append_events([client("EHLO", 10.0), server(OK, 10.25, explanation="Queued.")])
    tip = model.index(1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Queued." in tip
    assert "+0.250" in tip
    assert model.index(1).data(ProtocolLogModel.RelativeTimeRole) == pytest.approx(0.25)


def test_tls_start_is_marked_once(qtbot):
    model = ProtocolLogModel()
    model.append_events(session())
    marked = [
        r for r in range(model.rowCount()) if model.index(r).data(ProtocolLogModel.TlsStartRole)
    ]
    assert marked == [5]


def test_first_secure_line_is_marked_without_a_note(qtbot):
    model = ProtocolLogModel()
    model.append_events(
        [client("STARTTLS"), client("EHLO pc", secure=True), client("NOOP", secure=True)]
    )
    marked = [r for r in range(3) if model.index(r).data(ProtocolLogModel.TlsStartRole)]
    assert marked == [1]


def test_custom_role_gives_the_event(qtbot):
    model = ProtocolLogModel()
    event = server(OK)
    model.append_events([event])
    assert model.index(0).data(ProtocolLogModel.EventRole) == event


def test_view_has_object_name_and_fixed_rows(dock):
    assert dock.objectName() == "protocolLogDock"
    assert dock.windowTitle() == "Protocol log"
    assert dock.view.objectName() == "protocolLog"
    dock.append_events(session())
    heights = {dock.view.rowHeight(row) for row in range(dock.model.rowCount())}
    assert heights == {dock.view.row_height()}


def test_fast_line_equals_the_event_format(qtbot):
    model = ProtocolLogModel()
    model.append_events(session())
    for row, event in enumerate(session()):
        assert model.line_at(row) == event.format()
        assert model.event_at(row) == event


def test_wide_lines_scroll_horizontally(dock):
    dock.append_events([client("RCPT TO:<" + "x" * 400 + "@example.org>")])
    assert dock.view.columnWidth(0) > dock.view.viewport().width()


def test_column_sizing_measures_the_viewport_without_asking_for_it(dock, qtbot):
    # _viewport_width avoids viewport() (a ~20 ms type discovery at start-up); it must
    # still give the viewport's width, with and without the vertical scrollbar.
    view = dock.view
    assert view._viewport_width() == view.viewport().width()
    dock.append_events([client(f"NOOP {n}") for n in range(200)])
    qtbot.wait_until(lambda: view.verticalScrollBar().isVisible())
    assert view._viewport_width() == view.viewport().width()
    assert view.columnWidth(0) >= view.viewport().width()


def test_history_is_replayed_into_a_late_view(qtbot):
    model = ProtocolLogModel()
    model.append_events(session())
    late = ProtocolLogDock(model=model)
    qtbot.add_widget(late)
    assert late.view.model() is model
    assert late.transcript_text().splitlines()[0] == "S: 220 mx.example ESMTP"


def test_follows_new_lines_only_at_the_bottom(dock, qtbot):
    dock.append_events(numbered(500))
    bar = dock.view.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0)
    dock.view.scrollToBottom()
    assert dock.view.is_at_bottom()

    dock.append_events(numbered(50, 500))
    qtbot.wait_until(lambda: bar.value() == bar.maximum())
    assert dock.view.is_at_bottom()

    bar.setValue(bar.maximum() // 3)
    position = bar.value()
    dock.append_events(numbered(50, 550))
    qtbot.wait(20)  # let a (wrong) deferred scroll happen if there were one
    assert bar.value() == position
    assert not dock.view.is_at_bottom()

    dock.view.scrollToBottom()
    dock.append_events(numbered(50, 600))
    qtbot.wait_until(lambda: dock.view.is_at_bottom())
    last = dock.view.indexAt(dock.view.viewport().rect().bottomLeft() + _up(3))
    assert last.row() == dock.model.rowCount() - 1


def test_follows_a_live_session_from_an_empty_log(dock, qtbot):
    # As during a send: small batches into an empty log, the event loop running in
    # between, nobody scrolling, lines growing wider than the view. (The window-level
    # regression test is in test_send_gui.py.)
    bar = dock.view.verticalScrollBar()
    explained = "The server is ready for the message; it ends with a line holding only a dot."
    for batch in range(40):
        # Lines wider than the view: the horizontal scrollbar appears mid-session.
        width = 10 + batch * 6
        dock.append_events(
            [
                client(f"RCPT TO:<{'x' * width}@example.org>", batch),
                server((354, "End data with <CR><LF>.<CR><LF>"), batch, explanation=explained),
                note("DATA: 811 bytes — multipart/alternative: text/plain, text/html", batch),
            ]
        )
        qtbot.wait(5)
        if bar.maximum() > 0:
            assert bar.value() == bar.maximum(), f"stopped following at batch {batch}"
    assert bar.maximum() > 0, "the test needs more lines than the view shows"
    qtbot.wait_until(lambda: bar.value() == bar.maximum())
    last = dock.view.indexAt(dock.view.viewport().rect().bottomLeft() + _up(3))
    assert last.row() == dock.model.rowCount() - 1


def _up(pixels: int):
    from PySide6.QtCore import QPoint

    return QPoint(5, -pixels)


def test_find_next_selects_the_matching_row(dock, qtbot):
    dock.append_events(session())
    dock.find_field.setText("rcpt")
    assert not dock.find_next()
    dock.find_field.setText("mail from")
    assert dock.find_next()
    assert dock.view.currentIndex().row() == 8
    assert [i.row() for i in dock.view.selectionModel().selectedRows()] == [8]
    dock.find_field.setText("250")
    assert dock.find_next()
    assert dock.view.currentIndex().row() == 9
    assert dock.find_next()
    assert dock.view.currentIndex().row() == 13
    assert dock.find_next()  # wraps to the top
    assert dock.view.currentIndex().row() == 2
    assert dock.find_previous()
    assert dock.view.currentIndex().row() == 13


def test_ctrl_f_focuses_the_find_field(dock, qtbot):
    dock.view.setFocus()
    qtbot.wait_until(dock.view.hasFocus)
    dock.find_action.trigger()
    assert dock.find_field.hasFocus()


def test_copy_puts_selected_lines_on_the_clipboard(dock, qtbot):
    dock.set_explain(False)
    dock.append_events(session())
    selection = dock.view.selectionModel()
    for row in (3, 1):
        selection.select(dock.model.index(row), QItemSelectionModel.SelectionFlag.Select)
    dock.view.setFocus()
    qtbot.wait_until(dock.view.hasFocus)
    with qtbot.wait_signal(dock.view.copied):
        qtbot.keyClick(dock.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "C: EHLO pc\nC: STARTTLS\n"


def test_copy_all_and_explain_toggle(dock):
    dock.append_events(session())
    dock.set_explain(False)
    dock.copy_all_action.trigger()
    text = QGuiApplication.clipboard().text()
    assert text == "".join(e.format() + "\n" for e in session())
    dock.explain_action.setChecked(True)
    assert "S: 250 2.1.0 Ok    # The sender is accepted.\n" in dock.transcript_text()


def test_save_writes_the_transcript(dock, tmp_path, monkeypatch):
    dock.set_explain(False)
    dock.append_events(session())
    dock.append_events([note("Zertifikat geprüft, 证书有效")])
    target = tmp_path / "transcript.txt"
    # The native dialog is modal; answer it the way a user would.
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    dock.save_action.trigger()
    expected = "".join(e.format() + "\n" for e in session()) + "* Zertifikat geprüft, 证书有效\n"
    assert target.read_bytes() == expected.encode("utf-8")


def test_save_cancelled_writes_nothing(dock, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    with_signal = []
    dock.saved.connect(with_signal.append)
    dock.save_action.trigger()
    assert with_signal == []


def test_clear_empties_the_log(dock):
    dock.append_events(session())
    dock.clear_action.trigger()
    assert dock.model.rowCount() == 0
    assert dock.transcript_text() == ""
    dock.append_events([client("EHLO", 50.0), client("NOOP", 51.0)])
    # Relative times restart after a clear.
    assert dock.model.index(1).data(ProtocolLogModel.RelativeTimeRole) == pytest.approx(1.0)


def test_painting_every_kind_does_not_fail(dock, qtbot):
    dock.append_events([*session(), server(GREYLISTED), server(UNKNOWN_USER)])
    dock.find_field.setText("250")
    dock.view.selectAll()
    image = dock.grab()
    assert not image.isNull()


def test_painting_does_not_drop_references_to_none(dock):
    # The delegate reads our model directly: index.data() returning None loses a
    # reference to None in PySide6 6.12 on Python 3.11.
    dock.append_events([*session()] * 20)
    dock.view.grab()
    model = dock.model
    before = sys.getrefcount(None)
    for row in range(model.rowCount()):
        model.data(model.index(row), Qt.ItemDataRole.UserRole + 99)
    assert sys.getrefcount(None) >= before


def test_void_calls_do_not_drop_references_to_none(qtbot):
    # PySide6 6.12.0 on CPython 3.11 hands None back from every void call without a new
    # reference (docs/pitfalls.md): enough calls free None and abort the interpreter.
    # pyproject.toml excludes that build; this pins that the Qt we run on loses none.
    from PySide6.QtCore import QObject

    probe = QObject()
    probe.setObjectName("x")  # a first call may build and cache things
    before = sys.getrefcount(None)
    for _ in range(100_000):
        probe.setObjectName("x")
    assert sys.getrefcount(None) >= before


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_keep_none_alive_pins_none_on_a_build_that_loses_references(monkeypatch):
    # The guard for environments we do not control: a build whose void calls lose a
    # reference to None each gets None pinned (as immortal as on 3.12).
    import ctypes

    from PySide6 import QtCore

    from mailcomposer.ui import keep_none_alive

    class LossyObject(QtCore.QObject):
        def setObjectName(self, name: str) -> None:
            super().setObjectName(name)
            ctypes.pythonapi.Py_DecRef(ctypes.py_object(None))  # what 6.12.0 does

    monkeypatch.setattr(QtCore, "QObject", LossyObject)
    assert keep_none_alive() == 2  # the probe's two void calls
    assert sys.getrefcount(None) > 1 << 47
    monkeypatch.undo()
    assert keep_none_alive() == 0  # a sound build: nothing lost, nothing pinned


def test_every_string_of_the_log_mime_and_inbox_views_is_translated():
    import ast
    from pathlib import Path

    from mailcomposer import i18n

    root = Path(i18n.__file__).parent / "ui"
    catalog = {}
    for po in sorted((i18n.resources_dir() / "i18n" / "zh_CN").glob("*.po")):
        catalog.update(i18n.parse_po(po.read_text(encoding="utf-8")))
    missing = []
    log_parts = sorted(p.relative_to(root).as_posix() for p in (root / "protocollog").glob("*.py"))
    assert "protocollog/explanation.py" in log_parts
    for name in (*log_parts, "mimeview.py", "inbox.py"):
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                text = node.args[0].value
                if text not in catalog:
                    missing.append(f"{name}: {text}")
    assert missing == []


def test_dock_in_chinese(qtbot):
    from mailcomposer import i18n

    i18n.set_language("zh_CN")
    dock = ProtocolLogDock()
    qtbot.add_widget(dock)
    assert dock.windowTitle() == "协议日志"
    assert dock.explain_action.text() == "解释"


def test_translated_tls_note_is_still_the_tls_marker(qtbot):
    model = ProtocolLogModel()
    model.append_events(
        [
            server((220, "2.0.0 Ready to start TLS")),
            note("TLS 已建立：TLSv1.3，密码套件 TLS_AES_256_GCM_SHA384", secure=True),
            note("证书：CN=localhost", secure=True),
        ]
    )
    kinds = [model.index(r).data(ProtocolLogModel.KindRole) for r in range(3)]
    assert kinds == [Kind.OK, Kind.TLS, Kind.NOTE]


def test_reader_scrolled_up_keeps_the_same_lines_when_the_ring_drops(qtbot):
    window = QMainWindow()
    qtbot.add_widget(window)
    dock = ProtocolLogDock(window, model=ProtocolLogModel(max_lines=300))
    window.setCentralWidget(dock)
    window.resize(700, 300)
    window.show()
    qtbot.wait_exposed(window)
    dock.append_events(numbered(300))
    bar = dock.view.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    top = dock.view.indexAt(_up(-2)).row()
    first_text = dock.model.event_at(top).text
    dock.append_events(numbered(20, 300))  # the 20 oldest lines go
    qtbot.wait(10)
    top_after = dock.view.indexAt(_up(-2)).row()
    assert dock.model.event_at(top_after).text == first_text


# --------------------------------------------------------------------------- empty hint


def test_an_empty_log_shows_a_centred_grey_hint(dock):
    hint = dock.view.hint
    assert hint.objectName() == "protocolLogHint"
    assert hint.isVisible()
    assert "Press Send" in hint.text() and "C:" in hint.text() and "S:" in hint.text()
    assert hint.alignment() & Qt.AlignmentFlag.AlignCenter
    assert hint.geometry().center() == dock.view.contentsRect().center()
    grey = hint.palette().color(hint.foregroundRole())
    text = dock.view.palette().color(dock.view.palette().ColorRole.Text)
    assert grey != text  # muted, not the lines' colour


def test_the_hint_goes_when_lines_arrive_and_returns_after_clear(dock):
    dock.append_events(session())
    assert not dock.view.hint.isVisible()
    dock.clear()
    assert dock.view.hint.isVisible()
    dock.append_events([client("NOOP")])
    assert not dock.view.hint_visible()


def test_the_hint_follows_the_view_size(dock, qtbot):
    dock.parentWidget().resize(700, 500)
    qtbot.wait_until(lambda: dock.view.hint.geometry() == dock.view.contentsRect())


def test_the_hint_is_translated(qtbot):
    from mailcomposer import i18n

    i18n.set_language("zh_CN")
    try:
        dock = ProtocolLogDock()
        qtbot.add_widget(dock)
        assert "发送" in dock.view.hint.text()
    finally:
        i18n.set_language("en")
