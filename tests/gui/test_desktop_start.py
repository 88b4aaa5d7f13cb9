"""Starts from the desktop after ``mailcomposer register``: a .desktop's %u may be a file: URL."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.cli import wants_gui

EML = (
    b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: From the file manager\r\n\r\nhi\r\n"
)


def test_a_file_url_opens_the_message(qtbot, make_window, tmp_path: Path) -> None:
    path = tmp_path / "with space.eml"
    path.write_bytes(EML)
    url = path.as_uri()
    assert wants_gui([url])
    window = make_window([url])
    assert window.subject_field.text() == "From the file manager"
    assert window.to_field.text() == "bob@example.org"
