"""Spelling as you type in the body: underlines, suggestions, the user's words, no waiting."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QInputMethodEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from mailcomposer.spelling import Speller, UserDictionary
from mailcomposer.ui.editor import BodyEditor
from mailcomposer.ui.spellservice import SpellService


@pytest.fixture
def editor(qtbot):
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait_until(lambda: widget.spelling.highlighter is not None)
    return widget


def underlined(editor: BodyEditor) -> list[str]:
    """The underlined words of the body, as the layout paints them."""
    found = []
    block = editor.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            style = fmt.format.underlineStyle()
            if style == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                found.append(block.text()[fmt.start : fmt.start + fmt.length])
        block = block.next()
    return found


def point_in(editor: BodyEditor, word: str) -> QPoint:
    cursor = QTextCursor(editor.document().find(word))
    cursor.setPosition(cursor.selectionStart() + 1)
    return editor.cursorRect(cursor).center()


def test_misspelled_word_is_underlined_and_corrected(qtbot, editor) -> None:
    qtbot.keyClicks(editor, "I recieve mail")
    qtbot.wait_until(lambda: underlined(editor) == ["recieve"], timeout=10000)
    menu = editor.spelling.context_menu(point_in(editor, "recieve"))
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "receive"
    menu.actions()[0].trigger()
    assert editor.toPlainText() == "I receive mail"
    qtbot.wait_until(lambda: underlined(editor) == [], timeout=10000)


def test_chinese_and_addresses_are_left_alone(qtbot, editor) -> None:
    editor.setPlainText(
        "我们明天见面吧 write to ann@exmaple.org or https://exmaple.org/qwz www.qwzx.com\nqwzx"
    )
    # The last word is a control: once it is underlined, every result is in.
    qtbot.wait_until(lambda: underlined(editor) == ["qwzx"], timeout=10000)


def test_add_to_dictionary_persists(qtbot, editor, mailcomposer_home) -> None:
    editor.setPlainText("Greetings from Qwzxland")
    qtbot.wait_until(lambda: underlined(editor) == ["Qwzxland"], timeout=10000)
    menu = editor.spelling.context_menu(point_in(editor, "Qwzxland"))
    (add,) = [a for a in menu.actions() if a.objectName() == "addToDictionaryAction"]
    add.trigger()
    assert underlined(editor) == []
    path = mailcomposer_home / "dictionary.txt"
    assert path.read_text(encoding="utf-8") == "Qwzxland\n"
    assert "qwzxland" in UserDictionary(path)


def test_menu_on_a_right_word_has_no_suggestions(qtbot, editor) -> None:
    editor.setPlainText("receive qwzx")
    qtbot.wait_until(lambda: underlined(editor) == ["qwzx"], timeout=10000)
    menu = editor.spelling.context_menu(point_in(editor, "receive"))
    assert not [a for a in menu.actions() if a.objectName() == "addToDictionaryAction"]


class GatedSpeller(Speller):
    """A speller that holds each check until the test lets it go, noting the thread."""

    def __init__(self) -> None:
        super().__init__(("en",))
        self.gate = threading.Event()
        self.threads: set[threading.Thread] = set()

    def is_known(self, word: str) -> bool:
        self.threads.add(threading.current_thread())
        self.gate.wait(30)
        return super().is_known(word)


def test_typing_never_waits_for_the_check(qtbot) -> None:
    speller = GatedSpeller()
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.spelling.service = SpellService(speller, widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait_until(lambda: widget.spelling.highlighter is not None)
    try:
        qtbot.keyClicks(widget, "recieve ")
        # The checker is stuck on the worker, yet the keys all arrived.
        assert widget.toPlainText() == "recieve "
        assert underlined(widget) == []
        qtbot.wait_until(lambda: bool(speller.threads))
        assert threading.current_thread() not in speller.threads
    finally:
        speller.gate.set()
    qtbot.wait_until(lambda: underlined(widget) == ["recieve"], timeout=10000)


def test_results_do_not_mark_the_document_modified(qtbot, editor) -> None:
    editor.setPlainText("qwzxunmodified")
    editor.document().setModified(False)
    with qtbot.assert_not_emitted(editor.textChanged):
        qtbot.wait_until(lambda: underlined(editor) == ["qwzxunmodified"], timeout=10000)
    assert not editor.document().isModified()


def test_subject_underlines_and_corrects(qtbot, window) -> None:
    spelling = window.header.subject_spelling
    qtbot.wait_until(lambda: spelling.started)
    before = window.subject_field.grab().toImage()
    window.subject_field.setText("Please recieve 我们的 ann@exmaple.org www.qwzx.com")
    qtbot.wait_until(lambda: spelling.underlined == ["recieve"], timeout=10000)
    assert window.subject_field.grab().toImage() != before
    rect = window.subject_field.cursorRect()
    column_x = window.subject_field.fontMetrics().horizontalAdvance("Please rec")
    pos = QPoint(column_x + 4, rect.center().y())
    menu = spelling.context_menu(pos)
    assert menu.actions()[0].text() == "receive"
    menu.actions()[0].trigger()
    assert window.subject_field.text().startswith("Please receive ")
    qtbot.wait_until(lambda: spelling.underlined == [])


def test_word_added_in_the_body_clears_the_subject(qtbot, window, mailcomposer_home) -> None:
    spelling = window.header.subject_spelling
    qtbot.wait_until(lambda: spelling.started and window.editor.spelling.highlighter is not None)
    window.subject_field.setText("Qwzxville news")
    window.editor.setPlainText("From Qwzxville")
    qtbot.wait_until(lambda: spelling.underlined == ["Qwzxville"], timeout=10000)
    qtbot.wait_until(lambda: underlined(window.editor) == ["Qwzxville"], timeout=10000)
    window.editor.spelling.add_word("Qwzxville")
    qtbot.wait_until(lambda: spelling.underlined == [] and underlined(window.editor) == [])
    assert (mailcomposer_home / "dictionary.txt").read_text(encoding="utf-8") == "Qwzxville\n"


class InputMethodCounter(QObject):
    """Counts the input method events a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.InputMethod:
            self.count += 1
        return False


def test_subject_leaves_an_input_method_composition_alone(qtbot, window) -> None:
    field, spelling = window.subject_field, window.header.subject_spelling
    qtbot.wait_until(lambda: spelling.started)
    field.setText("recieve ")
    qtbot.wait_until(lambda: spelling.underlined == ["recieve"], timeout=10000)
    counter = InputMethodCounter()
    field.installEventFilter(counter)
    QApplication.sendEvent(field, QInputMethodEvent("ni", []))  # pinyin being typed
    spelling.refresh()  # as when results arrive
    assert counter.count == 1
    QApplication.sendEvent(field, _commit("你"))
    assert field.text() == "recieve 你"
    field.removeEventFilter(counter)


def _commit(text: str) -> QInputMethodEvent:
    event = QInputMethodEvent()
    event.setCommitString(text)
    return event


def test_right_click_on_a_misspelled_word_offers_suggestions(qtbot, editor) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent

    editor.setPlainText("I recieve mail")
    qtbot.wait_until(lambda: underlined(editor) == ["recieve"], timeout=10000)
    seen: list[str] = []

    def read_and_close() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(20, read_and_close)
            return
        seen.extend(action.text() for action in popup.actions())
        popup.close()

    QTimer.singleShot(0, read_and_close)
    pos = point_in(editor, "recieve")
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, editor.viewport().mapToGlobal(pos)
    )
    QApplication.sendEvent(editor.viewport(), event)
    assert seen[0] == "receive"
    assert any("dictionary" in text for text in seen)


def test_subject_menu_says_when_there_is_no_suggestion(qtbot, window) -> None:
    spelling = window.header.subject_spelling
    qtbot.wait_until(lambda: spelling.started)
    window.subject_field.setText("Qzxqvkjw")
    qtbot.wait_until(lambda: spelling.underlined == ["Qzxqvkjw"], timeout=10000)
    pos = QPoint(4, window.subject_field.cursorRect().center().y())
    texts = [action.text() for action in spelling.context_menu(pos).actions()]
    assert texts[0] == "No suggestions"
    assert texts[1] == "Add “Qzxqvkjw” to dictionary"
