"""Searching the send log: text, date range, outcome and account, for the window and the CLI."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from collections.abc import Iterable

from mailcomposer.i18n import _
from mailcomposer.store.history import OUTCOMES, History, SentRecord


@dataclasses.dataclass(frozen=True)
class Query:
    """What to look for in the send log.

    Attributes:
        text: words found in the subject, sender, recipients, Message-ID, server,
            account or reply (case-insensitive); empty: any.
        since: first day included (the date as recorded), or None.
        until: last day included, or None.
        outcomes: outcomes wanted (``failed`` ...); empty: all.
        account: only this account; empty: all.
        limit: at most this many rows, newest first; 0: no limit.
    """

    text: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    outcomes: tuple[str, ...] = ()
    account: str = ""
    limit: int = 0

    def __post_init__(self) -> None:
        wrong = [o for o in self.outcomes if o not in OUTCOMES]
        if wrong:
            raise ValueError(
                _("Unknown outcome {outcome}; use one of {choices}.").format(
                    outcome=wrong[0], choices=", ".join(OUTCOMES)
                )
            )


FAILED_OUTCOMES = ("failed", "cancelled", "unknown")


class DayError(ValueError):
    """A day that is not written YYYY-MM-DD.

    Attributes:
        option: the option or field that held it; problem: what is wrong, translated,
            without the option (a command line puts the option in front its own way).
    """

    def __init__(self, option: str, problem: str) -> None:
        super().__init__(f"{option}: {problem}" if option else problem)
        self.option = option
        self.problem = problem


def parse_day(text: str, option: str = "--since") -> datetime.date:
    """``2026-12-01`` as a date, or a ``DayError`` that says how to write it."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        problem = _("{value!r} is not a date; write it as YYYY-MM-DD.").format(value=text)
        raise DayError(option, problem) from None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(history: History, query: Query) -> list[SentRecord]:
    """The attempts matching ``query``, newest first."""
    clauses: list[str] = []
    parameters: list[object] = []
    if query.outcomes:
        clauses.append(f"result IN ({', '.join('?' * len(query.outcomes))})")
        parameters.extend(query.outcomes)
    if query.account:
        clauses.append("account = ?")
        parameters.append(query.account)
    if query.since is not None:
        clauses.append("substr(date, 1, 10) >= ?")
        parameters.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("substr(date, 1, 10) <= ?")
        parameters.append(query.until.isoformat())
    for word in query.text.split():
        columns = (
            "subject", "sender", "recipients", "message_id", "server", "account",
            "reply_text", "envelope_from",
        )  # fmt: skip
        clauses.append(
            "(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\' COLLATE NOCASE" for c in columns) + ")"
        )
        parameters.extend([_like(word)] * len(columns))
    return history.query(" AND ".join(clauses), parameters, query.limit)


CSV_COLUMNS = (
    "id", "date", "result", "account", "sender", "envelope_from", "recipients", "subject",
    "size", "message_id", "server", "stage", "reply_code", "reply_text", "exit_code",
    "duration", "refused",
)  # fmt: skip


def to_csv(records: Iterable[SentRecord]) -> str:
    """The records as CSV (UTF-8 text; the caller adds a BOM for Excel if it wants)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = []
        for column in CSV_COLUMNS:
            value = getattr(record, column)
            if isinstance(value, tuple):
                value = "; ".join(str(v) for v in value)
            row.append("" if value is None else value)
        writer.writerow(row)
    return out.getvalue()
