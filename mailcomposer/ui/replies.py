"""Reply, Reply all and Forward for an opened message: its actions and the new draft."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from mailcomposer.i18n import _
from mailcomposer.message.replymode import Mode
from mailcomposer.store.paths import Home

# Command-line flags that open the composer answering a file: mailcomposer --reply FILE.eml
FLAGS = {
    "--reply": Mode.REPLY,
    "--reply-all": Mode.REPLY_ALL,
    "--forward": Mode.FORWARD,
    "--forward-attached": Mode.FORWARD_ATTACHED,
}


def start_mode(arguments: Sequence[str]) -> Mode | None:
    """The response the command-line ``arguments`` ask for (``--reply`` …), if any."""
    return next((FLAGS[a] for a in arguments if a in FLAGS), None)


def own_addresses(home: Home) -> list[str]:
    """Every address of every identity: left out of Reply all; Reply to them answers past them."""
    from mailcomposer.store.accounts import AccountStore

    return [i.address for a in AccountStore(home).accounts() for i in a.identities]


class Replies(QObject):
    """Answers the last opened message: Reply, Reply all, Forward, Forward as attachment.

    The actions are enabled once a message was opened (File > Open .eml, or one
    given at start); each replaces the message being written the safe way
    (``MessageFiles.replace_message``) with a new threaded draft.

    Attributes:
        actions: mode -> its QAction (object names ``replyAction``,
            ``replyAllAction``, ``forwardAction``, ``forwardAttachedAction``).
        source: the opened message file being answered, or None.
    """

    def __init__(
        self, window: QWidget, home: Home, files: Any, composer: Any, identity: Any
    ) -> None:
        """Answer into ``composer`` via ``files``; ``identity()`` is the From identity."""
        super().__init__(window)
        self._home = home
        self._files = files
        self._composer = composer
        self._identity = identity
        files.eml_opened.connect(self.remember)
        self.source: Path | None = None
        key = QKeySequence
        specs = (
            (Mode.REPLY, _("&Reply"), "replyAction", key("Ctrl+R"), "mail-reply-sender"),
            (Mode.REPLY_ALL, _("Reply &all"), "replyAllAction", key("Ctrl+Alt+R"),
             "mail-reply-all"),
            (Mode.FORWARD, _("&Forward"), "forwardAction", None, "mail-forward"),
            (Mode.FORWARD_ATTACHED, _("Forward as a&ttachment"), "forwardAttachedAction", None, ""),
        )  # fmt: skip
        self.actions: dict[Mode, QAction] = {}
        from PySide6.QtGui import QIcon

        for mode, text, name, shortcut, icon in specs:
            action = QAction(QIcon.fromTheme(icon), text, window)
            action.setObjectName(name)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.setEnabled(False)
            action.setToolTip(_("Answer the message opened from a file"))
            action.triggered.connect(lambda _checked=False, m=mode: self.respond(m))
            self.actions[mode] = action

    @Slot(str)
    def remember(self, path: str) -> None:
        """A message file was opened: it is the one the actions answer."""
        self.source = Path(path)
        for action in self.actions.values():
            action.setEnabled(True)

    def respond(self, mode: Mode, source: str | Path | None = None) -> None:
        """Replace the message (safely) with ``mode``'s answer to ``source`` (default: the last)."""
        path = Path(source) if source is not None else self.source
        if path is None:
            return
        if self._files.unchanged_since_open():
            self.load(path, mode)  # the opened file, untouched, is still on disk
            return
        self._files.replace_message(lambda: self.load(path, mode))

    def load(self, path: str | Path, mode: Mode) -> bool:
        """Load the answer to the message at ``path`` now; False (banner says why) if unreadable."""
        from mailcomposer.message.inspect import MessageFileError, read_message_file
        from mailcomposer.message.reply import respond

        try:
            raw = read_message_file(Path(path))
            identity = self._identity()
            draft = respond(
                raw,
                mode,
                own_addresses=own_addresses(self._home),
                from_addr=identity.formatted() if identity is not None else "",
            )
        except (MessageFileError, OSError, ValueError) as exc:
            self._files.show_error(
                _("Could not answer {path}: {error}").format(path=path, error=exc)
            )
            return False
        self.remember(str(path))
        self._composer.load_draft(draft, modified=True)
        self._composer.start_with_signature()
        self._files.saved_soon()
        self._focus_next_step(bool(draft.to))
        return True

    def _focus_next_step(self, addressed: bool) -> None:
        """A reply is written next (at the top of the body); a forward needs a recipient."""
        if not addressed:
            self._composer.to_field.setFocus()
            return
        from PySide6.QtGui import QTextCursor

        self._composer.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self._composer.editor.setFocus()

    def open_argument(self, arguments: Sequence[str]) -> bool:
        """Another start asked ``--reply FILE.eml`` (or the like): answer it; False if not asked."""
        from mailcomposer.ui.messagefiles import initial_argument

        mode, argument = start_mode(arguments), initial_argument(arguments)
        if mode is None or not argument:
            return False
        self.respond(mode, argument)
        return True

    def open_at_start(self, argument: str, mode: Mode) -> None:
        """``mailcomposer --reply FILE.eml``: start with the answer (the draft is kept aside)."""
        self._files.open_at_start(argument, load=lambda: self.load(argument, mode))
