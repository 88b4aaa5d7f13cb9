"""Every notice colour follows the palette: dark and readable on dark, light on light."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from mailcomposer.ui.tints import contrast
from tests.gui.test_palette import background_of, dark_palette

LIGHT = QPalette(QColor("#efefef"))


@pytest.fixture
def app_palette(qapp):
    """Start light; restore the application's palette after the test."""
    before = QPalette(qapp.palette())
    qapp.setPalette(LIGHT)
    yield qapp
    qapp.setPalette(before)


def sheet_colour(widget) -> QColor:
    """The text colour a widget's style sheet gives (``color:``, not ``background-color:``)."""
    found = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", widget.styleSheet())
    assert found, widget.styleSheet()
    return QColor(found[-1])


def shown(qtbot, widget):
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def test_invalid_address_background_follows_the_palette(qtbot, app_palette) -> None:
    from mailcomposer.ui.addressfield import AddressField

    field = shown(qtbot, AddressField("to"))
    qtbot.keyClicks(field, "bad@@example")
    assert not field.is_valid()
    assert background_of(field).lightness() > 170
    app_palette.setPalette(dark_palette())
    qtbot.wait_until(lambda: background_of(field).lightness() < 80)
    background = background_of(field)
    assert contrast(sheet_colour(field), background) >= 4.5
    assert background.red() > background.green()  # still says "error"
    app_palette.setPalette(LIGHT)
    qtbot.wait_until(lambda: background_of(field).lightness() > 170)


def test_header_address_fields_follow_the_palette(qtbot, window, app_palette) -> None:
    field = window.findChild(QLineEdit, "toField")
    field.setText("bad@@example")
    qtbot.wait_until(lambda: not field.is_valid())
    app_palette.setPalette(dark_palette())
    qtbot.wait_until(lambda: background_of(field).lightness() < 80)
    header = field.parentWidget()
    assert contrast(sheet_colour(header), background_of(field)) >= 4.5


def test_inbox_note_and_bcc_rows_follow_the_palette(qtbot, app_palette) -> None:
    from mailcomposer.sandbox.preview import EnvelopeRow, Preview
    from mailcomposer.ui.inboxpreview import MessageTab
    from mailcomposer.ui.inboxtabs import HeadersTab

    tab = shown(qtbot, MessageTab())
    tab.note.setText("Remote content was blocked.")
    tab.note.show()
    headers = shown(qtbot, HeadersTab())
    envelope = (
        EnvelopeRow("MAIL FROM", "a@example.org", ("From",)),
        EnvelopeRow("RCPT TO", "hidden@example.com", ()),
    )
    headers.show_preview(Preview(size=10, envelope=envelope))
    bcc = headers.envelope_table.item(1, 0)
    assert background_of(tab.note).lightness() > 170
    assert bcc.background().color().lightness() > 170
    app_palette.setPalette(dark_palette())
    qtbot.wait_until(lambda: background_of(tab.note).lightness() < 80)
    assert contrast(sheet_colour(tab.note), background_of(tab.note)) >= 4.5
    qtbot.wait_until(lambda: bcc.background().color().lightness() < 80)
    text = headers.envelope_table.palette().color(QPalette.ColorRole.Text)
    assert contrast(text, bcc.background().color()) >= 4.5
    app_palette.setPalette(LIGHT)
    qtbot.wait_until(lambda: bcc.background().color().lightness() > 170)


def error_labels(home):
    from mailcomposer.ui.linkdialog import LinkDialog
    from mailcomposer.ui.sandboxpanel import SandboxPanel
    from mailcomposer.ui.stepgate import StepGate
    from mailcomposer.ui.steppanel import StepPanel

    yield LinkDialog(), "linkProblemLabel"
    yield SandboxPanel(home), "panelError"
    yield StepPanel(StepGate()), "stepProblemLabel"


def test_error_words_follow_the_palette(qtbot, home, app_palette) -> None:
    for owner, name in error_labels(home):
        shown(qtbot, owner)
        label = owner.findChild(QLabel, name)
        label.setText("Something is wrong")
        label.show()
        assert background_of(owner).lightness() > 170
        light = sheet_colour(label)
        assert contrast(light, background_of(owner)) >= 4.5
        app_palette.setPalette(dark_palette())
        qtbot.wait_until(lambda label=label, light=light: sheet_colour(label) != light)
        assert background_of(owner).lightness() < 80
        assert contrast(sheet_colour(label), background_of(owner)) >= 4.5
        app_palette.setPalette(LIGHT)
        qtbot.wait_until(lambda label=label, light=light: sheet_colour(label) == light)


def test_mime_findings_follow_the_palette(qtbot, app_palette) -> None:
    from mailcomposer.ui.mimeview import MimeViewDialog

    broken = (
        b"Content-Type: multipart/mixed; boundary=x\r\nSubject: s\r\n\r\n"
        b"--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"  # a parser defect: a warning
    )
    app_palette.setPalette(dark_palette())
    dialog = shown(qtbot, MimeViewDialog(broken))
    items = [dialog.findings.item(i) for i in range(dialog.findings.count())]
    warnings = [i for i in items if "closing boundary is missing" in i.text()]
    assert warnings
    base = dialog.findings.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 80
    dark = warnings[0].foreground().color()
    assert contrast(dark, base) >= 4.5
    app_palette.setPalette(LIGHT)
    qtbot.wait_until(lambda: warnings[0].foreground().color() != dark)
    light_base = dialog.findings.palette().color(QPalette.ColorRole.Base)
    assert light_base.lightness() > 170
    assert contrast(warnings[0].foreground().color(), light_base) >= 4.5


def test_lesson_feedback_follows_the_palette(qtbot, home, app_palette) -> None:
    from mailcomposer.ui.lessons import LessonsDialog

    dialog = shown(qtbot, LessonsDialog(home))
    dialog.select_lesson("starttls")
    box = dialog.question_boxes["rfc"]
    box.set_answer("RFC 4954")
    box.check_button.click()

    def colour() -> QColor:
        return QColor(re.search(r"color:(#[0-9a-fA-F]{6})", box.feedback_label.text())[1])

    window = box.palette().color(QPalette.ColorRole.Window)
    light = colour()
    assert contrast(light, window) >= 4.5
    app_palette.setPalette(dark_palette())
    qtbot.wait_until(lambda: colour() != light)
    window = box.palette().color(QPalette.ColorRole.Window)
    assert window.lightness() < 80
    assert contrast(colour(), window) >= 4.5
    assert colour().red() > colour().green()  # a wrong answer stays red
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 80


@pytest.mark.parametrize("kind", ["error", "warning", "info"])
def test_accent_words_read_on_window_and_base(kind) -> None:
    from mailcomposer.ui.tints import accent_text

    for palette in (LIGHT, dark_palette()):
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            assert contrast(accent_text(palette, kind), palette.color(role)) >= 4.5


def test_the_window_starts_without_style_sheets(qtbot, window) -> None:
    """A style sheet puts a widget on Qt's slower style-sheet style: none until needed."""
    from PySide6.QtWidgets import QWidget

    widgets = [window, *window.findChildren(QWidget)]
    assert [w.objectName() or type(w).__name__ for w in widgets if w.styleSheet()] == []
    window.to_field.setText("bad@@example")
    assert window.header.styleSheet()  # the first invalid address brings the tint
