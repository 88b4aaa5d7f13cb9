"""The sandbox inbox: list, read and delete the messages stored in its Maildir."""

from __future__ import annotations

import email.utils
import os
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

# Reading headers only: stop at the blank line so a 25 MiB message costs nothing.
_HEADER_LIMIT = 256 * 1024


@dataclass(frozen=True)
class StoredMessage:
    """One message in the sandbox Maildir.

    Attributes:
        key: the Maildir key (file name without the ``:2,`` flags).
        path: the file holding it.
        mail_from: envelope sender (``X-MailFrom``).
        rcpt_tos: envelope recipients (``X-RcptTo``), Bcc included.
        peer: the client address (``X-Peer``).
        subject: the decoded Subject.
        date: the Date header, or the file time when it has none.
        size: file size in bytes.
    """

    key: str
    path: Path
    mail_from: str
    rcpt_tos: tuple[str, ...]
    peer: str
    subject: str
    date: datetime | None
    size: int

    def raw(self) -> bytes:
        """Return the stored bytes (with the envelope headers)."""
        return self.path.read_bytes()


class Inbox:
    """The messages of one Maildir, newest first.

    Attributes:
        maildir: the Maildir root (``new``, ``cur``, ``tmp``).
    """

    def __init__(self, maildir: Path | str) -> None:
        self.maildir = Path(maildir)

    def _files(self) -> list[Path]:
        files = []
        for sub in ("new", "cur"):
            folder = self.maildir / sub
            try:
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            files.extend(
                Path(e.path) for e in entries if e.is_file() and not e.name.startswith(".")
            )
        return files

    def messages(self) -> list[StoredMessage]:
        """Return every stored message, newest first."""
        found = []
        for path in self._files():
            try:
                found.append((path.stat().st_mtime_ns, _read(path)))
            except OSError:
                continue  # deleted meanwhile
        found.sort(key=lambda item: (item[0], item[1].key), reverse=True)
        return [message for _mtime, message in found]

    def __len__(self) -> int:
        return len(self._files())

    def get(self, key: str) -> StoredMessage:
        """Return the message with ``key`` (raises ``KeyError``)."""
        for path in self._files():
            if _key_of(path) == key:
                return _read(path)
        raise KeyError(key)

    def delete(self, key: str) -> None:
        """Delete the message with ``key`` (raises ``KeyError`` if absent)."""
        for path in self._files():
            if _key_of(path) == key:
                path.unlink()
                return
        raise KeyError(key)

    def clear(self) -> None:
        """Delete every stored message."""
        for path in self._files():
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def _key_of(path: Path) -> str:
    return path.name.split(":", 1)[0]


def _read(path: Path) -> StoredMessage:
    return read_message(path)[0]


def read_message(path: Path) -> tuple[StoredMessage, bytes]:
    """Read the message stored at ``path``: its description and its header block.

    Only the header block is read (at most 256 KiB), so a 25 MiB message costs nothing.

    Raises:
        OSError: the file cannot be read (deleted meanwhile, for one).
    """
    with open(path, "rb") as fh:
        head = fh.read(_HEADER_LIMIT)
        size = os.fstat(fh.fileno()).st_size
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    if end >= 0:
        head = head[: end + 2]
    headers = BytesHeaderParser(policy=policy.default).parsebytes(head)

    def text(name: str) -> str:
        try:
            value = headers.get(name)
        except Exception:  # a malformed header must not hide the message
            return ""
        return str(value) if value is not None else ""

    rcpts = tuple(r.strip() for r in text("X-RcptTo").split(",") if r.strip())
    date: datetime | None = None
    raw_date = text("Date")
    if raw_date:
        try:
            date = email.utils.parsedate_to_datetime(raw_date)
        except (TypeError, ValueError):
            date = None
    if date is None:
        date = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    stored = StoredMessage(
        key=_key_of(path),
        path=path,
        mail_from=text("X-MailFrom"),
        rcpt_tos=rcpts,
        peer=text("X-Peer"),
        subject=text("Subject"),
        date=date,
        size=size,
    )
    return stored, head
