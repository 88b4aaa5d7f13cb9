"""The sandbox inbox: what the built-in local server received, listed and previewed."""

from __future__ import annotations

from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

from PySide6.QtCore import (
    QFileSystemWatcher,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.sandbox.maildir import Inbox, StoredMessage
from mailcomposer.sandbox.preview import Limits, Preview
from mailcomposer.sandbox.previewload import load_preview
from mailcomposer.ui.inboxloader import PreviewLoader
from mailcomposer.ui.inboxpreview import InboxPreview
from mailcomposer.ui.mimeview import MimeViewDialog, human_size

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
_HEADER_LIMIT = 256 * 1024
# Smaller messages are previewed at once (a few milliseconds); bigger ones on a worker
# thread, "Loading…" meanwhile: parsing takes about 0.05 s a megabyte.
SYNC_BYTES = 256 * 1024


def list_messages(maildir: Path) -> list[StoredMessage]:
    """Return the stored messages, newest first (the one place that reads the Maildir)."""
    return Inbox(maildir).messages()


def hidden_recipients(message: StoredMessage) -> list[str]:
    """Return envelope recipients absent from To/Cc: the Bcc copies, which no header shows."""
    try:
        with open(message.path, "rb") as fh:
            head = fh.read(_HEADER_LIMIT)
    except OSError:
        return []
    end = head.find(b"\r\n\r\n")
    head = head[: end + 2] if end >= 0 else head
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    from mailcomposer.message.addresses import envelope_key

    shown = {
        envelope_key(addr)
        for _name, addr in getaddresses(headers.get_all("To", []) + headers.get_all("Cc", []))
    }
    return [rcpt for rcpt in message.rcpt_tos if envelope_key(rcpt) not in shown]


class SandboxInboxDialog(QDialog):
    """The messages in the sandbox Maildir: a table above a preview of the current one.

    Attributes:
        maildir: the Maildir root being shown.
        model: the source model (one row per message).
        table: the ``QTableView`` (sorted, newest first).
        preview: the ``InboxPreview`` of the current message (tabs).
        limits: how much of a message the preview reads and parses.
        loader: loads the preview of a message over ``SYNC_BYTES`` on a worker thread.
        splitter: holds the table and the preview.

    Signals:
        refreshed: the list was re-read (carries the number of messages).
        previewed: the preview shows a message (carries its Maildir key).
    """

    refreshed = Signal(int)
    previewed = Signal(str)

    COLUMNS = 6

    def __init__(self, maildir: Path | str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxInbox")
        self.setWindowTitle(_("Local test server inbox"))
        self.resize(1000, 720)
        self.maildir = Path(maildir)
        self._messages: dict[str, StoredMessage] = {}
        self._viewers: list[MimeViewDialog] = []
        self._previewed_key = ""
        self._refreshing = False
        self.limits = Limits()
        self.loader = PreviewLoader(self)
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)

        self.model = QStandardItemModel(0, self.COLUMNS, self)
        self.model.setHorizontalHeaderLabels(
            [
                _("Date"),
                _("From"),
                _("To (envelope)"),
                _("Bcc (envelope only)"),
                _("Subject"),
                _("Size"),
            ]
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("sandboxInboxTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAccessibleName(_("Received messages"))
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        self.intro = QLabel(
            _(
                'Messages the built-in local server received. "To (envelope)" lists '
                'every RCPT TO recipient; "Bcc" shows those that no To or Cc header names.'
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("sandboxInboxStatus")

        self.refresh_button = QPushButton(_("Refresh"), self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton(_("Open…"), self)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_button.clicked.connect(self.delete_selected)
        self.folder_button = QPushButton(_("Open folder"), self)
        self.folder_button.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        for button in (self.refresh_button, self.open_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.folder_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        self.preview = InboxPreview(self)
        self.preview.whole_requested.connect(self._on_preview_whole_requested)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("sandboxInboxSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([180, 480])
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        # New mail arrives as a rename into new/: watch it, and coalesce bursts.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self._watch()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.refresh()

    # -- public API --------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Re-read the Maildir, keeping the selection where possible."""
        selected = set(self.selected_keys())
        self._watch()
        problem = ""
        try:
            messages = list_messages(self.maildir)
        except OSError as exc:
            messages = []
            problem = _("Cannot read {path}: {reason}").format(
                path=self.maildir, reason=exc.strerror or exc
            )
        self._messages = {m.key: m for m in messages}
        # Rebuilding the rows moves the current row about: the preview follows once, after.
        self._refreshing = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            for message in messages:
                self.model.appendRow(self._row(message))
            self._reselect(selected)
        finally:
            self._refreshing = False
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(5)
        header = self.table.horizontalHeader()
        for column in (1, 2, 3):
            # The title counts too: "Bcc (envelope only)" is wider than an empty column.
            wanted = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            self.table.setColumnWidth(column, min(240, max(120, wanted)))
        if problem:
            self.status.setText(problem)
        elif messages:
            self.status.setText(
                ngettext("{n} message in {path}", "{n} messages in {path}", len(messages)).format(
                    n=len(messages), path=self.maildir
                )
            )
        else:
            self.status.setText(_("No messages yet. Send one to the local test server."))
        self._update_buttons()
        self._show_current()
        self.refreshed.emit(len(messages))

    def messages(self) -> list[StoredMessage]:
        """Return the messages shown, in table order."""
        return [
            self._messages[self.proxy.index(row, 0).data(KEY_ROLE)]
            for row in range(self.proxy.rowCount())
        ]

    def selected_keys(self) -> list[str]:
        """Return the Maildir keys of the selected rows."""
        model = self.table.selectionModel()
        if model is None:
            return []
        return [index.data(KEY_ROLE) for index in model.selectedRows(0)]

    def select_key(self, key: str) -> None:
        """Select the row of the message ``key``."""
        self._reselect({key})

    @Slot()
    def open_selected(self) -> MimeViewDialog | None:
        """Open the current message in the MIME view (non-modal)."""
        keys = self.selected_keys()
        if not keys:
            return None
        message = self._messages.get(keys[0])
        if message is None:
            return None
        try:
            raw = message.raw()
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Open message"),
                _("Cannot read {path}: {reason}").format(
                    path=message.path, reason=exc.strerror or exc
                ),
            )
            self.refresh()
            return None
        viewer = MimeViewDialog(
            raw,
            self,
            title=_("Message structure: {subject}").format(subject=message.subject or message.key),
        )
        viewer.finished.connect(self._on_viewer_finished)
        self._viewers.append(viewer)
        viewer.show()
        return viewer

    @Slot()
    def delete_selected(self) -> int:
        """Delete the selected messages after asking; return how many were deleted."""
        keys = self.selected_keys()
        if not keys:
            return 0
        answer = QMessageBox.question(
            self,
            _("Delete messages"),
            ngettext(
                "Delete the selected message from the local test server?",
                "Delete {n} selected messages from the local test server?",
                len(keys),
            ).format(n=len(keys)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return 0
        inbox = Inbox(self.maildir)
        deleted = 0
        for key in keys:
            try:
                inbox.delete(key)
                deleted += 1
            except (KeyError, OSError):
                continue  # already gone: the refresh shows the truth
        self.refresh()
        return deleted

    @Slot()
    def open_folder(self) -> bool:
        """Show the Maildir in the system's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.maildir)))

    # -- internals ---------------------------------------------------------------------------

    def _row(self, message: StoredMessage) -> list[QStandardItem]:
        date = message.date
        date_text = date.astimezone().strftime("%Y-%m-%d %H:%M:%S") if date else ""
        hidden = hidden_recipients(message)
        recipients = ", ".join(message.rcpt_tos)
        cells = [
            (date_text, date.timestamp() if date else 0.0),
            (message.mail_from or "<>", (message.mail_from or "").lower()),
            (recipients, recipients.lower()),
            (", ".join(hidden), ", ".join(hidden).lower()),
            (message.subject or _("(no subject)"), (message.subject or "").lower()),
            (human_size(message.size), message.size),
        ]
        items = []
        for text, key in cells:
            item = QStandardItem(text)
            item.setEditable(False)
            item.setData(key, SORT_ROLE)
            item.setData(message.key, KEY_ROLE)
            items.append(item)
        items[5].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tip = [_("Envelope recipients (RCPT TO): {list}").format(list=recipients)]
        if hidden:
            tip.append(_("Not in To/Cc (Bcc): {list}").format(list=", ".join(hidden)))
        items[2].setToolTip("\n".join(tip))
        items[3].setToolTip(
            _("Recipients given in RCPT TO but in no To or Cc header: the Bcc copies.")
        )
        if message.peer:
            items[1].setToolTip(_("Sent from {peer}").format(peer=message.peer))
        return items

    def _watch(self) -> None:
        new = self.maildir / "new"
        if new.is_dir() and str(new) not in self.watcher.directories():
            self.watcher.addPath(str(new))

    def _reselect(self, keys: set[str]) -> None:
        if not keys:
            return
        selection = self.table.selectionModel()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(KEY_ROLE) in keys:
                selection.select(
                    index,
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )
                self.table.setCurrentIndex(index)

    @Slot()
    def _update_buttons(self) -> None:
        has = bool(self.selected_keys())
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def show_preview(self, key: str, *, full: bool = False) -> bool:
        """Preview the message ``key`` in the tabs below the list; False if it cannot be read.

        A message over ``Limits.auto_bytes`` shows its envelope, headers and source only,
        unless ``full`` (the user's "Show the whole message"). A message over
        ``SYNC_BYTES`` is read on a worker thread: the preview says "Loading…" and
        ``previewed`` follows (True here means the load started).
        """
        message = self._messages.get(key)
        if message is None:
            return False
        if message.size > SYNC_BYTES:
            if full and key == self._previewed_key:
                self.preview.message_tab.set_whole_loading(True)  # the headers stay
            else:
                self._previewed_key = ""
                self.preview.show_loading()
            self.loader.load(key, message.path, self.limits, full=full)
            return True
        self.loader.cancel()
        try:
            preview = load_preview(message.path, self.limits, full=full)
        except OSError as exc:
            self._show_unreadable(
                _("Cannot read {path}: {reason}").format(
                    path=message.path, reason=exc.strerror or exc
                )
            )
            return False
        self._show_loaded(key, preview)
        return True

    def _show_loaded(self, key: str, preview: Preview | None) -> None:
        if preview is None:
            return
        self.preview.show_preview(preview)
        self._previewed_key = key
        self.previewed.emit(key)

    def _show_unreadable(self, problem: str) -> None:
        self.preview.clear()
        self._previewed_key = ""
        self.status.setText(problem)

    def _cancel_load(self) -> None:
        if self.loader.cancel():
            self.preview.stop_loading()

    def _show_current(self) -> None:
        current = self.table.currentIndex()
        key = current.data(KEY_ROLE) if current.isValid() else None
        if key is None or key not in self._messages:
            self._cancel_load()
            self.preview.clear()
            self._previewed_key = ""
        elif key != self._previewed_key and key != self.loader.key:
            self.show_preview(key)

    def done(self, result: int) -> None:
        """Close; a preview still loading is dropped (it ends on its own thread, unheard)."""
        self._cancel_load()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Drop a preview still loading, as ``done`` does."""
        self._cancel_load()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Preview the current message again if closing dropped its load."""
        super().showEvent(event)
        self._show_current()

    @Slot(str, object)
    def _on_loader_loaded(self, key: str, preview: Preview) -> None:
        if key in self._messages:
            self._show_loaded(key, preview)
        else:
            self.preview.clear()

    @Slot(str, str)
    def _on_loader_failed(self, _key: str, problem: str) -> None:
        self._show_unreadable(problem)

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._refreshing:
            self._show_current()

    @Slot()
    def _on_preview_whole_requested(self) -> None:
        if self._previewed_key:
            self.show_preview(self._previewed_key, full=True)

    @Slot(str)
    def _on_watcher_directory_changed(self, _path: str) -> None:
        self._debounce.start()

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self.open_selected()

    @Slot()
    def _on_viewer_finished(self) -> None:
        viewer = self.sender()
        if viewer in self._viewers:
            self._viewers.remove(viewer)
            viewer.deleteLater()  # a closed viewer holds a whole parsed message
