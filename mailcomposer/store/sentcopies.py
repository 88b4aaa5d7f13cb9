"""Copies for the Sent folder: filed over IMAP after a send, kept and retried when that fails."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.files import atomic_file
from mailcomposer.smtp.settings import Secret
from mailcomposer.store import presets
from mailcomposer.store.imapsettings import ImapSettings
from mailcomposer.store.paths import Home, atomic_write

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any, BinaryIO

FOLDER_NAME = "sentcopies"
Appender = Callable[..., str]


@dataclass(frozen=True)
class SentCopyOutcome:
    """What became of one copy for the Sent folder.

    Attributes:
        saved: it is in the Sent folder now.
        folder: the folder it went to.
        reason: why it is not (translated), when it is not.
        waiting: the kept copy, when it waits for a retry.
    """

    saved: bool
    folder: str = ""
    reason: str = ""
    waiting: Path | None = None

    def line(self) -> str:
        """The note shown after the send (without the ``* `` prefix)."""
        if self.saved:
            return _("Saved to Sent (“{folder}”)").format(folder=self.folder)
        if self.waiting is not None:
            return _("The copy for Sent is waiting: {reason}. It is kept as {path} and "
                     "filed at the next send or with: mailcomposer account sent-retry").format(
                reason=self.reason, path=self.waiting)  # fmt: skip
        return _("Not saved to Sent: {reason}").format(reason=self.reason)


@dataclass(frozen=True)
class WaitingCopy:
    """A kept copy that has not reached the Sent folder yet.

    Attributes:
        path: the ``.eml`` file (the sender's copy, Bcc kept).
        account: the account it belongs to.
        created: when it was kept (ISO 8601, UTC).
        last_error: why the last try failed.
    """

    path: Path
    account: str
    created: str
    last_error: str = ""


def imap_for(account: Any) -> ImapSettings | None:
    """The account's IMAP settings, else those of its provider's preset.

    The preset's only while the account still sends through the provider's server
    (one pointed at another server keeps its preset id for the notes only).
    """
    if account.imap is not None:
        return account.imap
    preset = presets.get(account.preset) if account.preset else None
    if preset is None and account.identity is not None:
        preset = presets.preset_for_address(account.identity.address)
    if preset is None or preset.host != account.server.host.strip().lower():
        return None
    return preset.imap


class SentCopies:
    """The copies waiting for the Sent folder, under ``MAILCOMPOSER_HOME/sentcopies``.

    Attributes:
        folder: where they are kept (one ``.eml`` and one ``.json`` each).
        appender: files a copy (``imapsent.append_sent``; tests may pass another).
        timeout: seconds for each IMAP step.
    """

    def __init__(
        self, home: Home, *, appender: Appender | None = None, timeout: float = 30.0
    ) -> None:
        self.folder = home.root / FOLDER_NAME
        if appender is None:
            # Imported here: imaplib and ssl load only when a copy is really filed.
            from mailcomposer.store.imapsent import append_sent

            appender = append_sent
        self.appender = appender
        self.timeout = timeout

    def keep(self, account: str, data: bytes | Callable[[BinaryIO], object]) -> WaitingCopy:
        """Write the copy to disk for ``account`` before any try to file it.

        Args:
            account: the account name.
            data: the bytes, or a function writing them to the file it is given
                (a large message is streamed, never held in memory whole).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.UTC)
        stem = now.strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(4).hex()
        path = self.folder / f"{stem}.eml"
        with atomic_file(path) as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                data(handle)
        copy = WaitingCopy(path, account, now.isoformat(timespec="seconds"))
        self._write_meta(copy)
        return copy

    def waiting(self, account: str | None = None) -> list[WaitingCopy]:
        """Return the kept copies (of ``account`` only, if given), oldest first."""
        found = []
        for meta in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            path = meta.with_suffix(".eml")
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not path.is_file() or not isinstance(data, dict):
                continue
            copy = WaitingCopy(
                path, str(data.get("account", "")), str(data.get("created", "")),
                str(data.get("last_error", "")),
            )  # fmt: skip
            if account is None or copy.account == account:
                found.append(copy)
        return found

    def file(self, copy: WaitingCopy, account: Any, secret: Secret | None) -> SentCopyOutcome:
        """Try to file ``copy`` with ``account``'s IMAP settings; forget it once filed."""
        imap = imap_for(account)
        if imap is None or not imap.save_sent:
            self.forget(copy)
            return SentCopyOutcome(False, reason=_("saving to Sent is off for this account"))
        if secret is None or not account.server.username:
            reason = _("no password is available to log in to {host}").format(host=imap.host)
            return self._still_waiting(copy, reason)
        from mailcomposer.store.imapsent import ImapError

        try:
            folder = self.appender(
                imap,
                account.server.username,
                secret,
                copy.path,
                cafile=account.server.cafile,
                timeout=self.timeout,
            )
        except ImapError as exc:
            return self._still_waiting(copy, str(exc))
        except OSError as exc:  # the kept file itself could not be read
            return self._still_waiting(copy, str(exc))
        self.forget(copy)
        return SentCopyOutcome(True, folder=folder)

    def forget(self, copy: WaitingCopy) -> None:
        """Delete a kept copy and its notes."""
        for path in (copy.path, copy.path.with_suffix(".json")):
            path.unlink(missing_ok=True)

    def _still_waiting(self, copy: WaitingCopy, reason: str) -> SentCopyOutcome:
        self._write_meta(WaitingCopy(copy.path, copy.account, copy.created, reason))
        return SentCopyOutcome(False, reason=reason, waiting=copy.path)

    def _write_meta(self, copy: WaitingCopy) -> None:
        data = {"account": copy.account, "created": copy.created, "last_error": copy.last_error}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        atomic_write(copy.path.with_suffix(".json"), text.encode("utf-8"))


def save_sent(
    home: Home,
    account: Any,
    secret: Secret | None,
    data: bytes | Callable[[BinaryIO], object],
    *,
    copies: SentCopies | None = None,
) -> list[SentCopyOutcome]:
    """After a send: file earlier waiting copies of ``account``, then this one.

    Never raises for a network, IMAP or disk problem: each outcome says what happened.

    Args:
        home: the home folder.
        account: the account the message was sent with.
        secret: its login (the SMTP password, or the OAuth token).
        data: the sender's copy of the message (Bcc kept), or a function writing it
            to a file.
        copies: the store to use (tests pass one with another appender).

    Returns:
        one outcome per copy tried, this message's last.
    """
    imap = imap_for(account)
    if imap is None:
        return [SentCopyOutcome(False, reason=_("no IMAP server is set for this account "
                                                "(account add … --imap HOST)"))]  # fmt: skip
    if not imap.save_sent:
        return [SentCopyOutcome(False, reason=_("saving to Sent is off for this account"))]
    copies = copies or SentCopies(home)
    outcomes = [copies.file(c, account, secret) for c in copies.waiting(account.name)]
    try:
        copy = copies.keep(account.name, data)
    except OSError as exc:
        reason = _("the copy could not be kept ({error})").format(error=exc)
        return [*outcomes, SentCopyOutcome(False, reason=reason)]
    return [*outcomes, copies.file(copy, account, secret)]


def retry(
    home: Home,
    accounts: Callable[[str], Any],
    secret_for: Callable[[Any], Secret | None],
    *,
    copies: SentCopies | None = None,
) -> list[SentCopyOutcome]:
    """File every waiting copy (the window's and ``account sent-retry``'s button).

    Args:
        home: the home folder.
        accounts: returns the account of a name (None when it was removed).
        secret_for: returns an account's login, or None.
        copies: the store to use.
    """
    copies = copies or SentCopies(home)
    outcomes = []
    for copy in copies.waiting():
        account = accounts(copy.account)
        if account is None:
            reason = _("the account “{name}” no longer exists").format(name=copy.account)
            outcomes.append(copies._still_waiting(copy, reason))
            continue
        outcomes.append(copies.file(copy, account, secret_for(account)))
    return outcomes


def after_send_hook(
    home: Home, account_name: str, secret: Secret | None, built: Any, note: Callable[[str], None]
) -> Callable[[Any], None] | None:
    """Return the ``Submission.after_sent`` hook for ``account_name``, or None.

    No hook for ``--server`` sends and the built-in test server: no IMAP account.
    The hook files earlier waiting copies of the account, then this message's copy
    (Bcc kept), and passes each outcome's line to ``note``; it never fails the send.
    Used by ``send`` and by the window's send worker.
    """
    if not account_name:
        return None
    from mailcomposer.store.accounts import AccountStore

    account = AccountStore(home).get(account_name)
    if account is None or account.builtin_sandbox:
        return None

    def hook(_result: Any) -> None:
        def write(handle: BinaryIO) -> object:
            return built.wire(include_bcc=True).write_to(handle)

        for outcome in save_sent(home, account, secret, write):
            note(outcome.line())

    return hook
