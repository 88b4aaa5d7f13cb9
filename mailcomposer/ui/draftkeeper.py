"""The draft keeper: autosave after each edit burst, restore at start, kept drafts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.store.drafts import DraftStore
from mailcomposer.ui.questions import Questions
from mailcomposer.ui.statusarea import LINK_KEPT_DRAFT, StatusArea

AUTOSAVE_DELAY_MS = 2000
AUTOSAVE_MAX_DELAY_S = 15.0


def reason(exc: Exception) -> str:
    """Why a file operation failed, in the system's words, without our temporary names.

    An atomic write fails on its hidden temporary file (``.tmp-x1y2.eml``), which
    ``str(OSError)`` would show; the path the user chose is in the message already.
    """
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


class DraftKeeper(QObject):
    """Keeps the message being written in the autosave slot, and says what it did.

    Edits mark the message modified and start the autosave timer; a load (a draft,
    a file, a signature) runs inside ``loading()`` and counts as no edit.

    Attributes:
        store: the ``DraftStore``.

    Signals:
        saved: the draft was written (autosave or explicit save) or removed as blank.
        modified_changed: the message became modified or saved (carries which).
        close_approved: the unsaved question was answered so that the window may close.
    """

    saved = Signal()
    modified_changed = Signal(bool)
    close_approved = Signal()
    # Emitted on the draft writer thread; queued to the GUI thread by Qt.
    _written = Signal()
    _write_failed = Signal(str)

    def __init__(
        self,
        store: DraftStore,
        status: StatusArea,
        questions: Questions,
        snapshot: Callable[[], Draft],
        is_blank: Callable[[Draft], bool],
        show: Callable[..., None],
        parent: QObject | None = None,
    ) -> None:
        """Keep drafts in ``store``.

        Args:
            store: the autosave store.
            status: where to say what happened.
            questions: the window's one pending question.
            snapshot: returns the message as the widgets show it.
            is_blank: tells a message holding nothing but the app's signature.
            show: ``show(draft, modified=...)`` puts a draft in the widgets.
            parent: the owner.
        """
        super().__init__(parent)
        self.store = store
        self._status = status
        self._questions = questions
        self._snapshot = snapshot
        self._is_blank = is_blank
        self._show = show
        self._loading = False
        self._modified = False
        self._first_unsaved_edit = 0.0
        # A draft kept aside (the app started with a mailto: link, New over a saved one).
        self._kept: Path | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._written.connect(self._on_written)
        self._write_failed.connect(self._on_write_failed)

    # ------------------------------------------------------------------ edits

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Changes made inside are a load, not the user's edits (nested use is fine)."""
        was_loading, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = was_loading

    def is_loading(self) -> bool:
        return self._loading

    def is_modified(self) -> bool:
        """True when the message changed since it was loaded or saved."""
        return self._modified

    def set_modified(self, modified: bool) -> None:
        self._modified = modified
        self.modified_changed.emit(modified)

    def set_autosave_delay(self, delay_ms: int) -> None:
        """Save this long after the last edit of a burst (tests shorten it)."""
        self._timer.setInterval(delay_ms)

    def save_soon(self) -> None:
        """Autosave after the usual delay, as after an edit."""
        self._timer.start()

    @Slot()
    def note_edit(self) -> None:
        """The user changed the message: mark it modified and autosave after the burst."""
        if self._loading:
            return
        self.set_modified(True)
        now = time.monotonic()
        if not self._timer.isActive():
            self._first_unsaved_edit = now
        elif now - self._first_unsaved_edit > AUTOSAVE_MAX_DELAY_S:
            # Someone typing without pause would otherwise postpone the save forever.
            self.autosave()
            return
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.autosave()

    def is_dirty(self) -> bool:
        """True when closing would throw away edits the user did not save."""
        return self._modified and not self._is_blank(self._snapshot())

    # ------------------------------------------------------------------ writing

    def autosave(self) -> bool:
        """Save the draft (removing the file when the message is empty); False on failure.

        The snapshot is taken here; the write + fsync run on the draft writer thread,
        which reports back through ``saved`` or a status bar message.
        """
        self._timer.stop()
        draft = self._snapshot()
        if self._is_blank(draft):
            try:
                self.store.clear()
            except OSError as exc:
                self._on_write_failed(reason(exc))
                return False
            self.saved.emit()
            return True
        self.store.save_later(
            draft,
            on_error=lambda exc: self._write_failed.emit(reason(exc)),
            on_done=self._written.emit,
        )
        return True

    @Slot()
    def _on_written(self) -> None:
        self.saved.emit()

    @Slot(str)
    def _on_write_failed(self, error: str) -> None:
        self._status.say(_("Could not save the draft: {error}").format(error=error))

    def write_now(self) -> bool:
        """Write the draft synchronously (explicit save); True on success."""
        self._timer.stop()
        draft = self._snapshot()
        try:
            if self._is_blank(draft):
                self.store.clear()
            else:
                self.store.save(draft)
        except OSError as exc:
            self._on_write_failed(reason(exc))
            return False
        self.saved.emit()
        return True

    def save(self) -> bool:
        """Save the draft explicitly (Ctrl+S): the message is no longer "modified"."""
        if not self.write_now():
            return False
        self.set_modified(False)
        self._status.say(_("Draft saved."))
        return True

    def discard(self) -> bool:
        """Forget the autosaved draft (the message was sent, discarded or replaced).

        Returns False (and says so) when the file could not be removed: the folder
        turned read-only, say. The caller's own outcome (a message sent) stands.
        """
        self._timer.stop()
        try:
            self.store.clear()
        except OSError as exc:
            self._status.say(
                _("Could not remove the saved draft {path}: {error}").format(
                    path=self.store.path, error=reason(exc)
                )
            )
            return False
        return True

    # ------------------------------------------------------------------ closing

    def query_close(self) -> bool:
        """True when the window may close now; else ask about unsaved edits first."""
        if not self.is_dirty():
            return True
        if self._questions.pending() is None:
            self._questions.ask_unsaved(self._after_unsaved_for_close)
        return False

    def _after_unsaved_for_close(self, choice: str) -> None:
        if choice == "cancel":
            return
        if choice == "save":
            if not self.save():
                return
        else:
            self.discard()
        self.close_approved.emit()

    def close(self, approved: bool) -> None:
        """The window closes: a modified message not answered for is autosaved."""
        self._timer.stop()
        if not approved and self._modified:
            self.autosave()  # empty but modified: removes a stale file

    # ------------------------------------------------------------------ restoring

    def restore(self) -> None:
        """Restore the draft in the slot; offer (or restore) one an earlier run kept aside."""
        kept = self.store.kept()
        if kept and not self.store.exists():
            try:
                self.store.put_back(kept[0])  # the slot is free: the kept one goes back
                kept.pop(0)
            except OSError:
                pass  # it stays kept, and is offered below
        draft = self.store.load()
        if draft is not None:
            self._show(draft)
            self._status.say(_("Restored the draft you were writing."))
        elif self.store.load_error:
            self._status.banner.show_text("warning", self.store.load_error)
        if kept and self._status.banner.isHidden():
            self.offer_kept(kept[0])

    def keep_aside(self) -> Path | None:
        """Move the draft in the slot aside (see ``DraftStore.keep_aside``)."""
        return self.store.keep_aside()

    def kept(self) -> Path | None:
        """The draft kept aside and offered in the banner, if any."""
        return self._kept

    def offer_kept(self, path: Path) -> None:
        """Say that the draft in progress was kept aside at ``path``, with a link to it."""
        self._kept = path
        self._status.banner.show_notice(
            "info",
            _("The message you were writing before is kept; this one did not replace it."),
            LINK_KEPT_DRAFT,
            _("Open the earlier message"),
        )

    def open_kept(self, path: Path) -> bool:
        """Load the draft kept aside at ``path`` (it then lives in the autosave slot)."""
        draft = self.store.load(path)
        if draft is None:
            self._status.show_error(
                self.store.load_error or _("The earlier message is no longer there.")
            )
            self._kept = None
            return False
        self._show(draft, modified=True)
        if not self.write_now():
            return True  # shown and autosaving; the kept file stays until a save works
        path.unlink(missing_ok=True)
        self._kept = None
        self._status.banner.hide()
        self._status.say(_("Opened the earlier message."))
        return True
