"""The log list: fixed monospace rows that follow new lines, RFC tags, the DATA preview, copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    SIGNAL,
    SLOT,
    QMetaObject,
    QModelIndex,
    QObject,
    QPoint,
    QPointF,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.colours import is_dark, muted
from mailcomposer.ui.protocollog.delegate import ProtocolLogDelegate
from mailcomposer.ui.protocollog.lines import transcript_text
from mailcomposer.ui.protocollog.model import ProtocolLogModel
from mailcomposer.ui.protocollog.scrollbar import LogScrollBar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

    from mailcomposer.smtp.rfc import Ref

if TYPE_CHECKING:  # the RFC popup (a dialog, a link) is built at the first tag clicked
    from mailcomposer.ui.protocollog.reference import ReferencePopup


class ProtocolLogView(QTableView):
    """The log list: monospace, fixed rows, follows new lines only while at the bottom.

    A one-column table rather than a QListView: QListView relayouts every row on each
    insertion (one Python ``rowCount`` call per row: 100,000 lines stalled ~150 ms per
    batch), while a table with fixed-height rows only touches what is visible.

    A line's RFC references are tags: a click on one (or Enter, or the context menu)
    opens ``reference_popup``. The DATA note unfolds to what was sent (a click on its
    toggle, Enter, or the context menu): that row grows to hold the preview.

    Attributes:
        reference_popup: the window showing a reference (made on first use), or None.

    Signals:
        copied: lines were put on the clipboard (carries how many).
        reference_opened: a reference was shown (carries the ``Ref``).
        detail_toggled: a line's detail was unfolded (True) or folded (carries the row).
    """

    copied = Signal(int)
    reference_opened = Signal(object)
    detail_toggled = Signal(int, bool)

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
        self._detail_chars = 0
        self._change_watcher: QObject | None = None
        self._update_metrics()
        self.setAccessibleName(_("Protocol log"))
        self.delegate = ProtocolLogDelegate(self)
        self.setItemDelegate(self.delegate)
        # Follow new lines while the reader is at the bottom. Decided from the
        # scrollbar itself: Qt updates its range after rowsInserted (in the deferred
        # layout), so a scroll made there would land on the old maximum and the
        # next batch would find the view "scrolled up".
        self._follow = True
        bar = LogScrollBar(self)
        self.setVerticalScrollBar(bar)
        # WORKAROUND for QAbstractScrollArea answering every rangeChanged of a scrollbar
        # with a relayout of its children (a queued _q_showOrHideScrollBars). Each
        # relayout raises both scrollbars' containers in turn, so with both bars shown
        # both repaint, and everything under them: ~1.4 ms per batch of lines, a third
        # of what a batch cost. QTableView.updateGeometries relayouts once per batch
        # anyway (LogScrollBar makes that one cheap); this second one is only needed
        # when the vertical range starts or stops being empty (the bar comes or goes),
        # so the view asks for it then. Should Qt stop connecting by name, the
        # disconnect fails and Qt's connection stays.
        self._scrollable = bar.maximum() > bar.minimum()
        self._relayout_on_range = not QObject.disconnect(
            bar, SIGNAL("rangeChanged(int,int)"), self, SLOT("_q_showOrHideScrollBars()")
        )
        bar.valueChanged.connect(self._on_scrollbar_value_changed)
        bar.rangeChanged.connect(self._on_scrollbar_range_changed)
        # Explanations are cut at the view's right edge (their tags stay in sight): a
        # sideways scroll moves that edge, so repaint the rows rather than shift pixels.
        sideways = LogScrollBar(self)
        self.setHorizontalScrollBar(sideways)
        sideways.valueChanged.connect(self._on_horizontal_bar_value_changed)
        copy = QAction(_("Copy"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self.copy_action = copy
        # An overlay label, not a paint in the viewport: the log is empty at every
        # launch, and a label paints only while it is shown.
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
        self.reference_popup: ReferencePopup | None = None
        self._lines_seen = False  # see _on_first_lines
        self._menu: QMenu | None = None

    def _on_first_lines(self) -> None:
        """Set up what only a log with lines needs: its own viewport, hover over tags.

        Not at start-up (the log is empty at every launch). The first ``viewport()``
        call of a process on the viewport Qt made wraps a QWidget Python has not
        seen, and shiboken's type discovery then builds every QWidget subclass's
        enums (~15-20 ms, in the first batch of lines). A viewport made in Python,
        set up as QAbstractScrollArea sets up its own, is known: asking costs nothing.
        """
        self._lines_seen = True
        viewport = QWidget(self)
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        viewport.setMouseTracking(True)
        self.setViewport(viewport)
        self.verticalScrollBar().arm_soon()
        self.horizontalScrollBar().arm_soon()

    # -- model wiring ----------------------------------------------------------------------

    def setModel(self, model) -> None:
        old = self.model()
        if old is not None:
            old.rowsInserted.disconnect(self._on_model_rows_inserted)
            old.rowsRemoved.disconnect(self._on_model_rows_removed)
            old.modelReset.disconnect(self._update_hint)
            old.modelReset.disconnect(self._on_model_model_reset)
        super().setModel(model)
        if model is not None:
            model.rowsInserted.connect(self._on_model_rows_inserted)
            model.rowsRemoved.connect(self._on_model_rows_removed)
            model.modelReset.connect(self._update_hint)
            model.modelReset.connect(self._on_model_model_reset)
            if isinstance(model, ProtocolLogModel):
                model.set_dark(is_dark(self.palette()))
            if model.rowCount() and not self._lines_seen:
                self._on_first_lines()  # replayed history
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

    @Slot(int)
    def _on_horizontal_bar_value_changed(self, _value: int) -> None:
        self.viewport().update()

    @Slot(int, int)
    def _on_scrollbar_range_changed(self, minimum: int, maximum: int) -> None:
        scrollable = maximum > minimum
        if scrollable != self._scrollable and not self._relayout_on_range:
            # Queued, as Qt's own connection is: the bar appears or goes (see __init__).
            QMetaObject.invokeMethod(
                self, "_q_showOrHideScrollBars", Qt.ConnectionType.QueuedConnection
            )
        self._scrollable = scrollable
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    @Slot()
    def _on_model_rows_inserted(self) -> None:
        if not self._lines_seen:
            self._on_first_lines()
        self._update_hint()
        self._update_column_width()
        if self._follow:
            # The range grows, then the value follows it: one repaint at most, and
            # none while the handle stays where it was (see LogScrollBar).
            with self.verticalScrollBar().held():
                self.scrollToBottom()

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        # The ring dropped its oldest lines: keep a reader who scrolled up on the same
        # lines instead of letting the text slide under their eyes.
        if first == 0 and not self._follow:
            bar = self.verticalScrollBar()
            bar.setValue(max(0, bar.value() - (last + 1) * self.row_height()))
        self._update_hint()

    @Slot()
    def _on_model_model_reset(self) -> None:
        self.delegate.unfolded.clear()

    def paintEvent(self, event) -> None:
        if self._change_watcher is None:
            # Not a changeEvent(): watched from here on, at no cost to the launch
            # (ui/eventwatch.py). __init__ set the font's metrics and the hint's colour.
            from mailcomposer.ui.eventwatch import EventWatcher

            self._change_watcher = EventWatcher(self, self._on_change_event)
        if not self._lines_seen:
            # No line to paint. Asking Qt's own viewport for the frame would make
            # shiboken build every QWidget type (~40 M instructions of the launch).
            super().paintEvent(event)
            return
        # The delegate asks the view what every row shares once per paint, not per row.
        self.delegate.begin_frame(self)
        try:
            super().paintEvent(event)
        finally:
            self.delegate.end_frame()

    # -- references and the unfolded detail ----------------------------------------------

    def item_option(self, index: QModelIndex) -> QStyleOptionViewItem:
        """Return the style option the delegate paints ``index`` with (for hit tests)."""
        from PySide6.QtWidgets import QStyleOptionViewItem

        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        return option

    def hit(self, pos: QPoint) -> tuple[QModelIndex, Ref | str | None]:
        """Return the row under ``pos`` (viewport coordinates) and the tag or toggle there."""
        index = self.indexAt(pos)
        if not index.isValid():
            return index, None
        return index, self.delegate.hit(self.item_option(index), index, QPointF(pos))

    def open_reference(self, ref: Ref, at: QPoint | None = None) -> ReferencePopup:
        """Show what ``ref`` says in the reference window (non-modal); return the window."""
        if self.reference_popup is None:
            from mailcomposer.ui.protocollog.reference import ReferencePopup

            self.reference_popup = ReferencePopup(self)
        self.reference_popup.show_reference(ref, at)
        self.reference_opened.emit(ref)
        return self.reference_popup

    def is_unfolded(self, row: int) -> bool:
        """Return True when the detail of ``row`` is shown."""
        model = self.model()
        return isinstance(model, ProtocolLogModel) and self.delegate.is_unfolded(model, row)

    def set_unfolded(self, row: int, unfolded: bool) -> None:
        """Show (True) or hide the detail under ``row``; rows without one are left alone."""
        model = self.model()
        if not isinstance(model, ProtocolLogModel) or not model.detail_at(row):
            return
        if unfolded == self.is_unfolded(row):
            return
        key = model.row_key(row)
        detail = model.detail_at(row)
        if unfolded:
            self.delegate.unfolded.add(key)
            lines = detail.count("\n") + 1
            height = self.row_height() + lines * QFontMetrics(self.font()).height() + 4
            self.setRowHeight(row, height)
            self._detail_chars = max(
                self._detail_chars, max(len(line) for line in detail.splitlines()) + 16
            )
            self._update_column_width()
        else:
            self.delegate.unfolded.discard(key)
            self.setRowHeight(row, self.row_height())
        self.viewport().update()
        self.detail_toggled.emit(row, unfolded)

    def context_menu_for(self, row: int) -> QMenu:
        """Return the context menu of ``row``: its references, what was sent, copy."""
        model = self.model()
        menu = QMenu(self)
        menu.setObjectName("protocolLogMenu")
        if isinstance(model, ProtocolLogModel) and 0 <= row < model.rowCount():
            at = self.viewport().mapToGlobal(self.visualRect(model.index(row)).bottomLeft())
            for ref in model.refs_at(row):
                action = menu.addAction(_("What does {label} say?").format(label=ref.label))
                action.triggered.connect(lambda _checked=False, r=ref: self.open_reference(r, at))
            if model.detail_at(row):
                if menu.actions():
                    menu.addSeparator()
                unfolded = self.is_unfolded(row)
                toggle = menu.addAction(
                    _("Hide what was sent") if unfolded else _("Show what was sent")
                )
                toggle.triggered.connect(
                    lambda _checked=False: self.set_unfolded(row, not unfolded)
                )
                copy_detail = menu.addAction(_("Copy what was sent"))
                detail = model.detail_at(row)
                copy_detail.triggered.connect(
                    lambda _checked=False: QGuiApplication.clipboard().setText(detail + "\n")
                )
        if menu.actions():
            menu.addSeparator()
        menu.addAction(self.copy_action)
        return menu

    def contextMenuEvent(self, event) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        if not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        if self._menu is not None:
            self._menu.deleteLater()
        # popup(), not exec(): no nested event loop while the menu is open.
        self._menu = self.context_menu_for(index.row())
        self._menu.popup(event.globalPos())

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            from mailcomposer.smtp.rfc import Ref

            index, target = self.hit(event.position().toPoint())
            if isinstance(target, Ref):
                self.open_reference(target, event.globalPosition().toPoint())
            elif target == "detail":
                self.set_unfolded(index.row(), not self.is_unfolded(index.row()))
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() == Qt.MouseButton.NoButton:
            _index, target = self.hit(event.position().toPoint())
            if target is None:
                self.viewport().unsetCursor()
            else:
                from PySide6.QtGui import QCursor

                self.viewport().setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event) -> None:
        index = self.currentIndex()
        model = self.model()
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and index.isValid()
            and isinstance(model, ProtocolLogModel)
        ):
            row = index.row()
            refs = model.refs_at(row)
            if model.detail_at(row):
                self.set_unfolded(row, not self.is_unfolded(row))
                return
            if refs and self.delegate.explain:
                at = self.viewport().mapToGlobal(self.visualRect(index).bottomLeft())
                self.open_reference(refs[0], at)
                return
        super().keyPressEvent(event)

    # -- empty hint ----------------------------------------------------------------------------

    @Slot()
    def _update_hint(self) -> None:
        """Show the hint exactly while the log has no lines."""
        model = self.model()
        empty = model is None or model.rowCount() == 0
        # Asked on every batch of lines: only a change of state touches the label
        # (a hidden hint is placed again when it shows; resizeEvent places it too).
        if empty == self.hint.isHidden():
            self.hint.setVisible(empty)
        if empty:
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
        self._char_width = metrics.horizontalAdvance("0")
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 4)
        self._update_column_width()

    def _update_column_width(self) -> None:
        model = self.model()
        if model is None:
            return
        # + time, marker, gap and step-time columns; an unfolded detail may be wider.
        chars = max(getattr(model, "longest_line", 0), self._detail_chars) + 34
        wanted = max(self._viewport_width(), self._char_width * chars)
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

    def _on_change_event(self, event) -> bool:
        """Follow palette and font changes (watched from the first paint on)."""
        model = self.model()
        if event.type() == event.Type.PaletteChange:
            self._style_hint()
            if isinstance(model, ProtocolLogModel):
                model.set_dark(is_dark(self.palette()))
        elif event.type() == event.Type.FontChange:
            self._update_metrics()
        return False

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
