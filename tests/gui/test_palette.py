"""Notices follow the palette: a dark palette gives dark, readable banners and warnings."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from mailcomposer.ui.attachments import AttachmentPane
from mailcomposer.ui.tints import contrast, error_text, notice_colours

DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.ToolTipBase: "#353535",
    QPalette.ColorRole.ToolTipText: "#e8e8e8",
}


def dark_palette() -> QPalette:
    """A dark desktop's palette, disabled text dimmed as a real theme does."""
    palette = QPalette()
    for role, name in DARK.items():
        palette.setColor(role, QColor(name))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):  # fmt: skip
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f7f7f"))
    return palette


@pytest.fixture
def app_palette(qapp):
    """Restore the application's palette after the test."""
    before = QPalette(qapp.palette())
    yield qapp
    qapp.setPalette(before)


def background_of(widget) -> QColor:
    """The colour covering most of the widget as painted."""
    image = widget.grab().toImage()
    counts = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(image.height())
    )
    return QColor.fromRgb(counts.most_common(1)[0][0])


@pytest.mark.parametrize("kind", ["error", "warning", "info"])
def test_notice_colours_are_readable_on_light_and_dark(kind) -> None:
    for palette in (QPalette(QColor("#efefef")), dark_palette()):
        background, _border, text, link = notice_colours(palette, kind)
        assert contrast(text, background) >= 4.5
        assert contrast(link, background) >= 3


def test_banner_turns_dark_with_the_palette(qtbot, window, app_palette) -> None:
    window.status_area.show_error("Sending failed: 550 mailbox unavailable")
    qtbot.wait_until(window.banner.isVisible)
    light = background_of(window.banner)
    assert light.lightness() > 170
    app_palette.setPalette(dark_palette())
    qtbot.wait_until(lambda: background_of(window.banner).lightness() < 80)
    background = background_of(window.banner)
    text = window.banner.label.palette().color(QPalette.ColorRole.WindowText)
    assert contrast(text, background) >= 4.5
    assert background.red() > background.green()  # still says "error"


def test_attachment_warning_follows_the_palette(qtbot, app_palette, tmp_path) -> None:
    app_palette.setPalette(dark_palette())
    pane = AttachmentPane()
    qtbot.addWidget(pane)
    assert pane.warning.styleSheet() == ""  # no style sheet until the warning is needed
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 8000)
    pane.set_size_limit(5000)
    pane.model.add_files([big])
    assert not pane.warning.isHidden()
    assert "#1e1e1e" not in pane.warning.styleSheet()
    background, _border, text, _link = notice_colours(dark_palette(), "warning")
    assert background.name() in pane.warning.styleSheet()
    assert text.name() in pane.warning.styleSheet()
    QApplication.setPalette(QPalette(QColor("#efefef")))
    qtbot.wait_until(lambda: background.name() not in pane.warning.styleSheet())


def test_error_words_stay_readable_on_light_and_dark() -> None:
    for palette in (QPalette(QColor("#efefef")), dark_palette()):
        window = palette.color(QPalette.ColorRole.Window)
        assert contrast(error_text(palette), window) >= 4.5


def test_high_priority_mark_follows_the_palette(qtbot, window, app_palette) -> None:
    from mailcomposer.message.draft import Priority

    window.status_area.show_priority(Priority.HIGH)
    label = window.status_area.priority_label
    assert error_text(QApplication.palette()).name() in label.styleSheet()
    app_palette.setPalette(dark_palette())
    expected = error_text(dark_palette()).name()
    qtbot.wait_until(lambda: expected in label.styleSheet())
