"""Tests for the formatting toolbar: shortcuts, state following the cursor, actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QFont, QImage, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout, QWidget

from mailcomposer.ui.editor import BodyEditor
from mailcomposer.ui.formatbar import FormatToolBar, LinkDialog

# The offscreen platform warns about window size hints it cannot forward.

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def ui(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    editor = BodyEditor()
    bar = FormatToolBar(editor)
    layout.addWidget(bar)
    layout.addWidget(editor)
    qtbot.addWidget(window)
    window.resize(900, 500)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    editor.setFocus()
    qtbot.wait_until(editor.hasFocus)
    yield editor, bar  # (yield keeps the window alive: qtbot only holds a weak reference)


def body_html(editor: BodyEditor) -> str:
    html = editor.body()[1]
    assert html is not None
    return html.split("<body>", 1)[1].split("</body>", 1)[0].strip()


def test_object_names_and_shortcuts(ui):
    _editor, bar = ui
    assert bar.objectName() == "formatToolBar"
    names = {a.objectName() for a in bar.findChildren(QAction)}
    for name in (
        "boldAction", "italicAction", "underlineAction", "strikeAction", "textColorAction",
        "highlightAction", "alignLeftAction", "alignCenterAction", "alignRightAction",
        "alignJustifyAction", "bulletListAction", "numberListAction", "indentAction",
        "outdentAction", "linkAction", "horizontalRuleAction", "clearFormatAction",
        "insertImageAction", "plainTextAction",
    ):  # fmt: skip
        assert name in names
    assert bar.bold_action.shortcut().toString() == "Ctrl+B"
    assert bar.italic_action.shortcut().toString() == "Ctrl+I"
    assert bar.underline_action.shortcut().toString() == "Ctrl+U"
    actions = bar.menu_actions()
    assert None in actions and bar.plain_text_action in actions
    for action in bar.findChildren(QAction):
        if action.objectName():
            assert not action.icon().isNull(), action.objectName()


def test_ctrl_b_then_typing_is_bold(ui, qtbot):
    editor, bar = ui
    qtbot.keyClicks(editor, "plain ")
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert bar.bold_action.isChecked()
    qtbot.keyClicks(editor, "strong")
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(editor, " rest")
    assert body_html(editor) == "<div>plain <b>strong</b> rest</div>"


def test_italic_and_underline_shortcuts(ui, qtbot):
    editor, _bar = ui
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_U, CTRL)
    qtbot.keyClicks(editor, "both")
    assert body_html(editor) == "<div><i><u>both</u></i></div>"


def test_state_follows_cursor(ui, qtbot):
    editor, bar = ui
    qtbot.keyClicks(editor, "aaa ")
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(editor, "bold")
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(editor, " zzz")
    assert not bar.bold_action.isChecked()
    cursor = editor.textCursor()
    cursor.setPosition(6)
    editor.setTextCursor(cursor)
    assert bar.bold_action.isChecked()
    cursor.setPosition(2)
    editor.setTextCursor(cursor)
    assert not bar.bold_action.isChecked()


def test_alignment_group_and_export(ui, qtbot):
    editor, bar = ui
    qtbot.keyClicks(editor, "middle")
    bar.align_center_action.trigger()
    assert bar.align_center_action.isChecked() and not bar.align_left_action.isChecked()
    assert body_html(editor) == '<div style="text-align:center">middle</div>'
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    bar.align_right_action.trigger()
    qtbot.keyClicks(editor, "right")
    cursor = editor.textCursor()
    cursor.setPosition(1)
    editor.setTextCursor(cursor)
    assert bar.align_center_action.isChecked()


def test_lists_nest_and_export(ui, qtbot):
    editor, bar = ui
    bar.bullet_list_action.trigger()
    assert bar.bullet_list_action.isChecked()
    qtbot.keyClicks(editor, "one")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    bar.indent_action.trigger()
    qtbot.keyClicks(editor, "nested")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    bar.outdent_action.trigger()
    qtbot.keyClicks(editor, "two")
    html = body_html(editor).replace("\n", "")
    assert html == (
        '<ul><li>one<ul style="list-style-type:circle"><li>nested</li></ul></li><li>two</li></ul>'
    )
    assert editor.body()[0] == "- one\n  - nested\n- two"
    bar.number_list_action.trigger()  # switches the current list to numbers
    assert bar.number_list_action.isChecked() and not bar.bullet_list_action.isChecked()
    bar.number_list_action.trigger()  # and back to a paragraph
    assert not bar.number_list_action.isChecked()
    assert editor.textCursor().currentList() is None


def test_link_action_inserts_and_edits(ui, qtbot, monkeypatch):
    editor, bar = ui
    qtbot.keyClicks(editor, "Read ")
    asked = []

    def fake_ask(text, url):
        asked.append((text, url))
        return (
            ("the docs", "https://docs.example/")
            if len(asked) == 1
            else ("docs", "https://b.example/")
        )

    monkeypatch.setattr(bar, "ask_link", fake_ask)
    qtbot.keyClick(editor, Qt.Key.Key_K, CTRL)
    qtbot.keyClicks(editor, " today")
    assert '<a href="https://docs.example/">the docs</a> today' in body_html(editor)
    cursor = editor.textCursor()
    cursor.setPosition(7)
    editor.setTextCursor(cursor)
    bar.link_action.trigger()
    assert asked[1] == ("the docs", "https://docs.example/")
    html = body_html(editor)
    assert '<a href="https://b.example/">docs</a> today' in html
    assert "docs.example" not in html


def test_link_dialog_validates(qtbot):
    dialog = LinkDialog("", "")
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.url_field.setText("javascript:alert(1)")
    assert not ok.isEnabled() and dialog.values() is None
    dialog.url_field.setText("example.org")
    assert ok.isEnabled()
    assert dialog.values() == ("example.org", "https://example.org")
    dialog.text_field.setText("Example")
    assert dialog.values() == ("Example", "https://example.org")


def test_horizontal_rule_and_colours(ui, qtbot, monkeypatch):
    editor, bar = ui
    qtbot.keyClicks(editor, "above")
    bar.horizontal_rule_action.trigger()
    qtbot.keyClicks(editor, "below ")
    monkeypatch.setattr(bar, "ask_color", lambda initial, title: QColor("#1a7f37"))
    bar.text_color_action.trigger()
    qtbot.keyClicks(editor, "green")
    monkeypatch.setattr(bar, "ask_color", lambda initial, title: QColor("#ffff00"))
    bar.highlight_action.trigger()
    qtbot.keyClicks(editor, "!")
    html = body_html(editor)
    assert "<div>above</div>\n<hr>\n<div>below " in html
    assert '<span style="color:#1a7f37">green</span>' in html
    assert '<span style="color:#1a7f37;background-color:#ffff00">!</span>' in html
    assert editor.body()[0] == "above\n" + "-" * 40 + "\nbelow green!"


def test_font_and_size(ui, qtbot):
    editor, bar = ui
    bar.size_combo.setCurrentText("18")
    bar.size_combo.textActivated.emit("18")
    qtbot.keyClicks(editor, "big")
    assert '<span style="font-size:18pt">big</span>' in body_html(editor)
    assert bar.size_combo.currentText() == "18"


def test_clear_formatting_keeps_images(ui, qtbot, tmp_path):
    editor, bar = ui
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(editor, "bold")
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(tmp_path / "a.png"))
    editor.insert_image_file(tmp_path / "a.png")
    editor.selectAll()
    bar.clear_format_action.trigger()
    html = body_html(editor)
    assert "<b>" not in html
    assert "<img" in html


def test_insert_image_action(ui, monkeypatch, tmp_path):
    editor, bar = ui
    paths = []
    for name, fmt in (("a.jpg", "JPG"), ("b.png", "PNG")):
        image = QImage(10, 10, QImage.Format.Format_RGB32)
        image.fill(QColor("red"))
        image.save(str(tmp_path / name), fmt)
        paths.append(str(tmp_path / name))
    monkeypatch.setattr(bar, "ask_image_files", lambda: paths)
    bar.insert_image_action.trigger()
    images = editor.body()[2]
    assert [i.data for i in images] == [Path(p).read_bytes() for p in paths]


def test_plain_text_mode_disables_formatting(ui, qtbot):
    editor, bar = ui
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(editor, "bold")
    bar.plain_text_action.trigger()
    assert editor.plain_text_mode
    assert editor.body() == ("bold", None, [])
    for action in bar.formatting_actions():
        assert not action.isEnabled(), action.objectName()
    assert not bar.font_combo.isEnabled()
    assert bar.plain_text_action.isEnabled() and bar.plain_text_action.isChecked()
    bar.plain_text_action.trigger()
    assert not editor.plain_text_mode
    assert bar.bold_action.isEnabled()


def test_plain_text_confirmation_can_refuse(ui):
    editor, bar = ui
    bar.confirm_plain_text = lambda: False
    bar.plain_text_action.trigger()
    assert not editor.plain_text_mode
    assert not bar.plain_text_action.isChecked()


def test_ctrl_k_reaches_the_link_action(ui, qtbot, monkeypatch):
    editor, bar = ui
    qtbot.keyClicks(editor, "keep this text")
    cursor = editor.textCursor()
    cursor.setPosition(5)
    editor.setTextCursor(cursor)
    calls = []
    monkeypatch.setattr(bar, "ask_link", lambda text, url: calls.append(text))
    qtbot.keyClick(editor, Qt.Key.Key_K, CTRL)
    assert calls == [""]
    assert editor.toPlainText() == "keep this text"


def test_translated(qtbot):
    from mailcomposer import i18n

    i18n.set_language("zh_CN")
    editor = BodyEditor()
    bar = FormatToolBar(editor)
    qtbot.addWidget(editor)
    qtbot.addWidget(bar)
    assert bar.bold_action.text() != "&Bold"
    assert editor.placeholderText() != "Write your message here…"


def test_cursor_moves_keep_state(ui, qtbot):
    editor, bar = ui
    qtbot.keyClicks(editor, "x")
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert bar.align_left_action.isChecked()


def test_colour_swatches_and_automatic(ui, qtbot):
    editor, bar = ui
    red = next(a for a in bar.text_color_menu.actions() if a.data() == "#c5221f")
    red.trigger()
    qtbot.keyClicks(editor, "red")
    assert '<span style="color:#c5221f">red</span>' in body_html(editor)
    editor.selectAll()
    bar.text_color_menu.actions()[0].trigger()  # Automatic
    assert body_html(editor) == "<div>red</div>"
    yellow = next(a for a in bar.highlight_menu.actions() if a.data() == "#fff475")
    editor.selectAll()
    yellow.trigger()
    assert "background-color:#fff475" in body_html(editor)
    editor.selectAll()
    bar.highlight_menu.actions()[0].trigger()  # No highlight
    assert body_html(editor) == "<div>red</div>"


def test_shortcuts_are_unique_and_leave_the_window_its_own(ui):
    _editor, bar = ui
    keys = [s.toString() for a in bar.findChildren(QAction) for s in a.shortcuts()]
    assert len(keys) == len(set(keys))
    # Taken by the composer window: New/Open/Save/Quit, attach, send, protocol log (Ctrl+L).
    window_keys = {"Ctrl+N", "Ctrl+O", "Ctrl+S", "Ctrl+Q", "Ctrl+L", "Ctrl+Shift+A",
                   "Ctrl+Shift+S", "Ctrl+Shift+M", "Ctrl+Shift+I", "Ctrl+Return"}  # fmt: skip
    assert not window_keys & set(keys)


_RUN = st.tuples(
    st.text(st.sampled_from("ab <&\n\t\u3000中"), min_size=1, max_size=6),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, "#ff0000"]),
    st.sampled_from([None, "https://x.org/", "mailto:a@b.example"]),
    st.sampled_from([None, 16.0]),
    st.sampled_from([None, "bullets", "numbers", "center", "indent", "outdent"]),
)


@settings(max_examples=60, deadline=None)
@given(runs=st.lists(_RUN, min_size=1, max_size=6))
def test_formatted_body_survives_export_and_reimport(qapp, runs):
    editor = BodyEditor()
    bar = FormatToolBar(editor)
    paragraph = {
        "bullets": lambda: bar.toggle_list(ordered=False),
        "numbers": lambda: bar.toggle_list(ordered=True),
        "center": bar.align_center_action.trigger,
        "indent": lambda: bar.change_indent(1),
        "outdent": lambda: bar.change_indent(-1),
    }
    for text, bold, italic, color, href, size, para in runs:
        if para:
            paragraph[para]()
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        fmt.setFontItalic(italic)
        if color:
            fmt.setForeground(QColor(color))
        if size:
            fmt.setFontPointSize(size)
        if href:
            fmt.setAnchor(True)
            fmt.setAnchorHref(href)
        editor.textCursor().insertText(text, fmt)
    plain, html, _images = editor.body()
    assert "<style" not in html and "-qt-" not in html
    editor.set_body("", html, [])
    assert editor.body()[:2] == (plain, html)


def test_the_colour_buttons_show_the_chosen_colour_along_their_foot(qtbot) -> None:
    from PySide6.QtGui import QColor

    from mailcomposer.ui.swatches import colour_icon

    icon = colour_icon("format-text-color", QColor("#1a73e8"))
    for extent in (16, 20, 24, 32):
        image = icon.pixmap(extent, extent).toImage()
        assert image.width() == extent
        assert QColor(image.pixel(extent // 2, extent - 1)).name() == "#1a73e8"
        assert QColor.fromRgba(image.pixel(extent // 2, 0)).alpha() == 0  # the letter above


def test_a_colour_icon_is_drawn_from_a_cached_svg_sharp_at_any_scaling(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor

    from mailcomposer.ui.swatches import colour_icon

    folder = tmp_path / "icons"
    icon = colour_icon("format-text-highlight", QColor("#fff475"), folder)
    kept = folder / "format-text-highlight-fff475.svg"
    assert 'fill="#fff475"' in kept.read_text(encoding="utf-8")
    assert [p.name for p in folder.iterdir()] == [kept.name]  # no part file left behind
    # 20-pixel toolbar icons on a 200 % screen: drawn at 40 device pixels, not scaled up.
    image = icon.pixmap(QSize(20, 20), 2.0).toImage()
    assert image.width() == 40
    assert QColor(image.pixel(20, 39)).name() == "#fff475"
    # A damaged cached copy is written again.
    kept.write_text("<svg", encoding="utf-8")
    colour_icon("format-text-highlight", QColor("#fff475"), folder)
    assert 'fill="#fff475"' in kept.read_text(encoding="utf-8")


def test_a_colour_icon_is_drawn_at_once_where_no_file_can_be_written(qtbot, tmp_path) -> None:
    from PySide6.QtGui import QColor

    from mailcomposer.ui.swatches import colour_icon

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    icon = colour_icon("format-text-color", QColor("#188038"), blocker / "icons")
    assert sorted(size.width() for size in icon.availableSizes()) == [16, 20, 24, 32]
    image = icon.pixmap(24, 24).toImage()
    assert QColor(image.pixel(12, 23)).name() == "#188038"


def bar_state(bar: FormatToolBar) -> dict[str, object]:
    checkable = {
        a.objectName(): a.isChecked() for a in bar.findChildren(QAction) if a.isCheckable()
    }
    return {
        **checkable,
        "font": bar.font_combo.currentFont().family(),
        "size": bar.size_combo.currentText(),
    }


def test_a_new_bar_shows_what_the_cursor_of_the_new_body_would_show(qtbot) -> None:
    # The bar starts from the new body's state without asking the editor's cursor
    # (launch budget); the editor's own signals must find nothing to change.
    editor = BodyEditor()
    editor.setFont(QFont("Noto Serif", 15))
    bar = FormatToolBar(editor)
    qtbot.addWidget(editor)
    qtbot.addWidget(bar)
    shown_at_start = bar_state(bar)
    assert shown_at_start["size"] == "15" and shown_at_start["alignLeftAction"] is True
    bar._on_editor_current_char_format_changed(editor.currentCharFormat())
    bar._on_editor_cursor_position_changed()
    assert bar_state(bar) == shown_at_start
