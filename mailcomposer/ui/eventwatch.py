"""Event handling that widgets shown at start install at their first paint.

A Python ``event()``, ``eventFilter()`` or ``changeEvent()`` is handed a bare ``QEvent``:
to give it its own Python type, shiboken builds the types of all ~50 ``QEvent``
subclasses the first time one arrives (about 1.3 ms, docs/design.md "The launch"). The
composer's widgets meet dozens of events before their first paint (polish, layout,
show) and need none of them watched, so they install an ``EventWatcher`` at that paint,
before any key, palette or font change can reach them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject


class EventWatcher(QObject):
    """Calls ``handler(event)`` for each event ``watched`` receives; True stops the event.

    The watcher is a child of ``watched`` and goes with it.
    """

    def __init__(self, watched: QObject, handler: Callable[[QEvent], bool]) -> None:
        super().__init__(watched)
        self._handler = handler
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return self._handler(event)
