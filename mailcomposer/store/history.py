"""The sent history: one SQLite row per message sent, and the addresses used."""

from __future__ import annotations

import datetime
import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from mailcomposer.store.paths import Home

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    date TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    size INTEGER NOT NULL,
    server TEXT NOT NULL,
    result TEXT NOT NULL,
    refused TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sent_date ON sent (id DESC);
"""


@dataclass(frozen=True)
class SentRecord:
    """One row of the sent history.

    Attributes:
        id: the row id (increasing).
        message_id: the Message-ID sent.
        date: when it was sent (ISO 8601).
        sender: the From address.
        recipients: every recipient, Bcc included (kept locally only).
        subject: the subject.
        size: bytes sent.
        server: ``host:port``.
        result: ``sent`` or ``partial``.
        refused: ``address: code text`` for each refused recipient.
    """

    id: int
    message_id: str
    date: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    size: int
    server: str
    result: str
    refused: tuple[str, ...]


class History:
    """The history database of a home (``history.sqlite3``): WAL, one connection per thread.

    Attributes:
        path: the database file.
    """

    def __init__(self, home: Home | Path) -> None:
        self.path = home.history_db if isinstance(home, Home) else Path(home)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread=False only so close() can close them all; each
            # connection is used by the thread that made it.
            conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            self._migrate(conn)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            # A newer app wrote it; reading the columns we know still works.
            return
        if version < 1:
            with conn:
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def record(
        self,
        message_id: str,
        date: datetime.datetime | str | None,
        sender: str,
        recipients: Iterable[str],
        subject: str,
        size: int,
        server: str,
        result: str,
        refused: Iterable[Any] = (),
    ) -> int:
        """Add one sent message; return its row id.

        Args:
            refused: ``Refusal`` objects or strings, one per refused recipient.
        """
        if date is None:
            date = datetime.datetime.now(datetime.UTC)
        if isinstance(date, datetime.datetime):
            date = date.isoformat(timespec="seconds")
        refused_text = [
            f"{r.address}: {r.code} {r.text}" if hasattr(r, "address") else str(r) for r in refused
        ]
        conn = self._connection()
        with conn:
            cursor = conn.execute(
                "INSERT INTO sent (message_id, date, sender, recipients, subject, size, server,"
                " result, refused) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    date,
                    sender,
                    json.dumps(list(recipients), ensure_ascii=False),
                    subject,
                    int(size),
                    server,
                    result,
                    json.dumps(refused_text, ensure_ascii=False),
                ),
            )
        return int(cursor.lastrowid or 0)

    def recent(self, n: int = 50) -> list[SentRecord]:
        """Return the ``n`` most recently sent messages, newest first."""
        rows = (
            self._connection()
            .execute(
                "SELECT id, message_id, date, sender, recipients, subject, size, server, result,"
                " refused FROM sent ORDER BY id DESC LIMIT ?",
                (int(n),),
            )
            .fetchall()
        )
        return [
            SentRecord(
                id=row[0],
                message_id=row[1],
                date=row[2],
                sender=row[3],
                recipients=tuple(json.loads(row[4])),
                subject=row[5],
                size=row[6],
                server=row[7],
                result=row[8],
                refused=tuple(json.loads(row[9])),
            )
            for row in rows
        ]

    def addresses_used(self, limit: int = 500) -> list[str]:
        """Return addresses sent to (and from), most recently used first, without duplicates.

        Each is given as written (``Bob <bob@example.org>`` or ``bob@example.org``),
        for address completion; duplicates are compared by address, case-insensitively.
        """
        seen: set[str] = set()
        found: list[str] = []
        rows = self._connection().execute(
            "SELECT sender, recipients FROM sent ORDER BY id DESC LIMIT 1000"
        )
        for sender, recipients in rows:
            for text in [*json.loads(recipients), sender]:
                for name, addr in getaddresses([text]):
                    key = addr.lower()
                    if not addr or key in seen:
                        continue
                    seen.add(key)
                    if name and any(c in name for c in ',;<>"@()'):
                        name = '"{}"'.format(name.replace("\\", "\\\\").replace('"', '\\"'))
                    found.append(f"{name} <{addr}>" if name else addr)
                    if len(found) >= limit:
                        return found
        return found

    def close(self) -> None:
        """Close every connection this object opened."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()
