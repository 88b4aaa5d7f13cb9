"""The outbox: the exact bytes and envelope of each send, kept until the server's 250."""

from __future__ import annotations

import contextlib
import datetime
import enum
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailcomposer.message.files import atomic_file
from mailcomposer.store.paths import Home, atomic_write

_META_SUFFIX = ".json"
_DATA_SUFFIX = ".eml"


class OutboxState(enum.StrEnum):
    """Where an outbox entry stands."""

    QUEUED = "queued"  # written, connection not finished yet
    UNKNOWN = "unknown"  # lost after the final dot: may have been delivered; never resend


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
        state: queued or unknown.
        size: bytes in ``path``.
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

    def read_bytes(self) -> bytes:
        """Return the stored message bytes."""
        return self.path.read_bytes()

    def subject(self) -> str:
        """The message's Subject, decoded ('' when it has none or cannot be read)."""
        from email import policy
        from email.parser import BytesHeaderParser

        try:
            with open(self.path, "rb") as fh:
                headers = BytesHeaderParser(policy=policy.default).parse(fh)
            return str(headers.get("Subject", "") or "")
        except (OSError, ValueError):
            return ""


class Outbox:
    """The ``outbox`` folder of a home: one ``.eml`` plus one ``.json`` sidecar per send.

    Nothing secret is written: the sidecar holds the envelope and where it went.

    Attributes:
        folder: the outbox folder.
    """

    def __init__(self, home: Home | Path) -> None:
        self.folder = home.outbox if isinstance(home, Home) else Path(home)

    def add(self, built: Any, *, account: str = "", server: str = "") -> OutboxEntry:
        """Write ``built``'s wire bytes and envelope atomically; return the entry.

        Args:
            built: a ``BuiltMessage`` (its ``wire().write_to`` streams the bytes, so
                large attachments are never held in memory).
            account: the account name, for the user's reference.
            server: ``host:port``.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.UTC)
        entry_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}"
        data_path = self.folder / f"{entry_id}{_DATA_SUFFIX}"
        with atomic_file(data_path) as fh:
            built.wire().write_to(fh)
        envelope = built.envelope
        meta = {
            "id": entry_id,
            "message_id": built.message_id,
            "envelope": {
                "sender": envelope.sender,
                "recipients": list(envelope.recipients),
                "smtputf8": bool(envelope.smtputf8),
            },
            "account": account,
            "server": server,
            "created": now.isoformat(timespec="seconds"),
            "state": OutboxState.QUEUED.value,
            "size": data_path.stat().st_size,
        }
        try:
            self._write_meta(entry_id, meta)
        except BaseException:
            with contextlib.suppress(OSError):
                data_path.unlink()
            raise
        return _entry_from(meta, data_path)

    def mark(self, entry_id: str, state: OutboxState) -> None:
        """Change the state of an entry (e.g. to ``unknown`` after a lost final reply)."""
        meta = self._read_meta(entry_id)
        meta["state"] = OutboxState(state).value
        self._write_meta(entry_id, meta)

    def remove(self, entry_id: str) -> None:
        """Delete an entry (after the server's 250 to the final dot, or a definite failure)."""
        for suffix in (_META_SUFFIX, _DATA_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{entry_id}{suffix}").unlink()

    def get(self, entry_id: str) -> OutboxEntry:
        """Return one entry (raises ``KeyError`` if it is gone)."""
        try:
            meta = self._read_meta(entry_id)
        except FileNotFoundError:
            raise KeyError(entry_id) from None
        return _entry_from(meta, self.folder / f"{entry_id}{_DATA_SUFFIX}")

    def pending(self) -> list[OutboxEntry]:
        """Return leftover entries (crash or unknown outcome), oldest first.

        Entries are only listed, never resent automatically.
        """
        entries = []
        try:
            metas = sorted(self.folder.glob(f"*{_META_SUFFIX}"))
        except OSError:
            return []
        for meta_path in metas:
            data_path = meta_path.with_suffix(_DATA_SUFFIX)
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if data_path.is_file():
                entries.append(_entry_from(meta, data_path))
        return entries

    def _read_meta(self, entry_id: str) -> dict[str, Any]:
        path = self.folder / f"{entry_id}{_META_SUFFIX}"
        return json.loads(path.read_text(encoding="utf-8"))

    def _write_meta(self, entry_id: str, meta: dict[str, Any]) -> None:
        data = json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")
        atomic_write(self.folder / f"{entry_id}{_META_SUFFIX}", data)


def _entry_from(meta: dict[str, Any], data_path: Path) -> OutboxEntry:
    envelope = meta.get("envelope", {})
    try:
        state = OutboxState(meta.get("state", "queued"))
    except ValueError:
        state = OutboxState.UNKNOWN
    return OutboxEntry(
        id=meta["id"],
        path=data_path,
        message_id=meta.get("message_id", ""),
        sender=envelope.get("sender", ""),
        recipients=tuple(envelope.get("recipients", ())),
        smtputf8=bool(envelope.get("smtputf8", False)),
        account=meta.get("account", ""),
        server=meta.get("server", ""),
        created=meta.get("created", ""),
        state=state,
        size=int(meta.get("size", 0)),
    )
