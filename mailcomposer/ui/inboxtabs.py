"""The inbox preview's detail tabs: envelope and headers, source, MIME parts, attachments."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, sentences
from mailcomposer.sandbox.preview import Attachment, EnvelopeRow, Preview, unique_names
from mailcomposer.ui.mimeview import human_size
from mailcomposer.ui.tints import notice_colours


def _table(parent: QWidget, name: str, labels: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(labels), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(labels)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, min(table.columnWidth(column), 320))


def envelope_origin(row: EnvelopeRow) -> str:
    """Say which header names an envelope address (``Bcc (in no header)`` for hidden ones)."""
    if row.fields:
        return ", ".join(row.fields)
    if row.hidden:
        return _("Bcc (in no header)")
    return _("In no header (differs from From)")


class HeadersTab(QWidget):
    """The envelope (from the SMTP conversation) above the headers (from the message).

    Attributes:
        envelope_table: MAIL FROM and each RCPT TO with the header naming it.
        header_table: every header as received: name, decoded value, raw value.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hidden_rows: list[int] = []
        envelope_box = QGroupBox(_("Envelope: from the SMTP conversation, not the message"), self)
        self.envelope_table = _table(
            envelope_box,
            "envelopeTable",
            [_("SMTP command"), _("Address (envelope)"), _("Named in header")],
        )
        self.peer = QLabel(envelope_box)
        self.peer.setObjectName("envelopePeer")
        box = QVBoxLayout(envelope_box)
        box.addWidget(self.envelope_table)
        box.addWidget(self.peer)
        header_box = QGroupBox(_("Headers: in the message, as received"), self)
        self.header_table = _table(
            header_box,
            "headerTable",
            [_("Header"), _("Value (decoded)"), _("Raw (as received)")],
        )
        QVBoxLayout(header_box).addWidget(self.header_table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(envelope_box)
        splitter.addWidget(header_box)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def show_preview(self, preview: Preview) -> None:
        """Fill both tables from ``preview``."""
        _fill(
            self.envelope_table,
            [[row.command, row.address or "<>", envelope_origin(row)] for row in preview.envelope],
        )
        self._hidden_rows = [index for index, row in enumerate(preview.envelope) if row.hidden]
        self._tint_hidden_rows()
        self.peer.setText(
            _("Client (recorded by the local server): {peer}").format(peer=preview.peer)
            if preview.peer
            else ""
        )
        _fill(self.header_table, [[h.name, h.value, h.raw] for h in preview.headers])
        for index in range(self.header_table.rowCount()):
            font = self.header_table.item(index, 0).font()
            font.setBold(True)
            self.header_table.item(index, 0).setFont(font)

    def _tint_hidden_rows(self) -> None:
        # Bcc rows (named in no header) on the palette's warning tint, light or dark.
        background = QBrush(notice_colours(self.palette(), "warning")[0])
        for index in self._hidden_rows:
            for column in range(3):
                self.envelope_table.item(index, column).setBackground(background)

    def changeEvent(self, event: QEvent) -> None:
        """Re-tint the Bcc rows when the palette changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._hidden_rows:
            self._tint_hidden_rows()

    def clear(self) -> None:
        """Show nothing."""
        self._hidden_rows = []
        self.envelope_table.setRowCount(0)
        self.header_table.setRowCount(0)
        self.peer.setText("")


class SourceTab(QWidget):
    """The stored message as text, monospace, its first megabyte at most.

    Attributes:
        note: says when only the beginning is shown.
        text: the ``QPlainTextEdit`` (objectName ``messageSource``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("messageSource")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.text)
        self._shown: tuple[int, bytes] | None = None

    def show_preview(self, preview: Preview) -> None:
        """Show the source of ``preview``."""
        if self._shown == (preview.size, preview.source):
            return  # "Show the whole message": the same first megabyte, laid out already
        self._shown = (preview.size, preview.source)
        note = _("As stored: the local server added the X-Peer, X-MailFrom and X-RcptTo lines.")
        if preview.source_truncated:
            note = sentences(
                note,
                _("Showing the first {shown} of {size}.").format(
                    shown=human_size(len(preview.source)), size=human_size(preview.size)
                ),
            )
        self.note.setText(note)
        self.text.setPlainText(preview.source.decode("utf-8", "replace"))

    def clear(self) -> None:
        """Show nothing."""
        self._shown = None
        self.note.setText("")
        self.text.clear()


class PartsTab(QWidget):
    """The MIME tree: each part's type, charset, encoding, disposition, names, Content-ID, size.

    Attributes:
        tree: the ``QTreeWidget`` (objectName ``partTree``).
    """

    COLUMNS = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("partTree")
        self.tree.setColumnCount(self.COLUMNS)
        self.tree.setHeaderLabels(
            [
                _("Content type"),
                _("Size (decoded)"),
                _("Charset"),
                _("Transfer encoding"),
                _("Disposition"),
                _("File name"),
                "Content-ID",  # a header name: the same in every language
                _("File name (raw)"),
            ]
        )
        self.tree.setUniformRowHeights(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)

    def show_preview(self, preview: Preview) -> None:
        """Fill the tree from ``preview.parts``."""
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for part in preview.parts:
            parent = items.get(part.path.rpartition(".")[0])
            cells = [
                part.content_type,
                human_size(part.size),
                part.charset,
                part.transfer_encoding,
                part.disposition,
                part.filename,
                part.content_id,
                part.filename_raw,
            ]
            item = QTreeWidgetItem(cells)
            item.setData(0, Qt.ItemDataRole.UserRole, part.path)
            for column, text in enumerate(cells):
                item.setToolTip(column, text)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[part.path] = item
        self.tree.expandAll()
        for column in range(self.COLUMNS - 1):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(self.tree.columnWidth(column), 240))

    def clear(self) -> None:
        """Show nothing."""
        self.tree.clear()


class AttachmentsTab(QWidget):
    """The message's files, each saved under a safe name through a file dialog.

    Attributes:
        table: one row per attachment (objectName ``attachmentTable``).
        save_button: saves the selected attachment.
        save_all_button: saves every attachment into a folder.

    Signals:
        saved: files were written (carries the list of their ``Path``).
    """

    saved = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachments: tuple[Attachment, ...] = ()
        self.empty = QLabel(_("This message has no attachments."), self)
        self.table = _table(self, "attachmentTable", [_("File name"), _("Type"), _("Size")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.save_button = QPushButton(_("Save…"), self)
        self.save_button.setObjectName("saveAttachmentButton")
        self.save_button.clicked.connect(self.save_selected)
        self.save_all_button = QPushButton(_("Save all…"), self)
        self.save_all_button.setObjectName("saveAllAttachmentsButton")
        self.save_all_button.clicked.connect(self.save_all)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.save_all_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.clear()

    def show_preview(self, preview: Preview) -> None:
        """List the attachments of ``preview``."""
        self.attachments = preview.attachments
        _fill(
            self.table,
            [[a.safe_name, a.content_type, human_size(len(a.data))] for a in self.attachments],
        )
        for index, attachment in enumerate(self.attachments):
            if attachment.filename and attachment.filename != attachment.safe_name:
                self.table.item(index, 0).setToolTip(
                    _("Named in the message: {name}").format(name=attachment.filename)
                )
            self.table.item(index, 2).setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        self.empty.setVisible(not self.attachments)
        if self.attachments:
            self.table.selectRow(0)
        self._update_buttons()

    def clear(self) -> None:
        """Show nothing."""
        self.attachments = ()
        self.table.setRowCount(0)
        self.empty.setVisible(False)
        self._update_buttons()

    @Slot()
    def save_selected(self) -> Path | None:
        """Ask where to save the selected attachment and write it; return the path."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        attachment = self.attachments[rows[0].row()]
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save attachment"), str(Path.home() / attachment.safe_name)
        )
        if not name:
            return None
        path = Path(name)
        if not self._write(path, attachment.data):
            return None
        self.saved.emit([path])
        return path

    @Slot()
    def save_all(self) -> list[Path]:
        """Ask for a folder and save every attachment into it (existing files are kept)."""
        if not self.attachments:
            return []
        folder = QFileDialog.getExistingDirectory(
            self, _("Save all attachments into"), str(Path.home())
        )
        if not folder:
            return []
        try:
            taken = set(os.listdir(folder))
        except OSError:
            taken = set()
        names = unique_names([a.safe_name for a in self.attachments], taken)
        written = []
        for attachment, name in zip(self.attachments, names, strict=True):
            path = Path(folder) / name
            if not self._write(path, attachment.data):
                break
            written.append(path)
        if written:
            self.saved.emit(written)
        return written

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            path.write_bytes(data)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Save attachment"),
                _("Could not save {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            )
            return False
        return True

    @Slot()
    def _update_buttons(self) -> None:
        self.save_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.save_all_button.setEnabled(bool(self.attachments))

    @Slot()
    def _on_table_double_clicked(self) -> None:
        self.save_selected()
