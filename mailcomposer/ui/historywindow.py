"""The History window: every send attempt, searchable, with its details, CSV export and resend."""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.message.sizes import format_size
from mailcomposer.store.accounts import SANDBOX_NAME
from mailcomposer.store.history import OUTCOMES, History, SentRecord, read_with_notice
from mailcomposer.store.historyquery import FAILED_OUTCOMES, Query, search, to_csv
from mailcomposer.store.paths import Home
from mailcomposer.ui.charts import outcome_color
from mailcomposer.ui.columnfit import fit_widths
from mailcomposer.ui.dayedit import DayEdit
from mailcomposer.ui.outcomes import outcome_icon, outcome_label, stage_label
from mailcomposer.ui.statusarea import escape

PAGE = 200
_NO_DAY = QDate(2000, 1, 1)  # the date edits' minimum: "any day"
_NO_INDEX = QModelIndex()


def _columns() -> tuple[str, ...]:
    return (
        _("Time"), _("Account"), _("From"), _("Recipients"), _("Subject"), _("Size"),
        _("Outcome"), _("Stage"), _("Reply"),
    )  # fmt: skip


TIME, ACCOUNT, FROM, RECIPIENTS, SUBJECT, SIZE, OUTCOME, STAGE, REPLY = range(9)
# As shown, left to right: when, whether it went out, to whom and what; then why not,
# and the account and sender (most rows share them; the details pane has them too).
SHOWN_ORDER = (TIME, OUTCOME, RECIPIENTS, SUBJECT, SIZE, STAGE, REPLY, ACCOUNT, FROM)
# The widest a column asks for, in average characters (longer text is elided, with a tip).
_MOST = {RECIPIENTS: 34, SUBJECT: 48, STAGE: 18, REPLY: 40, ACCOUNT: 26, FROM: 32}
# What gives way when the window is narrow, least important first: (column, floor).
_CUTS = (
    (FROM, 8), (REPLY, 8), (ACCOUNT, 12), (RECIPIENTS, 22), (STAGE, 8), (SUBJECT, 22),
    (ACCOUNT, 8), (RECIPIENTS, 14), (SUBJECT, 14),
)  # fmt: skip


def _time(record: SentRecord) -> str:
    try:
        when = datetime.datetime.fromisoformat(record.date)
    except ValueError:
        return record.date
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def account_label(name: str) -> str:
    """An attempt's account as the user knows it: the built-in one's name translated."""
    return _("Local test server") if name == SANDBOX_NAME else name


def size_text(record: SentRecord) -> str:
    """The bytes sent, or a dash when nothing went out (not "0 bytes" for a refusal)."""
    if not record.size and not record.succeeded:
        return "—"
    return format_size(record.size)


def _reply(record: SentRecord) -> str:
    code = str(record.reply_code) if record.reply_code else ""
    return " ".join(part for part in (code, record.reply_text) if part)


class HistoryModel(QAbstractTableModel):
    """The attempts shown, one row each, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records: list[SentRecord] = []
        self._headers = _columns()

    def set_records(self, records: list[SentRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> SentRecord:
        return self._records[row]

    def records(self) -> list[SentRecord]:
        return list(self._records)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                _time(record), account_label(record.account), record.sender,
                ", ".join(record.recipients), record.subject, size_text(record),
                outcome_label(record.result),
                stage_label(record.stage) if record.stage else "", _reply(record),
            )[column]  # fmt: skip
        if role == Qt.ItemDataRole.DecorationRole and column == OUTCOME:
            return outcome_icon(record.result, self.parent().palette())
        if role == Qt.ItemDataRole.ForegroundRole and column == OUTCOME and not record.succeeded:
            return outcome_color(record.result, self.parent().palette())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in _MOST:  # the ones that may be elided
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None


def details_html(record: SentRecord) -> str:
    """The details pane's text for ``record``: envelope, recipients, reply, transcript."""
    rows = [
        (_("Outcome"), outcome_label(record.result)),
        (_("Time"), record.date),
        ("Message-ID", record.message_id),
        (_("Account"), account_label(record.account) or "—"),
        (_("Server"), record.server),
        (_("Envelope sender"), record.envelope_from or record.sender),
        (_("Subject"), record.subject),
        (_("Size"), size_text(record)),
    ]
    if record.stage:
        rows.append((_("Stopped at"), stage_label(record.stage)))
    if record.reply_code or record.reply_text:
        # Without a reply code the text is our own account (a refused connection, a
        # timeout): not something the server said.
        label = _("Server reply") if record.reply_code else _("Why")
        rows.append((label, _reply(record)))
    if record.duration is not None:
        rows.append((_("Duration"), _("{seconds:.1f} s").format(seconds=record.duration)))
    table = "".join(
        f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(str(v))}</td></tr>"
        for k, v in rows
    )
    html = [f"<table>{table}</table>", f"<h4>{escape(_('Recipients'))}</h4>"]
    results = record.rcpt_results or tuple(
        {"address": rcpt, "field": "", "code": "", "text": ""} for rcpt in record.recipients
    )
    fields = {"to": _("To"), "cc": _("Cc"), "bcc": _("Bcc")}
    lines = "".join(
        "<tr><td>{}&nbsp;</td><td>{}&nbsp;</td><td>{}&nbsp;</td><td>{}</td></tr>".format(
            escape(str(r.get("address", "") or "")),
            escape(fields.get(str(r.get("field", "")).lower(), str(r.get("field", "") or ""))),
            escape(str(r.get("code", "") or "")),
            escape(str(r.get("text", "") or "")),
        )
        for r in results
    )
    html.append(f"<table>{lines}</table>")
    if record.refused:
        refused = "<br>".join(escape(r) for r in record.refused)
        html.append(f"<h4>{escape(_('Refused'))}</h4><p>{refused}</p>")
    if record.transcript:
        html.append(f"<h4>{escape(_('Transcript'))}</h4><pre>{escape(record.transcript)}</pre>")
    return "".join(html)


class HistoryWindow(QWidget):
    """Every send attempt of the log: search and filter, details, open, resend, export.

    Attributes:
        model: the ``HistoryModel`` of the attempts shown.
        table: the table (``historyTable``).
        search_field, since_edit, until_edit, outcome_combo, account_combo: the filters.
        details: the selected attempt's details (``historyDetails``).
        notice: why the log cannot be read, or that a damaged one was set aside
            (``historyNotice``; hidden when all is well).

    Signals:
        resend_requested: the user asked to send an attempt again (carries the record).
    """

    resend_requested = Signal(object)

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("historyWindow")
        self.setWindowTitle(_("History — mailcomposer"))
        self.resize(1100, 700)
        self._history = History(home)
        self._limit = PAGE
        self._mime_views: list[QWidget] = []
        self._fitting = False
        self._user_sized = False  # a column the user dragged: the widths are theirs
        self._mark: tuple[int, int] | None = None  # the log as last read (History.mark)
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("historySearch")
        what = _("Search subject, addresses, Message-ID, reply…")
        self.search_field.setPlaceholderText(what)
        self.search_field.setToolTip(what)  # the placeholder is cut short in a narrow window
        self.search_field.setAccessibleName(what)
        self.search_field.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._on_filters_changed)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.since_edit, self.until_edit = DayEdit(self), DayEdit(self)
        for edit, name in ((self.since_edit, "historySince"), (self.until_edit, "historyUntil")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(_NO_DAY)
            edit.setSpecialValueText(_("any day"))
            edit.setDate(_NO_DAY)
            edit.dateChanged.connect(self._on_filters_changed)
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("historyOutcome")
        self.outcome_combo.addItem(_("All outcomes"), ())
        self.outcome_combo.addItem(_("Not sent"), FAILED_OUTCOMES)
        for outcome in OUTCOMES:
            self.outcome_combo.addItem(
                outcome_icon(outcome, self.palette()), outcome_label(outcome), (outcome,)
            )
        self.account_combo = QComboBox(self)
        self.account_combo.setObjectName("historyAccount")
        self.account_combo.addItem(_("All accounts"), "")
        for combo in (self.outcome_combo, self.account_combo):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.search_field, 2)
        for label, widget in (
            (_("Since:"), self.since_edit), (_("Until:"), self.until_edit),
            (None, self.outcome_combo), (None, self.account_combo),
        ):  # fmt: skip
            if label:
                filters.addWidget(label_widget := QLabel(label, self))
                label_widget.setBuddy(widget)  # a screen reader names the date by it
            filters.addWidget(widget)

        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(_("Send attempts"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # the columns fill the width themselves
        for position, column in enumerate(SHOWN_ORDER):
            header.moveSection(header.visualIndex(column), position)
        header.sectionResized.connect(self._on_header_section_resized)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.details = QTextBrowser(self)
        self.details.setObjectName("historyDetails")
        self.details.setAccessibleName(_("Details of the selected attempt"))
        self.details.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([420, 260])

        self.count_label = QLabel(self)
        self.count_label.setObjectName("historyCount")
        self.more_button = QPushButton(_("Show more"), self)
        self.more_button.setObjectName("historyMore")
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.open_button = QPushButton(_("Open sent message…"), self)
        self.open_button.setObjectName("historyOpenMessage")
        self.open_button.clicked.connect(self.open_selected_message)
        self.resend_button = QPushButton(_("Resend…"), self)
        self.resend_button.setObjectName("historyResend")
        self.resend_button.setToolTip(
            _(
                "Open it in the composer to send again "
                "(with the same Message-ID if the outcome was unknown)"
            )
        )
        self.resend_button.clicked.connect(self._on_resend_button_clicked)
        self.export_button = QPushButton(_("Export CSV…"), self)
        self.export_button.setObjectName("historyExport")
        self.export_button.clicked.connect(self.choose_csv_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (self.more_button, self.open_button, self.resend_button, self.export_button):
            buttons.addWidget(button)
        self.notice = QLabel(self)
        self.notice.setObjectName("historyNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ filtering

    def query(self, limit: int | None = None) -> Query:
        """The filters as a ``Query`` (``limit`` default: the rows paged in)."""
        since, until = self.since_edit.date(), self.until_edit.date()
        return Query(
            text=self.search_field.text(),
            since=None if since == _NO_DAY else since.toPython(),
            until=None if until == _NO_DAY else until.toPython(),
            outcomes=tuple(self.outcome_combo.currentData() or ()),
            account=self.account_combo.currentData() or "",
            limit=self._limit if limit is None else limit,
        )

    @Slot()
    def _on_filters_changed(self) -> None:
        self._limit = PAGE
        self.refresh()

    @Slot()
    def _on_more_button_clicked(self) -> None:
        self._limit += PAGE
        self.refresh()

    def _read(self, read: Any, default: Any) -> Any:
        """``read()`` on the log; ``default`` when it cannot be read (the notice says why)."""
        found, problem = read_with_notice(read, self._history, default)
        if problem:
            self._show_notice(problem)
        return found

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def reload_if_changed(self) -> bool:
        """Read the log again if an attempt was added since (a send, the outbox, a command).

        The attempt selected stays selected. True when the log had changed.
        """
        if self._read(self._history.mark, None) == self._mark:
            return False
        selected = self.selected()
        self.refresh()
        if selected is not None:
            for row, record in enumerate(self.model.records()):
                if record.id == selected.id:
                    self.table.selectRow(row)
                    break
        return True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.reload_if_changed()  # back from sending, or from a terminal
        super().changeEvent(event)

    def refresh(self) -> None:
        """Read the attempts matching the filters (one page more than shown, to know if more)."""
        self._search_timer.stop()
        self._mark = self._read(self._history.mark, None)
        records = self._read(lambda: search(self._history, self.query(self._limit + 1)), [])
        more = len(records) > self._limit
        self.model.set_records(records[: self._limit])
        self.fit_columns()
        self._add_accounts(record.account for record in records)
        self.more_button.setVisible(more)
        shown = self.model.rowCount()
        if more:
            text = ngettext(
                "{n} attempt shown; more below.", "{n} attempts shown; more below.", shown
            )
        else:
            text = ngettext("{n} attempt.", "{n} attempts.", shown)
        self.count_label.setText(text.format(n=shown))
        if shown:
            self.table.selectRow(0)
        else:
            self._show_details(None)
            self.details.setPlainText(self._empty_text())

    def _empty_text(self) -> str:
        """What an empty list means: nothing logged yet, or filters that match nothing."""
        if self.query(0) != Query():
            return _("No attempt matches these filters; clear the search or choose other days.")
        return _(
            "Nothing has been sent yet. Every message you send is listed here, and every "
            "attempt that did not go out, with the reason."
        )

    def fit_columns(self) -> None:
        """Fill the table's width: time, outcome, size whole; long texts elided first.

        Each column is as wide as what it shows, within a maximum; a narrow window
        cuts the sender, the reply, then the recipients and subject, so the outcome
        is never scrolled out of sight. Once the user drags a column, theirs.
        """
        if self._user_sized:
            return
        char = self.table.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        wanted = {}
        for column in range(self.model.columnCount()):
            width = max(header.sectionSizeHint(column), self.table.sizeHintForColumn(column))
            if column in _MOST:
                width = min(width, max(_MOST[column] * char, header.sectionSizeHint(column)))
            wanted[column] = width
        cuts = [(column, floor * char) for column, floor in _CUTS]
        widths = fit_widths(self.table.viewport().width(), wanted, cuts, SUBJECT)
        self._fitting = True
        try:
            for column, width in widths.items():
                header.resizeSection(column, width)
        finally:
            self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()
        return super().eventFilter(watched, event)

    @Slot(int, int, int)
    def _on_header_section_resized(self, _column: int, _old: int, _new: int) -> None:
        # A drag or a double click on a column's edge (not a model reset, not a fit).
        if not self._fitting and QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._user_sized = True

    def _add_accounts(self, accounts: Any) -> None:
        known = {self.account_combo.itemData(i) for i in range(self.account_combo.count())}
        for account in sorted(set(accounts) - known):
            if account:
                self.account_combo.addItem(account_label(account), account)

    # ------------------------------------------------------------------ the selected one

    def selected(self) -> SentRecord | None:
        """The attempt selected in the table, if any."""
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_details(self.model.record(current.row()) if current.isValid() else None)

    def _show_details(self, record: SentRecord | None) -> None:
        if record is not None:
            full = self._read(lambda: self._history.get(record.id), None)
            record = full or record  # with its transcript
        self.details.setHtml(details_html(record) if record is not None else "")
        kept = record is not None and bool(record.copy_path) and Path(record.copy_path).is_file()
        self.open_button.setEnabled(kept)
        self.resend_button.setEnabled(record is not None)

    @Slot()
    def open_selected_message(self) -> QWidget | None:
        """Open the kept copy of the selected attempt in the MIME view (read on a worker)."""
        from mailcomposer.ui.mimeview import MimeViewDialog

        record = self.selected()
        if record is None or not record.copy_path:
            return
        # Read and parsed on a worker (a second for a 25 MiB attachment): "Loading…".
        view = MimeViewDialog.from_file(
            record.copy_path, self, title=record.subject or record.message_id
        )
        view.failed.connect(self._on_mime_view_failed)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view

    @Slot(str)
    def _on_mime_view_failed(self, problem: str) -> None:
        self.details.append(escape(problem))

    @Slot()
    def _on_resend_button_clicked(self) -> None:
        record = self.selected()
        if record is not None:
            self.resend_requested.emit(record)

    # ------------------------------------------------------------------ export

    @Slot()
    def choose_csv_file(self) -> None:
        """Ask where to save the attempts matching the filters as CSV, and save them."""
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export history"), "mailcomposer-history.csv", _("CSV files (*.csv)")
        )
        if path:
            self.export_csv(path)

    def export_csv(self, path: str | Path) -> int:
        """Write every attempt matching the filters to ``path``; return how many.

        UTF-8 with a byte-order mark, so Excel shows Chinese subjects correctly.
        """
        from mailcomposer.message.files import atomic_write

        try:
            records = search(self._history, self.query(0))
            atomic_write(Path(path), ("\ufeff" + to_csv(records)).encode("utf-8"))
        except (OSError, sqlite3.Error) as exc:
            self.count_label.setText(_("Not exported: {error}").format(error=exc))
            return 0
        n = len(records)
        done = ngettext("Exported {n} attempt to {path}.", "Exported {n} attempts to {path}.", n)
        self.count_label.setText(done.format(n=n, path=path))
        return len(records)

    def closeEvent(self, event) -> None:
        self._history.close()
        super().closeEvent(event)
