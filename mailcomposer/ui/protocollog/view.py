"""The log list: monospace fixed rows that follow new lines, an empty-log hint, and copy."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.colours import is_dark, muted
from mailcomposer.ui.protocollog.delegate import ProtocolLogDelegate
from mailcomposer.ui.protocollog.lines import transcript_text
from mailcomposer.ui.protocollog.model import ProtocolLogModel


class ProtocolLogView(QTableView):
    """The log list: monospace, fixed rows, follows new lines only while at the bottom.

    A one-column table rather than a QListView: QListView relayouts every row on each
    insertion (one Python ``rowCount`` call per row: 100,000 lines stalled ~150 ms per
    batch), while a table with fixed-height rows only touches what is visible.

    Signals:
        copied: lines were put on the clipboard (carries how many).
    """

    copied = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("protocolLog")
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._update_metrics()
        self.setAccessibleName(_("Protocol log"))
        self.delegate = ProtocolLogDelegate(self)
        self.setItemDelegate(self.delegate)
        # Follow new lines while the reader is at the bottom. Decided from the
        # scrollbar itself: Qt updates its range after rowsInserted (in the deferred
        # layout), so a scroll made there would land on the old maximum and the
        # next batch would find the view "scrolled up".
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrollbar_value_changed)
        bar.rangeChanged.connect(self._on_scrollbar_range_changed)
        copy = QAction(_("Copy"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self.copy_action = copy
        # An overlay label, not a paint in the viewport: viewport() costs ~20 ms the
        # first time (see _viewport_width) and the log is empty at every launch.
        self.hint = QLabel(
            _(
                "Press Send to see the SMTP conversation here: every command (C:) and "
                "reply (S:), each reply explained."
            ),
            self,
        )
        self.hint.setObjectName("protocolLogHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setMargin(12)
        self.hint.setFont(QGuiApplication.font())
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._style_hint()

    # -- model wiring ----------------------------------------------------------------------

    def setModel(self, model) -> None:
        old = self.model()
        if old is not None:
            old.rowsInserted.disconnect(self._on_model_rows_inserted)
            old.rowsRemoved.disconnect(self._on_model_rows_removed)
            old.modelReset.disconnect(self._update_hint)
        super().setModel(model)
        if model is not None:
            model.rowsInserted.connect(self._on_model_rows_inserted)
            model.rowsRemoved.connect(self._on_model_rows_removed)
            model.modelReset.connect(self._update_hint)
            if isinstance(model, ProtocolLogModel):
                model.set_dark(is_dark(self.palette()))
            # Replayed history: start at its end, like a terminal.
            self._follow = True
            self._update_column_width()
            self.scrollToBottom()
        self._update_hint()

    def is_at_bottom(self) -> bool:
        """Return True when the last line is visible (new lines then follow)."""
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2

    @Slot(int)
    def _on_scrollbar_value_changed(self, _value: int) -> None:
        self._follow = self.is_at_bottom()

    @Slot(int, int)
    def _on_scrollbar_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    @Slot()
    def _on_model_rows_inserted(self) -> None:
        self._update_hint()
        self._update_column_width()
        if self._follow:
            self.scrollToBottom()

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        # The ring dropped its oldest lines: keep a reader who scrolled up on the same
        # lines instead of letting the text slide under their eyes.
        if first == 0 and not self._follow:
            bar = self.verticalScrollBar()
            bar.setValue(max(0, bar.value() - (last + 1) * self.row_height()))
        self._update_hint()

    # -- empty hint ----------------------------------------------------------------------------

    @Slot()
    def _update_hint(self) -> None:
        """Show the hint exactly while the log has no lines."""
        model = self.model()
        self.hint.setVisible(model is None or model.rowCount() == 0)
        self._place_hint()

    def _place_hint(self) -> None:
        self.hint.setGeometry(self.contentsRect())

    def _style_hint(self) -> None:
        palette = self.hint.palette()
        palette.setColor(QPalette.ColorRole.WindowText, muted(self.palette()))
        self.hint.setPalette(palette)

    def hint_visible(self) -> bool:
        """True when the empty-log hint is shown (or would be, once the view is shown)."""
        return not self.hint.isHidden()

    def row_height(self) -> int:
        """Return the height of every row in pixels."""
        return self.verticalHeader().defaultSectionSize()

    def _update_metrics(self) -> None:
        metrics = QFontMetrics(self.font())
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 4)
        self._update_column_width()

    def _update_column_width(self) -> None:
        model = self.model()
        if model is None:
            return
        chars = getattr(model, "longest_line", 0) + 24  # + time, marker and gap columns
        wanted = max(
            self._viewport_width(), QFontMetrics(self.font()).horizontalAdvance("0") * chars
        )
        if self.columnWidth(0) != wanted:
            self.setColumnWidth(0, wanted)

    def _viewport_width(self) -> int:
        # Not viewport().width(): the first viewport() call of a process wraps a QWidget
        # Qt created, and shiboken's type discovery then costs ~20 ms of start-up.
        width = self.maximumViewportSize().width()
        bar = self.verticalScrollBar()
        if bar.isVisibleTo(self):
            width -= bar.width()
        return width

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_column_width()
        self._place_hint()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        model = self.model()
        if event.type() == event.Type.PaletteChange:
            self._style_hint()
            if isinstance(model, ProtocolLogModel):
                model.set_dark(is_dark(self.palette()))
        elif event.type() == event.Type.FontChange:
            self._update_metrics()

    # -- clipboard ---------------------------------------------------------------------------

    def selected_text(self) -> str:
        """Return the selected lines (in log order) as transcript text."""
        model = self.model()
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        if not isinstance(model, ProtocolLogModel):
            return "".join(str(model.index(row, 0).data() or "") + "\n" for row in rows)
        if not self.delegate.explain:
            return "".join(model.line_at(row) + "\n" for row in rows)
        return transcript_text([model.event_at(row) for row in rows], self.delegate.explain)

    @Slot()
    def copy_selection(self) -> None:
        """Put the selected lines on the clipboard."""
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text.count("\n"))
