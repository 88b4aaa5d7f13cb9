"""Preload what the first Send needs, on a thread once the window has painted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

from mailcomposer.ui.protocollog import warm_up_painting

# The send modules start importing on a thread this long after the first show (once
# the window has painted), and the Qt types the first Send paints with are built a
# little later on the GUI thread.
PRELOAD_DELAY_MS = 50
WARM_UP_DELAY_MS = 70
WARM_UP_STEP_MS = 10  # between the warm-up's steps
# Imported by that thread: what the first Send needs (email, smtplib, ssl...), ~100 ms
# of pure Python that would otherwise stall the first Send.
SEND_MODULES = (
    # In the order Send needs them on the GUI thread: it then waits (on the import
    # lock) at most for the module the thread is importing, never for the whole list.
    "mailcomposer.message.mime",
    "mailcomposer.message.htmltext",  # the body's HTML to text (mime loads it on use)
    "mailcomposer.message.screening",  # the checks before sending
    "mailcomposer.store.screening",
    "mailcomposer.store.contacts",  # the recipients remembered after the send
    "mailcomposer.message.filetypes",
    "mimetypes",
    "mailcomposer.store.pins",
    "mailcomposer.smtp.session",
    "mailcomposer.submission",
)


def extra_modules_for(account: Any) -> tuple[str, ...]:
    """What a send from ``account`` needs beyond ``SEND_MODULES``."""
    if account.builtin_sandbox:
        # asyncio, aiosmtpd, and the lab's switches the server reads when it starts
        return (
            "mailcomposer.sandbox.server",
            "mailcomposer.sandbox.labfile",
            "mailcomposer.sandbox.protocol",
        )
    if account.server.username:
        return ("mailcomposer.store.credentials",)  # keyring
    return ()


def preload_send_modules(extra: tuple[str, ...] = ()) -> None:
    """Import ``SEND_MODULES`` and ``extra`` and read the system's MIME types (on a thread).

    Also keeps PySide's import hook (it reads each new module's source) off the GUI thread.
    """
    for name in (*SEND_MODULES, *extra):
        # __import__ with a fromlist, not importlib.import_module: PySide's import hook
        # wraps __import__ and records the module, else it reads the module's source
        # on the GUI thread at the first ``from ... import`` there (~15 ms each).
        module = __import__(name, fromlist=["__name__"])
        if name == "mimetypes" and not module.inited:
            module.init()  # reads /etc/mime.types: ~15 ms on the first guess_type otherwise


class Preloader(QObject):
    """Starts the send modules' import on a thread, then a warm-up step on the GUI thread.

    Both run once, shortly after ``schedule()`` (called at the first show): the launch
    does not pay for them, and the first Send does not stall on them either.
    """

    def __init__(
        self,
        account: Callable[[], Any],
        build_controller: Callable[[], Any],
        parent: QObject | None = None,
    ) -> None:
        """Preload what a send from ``account()`` needs; warm-up calls ``build_controller``."""
        super().__init__(parent)
        self._account = account
        self._thread: threading.Thread | None = None
        self._scheduled = False
        # What the first Send would otherwise build on the GUI thread, a step at a time:
        # the HTML export, the types the first logged line paints with, the result
        # boxes' type, the send controller (built here, not by the first Send).
        self._warm_up_steps: list[Callable[[], Any]] = [
            self._warm_up_html,
            warm_up_painting,
            self._warm_up_boxes,
            build_controller,
        ]

    def schedule(self) -> None:
        """Start both steps shortly (the first call only)."""
        if self._scheduled:
            return
        # Not at once: the first paint would share the interpreter with the thread.
        self._scheduled = True
        QTimer.singleShot(PRELOAD_DELAY_MS, self._start)
        QTimer.singleShot(WARM_UP_DELAY_MS, self._on_warm_up_timer_timeout)

    def has_started(self) -> bool:
        """True once the import thread was started."""
        return self._thread is not None

    def is_done(self) -> bool:
        """True once the import thread has finished."""
        return self._thread is not None and not self._thread.is_alive()

    def warmed_up(self) -> bool:
        """True once every warm-up step has run."""
        return self._scheduled and not self._warm_up_steps

    def wait(self) -> None:
        """Let the background imports finish (they are usually long done)."""
        if self._thread is not None:
            self._thread.join()

    @Slot()
    def _on_warm_up_timer_timeout(self) -> None:
        """Do the next warm-up step on the GUI thread; the next one a turn later.

        Shiboken types are built on the GUI thread only (a second thread could race
        it). Together ~20 ms, long before a user presses Send; one step per turn of
        the event loop, so typing in between is never held up by more than one.
        """
        steps = self._warm_up_steps
        if steps:
            steps.pop(0)()
        if steps:
            QTimer.singleShot(WARM_UP_STEP_MS, self, self._on_warm_up_timer_timeout)

    def _warm_up_html(self) -> None:
        import mailcomposer.ui.htmlexport  # noqa: F401  (Send turns the body into HTML)

    def _warm_up_boxes(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.StandardButton  # noqa: B018  (the "Message sent" box: its type, built)

    @Slot()
    def _start(self) -> None:
        """Import the send modules on a thread while the user writes.

        ~100 ms of pure Python; the GUI thread still gets the interpreter back every
        switch interval (5 ms), so the event loop does not stall on it.
        """
        if self._thread is None:
            self._thread = threading.Thread(
                target=preload_send_modules,
                args=(extra_modules_for(self._account()),),
                name="mailcomposer-preload",
                daemon=True,
            )
            self._thread.start()
