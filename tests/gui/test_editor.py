"""Tests for the body editor: images, paste/drop, plain-text mode, body round trip."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QFontDatabase, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from mailcomposer.message.draft import InlineImage
from mailcomposer.ui.editor import BodyEditor, normalize_url

# The offscreen platform warns about window size hints it cannot forward.


@pytest.fixture
def editor(qtbot):
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def make_image(path: Path, fmt: str, width: int = 40, height: int = 30) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    assert image.save(str(path), fmt)
    return path.read_bytes()


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def test_defaults(editor):
    assert editor.objectName() == "bodyEditor"
    assert editor.tabChangesFocus()
    assert editor.placeholderText()
    ui_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    assert editor.document().defaultFont().pointSizeF() >= max(11, ui_font.pointSizeF())


def test_typed_text_exports_without_ui_font(editor, qtbot):
    qtbot.keyClicks(editor, "Hello")
    text, html, images = editor.body()
    assert text == "Hello"
    assert "<style" not in html and "-qt-" not in html and "font-family" not in html
    assert images == []


def test_jpeg_file_keeps_exact_bytes(editor, tmp_path):
    data = make_image(tmp_path / "photo.jpg", "JPG")
    image = editor.insert_image_file(tmp_path / "photo.jpg")
    assert image.content_type == "image/jpeg"
    assert image.name.startswith("mc-image-") and image.name.endswith(".jpg")
    assert image.filename == "photo.jpg"
    text, html, images = editor.body()
    assert images == [image]
    assert images[0].data == data
    assert f'<img src="{image.name}"' in html
    assert "\ufffc" not in text


def test_wide_image_is_shown_scaled_but_sent_whole(editor, tmp_path):
    data = make_image(tmp_path / "wide.png", "PNG", width=2000, height=500)
    editor.insert_image_file(tmp_path / "wide.png")
    _text, html, images = editor.body()
    assert images[0].data == data
    width = int(html.split('width="')[1].split('"')[0])
    assert width < editor.viewport().width()


def test_non_image_file_is_refused(editor, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(ValueError):
        editor.insert_image_file(path)
    with pytest.raises(ValueError):
        editor.insert_image_file(tmp_path / "missing.png")


def test_paste_raw_image_data_inserts_png(editor):
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    mime = QMimeData()
    mime.setImageData(image)
    assert editor.canInsertFromMimeData(mime)
    editor.insertFromMimeData(mime)
    _text, html, images = editor.body()
    assert len(images) == 1
    assert images[0].content_type == "image/png"
    assert images[0].data.startswith(b"\x89PNG")
    assert f'src="{images[0].name}"' in html


def test_paste_image_file_url_inserts_inline(editor, tmp_path):
    data = make_image(tmp_path / "pic.jpg", "JPG")
    editor.insertFromMimeData(file_mime(tmp_path / "pic.jpg"))
    _text, _html, images = editor.body()
    assert [i.data for i in images] == [data]


def test_clipboard_paste_goes_through_our_hook(editor, tmp_path, qtbot):
    make_image(tmp_path / "pic.png", "PNG")
    QApplication.clipboard().setMimeData(file_mime(tmp_path / "pic.png"))
    editor.setFocus()
    editor.paste()
    assert len(editor.images_in_document()) == 1


def test_non_image_drop_becomes_attachment_not_text(editor, tmp_path, qtbot):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    picture = tmp_path / "pic.png"
    make_image(picture, "PNG")
    with qtbot.wait_signal(editor.files_dropped) as blocker:
        editor.insertFromMimeData(file_mime(pdf, picture))
    assert blocker.args == [[str(pdf)]]
    text, _html, images = editor.body()
    assert "report.pdf" not in text and "file:" not in text
    assert len(images) == 1


def test_deleting_image_removes_it_from_body(editor, tmp_path):
    make_image(tmp_path / "a.png", "PNG")
    editor.insertPlainText("x")
    image = editor.insert_image_file(tmp_path / "a.png")
    assert editor.images_in_document() == {image.name}
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.deletePreviousChar()
    editor.setTextCursor(cursor)
    _text, html, images = editor.body()
    assert images == []
    assert "<img" not in html
    editor.undo()
    assert editor.images_in_document() == {image.name}
    assert editor.body()[2] == [image]


def test_rich_paste_strips_remote_images_keeps_embedded(editor):
    png = QImage(3, 3, QImage.Format.Format_RGB32)
    png.fill(QColor("blue"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    png.save(buffer, "PNG")
    data = bytes(buffer.data().data())
    uri = "data:image/png;base64," + base64.b64encode(data).decode()
    mime = QMimeData()
    mime.setHtml(
        f'<p>Hi <img src="https://tracker.example/pixel.gif"> <b>bold</b> <img src="{uri}"></p>'
    )
    editor.insertFromMimeData(mime)
    text, html, images = editor.body()
    assert "tracker.example" not in html
    assert "<b>bold</b>" in html
    assert [i.data for i in images] == [data]
    assert text.startswith("Hi")


def test_unknown_image_names_are_never_loaded(editor, tmp_path):
    secret = tmp_path / "secret.png"
    make_image(secret, "PNG", width=77, height=55)
    editor.set_body("", f'<p><img src="{QUrl.fromLocalFile(str(secret)).toString()}"></p>', [])
    editor.document().documentLayout().documentSize()  # forces resource loading
    name = QUrl.fromLocalFile(str(secret))
    loaded = editor.document().resource(2, name)
    assert loaded is None or loaded.width() != 77


def test_plain_text_mode(editor, qtbot, tmp_path):
    make_image(tmp_path / "a.png", "PNG")
    editor.insertPlainText("Hello ")
    editor.insert_image_file(tmp_path / "a.png")
    with qtbot.wait_signal(editor.plain_text_mode_changed) as blocker:
        editor.plain_text_mode = True
    assert blocker.args == [True]
    assert editor.plain_text_mode
    text, html, images = editor.body()
    assert html is None and images == []
    assert text == "Hello "
    assert "\ufffc" not in editor.toPlainText()
    # Files dropped in plain-text mode are attachments, even images.
    with qtbot.wait_signal(editor.files_dropped):
        editor.insertFromMimeData(file_mime(tmp_path / "a.png"))
    editor.plain_text_mode = False
    assert editor.body()[1] is not None


def test_set_body_round_trip(editor, tmp_path):
    data = make_image(tmp_path / "a.jpg", "JPG")
    image = InlineImage("mc-image-7.jpg", data, "image/jpeg", "a.jpg")
    html = (
        '<div>Hello <b>bold</b> <i>it</i> <span style="color:#ff0000">red</span></div>\n'
        "<div><br></div>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<hr>\n"
        '<div style="text-align:center"><a href="https://example.org">link</a> '
        '<img src="mc-image-7.jpg" alt=""></div>'
    )
    editor.set_body("ignored", html, [image])
    assert not editor.plain_text_mode
    text, exported, images = editor.body()
    assert images == [image]
    assert (
        text == "Hello bold it red\n\n- one\n- two\n" + "-" * 40 + "\nlink <https://example.org> "
    )
    editor.set_body(text, exported, images)
    again = editor.body()
    assert again == (text, exported, images)
    # New images never collide with restored names.
    make_image(tmp_path / "b.png", "PNG")
    assert editor.insert_image_file(tmp_path / "b.png").name == "mc-image-8.png"


def test_set_body_plain(editor, qtbot):
    with qtbot.wait_signal(editor.plain_text_mode_changed):
        editor.set_body("just text\nline 2", None, [])
    assert editor.body() == ("just text\nline 2", None, [])


def test_links(editor):
    editor.insertPlainText("Go to ")
    editor.set_link("Example", "https://example.org")
    editor.insertPlainText(" now")
    _text, html, _images = editor.body()
    assert '<a href="https://example.org">Example</a> now' in html
    cursor = editor.textCursor()
    cursor.setPosition(8)
    editor.setTextCursor(cursor)
    assert editor.link_at_cursor()[2:] == ("Example", "https://example.org")
    editor.set_link("Other", "https://other.example")
    html = editor.body()[1]
    assert '<a href="https://other.example">Other</a> now' in html
    assert "example.org" not in html
    editor.remove_link()
    assert "<a " not in editor.body()[1]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("example.org", "https://example.org"),
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("ann@example.org", "mailto:ann@example.org"),
        ("mailto:ann@example.org", "mailto:ann@example.org"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,hi", None),
        ("not a url", None),
        ("", None),
        ("word", None),
    ],
)
def test_normalize_url(typed, expected):
    assert normalize_url(typed) == expected


def test_tab_leaves_the_editor(qtbot):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    layout = QVBoxLayout(window)
    editor = BodyEditor()
    after = QLineEdit()
    layout.addWidget(editor)
    layout.addWidget(after)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    editor.setFocus()
    qtbot.wait_until(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.wait_until(after.hasFocus)
    assert "\t" not in editor.toPlainText()


def test_every_string_has_a_chinese_translation():
    import re

    from mailcomposer.i18n import parse_po, resources_dir

    root = Path(__file__).resolve().parents[2] / "mailcomposer" / "ui"
    source = "".join(
        (root / f"{n}.py").read_text(encoding="utf-8") for n in ("editor", "formatbar")
    )
    wanted = set(re.findall(r'\bN?_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', source))
    catalog = parse_po((resources_dir() / "i18n" / "zh_CN" / "editor.po").read_text("utf-8"))
    assert wanted, "no strings found"
    assert wanted <= set(catalog), sorted(wanted - set(catalog))


def test_real_drop_event_on_the_viewport(editor, tmp_path, qtbot):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    picture = tmp_path / "pic.jpg"
    data = make_image(picture, "JPG")
    editor.insertPlainText("text")
    mime = file_mime(picture, pdf)
    viewport = editor.viewport()
    # Drag enter/move take a QPoint, the drop a QPointF (as in Qt's C++ API;
    # PySide6 6.12 also accepts QPointF for the first two, 6.11 does not).
    point = QPoint(20, 10)
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDragMoveEvent(point, action, mime, buttons, mods))
    with qtbot.wait_signal(editor.files_dropped) as blocker:
        QApplication.sendEvent(viewport, QDropEvent(QPointF(point), action, mime, buttons, mods))
    assert blocker.args == [[str(pdf)]]
    text, _html, images = editor.body()
    assert text == "text"
    assert [i.data for i in images] == [data]


def test_chinese_full_width_indent_survives_a_round_trip(editor):
    text = "\u3000\u3000第一段。\n\tTabbed  two spaces"
    editor.insertPlainText(text)
    _plain, html, _images = editor.body()
    editor.set_body("", html, [])
    assert editor.body()[0] == text


_TEXT = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ufffc\u00a0"
) | st.sampled_from(["\n", " ", "\t", "<", ">", "&", '"', "'"])


@settings(max_examples=60, deadline=None)
@given(text=st.text(_TEXT, max_size=30))
def test_any_text_survives_html_export_and_reimport(qapp, text):
    editor = BodyEditor()
    editor.insertPlainText(text)
    plain, html, _images = editor.body()
    assert plain == text
    editor.set_body("", html, [])
    assert editor.body()[0] == text
    assert editor.body()[1] == html


def test_none_survives_many_toolbar_updates(qapp):
    """PySide6 6.12 on Python 3.11 loses a reference to None on each void call.

    Pins the guard (``keep_none_alive``): on a sound build the count of references to
    None does not drop over 100,000 void calls; on a leaking one the guard made None
    immortal (a count near 2**48) before any widget existed, so the loss cannot reach 0.
    """
    import sys

    from mailcomposer.ui.formatbar import FormatToolBar

    editor = BodyEditor()
    bar = FormatToolBar(editor)
    editor.insertPlainText("some text")
    fmt = editor.currentCharFormat()
    bar._on_editor_cursor_position_changed()  # warm caches (enum wrappers, lookups) first
    bar._on_editor_current_char_format_changed(fmt)
    before = sys.getrefcount(None)
    for _ in range(20_000):  # about 100,000 void calls: enough to abort without the guard
        bar._on_editor_cursor_position_changed()
        bar._on_editor_current_char_format_changed(fmt)
    after = sys.getrefcount(None)
    pinned = before > 1 << 47
    assert after >= before or pinned, f"None lost {before - after} references"


def _taken_by_editor(editor: BodyEditor, sequence: str) -> bool:
    """Whether the editor claims ``sequence`` for itself (its ShortcutOverride answer)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent, QKeySequence

    combination = QKeySequence(sequence)[0]
    event = QKeyEvent(
        QEvent.Type.ShortcutOverride, combination.key(), combination.keyboardModifiers()
    )
    event.ignore()
    QApplication.sendEvent(editor, event)
    return event.isAccepted()


def test_reserved_shortcuts_pass_the_editors_own_key_bindings(qtbot) -> None:
    # QTextEdit claims Ctrl+Z (undo) on every platform, as it claims Ctrl+K on Linux
    # desktops; a reserved sequence goes to its action instead, from the first paint on.
    from PySide6.QtGui import QKeySequence

    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.set_reserved_shortcuts([QKeySequence("Ctrl+Z")])
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.wait_until(lambda: not _taken_by_editor(editor, "Ctrl+Z"))
    assert _taken_by_editor(editor, "Ctrl+A")  # what is not reserved stays the editor's
