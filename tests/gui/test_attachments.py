"""Attachments: model drops (QMimeData file URLs), removal with Delete, sizes and warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl

from mailcomposer.ui.attachments import (
    DEFAULT_LIMIT,
    AttachmentModel,
    AttachmentPane,
    encoded_size,
    human_size,
)

# The offscreen platform cannot raise, grab or resize windows natively; harmless here.


def file_urls(*paths: Path | str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(p)) if not str(p).startswith("http") else QUrl(str(p))
            for p in paths
        ]
    )
    return mime


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    a = tmp_path / "报告.pdf"
    a.write_bytes(b"%PDF-1.4\n" + b"x" * 2000)
    b = tmp_path / "notes.txt"
    b.write_text("hello\n", encoding="utf-8")
    return [a, b]


@pytest.fixture
def pane(qtbot) -> AttachmentPane:
    widget = AttachmentPane()
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def drop(model: AttachmentModel, mime: QMimeData) -> bool:
    action = Qt.DropAction.CopyAction
    if not model.canDropMimeData(mime, action, -1, -1, QModelIndex()):
        return False
    return model.dropMimeData(mime, action, -1, -1, QModelIndex())


def test_model_accepts_dropped_file_urls(qtbot, files: list[Path]) -> None:
    model = AttachmentModel()
    assert "text/uri-list" in model.mimeTypes()
    with qtbot.wait_signal(model.changed):
        assert drop(model, file_urls(*files))
    assert [a.filename for a in model.attachments()] == ["报告.pdf", "notes.txt"]
    assert model.attachments()[0].path == files[0].resolve()
    assert model.rowCount() == 2
    shown = model.data(model.index(0), Qt.ItemDataRole.DisplayRole)
    assert "报告.pdf" in shown and "2.0 KB" in shown
    assert model.data(model.index(0), Qt.ItemDataRole.DecorationRole) is not None


def test_model_refuses_folders_remote_urls_and_duplicates(tmp_path: Path, files) -> None:
    model = AttachmentModel()
    assert not drop(model, file_urls(tmp_path))
    assert not drop(model, file_urls("https://example.org/x.pdf"))
    assert drop(model, file_urls(files[0]))
    assert not drop(model, file_urls(files[0]))  # already attached
    assert model.rowCount() == 1


def test_read_only_model_refuses_drops(files) -> None:
    model = AttachmentModel()
    model.set_read_only(True)
    assert not drop(model, file_urls(*files))
    assert model.rowCount() == 0


def test_delete_key_removes_the_selected_attachment(qtbot, pane: AttachmentPane, files) -> None:
    pane.model.add_files(files)
    view = pane.view
    view.setFocus()
    view.setCurrentIndex(pane.model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [a.filename for a in pane.model.attachments()] == ["notes.txt"]


def test_delete_does_nothing_while_read_only(qtbot, pane: AttachmentPane, files) -> None:
    pane.model.add_files(files)
    pane.model.set_read_only(True)
    pane.view.setCurrentIndex(pane.model.index(0))
    pane.view.remove_selected()
    assert pane.model.rowCount() == 2


def test_list_hidden_when_empty_with_a_hint(pane: AttachmentPane, files) -> None:
    assert not pane.view.isVisible()
    assert pane.hint.isVisible()
    pane.model.add_files(files)
    assert pane.view.isVisible()
    assert not pane.hint.isVisible()
    assert pane.total_label.text() == "Attachments: 2, 2.0 KB in total"
    pane.model.remove_rows([0, 1])
    assert not pane.view.isVisible()


def test_warning_when_encoded_size_exceeds_the_server_limit(pane: AttachmentPane, files) -> None:
    pane.model.add_files(files)
    assert not pane.warning.isVisible()
    pane.set_size_limit(5000)  # the SIZE a server advertised earlier
    assert pane.warning.isVisible()
    assert "5.0 KB" in pane.warning.text()
    pane.set_size_limit(None)
    assert not pane.warning.isVisible()


def test_default_limit_is_25_mb(tmp_path: Path, pane: AttachmentPane) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        fh.truncate(19 * 1000 * 1000)  # sparse: 19 MB raw is over 25 MB encoded
    pane.model.add_files([big])
    assert encoded_size(big.stat().st_size) > DEFAULT_LIMIT
    assert pane.warning.isVisible()


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (999, "999 B"), (2048, "2.0 KB"), (25_000_000, "25.0 MB"), (3 * 10**9, "3.0 GB")],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_encoded_size_accounts_for_base64() -> None:
    assert encoded_size(3_000_000) > 4_000_000


def test_dropping_on_the_list_view_attaches(qtbot, pane: AttachmentPane, files) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    mime = file_urls(*files)
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.wait_signal(pane.view.files_dropped) as blocker:
        pane.view.dropEvent(event)
    assert event.isAccepted()
    assert len(blocker.args[0]) == 2
    assert pane.model.rowCount() == 2
