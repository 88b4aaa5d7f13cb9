"""The sandbox inbox: what the built-in local server received, listed and previewed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
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
from mailcomposer.message.localtime import local_time, sort_key
from mailcomposer.message.replymode import Mode
from mailcomposer.sandbox.inboxlist import (
    FileKey,
    Row,
    RowCache,
    hidden_recipients,
    list_files,
    read_rows,
)
from mailcomposer.sandbox.maildir import Inbox, StoredMessage
from mailcomposer.sandbox.preview import Limits, Preview
from mailcomposer.sandbox.previewload import load_preview
from mailcomposer.ui.inboxloader import Loader, PreviewLoader
from mailcomposer.ui.inboxpreview import InboxPreview
from mailcomposer.ui.mimeview import MimeViewDialog, human_size

__all__ = ["SYNC_BYTES", "SYNC_FILES", "SandboxInboxDialog", "hidden_recipients", "list_messages"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
# Up to this many new files are read at once (under a millisecond each); more on a
# worker thread, the rows shown so far staying meanwhile.
SYNC_FILES = 20
# Smaller messages are previewed at once (a few milliseconds); bigger ones on a worker
# thread, "Loading…" meanwhile: parsing takes about 0.05 s a megabyte.
SYNC_BYTES = 256 * 1024


def list_messages(maildir: Path) -> list[StoredMessage]:
    """Return the stored messages, newest first (read at once, without the list's cache)."""
    return Inbox(maildir).messages()


def _rows_job(files: list[FileKey], cancelled: Callable[[], bool]) -> dict | None:
    return read_rows(files, cancelled)


class SandboxInboxDialog(QDialog):
    """The messages in the sandbox Maildir: a table above a preview of the current one.

    Attributes:
        maildir: the Maildir root being shown.
        model: the source model (one row per message).
        table: the ``QTableView`` (sorted, newest first).
        preview: the ``InboxPreview`` of the current message (tabs).
        limits: how much of a message the preview reads and parses.
        loader: loads the preview of a message over ``SYNC_BYTES`` on a worker thread.
        list_loader: reads the rows of more than ``SYNC_FILES`` new files on a worker thread.
        splitter: holds the table and the preview.

    Signals:
        refreshed: the list was re-read (carries the number of messages).
        previewed: the preview shows a message (carries its Maildir key).
        answer_requested: Reply, Reply all or Forward of the selected message (carries
            its file's path and the ``replymode.Mode``); the composer answers it.
    """

    refreshed = Signal(int)
    previewed = Signal(str)
    answer_requested = Signal(str, object)

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
        self._rows = RowCache()
        self._shown: dict[str, Row] = {}  # the row each line of the model shows, by key
        self._list_dropped = False
        self.list_loader = Loader(self, name="inboxListThread")
        self.list_loader.loaded.connect(self._on_list_loader_loaded)
        self.list_loader.failed.connect(self._on_list_loader_failed)

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
        # Answered in the composer: to one's own message, Reply goes to its recipients.
        self.answer_buttons: dict[Mode, QPushButton] = {}
        for mode, text, name in (
            (Mode.REPLY, _("&Reply"), "inboxReplyButton"),
            (Mode.REPLY_ALL, _("Reply &all"), "inboxReplyAllButton"),
            (Mode.FORWARD, _("&Forward"), "inboxForwardButton"),
        ):
            button = self.answer_buttons[mode] = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, m=mode: self.answer_selected(m))
        row = QHBoxLayout()
        for button in (self.refresh_button, self.open_button, self.delete_button,
                       *self.answer_buttons.values()):  # fmt: skip
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
        """Re-read the Maildir, keeping the selection where possible.

        Only files not seen before (or changed) are read; more than ``SYNC_FILES`` of
        them on a worker thread, the list as it was meanwhile, and ``refreshed``
        follows once they are in.
        """
        self._watch()
        if self.list_loader.loading:
            return  # its end refreshes again, seeing whatever changed meanwhile
        problem = ""
        try:
            files = list_files(self.maildir)
        except OSError as exc:
            files = []
            problem = _("Cannot read {path}: {reason}").format(
                path=self.maildir, reason=exc.strerror or exc
            )
        missing = self._rows.missing(files)
        if len(missing) > SYNC_FILES:
            self.status.setText(
                ngettext("Reading {n} message…", "Reading {n} messages…", len(missing)).format(
                    n=len(missing)
                )
            )
            self.list_loader.start(str(self.maildir), partial(_rows_job, missing))
            return
        self._rows.add(read_rows(missing) or {})
        self._fill(self._rows.rows(files), problem)

    def _fill(self, rows: list[Row], problem: str) -> None:
        selected = set(self.selected_keys())
        self._messages = {row.message.key: row.message for row in rows}
        wanted = {row.message.key: row for row in rows}
        # Changing the rows moves the current row about: the preview follows once, after.
        self._refreshing = True
        try:
            # Only the rows that changed: an unchanged inbox of thousands costs nothing.
            for number in reversed(range(self.model.rowCount())):
                key = self.model.item(number, 0).data(KEY_ROLE)
                if wanted.get(key) is not self._shown.get(key):
                    self.model.removeRow(number)
                    del self._shown[key]
            for row in rows:
                if row.message.key not in self._shown:
                    self.model.appendRow(self._row(row))
                    self._shown[row.message.key] = row
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
        elif rows:
            self.status.setText(
                ngettext("{n} message in {path}", "{n} messages in {path}", len(rows)).format(
                    n=len(rows), path=self.maildir
                )
            )
        else:
            self.status.setText(_("No messages yet. Send one to the local test server."))
        self._update_buttons()
        self._show_current()
        self.refreshed.emit(len(rows))

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
        """Open the current message in the MIME view (non-modal).

        A message over ``SYNC_BYTES`` is read and parsed on a worker thread: the view
        shows at once, says "Loading…" and fills in when done (its ``loaded`` signal).
        """
        keys = self.selected_keys()
        if not keys:
            return None
        message = self._messages.get(keys[0])
        if message is None:
            return None
        raw = b""
        if message.size <= SYNC_BYTES:
            try:
                raw = message.raw()
            except OSError as exc:
                self._warn_unreadable(message, exc)
                return None
        viewer = MimeViewDialog(
            raw,
            self,
            title=_("Message structure: {subject}").format(subject=message.subject or message.key),
        )
        if message.size > SYNC_BYTES:
            # Shown at once, "Loading…"; read and parsed on a worker (a second for 25 MiB).
            viewer.failed.connect(self._on_viewer_failed)
            viewer.load_file(message.path)
        viewer.finished.connect(self._on_viewer_finished)
        self._viewers.append(viewer)
        viewer.show()
        return viewer

    def _warn_unreadable(self, message: StoredMessage, exc: OSError) -> None:
        QMessageBox.warning(
            self,
            _("Open message"),
            _("Cannot read {path}: {reason}").format(path=message.path, reason=exc.strerror or exc),
        )
        self.refresh()

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

    def _row(self, row: Row) -> list[QStandardItem]:
        message, hidden = row.message, row.hidden
        date = message.date
        date_text = local_time(date).strftime("%Y-%m-%d %H:%M:%S") if date else ""
        recipients = ", ".join(message.rcpt_tos)
        cells = [
            (date_text, sort_key(date) if date else 0.0),
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

    def answer_selected(self, mode: Mode) -> bool:
        """Ask the composer to answer the current message in ``mode``; False if none."""
        keys = self.selected_keys()
        message = self._messages.get(keys[0]) if keys else None
        if message is None:
            return False
        self.answer_requested.emit(str(message.path), mode)
        return True

    @Slot()
    def _update_buttons(self) -> None:
        has = bool(self.selected_keys())
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        for button in self.answer_buttons.values():
            button.setEnabled(has)

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

    def _cancel_list(self) -> None:
        if self.list_loader.cancel():
            self._list_dropped = True

    def done(self, result: int) -> None:
        """Close; loads still running are dropped (they end on their own thread, unheard)."""
        self._cancel_load()
        self._cancel_list()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Drop the loads still running, as ``done`` does."""
        self._cancel_load()
        self._cancel_list()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Read the list or preview the current message again if closing dropped its load."""
        super().showEvent(event)
        if self._list_dropped:
            self._list_dropped = False
            self.refresh()
        self._show_current()

    @Slot(str, object)
    def _on_list_loader_loaded(self, _key: str, rows: dict) -> None:
        self._rows.add(rows)
        self.refresh()  # lists again: what arrived or went meanwhile shows too

    @Slot(str, str)
    def _on_list_loader_failed(self, _key: str, problem: str) -> None:
        self.status.setText(problem)

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

    @Slot(str)
    def _on_viewer_failed(self, _problem: str) -> None:
        self.refresh()  # the file went away: the list shows what is left

    @Slot()
    def _on_viewer_finished(self) -> None:
        viewer = self.sender()
        if viewer in self._viewers:
            self._viewers.remove(viewer)
            viewer.deleteLater()  # a closed viewer holds a whole parsed message
