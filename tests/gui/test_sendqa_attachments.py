"""Attaching a folder in the real window: it is skipped, and the pane says why and what to do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl

from mailcomposer import i18n


def folder_and_file(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    file = tmp_path / "说明.txt"
    file.write_text("y", encoding="utf-8")
    return folder, file


def test_a_folder_dropped_on_the_attachments_is_explained(qtbot, window, tmp_path) -> None:
    folder, file = folder_and_file(tmp_path)
    pane = window.attachments
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    model = pane.model
    # A folder alone is not refused without a word: the drop is taken and explained.
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert model.rowCount() == 0
    assert "“报告”" in pane.folder_note() and ".zip" in pane.folder_note()
    assert not pane.warning.isHidden() and pane.warning.text() == pane.folder_note()
    # The next change (a file attached) clears it.
    assert model.add_files([file]) == 1
    assert pane.folder_note() == ""
    assert pane.warning.isHidden()


def test_the_folder_note_is_translated(qtbot, window, tmp_path) -> None:
    folder, file = folder_and_file(tmp_path)
    i18n.set_language("zh_CN")
    try:
        assert window.attachments.model.add_files([folder, file]) == 1
        assert "“报告” 是文件夹" in window.attachments.folder_note()
    finally:
        i18n.set_language("en")
