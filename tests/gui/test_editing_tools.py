"""Find and replace in the body, tables, printing and PDF export, through the composer window."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from mailcomposer.message.draft import Attachment


def action(window, name: str):
    from PySide6.QtGui import QAction

    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def type_body(window, html: str) -> None:
    window.editor.setHtml(html)
    window.editor.setFocus()


def find_bar(window):
    bar = window.findChild(QWidget, "findBar")
    assert bar is not None
    return bar


def text_parts(message):
    plain = html = None
    for part in message.walk():
        if part.get_content_type() == "text/plain" and plain is None:
            plain = part.get_content()
        elif part.get_content_type() == "text/html" and html is None:
            html = part.get_content()
    return plain, html


def built_message(window):
    window.to_field.setText("bob@example.org")
    window.subject_field.setText("Quarterly numbers")
    built = window.build_message()
    assert built is not None
    return getattr(built, "message", built)


# -- find and replace ---------------------------------------------------------------------


def test_ctrl_f_opens_the_find_bar_highlights_all_and_next_moves_and_wraps(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    type_body(window, "<p>cat dog Cat</p><p>concat cat</p>")
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = find_bar(window)
    assert bar.isVisible() and bar.find_field.hasFocus()
    bar.find_field.setText("cat")
    assert len(window.editor.extraSelections()) == 4  # cat, Cat, con*cat*, cat
    assert bar.note.text() == "4 matches"
    bar.words_box.setChecked(True)
    assert len(window.editor.extraSelections()) == 3
    bar.case_box.setChecked(True)
    assert len(window.editor.extraSelections()) == 2
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    first = window.editor.textCursor()
    assert (first.selectionStart(), first.selectedText()) == (0, "cat")
    assert bar.find_next()
    second = window.editor.textCursor()
    assert second.selectedText() == "cat" and second.selectionStart() > first.selectionStart()
    assert bar.find_next()  # wraps to the top, and says so
    assert window.editor.textCursor().selectionStart() == 0
    assert "continued from the top" in bar.note.text()
    assert bar.find_previous()  # and back to the bottom
    assert window.editor.textCursor().selectionStart() == second.selectionStart()
    bar.find_field.setText("zebra")
    assert not bar.find_next() and bar.note.text() == "Not found"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and window.editor.extraSelections() == []
    grab = window.centralWidget().grab()
    assert not grab.isNull()


def test_replace_all_is_one_undo_step_and_replace_one_by_one(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    type_body(window, "<p>one fish two fish</p><p>red fish blue fish</p>")
    qtbot.keyClick(window.editor, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    bar = find_bar(window)
    assert bar.is_replacing()
    bar.find_field.setText("fish")
    bar.replace_field.setText("cat")
    assert bar.replace_all() == 4
    assert window.editor.toPlainText() == "one cat two cat\nred cat blue cat"
    window.editor.undo()
    assert window.editor.toPlainText() == "one fish two fish\nred fish blue fish"
    assert bar.find_next()
    assert bar.replace()  # the selected match goes, the next one is selected
    assert window.editor.toPlainText().startswith("one cat two fish")
    assert window.editor.textCursor().selectedText() == "fish"


def test_body_ctrl_f_does_not_clash_with_the_protocol_log(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.log_dock.find_field.setFocus()
    log_view = window.log_dock.view
    log_view.setFocus()
    qtbot.keyClick(log_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.log_dock.find_field.hasFocus()
    assert window.findChild(QWidget, "findBar") is None  # the body's bar did not open
    window.subject_field.setFocus()
    qtbot.keyClick(window.subject_field, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert find_bar(window).isVisible()


# -- tables -------------------------------------------------------------------------------


def insert_2x3(qtbot, window):
    from mailcomposer.ui.tables import TableDialog

    action(window, "insertTableAction").trigger()
    dialog = window.findChild(TableDialog, "insertTableDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.rows_spin.setValue(2)
    dialog.columns_spin.setValue(3)
    dialog.header_box.setChecked(True)
    dialog.accept()
    table = window.editor.textCursor().currentTable()
    assert table is not None and (table.rows(), table.columns()) == (2, 3)
    return table


def fill(window, table, texts):
    for row, cells in enumerate(texts):
        for column, text in enumerate(cells):
            table.cellAt(row, column).firstCursorPosition().insertText(text)


def test_table_inserted_row_added_sent_as_inline_styled_html_and_readable_text(qtbot, window):
    window.editor.setPlainText("")
    table = insert_2x3(qtbot, window)
    tools = window.tool_windows.editing_tools.tables()
    cursor = table.cellAt(1, 0).firstCursorPosition()
    window.editor.setTextCursor(cursor)
    window.show()
    qtbot.waitExposed(window)
    window.editor.customContextMenuRequested.emit(window.editor.cursorRect(cursor).center())
    menu = QApplication.activePopupWidget()  # the right-click menu of the body
    assert menu is not None and tools.row_below_action in menu.actions()
    menu.close()
    tools.row_below_action.trigger()
    assert table.rows() == 3
    tools.column_right_action.trigger()
    tools.remove_column_action.trigger()
    assert table.columns() == 3
    fill(window, table, [["Item", "Qty", "Price"], ["Apple", "2", "1.20"], ["Pear", "5", "3.00"]])
    plain, html = text_parts(built_message(window))
    assert "<table" in html and "border-collapse:collapse" in html
    assert "border:1px solid #888" in html and "padding:4px" in html
    assert "<th" in html and "Apple" in html
    lines = plain.splitlines()
    assert "Item | Qty | Price" in lines
    assert "Apple | 2 | 1.20" in lines and "Pear | 5 | 3.00" in lines
    window.resize(700, 500)
    window.show()
    qtbot.waitExposed(window)
    assert not window.centralWidget().grab().isNull()


def test_table_outside_a_table_has_no_row_actions_and_plain_mode_disables_insert(qtbot, window):
    type_body(window, "<p>no table here</p>")
    tools = window.tool_windows.editing_tools.tables()
    menu = tools.context_menu(window.editor.cursorRect().center())
    assert tools.row_below_action not in menu.actions()
    menu.deleteLater()
    window.editor.setReadOnly(True)  # as while a send runs
    action(window, "insertTableAction").trigger()
    assert window.findChild(QWidget, "insertTableDialog") is None
    window.editor.setReadOnly(False)
    window.editor.set_plain_text_mode(True)
    assert not action(window, "insertTableAction").isEnabled()


# -- print and PDF -------------------------------------------------------------------------


def test_export_as_pdf_writes_the_header_body_and_attachments(qtbot, window, tmp_path, monkeypatch):
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n" * 300)
    window.attachments.model.set_attachments([Attachment("report.csv", path=report)])
    type_body(window, "<p>Numbers attached.</p>")
    window.to_field.setText("bob@example.org")
    window.bcc_field.setText("secret@example.org")
    window.subject_field.setText("Quarterly numbers")
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    action(window, "exportPdfAction").trigger()
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Quarterly numbers" in text and "bob@example.org" in text
    assert "report.csv" in text and "1.2 KB" in text
    assert "Numbers attached." in text
    assert "secret@example.org" not in text


def test_printable_html_leaves_out_bcc_and_empty_cc(window):
    from mailcomposer.ui.printing import printable_html

    window.to_field.setText("bob@example.org")
    window.bcc_field.setText("secret@example.org")
    page = printable_html(window.current_draft())
    assert "bob@example.org" in page and "secret@example.org" not in page
    assert "Cc:" not in page and "Subject:" in page and "Date:" in page


def test_print_and_export_are_in_the_file_menu(window):
    file_menu = window.menuBar().actions()[0].menu()
    names = [a.objectName() for a in file_menu.actions()]
    assert "printAction" in names and "exportPdfAction" in names
    assert action(window, "printAction").shortcut().toString() == "Ctrl+P"


def test_print_prints_the_page_with_its_inline_image(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#d03030"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    window.editor.setPlainText("")
    window.editor.insert_image_data(bytes(data), "red.png")
    window.subject_field.setText("With a picture")
    target = tmp_path / "printed.pdf"

    def accept(dialog):  # the user picks a PDF printer and presses Print
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    action(window, "printAction").trigger()
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/Subtype /Image" in data
    from mailcomposer.ui.printing import printable_document

    draft = window.current_draft()
    (inline,) = draft.inline_images
    doc = printable_document(draft)
    loaded = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(inline.name))
    assert loaded.size().toTuple() == (40, 30)  # the picture itself, not a broken-image icon
    if shutil.which("pdfimages") is not None:
        listing = subprocess.run(
            ["pdfimages", "-list", str(target)], capture_output=True, text=True, check=True
        ).stdout
        assert any(line.split()[3:5] == ["40", "30"] for line in listing.splitlines()[2:])


def test_find_highlights_read_in_a_dark_palette(qtbot, window) -> None:
    """The marker yellow carries its own dark text: light palette text on it would vanish."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLineEdit, QWidget

    window.editor.setPlainText("alpha beta alpha")
    window.findChild(type(window.send_action), "findAction").trigger()
    bar = window.findChild(QWidget, "findBar")
    assert bar is not None
    bar.findChild(QLineEdit, "findField").setText("alpha")
    selections = window.editor.extraSelections()
    assert selections
    for selection in selections:
        background = selection.format.background().color()
        text = selection.format.foreground().color()
        assert background.lightness() > 180 and text.lightness() < 80
        assert isinstance(text, QColor)
