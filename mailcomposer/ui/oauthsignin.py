"""Runs an OAuth2 sign-in (browser or device code) on a worker thread, one at a time."""

from __future__ import annotations

import threading
import webbrowser

from PySide6.QtCore import QObject, QThread, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.store.accounts import Account
from mailcomposer.ui.workerthreads import end_worker_thread

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mailcomposer.oauth.flows import DeviceCode


def _open_in_browser(url: str) -> None:
    try:
        webbrowser.open(url)
    except webbrowser.Error:
        pass  # the dialog shows the address too


class SignInWorker(QObject):
    """Signs one account in on a worker thread.

    Emits exactly one terminal signal (``succeeded``, ``failed`` or ``cancelled``),
    then ``finished``, whatever happens.

    Signals:
        url_opened(str): the authorization address given to the browser.
        device_code_shown(object): a ``DeviceCode`` (immutable) to show the user.
        succeeded(str): signed in; carries the login name.
        failed(str): why the sign-in failed (nobody signed in in time, too), in the
            user's language.
        cancelled(): the user stopped it.
        finished(): always last.
    """

    url_opened = Signal(str)
    device_code_shown = Signal(object)
    succeeded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, account: Account, open_url: Callable[[str], object]) -> None:
        super().__init__()
        self._account = account
        self._open_url = open_url
        self.cancel_flag = threading.Event()

    @Slot()
    def run(self) -> None:
        """Run the flow; never lets an exception escape (the thread would hang)."""
        from mailcomposer.oauth import flows
        from mailcomposer.oauth.errors import OAuthError, SignInCancelled
        from mailcomposer.oauth.tokens import shared

        account = self._account
        settings = account.oauth
        try:
            assert settings is not None
            if settings.device_code:
                tokens = flows.device_sign_in(settings, self._show_code, self.cancel_flag)
            else:
                tokens = flows.browser_sign_in(
                    settings, self._show_url, self.cancel_flag,
                    login_hint=account.server.username,
                )  # fmt: skip
            shared().signed_in(account.name, account.server.username, tokens)
        except SignInCancelled as exc:
            if self.cancel_flag.is_set():
                self.cancelled.emit()
            else:
                # Nobody signed in in time: the user did not cancel, and must hear why
                # it stopped and that trying again is the way on.
                self.failed.emit(exc.message)
        except OAuthError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:
            self.failed.emit(_("Sign-in failed: {error}").format(error=exc))
        else:
            self.succeeded.emit(account.server.username)
        finally:
            self.finished.emit()

    def _show_url(self, url: str) -> None:
        self.url_opened.emit(url)
        self._open_url(url)

    def _show_code(self, code: DeviceCode) -> None:
        self.device_code_shown.emit(code)


class SignInRunner(QObject):
    """Owns the thread and worker of the running sign-in and relays what it reports.

    Args:
        open_url: opens the authorization address (default: the system browser).

    Signals: as :class:`SignInWorker`'s, ``finished`` once the thread is gone.
    """

    url_opened = Signal(str)
    device_code_shown = Signal(object)
    succeeded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self, parent: QObject | None = None, open_url: Callable[[str], object] | None = None
    ) -> None:
        super().__init__(parent)
        self.open_url = open_url or _open_in_browser
        self.worker_thread: QThread | None = None
        self._worker: SignInWorker | None = None

    @property
    def running(self) -> bool:
        """True from the start of a sign-in until its ``finished``."""
        return self.worker_thread is not None

    def start(self, account: Account) -> None:
        """Sign ``account`` in (its ``oauth`` settings say how)."""
        thread = QThread(self)
        worker = SignInWorker(account, self.open_url)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Signal to signal: queued, re-emitted on this (the GUI) thread.
        worker.url_opened.connect(self.url_opened)
        worker.device_code_shown.connect(self.device_code_shown)
        worker.succeeded.connect(self.succeeded)
        worker.failed.connect(self.failed)
        worker.cancelled.connect(self.cancelled)
        worker.finished.connect(self._on_worker_finished)
        self.worker_thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        """Stop waiting for the user (the worker then reports ``cancelled``)."""
        if self._worker is not None:
            self._worker.cancel_flag.set()

    def stop_and_wait(self) -> None:
        """Cancel a running sign-in and wait for its thread (never leave one running)."""
        thread = self.worker_thread
        if thread is None:
            return
        self.cancel()
        thread.quit()
        thread.wait()

    @Slot()
    def _on_worker_finished(self) -> None:
        thread, worker = self.worker_thread, self._worker
        self.worker_thread = self._worker = None
        end_worker_thread(thread, worker)
        self.finished.emit()
