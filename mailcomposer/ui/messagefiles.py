"""Messages in and out of files: new, open and save .eml, mailto: links, the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.store.paths import Home
from mailcomposer.ui.draftkeeper import DraftKeeper, reason
from mailcomposer.ui.questions import Questions
from mailcomposer.ui.statusarea import LINK_OUTBOX, StatusArea

if TYPE_CHECKING:
    from mailcomposer.store.outbox import OutboxEntry


class Composer(Protocol):
    """What the message files need of the window they fill."""

    def current_draft(self) -> Draft: ...
    def load_draft(self, draft: Draft, *, modified: bool = False) -> None: ...
    def clear_message(self) -> None: ...
    def build_message(self) -> Any: ...
    def is_sending(self) -> bool: ...
    def is_blank(self, draft: Draft) -> bool: ...
    def start_with_signature(self) -> None: ...
    def subject(self) -> str: ...


def initial_argument(arguments: Sequence[str]) -> str | None:
    """The .eml path or mailto: URL among command-line ``arguments`` (program name excluded)."""
    for index, argument in enumerate(arguments):
        if index and arguments[index - 1] == "--template":
            continue  # the template's name (ui.templates)
        if not argument.startswith("-") or argument.lower().startswith("mailto:"):
            return argument
    return None


def file_name_for(subject: str) -> str:
    """A file name (without extension) for a message with ``subject``, one Windows takes."""
    from mailcomposer.message.filenames import name_from_text

    return name_from_text(subject)


class MessageFiles(QObject):
    """Replaces the message with another one (a new, an .eml, a link, an outbox entry).

    Every replacement goes through ``replace_message``, so none of them can silently
    drop the message being written: unsaved edits are asked about first, and a
    saved draft is kept aside and offered in the banner.

    Signals:
        eml_opened: a message file was opened (carries its path), so it can be answered.
    """

    eml_opened = Signal(str)

    def __init__(
        self,
        window: QWidget,
        composer: Composer,
        home: Home,
        keeper: DraftKeeper,
        status: StatusArea,
        questions: Questions,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._composer = composer
        self._home = home
        self._keeper = keeper
        self._status = status
        self._questions = questions
        # The outbox's timer (``OutboxRunner``): Retry now goes through it; set when wired.
        self.outbox_runner: Any = None
        self._opener: Any = None  # File → Open's worker (``EmlOpener``), made at first use

    # ------------------------------------------------------------------ replacing

    @Slot()
    def new_message(self) -> None:
        """Start a new message, asking first if the current one has unsaved edits."""
        self.replace_message(self._start_blank)

    def _start_blank(self) -> None:
        self._composer.clear_message()
        self._keeper.store.clear()

    def replace_message(self, load: Callable[[], object]) -> None:
        """Run ``load``, which replaces the message, once the current one is safe.

        With unsaved edits the user is asked first: save them as an .eml file,
        discard them, or cancel (then ``load`` never runs). Nothing happens during a
        send.
        """
        if self._composer.is_sending() or self._questions.raise_pending():
            return  # one question at a time
        if not self._keeper.is_dirty():
            self._replace_saved_message(load)
            return
        self._questions.ask_unsaved(lambda choice: self._after_unsaved(choice, load))

    def _replace_saved_message(self, load: Callable[[], object]) -> None:
        """Replace a message whose edits are all saved: its only copy is the draft slot.

        Restored at start or saved with Ctrl+S, the message lives in the autosave
        slot, which the next message takes: it is kept aside first and offered in
        the banner (and at the next start), so nothing is dropped without a word.
        """
        kept = None
        if not self._composer.is_blank(self._composer.current_draft()):
            try:
                kept = self._keeper.keep_aside()
            except OSError as exc:
                self._status.show_error(
                    _("The message was not replaced: its draft could not be kept ({error}).")
                    .format(error=reason(exc))
                )  # fmt: skip
                return
        load()
        if kept is not None:
            self._keeper.offer_kept(kept)

    def _after_unsaved(self, choice: str, load: Callable[[], object]) -> None:
        if choice == "cancel":
            return
        if choice == "save":
            # One autosave slot: a kept draft must leave as a file before the slate is wiped.
            path = self._ask_save_path()
            if not path or not self.save_eml(path):
                return
        load()

    # ------------------------------------------------------------------ .eml files

    def _ask_save_path(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self._window,
            _("Save message as"),
            file_name_for(self._composer.subject()) + ".eml",
            _("E-mail messages (*.eml)"),
        )
        return path

    @Slot()
    def choose_eml_to_open(self) -> None:
        """Ask for an .eml file and open it (once the current message is safe)."""
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self._window, _("Open message"), "", _("E-mail messages (*.eml);;All files (*)")
        )
        if path:
            self.open_eml_in_background(path)

    def open_eml_in_background(self, path: str | Path) -> None:
        """Read and parse an .eml file on a worker thread, then open it like ``open_eml``.

        The message being written is not touched until the file is read whole: then
        it is replaced once safe (``replace_message``); if the file cannot be read it
        stays as it was and the error is shown.
        """
        opener = self._opener
        if opener is None:
            from mailcomposer.ui.emlopen import EmlOpener

            opener = self._opener = EmlOpener(self._window, self)
            opener.opened.connect(self._on_opener_opened)
            opener.failed.connect(self._on_opener_failed)
        self._status.say(_("Opening {name}…").format(name=Path(path).name), 0)
        opener.start(path)

    @Slot(str, object)
    def _on_opener_opened(self, path: str, draft: Draft) -> None:
        self._status.say("")
        self.replace_message(lambda: self._show_opened(draft, path))

    @Slot(str, object)
    def _on_opener_failed(self, path: str, error: object) -> None:
        self._status.say("")
        problem = reason(error) if isinstance(error, Exception) else str(error)
        self._status.show_error(
            _("Could not open {path}: {error}").format(path=path, error=problem)
        )

    def open_eml(self, path: str | Path) -> bool:
        """Load an .eml file into the composer; True on success."""
        from mailcomposer.message.eml import read_eml

        try:
            draft = read_eml(Path(path))
        except (OSError, ValueError) as exc:
            self._status.show_error(
                _("Could not open {path}: {error}").format(path=path, error=reason(exc))
            )
            return False
        return self._show_opened(draft, path)

    def _show_opened(self, draft: Draft, path: str | Path) -> bool:
        draft.message_id = None  # a reopened message is a new message
        self._composer.load_draft(draft, modified=True)
        self._status.say(_("Opened {name}.").format(name=Path(path).name))
        self._keeper.save_soon()
        self._opened = self._composer.current_draft()
        self.eml_opened.emit(str(path))
        return True

    def unchanged_since_open(self) -> bool:
        """True when the composer still shows an opened file exactly as it was opened.

        Replacing it then loses nothing (the file is still on disk): no question.
        """
        opened = getattr(self, "_opened", None)
        return opened is not None and self._composer.current_draft() == opened

    def show_error(self, text: str) -> None:
        """Show ``text`` in the error banner."""
        self._status.show_error(text)

    def saved_soon(self) -> None:
        """A loaded message counts as typed: modified, autosaved shortly."""
        self._keeper.set_modified(True)
        self._keeper.save_soon()

    @Slot()
    def choose_eml_to_save(self) -> None:
        """Ask where to save the message as an .eml file, and save it."""
        path = self._ask_save_path()
        if path:
            self.save_eml(path)

    def save_eml(self, path: str | Path) -> bool:
        """Build the message and write it as an .eml file (Bcc kept, as in a sent copy)."""
        built = self._composer.build_message()
        if built is None:
            return False
        from mailcomposer.message.eml import write_eml

        try:
            write_eml(built, Path(path))
        except OSError as exc:
            self._status.show_error(
                _("Could not save {path}: {error}").format(path=path, error=reason(exc))
            )
            return False
        self._status.say(_("Saved {name}.").format(name=Path(path).name))
        return True

    # ------------------------------------------------------------------ arguments

    def load_argument(self, argument: str) -> bool:
        """Load a ``mailto:`` URL or an .eml path; False (with an error banner) if unusable."""
        if argument.lower().startswith("file:"):  # a desktop's %u may pass a file: URL
            from urllib.parse import unquote, urlsplit

            argument = unquote(urlsplit(argument).path)
        if not argument.lower().startswith("mailto:"):
            return self.open_eml(argument)
        from mailcomposer.message.mailto import parse_mailto

        try:
            draft = parse_mailto(argument)
        except ValueError as exc:
            self._status.show_error(_("Could not read the mailto link: {error}").format(error=exc))
            return False
        self._composer.load_draft(draft, modified=True)
        # A mailto: link starts a new message: it gets the signature as one would.
        self._composer.start_with_signature()
        self._keeper.set_modified(True)
        self._keeper.save_soon()  # kept like a typed message, as open_eml does
        return True

    def open_argument(self, arguments: Sequence[str]) -> None:
        """Open the link or file among ``arguments`` once the current message is safe."""
        argument = initial_argument(arguments)
        if argument:
            self.replace_message(lambda: self.load_argument(argument))

    def open_at_start(self, argument: str, load: Callable[[], bool] | None = None) -> None:
        """Start with the ``mailto:`` link or .eml file given, keeping any draft in progress.

        The message from outside takes the one autosave slot: a draft already in it is
        kept aside first and offered in the banner, never overwritten. If the argument
        cannot be read, the draft goes back to its slot and is restored as usual.
        """
        try:
            kept = self._keeper.keep_aside()
        except OSError as exc:
            # The draft cannot be moved out of the way: it wins, the argument waits.
            self._keeper.restore()
            self._status.show_error(
                _("{argument} was not opened: the draft in progress could not be kept ({error}).")
                .format(argument=argument, error=exc.strerror or exc),
            )  # fmt: skip
            return
        if (load or (lambda: self.load_argument(argument)))():
            if kept is not None:
                self._keeper.offer_kept(kept)
            return
        if kept is not None:
            error = self._status.banner.text()  # the failure, as shown
            self._keeper.restore()  # the slot is empty: the draft just kept goes back
            self._status.banner.show_message("error", error)

    # ------------------------------------------------------------------ the outbox

    def check_outbox(self) -> int:
        """Tell (in the banner, if it is free) when earlier sends left messages behind.

        Returns how many messages the outbox holds. Cheap at start-up: it only
        counts files.
        """
        try:
            count = sum(1 for _path in self._home.outbox.glob("*.json"))
        except OSError:
            return 0
        if count:
            from mailcomposer.store.outbox import Outbox, OutboxState

            waiting = (OutboxState.SCHEDULED, OutboxState.RETRY)  # sent by themselves
            count = sum(1 for e in Outbox(self._home).pending() if e.state not in waiting)
        if count and self._status.banner.isHidden():
            self._status.banner.show_notice(
                "warning",
                _(
                    "Messages from an earlier send may not have been delivered ({n} in the outbox)."
                ).format(n=count),
                LINK_OUTBOX,
                _("Review the outbox"),
            )
        return count

    @Slot()
    def show_outbox(self) -> None:
        """Open the outbox window (messages whose sending was cut short)."""
        from mailcomposer.ui.outboxdialog import OutboxDialog

        if self._composer.is_sending():
            return
        runner = self.outbox_runner
        for dialog in self._window.findChildren(OutboxDialog):
            dialog.refresh()
            dialog.raise_()
            return
        dialog = OutboxDialog(self._home, self._window, runner.queue if runner else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self._on_outbox_dialog_open_requested)
        if runner is not None:
            dialog.retry_requested.connect(runner.retry_now)
            runner.changed.connect(dialog.refresh)
        dialog.show()

    @Slot(bool)
    def close_outbox(self, sending: bool = True) -> None:
        """Close the outbox window when a send starts (it would list that message)."""
        if sending:
            for dialog in self._window.findChildren(QWidget, "outboxDialog"):
                dialog.close()

    @Slot(object)
    def _on_outbox_dialog_open_requested(self, entry: Any) -> None:
        from shiboken6 import isValid

        dialog = self.sender()

        def reopen() -> None:
            # The question about the current message may outlive the outbox window.
            if self.open_outbox_entry(entry) and isValid(dialog):
                dialog.refresh()

        self.replace_message(reopen)

    def open_outbox_entry(self, entry: OutboxEntry) -> bool:
        """Reopen an outbox message in the composer, with its Message-ID and Bcc.

        It then lives in the autosave slot; the outbox copy (the exact message, with
        headers the composer does not edit) stays until a resend is accepted or the
        user deletes it. A resend carries the same Message-ID, so a recipient's
        server or client can recognise a duplicate.
        """
        from email.utils import getaddresses

        from mailcomposer.message.eml import read_eml
        from mailcomposer.store.outboxqueue import EntryBusy, OutboxQueue
        from mailcomposer.ui.outboxdialog import QUEUED_STATES

        queue = self.outbox_runner.queue if self.outbox_runner else OutboxQueue(self._home)
        if queue.busy(entry.id):
            self._status.show_error(_("That message is being sent right now."))
            return False
        try:
            draft = read_eml(entry.path)
        except (OSError, ValueError) as exc:
            self._status.show_error(
                _("Could not open {path}: {error}").format(path=entry.path, error=reason(exc))
            )
            return False
        draft.message_id = entry.message_id or None
        draft.read_receipt, draft.dsn = entry.receipts()  # the same message, the same asks
        # The copy carries no Bcc header: the envelope remembers those recipients.
        # Compared as the envelope is built (RFC 5321 §2.4: Bob@ and bob@ are two).
        from mailcomposer.message.addresses import envelope_key

        shown = {envelope_key(addr) for _name, addr in getaddresses([draft.to, draft.cc])}
        hidden = [rcpt for rcpt in entry.recipients if envelope_key(rcpt) not in shown]
        if hidden and not draft.bcc:
            draft.bcc = ", ".join(hidden)
        self._composer.load_draft(draft, modified=True)
        if not self._keeper.write_now():
            return True  # shown and autosaving; the outbox keeps its copy meanwhile
        if entry.state in QUEUED_STATES:
            # In the composer now: it must not also go by itself from the queue.
            try:
                queue.delete(entry.id)
            except (EntryBusy, KeyError):
                pass
            if self.outbox_runner is not None:
                self.outbox_runner.changed.emit()
            self._status.say(_("Taken out of the outbox to edit; send it when ready."))
            return True
        banner = self._status.banner
        if banner.kind == "warning" and f'href="{LINK_OUTBOX}"' in banner.text():
            banner.hide()
        self._status.say(
            _(
                "Reopened from the outbox; sending it again keeps its Message-ID, and the "
                "outbox copy goes once it is sent."
            )
        )
        return True
