"""The "Protocol log" dock: its toolbar (find, copy, save, clear, Explain) above the log view."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.ui.protocollog.model import ProtocolLogModel
from mailcomposer.ui.protocollog.view import ProtocolLogView

if TYPE_CHECKING:
    from mailcomposer.smtp.transcript import TranscriptEvent


class ProtocolLogDock(QDockWidget):
    """The "Protocol log" dock: a find bar, copy/save/clear, "Explain", the view.

    Attributes:
        model: the ``ProtocolLogModel`` (may have been filled before the dock existed).
        view: the ``ProtocolLogView``.

    Signals:
        saved: the transcript was written to a file (carries the path).
    """

    saved = Signal(str)

    def __init__(self, parent=None, model: ProtocolLogModel | None = None) -> None:
        super().__init__(_("Protocol log"), parent)
        self.setObjectName("protocolLogDock")
        self.model = model if model is not None else ProtocolLogModel(self)
        self.view = ProtocolLogView()
        self.view.setModel(self.model)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.toolbar = QToolBar(body)
        self.toolbar.setObjectName("protocolLogToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)
        self.setWidget(body)

        self.find_field = QLineEdit(body)
        self.find_field.setObjectName("protocolLogFind")
        self.find_field.setPlaceholderText(_("Find in log (Ctrl+F)"))
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setMaximumWidth(260)
        self.find_field.setAccessibleName(_("Find in log"))
        self.find_field.textChanged.connect(self._on_find_field_text_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.toolbar.addWidget(self.find_field)

        self.find_previous_action = self._action(_("Previous"), self.find_previous)
        self.find_previous_action.setShortcut(QKeySequence.StandardKey.FindPrevious)
        self.find_next_action = self._action(_("Next"), self.find_next)
        self.find_next_action.setShortcut(QKeySequence.StandardKey.FindNext)
        self.find_status = QLabel(body)
        self.find_status.setObjectName("protocolLogFindStatus")
        self.find_status.setContentsMargins(6, 0, 6, 0)
        self.toolbar.addWidget(self.find_status)
        self.toolbar.addSeparator()
        self.copy_all_action = self._action(_("Copy all"), self.copy_all)
        self.save_action = self._action(_("Save as text…"), self.save_as)
        self.clear_action = self._action(_("Clear"), self.clear)
        self.toolbar.addSeparator()
        self.explain_action = self._action(_("Explain"), None)
        self.explain_action.setCheckable(True)
        self.explain_action.setChecked(self.view.delegate.explain)
        self.explain_action.setToolTip(_("Show what each command asks and what each reply means"))
        self.explain_action.toggled.connect(self.set_explain)

        find = QAction(_("Find"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_find)
        self.addAction(find)
        self.find_action = find

    def _action(self, text: str, slot) -> QAction:
        action = self.toolbar.addAction(text)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    # -- public API --------------------------------------------------------------------------

    def append_events(self, events: Sequence[TranscriptEvent]) -> None:
        """Append a batch of transcript events (call from the GUI thread)."""
        self.model.append_events(events)

    def clear(self) -> None:
        """Empty the log."""
        self.model.clear()
        self.find_status.clear()

    def transcript_text(self) -> str:
        """Return the whole log in the CLI transcript form (``--explain`` form if toggled)."""
        return self.model.transcript_text(self.view.delegate.explain)

    @Slot(bool)
    def set_explain(self, on: bool) -> None:
        """Show or hide reply explanations."""
        self.view.delegate.explain = on
        if self.explain_action.isChecked() != on:
            self.explain_action.setChecked(on)
        self.view.viewport().update()

    @Slot()
    def copy_all(self) -> None:
        """Put the whole transcript on the clipboard."""
        QGuiApplication.clipboard().setText(self.transcript_text())

    @Slot()
    def save_as(self) -> None:
        """Ask for a file name and save the transcript there."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save protocol log"),
            "smtp-transcript.txt",
            _("Text files (*.txt);;All files (*)"),
        )
        if not path:
            return
        try:
            self.save_to(path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Save protocol log"),
                _("Could not save the log to {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            )

    def save_to(self, path: str | Path) -> None:
        """Write the transcript to ``path`` as UTF-8 with LF line ends (the CLI's form)."""
        Path(path).write_bytes(self.transcript_text().encode("utf-8"))
        self.saved.emit(str(path))

    @Slot()
    def focus_find(self) -> None:
        """Put the cursor in the find field."""
        if not self.isVisible():
            self.show()
        self.raise_()
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    @Slot()
    def find_next(self) -> bool:
        """Select the next line containing the find text; wrap around. Return True if found."""
        return self._find(+1)

    @Slot()
    def find_previous(self) -> bool:
        """Select the previous line containing the find text; wrap around."""
        return self._find(-1)

    # -- internals ---------------------------------------------------------------------------

    @Slot(str)
    def _on_find_field_text_changed(self, text: str) -> None:
        self.view.delegate.find_text = text
        self.find_status.clear()
        self.view.viewport().update()

    def _find(self, step: int) -> bool:
        needle = self.find_field.text().lower()
        count = self.model.rowCount()
        if not needle or not count:
            return False
        current = self.view.currentIndex()
        start = current.row() if current.isValid() else (-1 if step > 0 else count)
        row = self.model.find(needle, start, step, self.view.delegate.explain)
        if row < 0:
            self.find_status.setText(_("not found"))
            return False
        index = self.model.index(row)
        from PySide6.QtCore import QItemSelectionModel

        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.find_status.setText(_("line {n}").format(n=row + 1))
        return True
