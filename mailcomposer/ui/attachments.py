"""The attachment list: a model of ``Attachment`` rows that accepts file drops, and its view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.message.draft import Attachment
from mailcomposer.ui.icons import icon
from mailcomposer.ui.tints import NoticeTint

# File-type icons, MIME types and opening files are first needed once a file is
# attached, after the window has painted: their Qt types load then.
if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData, QMimeDatabase, QPersistentModelIndex
    from PySide6.QtWidgets import QFileIconProvider

URI_LIST = "text/uri-list"
# Most providers (Gmail, Outlook, QQ, 163) cap a message at about 25 MB on the wire.
DEFAULT_LIMIT = 25 * 1000 * 1000
# Headers, MIME boundaries and the text parts of a message.
OVERHEAD = 8 * 1024

_NoIndex = QModelIndex()


def human_size(size: int) -> str:
    """Return ``size`` in bytes as ``512 B``, ``1.2 KB``, ``3.4 MB``, ``1.1 GB``."""
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1000:
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def encoded_size(raw_total: int) -> int:
    """Estimate the wire size of attachments totalling ``raw_total`` bytes (base64 + overhead)."""
    return (raw_total * 4 + 2) // 3 + raw_total // 38 + OVERHEAD  # 4/3, plus CRLF every 76


def local_files(mime: QMimeData) -> list[Path]:
    """The local files and folders named by the URLs in ``mime``.

    Folders are kept so that ``AttachmentModel.add_files`` can say why it skips them
    (a folder dropped alone used to be refused without a word).
    """
    paths = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.is_file() or path.is_dir():
                paths.append(path)
    return paths


class AttachmentModel(QAbstractListModel):
    """The message's attachments, one ``Attachment`` per row.

    Signals:
        changed: rows were added or removed (the total size changed).
        folders_skipped: ``add_files`` was given folders, which cannot be attached
            (carries their paths as strings).
    """

    changed = Signal()
    folders_skipped = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Attachment] = []
        self._read_only = False
        self._icons: QFileIconProvider | None = None  # made at the first attachment
        self._mime_db: QMimeDatabase | None = None

    # -- public API --

    def attachments(self) -> list[Attachment]:
        return list(self._rows)

    def set_attachments(self, attachments: Iterable[Attachment]) -> None:
        self.beginResetModel()
        self._rows = list(attachments)
        self.endResetModel()
        self.changed.emit()

    def add_files(self, paths: Iterable[str | Path]) -> int:
        """Append each readable file (duplicates of an attached path are skipped); return count."""
        have = {a.path.resolve() for a in self._rows if a.path is not None}
        new = []
        folders = []
        for raw in paths:
            path = Path(raw)
            if not path.is_file():
                if path.is_dir():
                    folders.append(str(path))
                continue
            resolved = path.resolve()
            if resolved in have:
                continue
            have.add(resolved)
            new.append(Attachment(filename=path.name, path=resolved))
        if new:
            first = len(self._rows)
            self.beginInsertRows(_NoIndex, first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
            self.changed.emit()
        if folders:
            self.folders_skipped.emit(folders)
        return len(new)

    def remove_rows(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(_NoIndex, row, row)
                del self._rows[row]
                self.endRemoveRows()
        self.changed.emit()

    def total_size(self) -> int:
        return sum(a.size for a in self._rows)

    def set_read_only(self, read_only: bool) -> None:
        """Refuse drops and removals while a send is running."""
        self._read_only = read_only

    def is_read_only(self) -> bool:
        return self._read_only

    # -- Qt model API --

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NoIndex) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.filename}  ({human_size(item.size)})"
        if role == Qt.ItemDataRole.ToolTipRole:
            where = str(item.path) if item.path else _("(kept in the message)")
            return f"{item.filename}\n{human_size(item.size)}\n{where}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._type_icon(item)
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def _type_icon(self, item: Attachment) -> QIcon:
        """The desktop theme's icon for the file type, else the platform's file icon."""
        from PySide6.QtCore import QFileInfo, QMimeDatabase
        from PySide6.QtWidgets import QFileIconProvider

        if self._icons is None or self._mime_db is None:
            self._icons, self._mime_db = QFileIconProvider(), QMimeDatabase()
        if item.path is not None:
            fallback = self._icons.icon(QFileInfo(str(item.path)))
            mime = self._mime_db.mimeTypeForFile(str(item.path))
        else:
            fallback = self._icons.icon(QFileIconProvider.IconType.File)
            mime = self._mime_db.mimeTypeForFileNameAndData(item.filename, item.data or b"")
        themed = QIcon.fromTheme(mime.iconName())
        if themed.isNull():
            themed = QIcon.fromTheme(mime.genericIconName())
        return fallback if themed.isNull() else themed

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base

    def mimeTypes(self) -> list[str]:
        return [URI_LIST]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.LinkAction

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return not self._read_only and bool(local_files(data))

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        return self.add_files(local_files(data)) > 0


class AttachmentList(QListView):
    """The list of attachments: drop files on it, Delete removes, double-click opens.

    Signals:
        files_dropped: files were attached by a drop (carries their paths).
    """

    files_dropped = Signal(list)

    def __init__(self, model: AttachmentModel, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentList")
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(2)
        self.setIconSize(QSize(20, 20))
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.doubleClicked.connect(self._on_double_clicked)
        self.setAccessibleName(_("Attachments"))

        self.remove_action = QAction(icon("list-remove"), _("Remove attachment"), self)
        self.remove_action.setShortcuts([QKeySequence.StandardKey.Delete, Qt.Key.Key_Backspace])
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.addAction(self.remove_action)
        self.open_action = QAction(_("Open"), self)
        self.open_action.triggered.connect(self.open_selected)

    def attachment_model(self) -> AttachmentModel:
        model = self.model()
        assert isinstance(model, AttachmentModel)
        return model

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedIndexes()})

    @Slot()
    def remove_selected(self) -> None:
        model = self.attachment_model()
        if model.is_read_only():
            return
        rows = self.selected_rows()
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        model.remove_rows(rows)

    @Slot()
    def open_selected(self) -> None:
        for row in self.selected_rows():
            self._open(row)

    def _open(self, row: int) -> None:
        item = self.attachment_model().attachments()[row]
        if item.path is not None:
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.path)))

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(index.row())

    @Slot("QPoint")
    def _on_context_menu_requested(self, pos) -> None:
        if not self.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addAction(self.remove_action)
        self.remove_action.setEnabled(not self.attachment_model().is_read_only())
        menu.popup(self.viewport().mapToGlobal(pos))

    def dragEnterEvent(self, event) -> None:
        if self.attachment_model().canDropMimeData(
            event.mimeData(), event.dropAction(), -1, -1, _NoIndex
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        files = local_files(event.mimeData())
        model = self.attachment_model()
        if model.dropMimeData(event.mimeData(), Qt.DropAction.CopyAction, -1, -1, _NoIndex):
            event.acceptProposedAction()
            self.files_dropped.emit([str(p) for p in files])
        else:
            event.ignore()


class AttachmentPane(QWidget):
    """The attachment list with its total-size label, size warning and empty-state hint.

    Attributes:
        model: the ``AttachmentModel``.
        view: the ``AttachmentList``.
        size_limit: the largest encoded size the server takes (SIZE), or None (25 MB assumed).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentPane")
        self.model = AttachmentModel(self)
        self.view = AttachmentList(self.model, self)
        self.size_limit: int | None = None
        self.hint = QLabel(_("Drop files anywhere on this window to attach them."), self)
        self.hint.setObjectName("attachmentHint")
        # Placeholder-coloured, by palette role: a style sheet would slow the start.
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setContentsMargins(4, 2, 4, 2)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("attachmentTotal")
        self.warning = QLabel(self)
        self.warning.setObjectName("attachmentWarning")
        self.warning.setWordWrap(True)
        self.warning_tint = NoticeTint(
            self.warning,
            "warning",
            "QLabel { {css} border-radius: 3px; padding: 3px 6px; }",
            lazy=True,  # set when the warning first shows
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view)
        row = QHBoxLayout()
        row.addWidget(self.hint)
        row.addWidget(self.total_label)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        # Room for two rows of chips; more attachments scroll rather than eat the body's space.
        row = max(self.view.iconSize().height(), self.view.fontMetrics().height()) + 8
        self.view.setFixedHeight(2 * row + 2 * self.view.frameWidth() + 4)
        self._folder_note = ""
        self.model.changed.connect(self._on_model_changed)
        self.model.modelReset.connect(self._on_model_changed)
        self.model.folders_skipped.connect(self._on_model_folders_skipped)
        self.refresh()

    @Slot()
    def _on_model_changed(self) -> None:
        self._folder_note = ""  # the note is about the last files added
        self.refresh()

    @Slot(list)
    def _on_model_folders_skipped(self, folders: list) -> None:
        names = ", ".join(f"“{Path(f).name or f}”" for f in folders)
        self._folder_note = ngettext(
            "{names} is a folder and was not attached: attach the files in it, or a .zip of it.",
            "{names} are folders and were not attached: attach the files in them, "
            "or a .zip of each.",
            len(folders),
        ).format(names=names)
        self.refresh()

    def folder_note(self) -> str:
        """The note about folders that could not be attached, or "" (cleared by a change)."""
        return self._folder_note

    def set_size_limit(self, limit: int | None) -> None:
        self.size_limit = limit
        self.refresh()

    def effective_limit(self) -> int:
        """The server's SIZE if known (and non-zero), else the common 25 MB cap."""
        if self.size_limit:
            return min(self.size_limit, DEFAULT_LIMIT) if self.size_limit > 0 else DEFAULT_LIMIT
        return DEFAULT_LIMIT

    @Slot()
    def refresh(self) -> None:
        count = self.model.rowCount()
        total = self.model.total_size()
        self.view.setVisible(count > 0)
        self.hint.setVisible(count == 0)
        self.total_label.setVisible(count > 0)
        self.total_label.setText(
            _("Attachments: {n}, {size} in total").format(n=count, size=human_size(total))
        )
        wire = encoded_size(total)
        limit = self.effective_limit()
        if self._folder_note:
            self.warning.setText(self._folder_note)
            self.warning_tint.apply()
            self.warning.show()
        elif count and wire > limit:
            self.warning.setText(
                _(
                    "The attachments make the message about {size} once encoded, more than "
                    "the {limit} most servers accept. Consider sharing a link instead."
                ).format(size=human_size(wire), limit=human_size(limit))
            )
            self.warning_tint.apply()
            self.warning.show()
        else:
            self.warning.hide()

    def choose_files(self) -> int:
        """Ask for files (multi-select) and attach them; return how many were added."""
        from PySide6.QtWidgets import QFileDialog

        paths, _filter = QFileDialog.getOpenFileNames(self, _("Attach files"))
        return self.model.add_files(paths) if paths else 0
