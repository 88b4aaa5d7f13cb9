"""File → Open of an .eml: read and parsed on a worker thread, the window filled after.

The composer's message is not touched while the file is read: the complete draft
comes back whole (or the reason there is none), and only then does the window
replace its message, on the GUI thread.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from mailcomposer.message.eml import ReadEml, read_eml_job
from mailcomposer.ui.inboxloader import Loader

__all__ = ["EmlOpener"]


class EmlOpener(QObject):
    """Reads one .eml at a time off the GUI thread for ``window``.

    A newer open drops the one before; a result that comes once ``window`` is
    closed (hidden) is dropped, never filled into it.

    Signals:
        opened: the path and the complete ``Draft`` read from it.
        failed: the path and the exception that stopped the read, or a translated
            sentence (an unexpected error on the worker).
    """

    opened = Signal(str, object)
    failed = Signal(str, object)

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self, name="emlOpenThread")
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self._window = window

    @property
    def loading(self) -> bool:
        """True from ``start`` until the draft (or the failure) is delivered."""
        return self.loader.loading

    def start(self, path: str | Path) -> None:
        """Read and parse ``path`` on a worker thread."""
        self.loader.start(str(path), partial(read_eml_job, Path(path)))

    def cancel(self) -> bool:
        """Drop the running read; True if there was one."""
        return self.loader.cancel()

    @Slot(str, object)
    def _on_loader_loaded(self, path: str, found: ReadEml) -> None:
        if not self._window.isVisible():
            return  # closed meanwhile: nothing to fill
        if found.draft is not None:
            self.opened.emit(path, found.draft)
        else:
            self.failed.emit(path, found.error)

    @Slot(str, str)
    def _on_loader_failed(self, path: str, problem: str) -> None:
        if self._window.isVisible():
            self.failed.emit(path, problem)
