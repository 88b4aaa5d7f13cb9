"""The outbox: the exact bytes and envelope of each send, kept until the server's 250."""

from __future__ import annotations

import contextlib
import datetime
import enum
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.files import make_temp_file, replace
from mailcomposer.store.paths import Home, atomic_write

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any, BinaryIO

_META_SUFFIX = ".json"
_DATA_SUFFIX = ".eml"
_TMP_SUFFIX = ".tmp"
# A half-written copy older than this was left by a crash: no send still writes it.
_STALE_TMP_S = 24 * 3600


class OutboxState(enum.StrEnum):
    """Where an outbox entry stands."""

    QUEUED = "queued"  # written, connection not finished yet
    UNKNOWN = "unknown"  # lost after the final dot: may have been delivered; never resend
    SCHEDULED = "scheduled"  # Send Later: waits for its due time
    RETRY = "retry"  # a temporary failure: tried again at its next try time
    FAILED = "failed"  # a permanent failure: kept with its reason until deleted


@dataclass(frozen=True)
class OutboxEntry:
    """One message waiting in (or left over in) the outbox.

    Attributes:
        id: the entry's id (file stem).
        path: the ``.eml`` file holding the exact bytes (unstuffed, CRLF).
        message_id: the Message-ID sent (reuse it when resending).
        sender: envelope sender.
        recipients: envelope recipients (Bcc included).
        smtputf8: whether the envelope needs SMTPUTF8.
        account: account name used, if any.
        server: ``host:port``.
        created: when it was queued (ISO 8601, UTC).
        state: queued, unknown, scheduled, retry or failed.
        size: bytes in ``path``.
        next_try: when it is due (ISO 8601, UTC; empty: never by itself).
        attempts: how many times it was tried from the outbox.
        last_error: why the last try failed (empty before any).
        bcc: the Bcc recipients as written (envelope only, never in the bytes).
        notify: the delivery notifications asked for (RFC 3461 NOTIFY; empty: none).
        settings: how to reach the server without an account (``host``, ``port``,
            ``security``, ``username``, ``cafile``; ``sandbox`` for the built-in one).
        pid: the process that wrote it (0: not recorded), so a ``queued`` entry
            whose sender died can be told from one still waiting for its reply.
    """

    id: str
    path: Path
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    smtputf8: bool
    account: str
    server: str
    created: str
    state: OutboxState
    size: int
    next_try: str = ""
    attempts: int = 0
    last_error: str = ""
    bcc: tuple[str, ...] = ()
    notify: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict, compare=False)
    pid: int = 0

    def read_bytes(self) -> bytes:
        """Return the stored message bytes."""
        return self.path.read_bytes()

    def subject(self) -> str:
        """The message's Subject, decoded ('' when it has none or cannot be read)."""
        try:
            return str(self._headers().get("Subject", "") or "")
        except (OSError, ValueError):
            return ""

    def receipts(self) -> tuple[bool, list[str]]:
        """The receipts it asks for, as a draft holds them: ``read_receipt`` and ``dsn``.

        The read receipt is a header of the stored bytes (``Disposition-Notification-To``);
        the delivery notifications are the envelope's (RFC 3461 NOTIFY).
        """
        from mailcomposer.message.receipts import READ_RECEIPT_HEADER

        try:
            read_receipt = READ_RECEIPT_HEADER in self._headers()
        except (OSError, ValueError):
            read_receipt = False
        return read_receipt, list(self.notify)

    def _headers(self) -> Any:
        from email import policy
        from email.parser import BytesHeaderParser

        with open(self.path, "rb") as fh:
            return BytesHeaderParser(policy=policy.default).parse(fh)


class Outbox:
    """The ``outbox`` folder of a home: one ``.eml`` plus one ``.json`` sidecar per send.

    Nothing secret is written: the sidecar holds the envelope and where it went.

    Attributes:
        folder: the outbox folder.
    """

    def __init__(self, home: Home | Path) -> None:
        self.folder = home.outbox if isinstance(home, Home) else Path(home)

    def add(
        self,
        built: Any,
        *,
        account: str = "",
        server: str = "",
        state: OutboxState = OutboxState.QUEUED,
        extra: dict[str, Any] | None = None,
    ) -> OutboxEntry:
        """Write ``built``'s wire bytes and envelope atomically; return the entry.

        Args:
            built: a ``BuiltMessage`` (its ``wire().write_to`` streams the bytes, so
                large attachments are never held in memory).
            account: the account name used to send it.
            server: ``host:port``.
            state: the state it is listed with from the start.
            extra: more sidecar fields (``next_try``, ``settings``...), written with it.
        """
        copy = self.begin(account=account, server=server)
        try:
            built.wire().write_to(copy.file)
            return copy.commit(built, state=state, extra=extra)
        finally:
            copy.discard()

    def begin(self, *, account: str = "", server: str = "") -> PendingCopy:
        """Start an entry whose bytes are written as they are produced (while DATA streams).

        Nothing is listed until :meth:`PendingCopy.commit`; see :class:`PendingCopy`.

        Args:
            account: the account name, for the user's reference.
            server: ``host:port``.

        Raises:
            OSError: the outbox folder cannot be written.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_stale_copies()
        now = datetime.datetime.now(datetime.UTC)
        # 48 random bits, as the first 12 hex digits of a uuid4 were (without uuid's
        # imports: platform, and subprocess on some systems).
        entry_id = f"{now:%Y%m%dT%H%M%S}-{os.urandom(6).hex()}"
        return PendingCopy(self, entry_id, now, account, server)

    def _remove_stale_copies(self) -> None:
        # Left by a crash: a half-written copy, or a message file without its
        # sidecar (a crash between the two steps of commit() or remove()). Neither
        # is ever listed; once a day old, no send still writes it.
        cutoff = time.time() - _STALE_TMP_S
        with contextlib.suppress(OSError):
            leftovers = [
                *self.folder.glob(f".*{_DATA_SUFFIX}.*{_TMP_SUFFIX}"),
                *(
                    path
                    for path in self.folder.glob(f"*{_DATA_SUFFIX}")
                    if not path.with_suffix(_META_SUFFIX).exists()
                ),
            ]
            for path in leftovers:
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()

    def mark(self, entry_id: str, state: OutboxState) -> None:
        """Change the state of an entry (e.g. to ``unknown`` after a lost final reply)."""
        self.update(entry_id, state=OutboxState(state).value)

    def update(self, entry_id: str, **fields: Any) -> OutboxEntry:
        """Change sidecar fields of an entry (``state``, ``next_try``...); return it.

        Raises:
            KeyError: the entry is gone.
        """
        try:
            meta = self._read_meta(entry_id)
        except FileNotFoundError:
            raise KeyError(entry_id) from None
        meta.update({k: v.value if isinstance(v, enum.Enum) else v for k, v in fields.items()})
        self._write_meta(entry_id, meta)
        return _entry_from(meta, self.folder / f"{entry_id}{_DATA_SUFFIX}")

    def remove(self, entry_id: str) -> None:
        """Delete an entry (after the server's 250 to the final dot, or a definite failure)."""
        for suffix in (_META_SUFFIX, _DATA_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{entry_id}{suffix}").unlink()

    def remove_sent(self, entry_id: str) -> str:
        """Remove the entry of a message the server accepted; '' or a warning if it stays.

        A copy that cannot be removed (the folder turned read-only, the file held open
        by another program on Windows) must not read as "not sent": it is marked
        ``unknown`` (never sent again by itself), its last error saying it was sent,
        and the returned warning tells the user to delete it.
        """
        try:
            self.remove(entry_id)
            return ""
        except OSError as exc:
            error = exc.strerror or str(exc)
        with contextlib.suppress(OSError, KeyError, ValueError):
            self.update(
                entry_id,
                state=OutboxState.UNKNOWN,
                next_try="",
                last_error=_(
                    "It was sent (the server accepted it), but this copy could not be "
                    "removed ({error}): delete it; do not send it again."
                ).format(error=error),
            )
        return _(
            "The message was sent, but its copy in the outbox ({path}) could not be removed "
            "({error}): delete it from the outbox; do not send it again."
        ).format(path=self.folder / f"{entry_id}{_DATA_SUFFIX}", error=error)

    def get(self, entry_id: str) -> OutboxEntry:
        """Return one entry (raises ``KeyError`` if it is gone).

        An entry whose sidecar cannot be read is returned as a damaged one
        (:func:`_damaged_entry`), so it can still be listed, reopened and deleted.
        """
        data_path = self.folder / f"{entry_id}{_DATA_SUFFIX}"
        try:
            meta = self._read_meta(entry_id)
            return _entry_from(meta, data_path)
        except FileNotFoundError:
            raise KeyError(entry_id) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            return _damaged_entry(data_path, exc)

    def pending(self) -> list[OutboxEntry]:
        """Return every listed entry, oldest first.

        Only ``scheduled`` and ``retry`` entries are ever sent by themselves (by
        ``store.outboxqueue``); the others wait for the user.
        """
        entries = []
        try:
            metas = sorted(self.folder.glob(f"*{_META_SUFFIX}"))
        except OSError:
            return []
        for meta_path in metas:
            # A sidecar that cannot be read hides nothing: its message is listed as
            # damaged (outcome unknown, never sent by itself), for the user to reopen.
            if meta_path.with_suffix(_DATA_SUFFIX).is_file():
                with contextlib.suppress(KeyError):  # removed meanwhile
                    entries.append(self.get(meta_path.stem))
        return entries

    def _read_meta(self, entry_id: str) -> dict[str, Any]:
        path = self.folder / f"{entry_id}{_META_SUFFIX}"
        return json.loads(path.read_text(encoding="utf-8"))

    def _write_meta(self, entry_id: str, meta: dict[str, Any]) -> None:
        data = json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")
        atomic_write(self.folder / f"{entry_id}{_META_SUFFIX}", data)


class PendingCopy:
    """An outbox entry being written, typically while the message streams to the server.

    The bytes go to a hidden temporary file beside the entry. :meth:`commit`
    flushes and fsyncs it, renames it to ``<id>.eml``, then writes the ``.json``
    sidecar (the envelope and state) and syncs the folder: an entry is only
    listed once its sidecar exists, and then its message is complete and on disk.
    A crash or cancel before that leaves at most the hidden temporary file, which
    is never listed, never resent, and removed (:meth:`discard`, or by a later
    send once it is a day old).

    Attributes:
        id: the entry id it will have.
        file: the open binary file to write the unstuffed CRLF message to.
        entry: the committed entry (None until :meth:`commit`).
    """

    def __init__(
        self,
        outbox: Outbox,
        entry_id: str,
        created: datetime.datetime,
        account: str,
        server: str,
    ) -> None:
        self.id = entry_id
        self.entry: OutboxEntry | None = None
        self._outbox = outbox
        self._created = created
        self._account = account
        self._server = server
        self._data_path = outbox.folder / f"{entry_id}{_DATA_SUFFIX}"
        fd, tmp = make_temp_file(outbox.folder, f".{self._data_path.name}.", _TMP_SUFFIX)
        self._tmp_path: Path | None = Path(tmp)
        self.file: BinaryIO = os.fdopen(fd, "wb")

    @property
    def committed(self) -> bool:
        return self.entry is not None

    def restart(self) -> BinaryIO:
        """Empty the file for a new pass (a second DATA attempt) and return it."""
        if self._tmp_path is None:
            raise ValueError("the copy was committed or discarded")
        self.file.seek(0)
        self.file.truncate()
        return self.file

    def commit(
        self,
        built: Any,
        *,
        state: OutboxState = OutboxState.QUEUED,
        extra: dict[str, Any] | None = None,
    ) -> OutboxEntry:
        """Make the written bytes a complete, durable entry of ``built``; return it.

        Args:
            built: gives ``message_id``, ``envelope`` (sender, recipients, smtputf8)
                and ``bcc``.
            state: the state it is listed with.
            extra: more sidecar fields written with it.

        Raises:
            OSError: the copy could not be completed (full disk...); nothing is listed.
        """
        if self._tmp_path is None:
            raise ValueError("the copy was committed or discarded")
        self.file.flush()
        os.fsync(self.file.fileno())
        size = self.file.tell()
        self.file.close()
        replace(self._tmp_path, self._data_path)
        self._tmp_path = None
        envelope = built.envelope
        meta = {
            "id": self.id,
            "message_id": built.message_id,
            "envelope": {
                "sender": envelope.sender,
                "recipients": list(envelope.recipients),
                "smtputf8": bool(envelope.smtputf8),
                "notify": list(getattr(envelope, "notify", ())),
            },
            "account": self._account,
            "server": self._server,
            "created": self._created.isoformat(timespec="seconds"),
            "state": OutboxState(state).value,
            "size": size,
            "bcc": list(getattr(built, "bcc", ())),
            "pid": os.getpid(),
            **(extra or {}),
        }
        try:
            self._outbox._write_meta(self.id, meta)
            _sync_folder(self._outbox.folder)
        except BaseException:
            with contextlib.suppress(OSError):
                self._data_path.unlink()
            raise
        self.entry = _entry_from(meta, self._data_path)
        return self.entry

    def discard(self) -> None:
        """Drop the copy unless it was committed (idempotent)."""
        tmp, self._tmp_path = self._tmp_path, None
        if tmp is None:
            return
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            tmp.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX; Windows has no folder handles)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _entry_from(meta: dict[str, Any], data_path: Path) -> OutboxEntry:
    """The entry a sidecar describes (``ValueError``, ``TypeError``... if it is damaged).

    Its id is always the file's: a sidecar naming another id must not make a
    remove or an update reach another entry's files.
    """
    envelope = meta.get("envelope", {})
    recipients = envelope.get("recipients", ())
    if isinstance(recipients, str) or not all(isinstance(r, str) for r in recipients):
        raise ValueError("the recipients are not a list of addresses")
    try:
        state = OutboxState(meta.get("state", "queued"))
    except ValueError:
        state = OutboxState.UNKNOWN
    if not recipients:  # nobody to send it to: never by itself
        state = OutboxState.UNKNOWN
    return OutboxEntry(
        id=data_path.stem,
        path=data_path,
        message_id=meta.get("message_id", ""),
        sender=envelope.get("sender", ""),
        recipients=tuple(recipients),
        smtputf8=bool(envelope.get("smtputf8", False)),
        account=meta.get("account", ""),
        server=meta.get("server", ""),
        created=meta.get("created", ""),
        state=state,
        size=int(meta.get("size", 0)),
        next_try=str(meta.get("next_try", "") or ""),
        attempts=int(meta.get("attempts", 0) or 0),
        last_error=str(meta.get("last_error", "") or ""),
        bcc=tuple(meta.get("bcc", ())),
        notify=tuple(str(n) for n in envelope.get("notify", ()) if isinstance(n, str)),
        settings=dict(meta.get("settings", {}) or {}),
        pid=int(meta.get("pid", 0) or 0),
    )


def _damaged_entry(data_path: Path, error: Exception) -> OutboxEntry:
    """An entry whose sidecar cannot be read: its message, outcome unknown.

    The envelope (Bcc included), the server and the state are lost with the
    sidecar; the message itself is intact, so it is listed, never sent by itself,
    and can be reopened in the composer (its Message-ID read from its headers) or
    deleted. The damaged sidecar is left as it is, for inspection.
    """
    from email import policy
    from email.parser import BytesHeaderParser

    message_id = ""
    try:
        with open(data_path, "rb") as fh:
            message_id = str(BytesHeaderParser(policy=policy.default).parse(fh)["Message-ID"] or "")
    except (OSError, ValueError, TypeError):
        pass
    sidecar = data_path.with_suffix(_META_SUFFIX)
    reason = (error.strerror if isinstance(error, OSError) else "") or _(
        "its content is damaged or from another version"
    )
    try:
        size = data_path.stat().st_size
    except OSError:
        size = 0
    return OutboxEntry(
        id=data_path.stem,
        path=data_path,
        message_id=message_id.strip(),
        sender="",
        recipients=(),
        smtputf8=False,
        account="",
        server="",
        created="",
        state=OutboxState.UNKNOWN,
        size=size,
        last_error=_(
            "Its record {path} could not be read ({error}): its recipients and server are "
            "not known. Edit reopens the message; check the recipients, then send it."
        ).format(path=sidecar, error=reason),
    )
