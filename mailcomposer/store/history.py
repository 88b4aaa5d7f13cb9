"""The send log: one SQLite row per send attempt (sent or not), and who was sent to."""

from __future__ import annotations

import dataclasses
import datetime
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.store.paths import Home

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 3

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
# Version 2 logs every attempt, not only successes: ``result`` then holds the
# outcome (sent, partial, failed, cancelled, unknown) and these columns say why.
_V2_COLUMNS = (
    ("account", "TEXT NOT NULL DEFAULT ''"),
    ("stage", "TEXT NOT NULL DEFAULT ''"),
    ("reply_code", "INTEGER"),
    ("reply_text", "TEXT NOT NULL DEFAULT ''"),
    ("exit_code", "INTEGER NOT NULL DEFAULT 0"),
    ("duration", "REAL"),
    ("envelope_from", "TEXT NOT NULL DEFAULT ''"),
    ("rcpt_results", "TEXT NOT NULL DEFAULT '[]'"),
    ("transcript", "TEXT NOT NULL DEFAULT ''"),
    ("copy_path", "TEXT NOT NULL DEFAULT ''"),
)
# Version 3 keeps the receipts the message asked for, so a resend asks for them again:
# a read receipt (RFC 8098) and the delivery notifications (RFC 3461 NOTIFY, JSON list).
_V3_COLUMNS = (
    ("read_receipt", "INTEGER NOT NULL DEFAULT 0"),
    ("notify", "TEXT NOT NULL DEFAULT '[]'"),
)
_DETAIL_COLUMNS = _V2_COLUMNS + _V3_COLUMNS
# SQLite's words for a file that is not a database, or whose header is damaged.
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
OUTCOMES = ("sent", "partial", "failed", "cancelled", "unknown")
_COLUMNS = (
    "id, message_id, date, sender, recipients, subject, size, server, result, refused, "
    + ", ".join(name for name, _type in _DETAIL_COLUMNS)
)


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
        result: the outcome: ``sent``, ``partial`` (some recipients refused),
            ``failed``, ``cancelled`` or ``unknown`` (the final dot's reply was lost).
        refused: ``address: code text`` for each refused recipient.
        account: the account name used (empty: a server given directly).
        stage: where a failed attempt stopped (``connect``, ``rcpt``, ``data`` ...).
        reply_code: the server's reply code that decided it, if any.
        reply_text: that reply's text, or the error in plain words.
        exit_code: the CLI exit code the outcome maps to.
        duration: seconds from connecting to the outcome, if measured.
        envelope_from: the MAIL FROM address.
        rcpt_results: per recipient ``{"address", "field", "code", "text"}``.
        transcript: the session transcript, secrets already masked.
        copy_path: where the message as sent is kept (empty if not kept).
        read_receipt: it asked for a read receipt (``Disposition-Notification-To``).
        notify: the delivery notifications it asked for (``SUCCESS``, ``FAILURE``,
            ``DELAY``; empty: none).
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
    account: str = ""
    stage: str = ""
    reply_code: int | None = None
    reply_text: str = ""
    exit_code: int = 0
    duration: float | None = None
    envelope_from: str = ""
    rcpt_results: tuple[dict[str, Any], ...] = ()
    transcript: str = ""
    copy_path: str = ""
    read_receipt: bool = False
    notify: tuple[str, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.result in ("sent", "partial")

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["recipients"] = list(self.recipients)
        data["refused"] = list(self.refused)
        data["rcpt_results"] = [dict(r) for r in self.rcpt_results]
        data["notify"] = list(self.notify)
        data.pop("transcript")
        return data


@dataclass(frozen=True)
class SentAddresses:
    """Who a successful send went to, and when: what address completion ranks by."""

    date: str
    recipients: tuple[str, ...]
    result: str


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any, kind: Any = int) -> Any:
    """``value`` as ``kind`` (int or float), or None when the column holds something else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return kind(value)
    except (ValueError, OverflowError):
        return None


def _json_list(value: Any) -> list[Any]:
    """A JSON list column; anything else (damaged, or written by hand) is an empty list."""
    try:
        found = json.loads(value) if isinstance(value, (str, bytes)) and value else []
    except ValueError:
        return []
    return found if isinstance(found, list) else []


def record_from_row(row: tuple[Any, ...]) -> SentRecord:
    """A record from a row selected with the ``_COLUMNS`` list.

    A row damaged on disk or edited by hand (text where a number belongs, a list
    column that is not JSON) reads as far as it can: one bad row must not make the
    whole log unreadable in the window or on the command line.
    """
    return SentRecord(
        id=_number(row[0]) or 0,
        message_id=_text(row[1]),
        date=_text(row[2]),
        sender=_text(row[3]),
        recipients=tuple(str(r) for r in _json_list(row[4]) if isinstance(r, str)),
        subject=_text(row[5]),
        size=max(0, _number(row[6]) or 0),
        server=_text(row[7]),
        result=_text(row[8]),
        refused=tuple(str(r) for r in _json_list(row[9]) if isinstance(r, str)),
        account=_text(row[10]),
        stage=_text(row[11]),
        reply_code=_number(row[12]),
        reply_text=_text(row[13]),
        exit_code=_number(row[14]) or 0,
        duration=_number(row[15], float),
        envelope_from=_text(row[16]),
        rcpt_results=tuple(r for r in _json_list(row[17]) if isinstance(r, dict)),
        transcript=_text(row[18]),
        copy_path=_text(row[19]),
        read_receipt=bool(_number(row[20])),
        notify=tuple(str(n) for n in _json_list(row[21]) if isinstance(n, str)),
    )


def _retry_locked(step: Any, attempts: int = 50) -> None:
    """Run ``step``, retrying for up to about 2.5 s while the database is locked."""
    for attempt in range(attempts):
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


class History:
    """The history database of a home (``history.sqlite3``): WAL, one connection per thread.

    Attributes:
        path: the database file.
        set_aside: where a damaged log found on opening was moved (kept, never
            deleted) before a new one was started; None when the log was sound.
    """

    def __init__(self, home: Home | Path) -> None:
        self.path = home.history_db if isinstance(home, Home) else Path(home)
        self.set_aside: Path | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock:
                try:
                    conn = self._open()
                except sqlite3.DatabaseError as exc:
                    if getattr(exc, "sqlite_errorname", "") not in _DAMAGED:
                        raise
                    # Not a database at all, or its header is damaged: every send would
                    # fail to log and History would not open. Keep it aside, start anew.
                    self.set_aside = self._set_aside()
                    conn = self._open()
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection:
        # check_same_thread=False only so close() can close them all; each
        # connection is used by the thread that made it.
        conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        # Switching to WAL does not wait for a busy database (SQLite fails at once
        # with "database is locked"): set up one connection at a time (the caller
        # holds the lock), and retry briefly against another process doing the same.
        try:
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode=WAL"))
            _retry_locked(lambda: self._migrate(conn))
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self) -> Path:
        """Rename the damaged log (and its WAL files) to ``history.sqlite3.damaged-<time>``."""
        stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.replace(kept.with_name(kept.name + suffix))
        return kept

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Bring the schema to this version, once, even with several threads or apps.

        ``BEGIN IMMEDIATE`` takes the database's write lock before the version is
        read, so two connections can never both add the same column.
        """
        if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return  # current, or written by a newer app whose columns we can still read
        conn.isolation_level = None  # we manage the transaction ourselves
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < 1:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                if version < 3:
                    present = {row[1] for row in conn.execute("PRAGMA table_info(sent)")}
                    for name, sql_type in _DETAIL_COLUMNS:
                        if name not in present:
                            conn.execute(f"ALTER TABLE sent ADD COLUMN {name} {sql_type}")
                if version < SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.isolation_level = ""

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
        **details: Any,
    ) -> int:
        """Add one send attempt; return its row id.

        Args:
            result: the outcome, one of :data:`OUTCOMES`.
            refused: ``Refusal`` objects or strings, one per refused recipient.
            details: the version-2 and 3 fields of :class:`SentRecord` (``account``,
                ``stage``, ``reply_code``, ``reply_text``, ``exit_code``,
                ``duration``, ``envelope_from``, ``rcpt_results``, ``transcript``,
                ``copy_path``, ``read_receipt``, ``notify``).
        """
        if result not in OUTCOMES:
            raise ValueError(f"unknown outcome {result!r}")
        unknown = set(details) - {name for name, _type in _DETAIL_COLUMNS}
        if unknown:
            raise TypeError(f"unknown history fields: {sorted(unknown)}")
        for name in ("rcpt_results", "notify"):
            if name in details:
                details[name] = json.dumps(list(details[name]), ensure_ascii=False)
        if "read_receipt" in details:
            details["read_receipt"] = int(bool(details["read_receipt"]))
        if date is None:
            date = datetime.datetime.now(datetime.UTC)
        if isinstance(date, datetime.datetime):
            date = date.isoformat(timespec="seconds")
        refused_text = [
            f"{r.address}: {r.code} {r.text}" if hasattr(r, "address") else str(r) for r in refused
        ]
        conn = self._connection()
        with conn:
            names = ", ".join(details)
            marks = ", ?" * len(details)
            cursor = conn.execute(
                "INSERT INTO sent (message_id, date, sender, recipients, subject, size, server,"
                f" result, refused{', ' + names if details else ''})"
                f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?{marks})",
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
                    *details.values(),
                ),
            )
        return int(cursor.lastrowid or 0)

    def recent(self, n: int = 50) -> list[SentRecord]:
        """Return the ``n`` most recent attempts, newest first."""
        rows = (
            self._connection()
            .execute(f"SELECT {_COLUMNS} FROM sent ORDER BY id DESC LIMIT ?", (int(n),))
            .fetchall()
        )
        return [record_from_row(row) for row in rows]

    def query(
        self,
        where: str = "",
        parameters: Iterable[Any] = (),
        limit: int = 0,
        *,
        with_transcript: bool = False,
    ) -> list[SentRecord]:
        """Rows matching an SQL condition on the ``sent`` table, newest first.

        Only :mod:`mailcomposer.store.historyquery` builds ``where``, from its own
        fixed fragments and bound parameters. The transcripts (up to 256 KiB each)
        are read only when asked: lists and statistics leave them out, and
        :meth:`get` reads one.
        """
        columns = (
            _COLUMNS if with_transcript else _COLUMNS.replace("transcript", "'' AS transcript")
        )
        sql = f"SELECT {columns} FROM sent"
        if where:
            sql += f" WHERE {where}"
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self._connection().execute(sql, tuple(parameters)).fetchall()
        return [record_from_row(row) for row in rows]

    def mark(self) -> tuple[int, int]:
        """The newest row id and the number of rows: it changes whenever the log does."""
        row = self._connection().execute("SELECT coalesce(max(id), 0), count(*) FROM sent")
        newest, count = row.fetchone()
        return int(newest), int(count)

    def get(self, row_id: int) -> SentRecord | None:
        """The attempt with this row id, if it exists."""
        found = self.query("id = ?", (int(row_id),), with_transcript=True)
        return found[0] if found else None

    def sends(self, limit: int = 1000) -> list[SentAddresses]:
        """The recipients of the latest successful sends, newest first (for completion).

        Reads three small columns only: a row's transcript can be large.
        """
        rows = self._connection().execute(
            "SELECT date, recipients, result FROM sent WHERE result IN ('sent', 'partial')"
            " ORDER BY id DESC LIMIT ?",
            (int(limit),),
        )
        return [SentAddresses(row[0], tuple(json.loads(row[1])), row[2]) for row in rows]

    def close(self) -> None:
        """Close every connection this object opened."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()


def read_with_notice(read: Callable[[], Any], history: History, default: Any) -> tuple[Any, str]:
    """``read()`` on ``history``, and what to tell the user about the log ("" when sound).

    ``(default, why it cannot be read)`` when SQLite fails; ``(found, where the
    damaged log was kept)`` when opening it set one aside and started anew.
    """
    try:
        found = read()
    except sqlite3.Error as exc:
        return default, damaged_log_text(history.path, exc)
    if history.set_aside is not None:
        return found, set_aside_text(history.set_aside)
    return found, ""


def damaged_log_text(path: Path, error: object) -> str:
    """Why the send log at ``path`` cannot be read, and what to do."""
    from mailcomposer.i18n import _

    return _(
        "The send log {path} cannot be read ({error}). Move it elsewhere and a new one "
        "will be started."
    ).format(path=path, error=error)


def set_aside_text(kept: Path) -> str:
    """The note that a damaged send log was kept as ``kept`` and a new one started."""
    from mailcomposer.i18n import _

    return _(
        "The send log was damaged and could not be read; it was kept as {path} and a new, "
        "empty one was started."
    ).format(path=kept)
