"""The inbox list's rows: each stored message read once per version of its file (any thread).

Qt-free. Reading a row costs a file read and two header parses (about 0.7 ms), so
the inbox keeps a ``RowCache`` keyed by file path, modification time and size: a
refresh reads only the files it has not seen, and many of them on a worker thread
(``read_rows`` hands back plain frozen values; the cache stays on its own thread).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

from mailcomposer.sandbox.maildir import StoredMessage, read_message

# A file as listed: its path, modification time (ns) and size. Any change reads it again.
FileKey = tuple[str, int, int]


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Row:
    """What one line of the inbox list shows.

    Attributes:
        message: the stored message's envelope and headers.
        hidden: envelope recipients that no To or Cc header names (the Bcc copies).
        mtime_ns: the file's modification time: the list is newest first.
    """

    message: StoredMessage
    hidden: tuple[str, ...]
    mtime_ns: int


def hidden_recipients(message: StoredMessage, head: bytes | None = None) -> list[str]:
    """Return envelope recipients absent from To/Cc: the Bcc copies, which no header shows.

    ``head`` is the message's header block when already read; else it is read here.
    Headers are parsed with ``compat32``, as received, never to build.
    """
    if head is None:
        try:
            head = read_message(message.path)[1]
        except OSError:
            return []
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    from mailcomposer.message.addresses import envelope_key

    shown = {
        envelope_key(addr)
        for _name, addr in getaddresses(headers.get_all("To", []) + headers.get_all("Cc", []))
    }
    return [rcpt for rcpt in message.rcpt_tos if envelope_key(rcpt) not in shown]


def list_files(maildir: Path | str) -> list[FileKey]:
    """Return the message files of ``maildir`` (``new`` and ``cur``), unread.

    A missing folder is an empty inbox.

    Raises:
        OSError: a folder exists but cannot be listed.
    """
    files: list[FileKey] = []
    for sub in ("new", "cur"):
        try:
            entries = list(os.scandir(Path(maildir) / sub))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if not entry.is_file():
                    continue
                info = entry.stat()
            except OSError:
                continue  # deleted meanwhile
            files.append((entry.path, info.st_mtime_ns, info.st_size))
    return files


def read_rows(
    files: Iterable[FileKey], cancelled: Callable[[], bool] = _never
) -> dict[FileKey, Row] | None:
    """Read the row of each file; None when ``cancelled()`` (asked between files).

    A file that cannot be read any more (deleted meanwhile) is left out.
    """
    rows: dict[FileKey, Row] = {}
    for file in files:
        if cancelled():
            return None
        try:
            message, head = read_message(Path(file[0]))
        except OSError:
            continue
        rows[file] = Row(message, tuple(hidden_recipients(message, head)), file[1])
    return rows


class RowCache:
    """The rows read so far, by file: what a refresh need not read again.

    Used from one thread (the GUI's); workers only hand it what ``read_rows`` made.
    """

    def __init__(self) -> None:
        self._rows: dict[FileKey, Row] = {}

    def missing(self, files: Sequence[FileKey]) -> list[FileKey]:
        """Return the files of ``files`` whose row is not known."""
        return [file for file in files if file not in self._rows]

    def add(self, rows: dict[FileKey, Row]) -> None:
        """Remember ``rows``."""
        self._rows.update(rows)

    def rows(self, files: Sequence[FileKey]) -> list[Row]:
        """Return the known rows of ``files``, newest first; forget the files not listed."""
        listed = set(files)
        self._rows = {file: row for file, row in self._rows.items() if file in listed}
        rows = list(self._rows.values())
        rows.sort(key=lambda row: (row.mtime_ns, row.message.key), reverse=True)
        return rows
