"""The outbox as a queue: Send Later, retries with backoff, and which failures are final.

Qt-free: the CLI's ``outbox run`` and the window's timer both drive it. Only
``scheduled`` and ``retry`` entries are ever sent by themselves; ``failed`` and
``unknown`` ones wait for the user (``send_entry(..., explicit=True)``). Every
send of an entry goes out with its stored bytes, so its Message-ID never changes.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.smtp.errors import ExitCode, SendError, SendResult
from mailcomposer.store.outbox import Outbox, OutboxEntry, OutboxState
from mailcomposer.store.paths import Home

# Minutes to wait after the 1st, 2nd... temporary failure; then hourly. The first
# retry comes after about a minute, which is what greylisting servers ask for.
BACKOFF_MINUTES = (1, 5, 15, 30, 60)
HOURLY = 60
# Temporary failures in a row after which an entry is given up (about a day).
MAX_ATTEMPTS = 24
# Up to this fraction is added to each wait, so many clients do not retry in step.
JITTER = 0.1
# A lock older than this belongs to a send that died (the final dot waits 10 min).
STALE_LOCK_S = 3 * 3600
_LOCK_SUFFIX = ".lock"
# Entries sent by themselves when due.
AUTOMATIC = (OutboxState.SCHEDULED, OutboxState.RETRY)


def classify(error: SendError) -> OutboxState:
    """Where an entry goes after a failed try: ``retry``, ``failed`` or ``unknown``.

    - exit code 8 (the connection was lost after the final dot): ``unknown``, never
      sent again by itself;
    - a cancel (exit code 7) before the final dot: ``retry`` (nothing was sent);
    - a 4xx reply at any stage (421, 450, 451 greylisting, 452, 454): ``retry``;
    - a 5xx reply at any stage: ``failed`` (permanent: the server said no);
    - no reply at all with exit code 3 (connection refused, no network, name not
      found, timeout or connection lost before the final dot): ``retry``;
    - anything else without a reply (certificate not trusted, no usable AUTH, an
      address the server cannot take, an unreadable copy): ``failed``, as only the
      user can fix it.
    """
    if error.exit_code is ExitCode.UNKNOWN:
        return OutboxState.UNKNOWN
    if error.exit_code is ExitCode.CANCELLED:
        return OutboxState.RETRY
    if error.code is not None and 400 <= error.code < 500:
        return OutboxState.RETRY
    if error.code is not None and 500 <= error.code < 600:
        return OutboxState.FAILED
    if error.exit_code is ExitCode.CONNECTION:
        return OutboxState.RETRY
    return OutboxState.FAILED


def backoff(attempts: int, rng: random.Random | None = None) -> datetime.timedelta:
    """The wait before the next try after ``attempts`` tries (1 or more), with jitter."""
    index = max(attempts, 1) - 1
    minutes = BACKOFF_MINUTES[index] if index < len(BACKOFF_MINUTES) else HOURLY
    jitter = (rng or random).uniform(0, JITTER)
    return datetime.timedelta(minutes=minutes * (1 + jitter))


def parse_time(text: str) -> datetime.datetime | None:
    """An ISO 8601 time from a sidecar as an aware UTC datetime (None if empty or bad)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def settings_fields(settings: Any, *, sandbox: bool = False) -> dict[str, Any]:
    """What an entry keeps of ``ServerSettings`` to reach the server without an account.

    Never a password: it comes from the account's keyring entry (or the environment)
    at send time.
    """
    return {
        "host": settings.host,
        "port": settings.port,
        "security": str(settings.security),
        "username": settings.username,
        "cafile": str(settings.cafile) if settings.cafile else "",
        "sandbox": sandbox,
    }


class EntryBusy(Exception):
    """The entry is being sent right now (by this or another program)."""


class NotDue(Exception):
    """The entry is not due, or waits for the user (``failed``, ``unknown``)."""


@dataclass(frozen=True)
class Attempt:
    """How one try of an entry ended.

    Attributes:
        entry_id: the entry tried.
        result: the server's acceptance (the entry is then gone), or None.
        error: why it was not accepted, or None.
        state: the entry's state now (None once sent).
        next_try: when it will be tried again by itself (None: not by itself).
    """

    entry_id: str
    result: SendResult | None = None
    error: SendError | None = None
    state: OutboxState | None = None
    next_try: datetime.datetime | None = None

    @property
    def exit_code(self) -> ExitCode:
        if self.result is not None:
            return self.result.exit_code
        assert self.error is not None
        return ExitCode(self.error.exit_code)


class OutboxQueue:
    """Schedules, lists and sends outbox entries; "now" is injectable for tests.

    Attributes:
        outbox: the outbox folder it works on.
    """

    def __init__(
        self,
        home: Home | Any,
        *,
        clock: Callable[[], datetime.datetime] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.home = home if isinstance(home, Home) else Home(home)
        self.outbox = Outbox(self.home)
        self._clock = clock
        self._rng = rng

    def now(self) -> datetime.datetime:
        """The current time, aware, in UTC."""
        moment = self._clock() if self._clock else datetime.datetime.now(datetime.UTC)
        return moment.astimezone(datetime.UTC)

    # -- what is there --

    def entries(self) -> list[OutboxEntry]:
        """Every entry, oldest first; one whose sender died mid-send is shown ``unknown``."""
        return [self._settle_stale(entry) for entry in self.outbox.pending()]

    def get(self, entry_id: str) -> OutboxEntry:
        """One entry (``KeyError`` if it is gone)."""
        return self._settle_stale(self.outbox.get(entry_id))

    def due(self) -> list[OutboxEntry]:
        """Entries to send by themselves now (scheduled or retry, time reached), oldest first."""
        now = self.now()
        return [
            entry
            for entry in self.entries()
            if entry.state in AUTOMATIC
            and not self.busy(entry.id)
            and (parse_time(entry.next_try) or now) <= now
        ]

    def next_due(self) -> datetime.datetime | None:
        """When the next entry falls due by itself (UTC), or None if none will."""
        times = [
            parse_time(entry.next_try) or self.now()
            for entry in self.entries()
            if entry.state in AUTOMATIC
        ]
        return min(times, default=None)

    def unknown(self) -> list[OutboxEntry]:
        """Entries that may or may not have been delivered (the user must decide)."""
        return [e for e in self.entries() if e.state is OutboxState.UNKNOWN]

    # -- changing it --

    def schedule(
        self,
        built: Any,
        due: datetime.datetime,
        *,
        account: str = "",
        server: str = "",
        settings: dict[str, Any] | None = None,
    ) -> OutboxEntry:
        """Keep ``built`` for a send at ``due`` (Send Later); return the entry.

        Args:
            built: the ``BuiltMessage`` (written in its 7-bit wire form).
            due: when to send it (aware; a naive time is taken as local time).
            account: the account to send it with (its server and password).
            server: ``host:port``, for the user's reference.
            settings: :func:`settings_fields`, used when there is no account.
        """
        if due.tzinfo is None:
            due = due.astimezone()
        return self.outbox.add(
            built,
            account=account,
            server=server,
            state=OutboxState.SCHEDULED,
            extra={
                "next_try": _iso(due),
                "attempts": 0,
                "last_error": "",
                "settings": settings or {},
            },
        )

    def delete(self, entry_id: str) -> None:
        """Remove an entry (``EntryBusy`` while it is being sent, ``KeyError`` if gone)."""
        self.outbox.get(entry_id)
        with self.claim(entry_id):
            self.outbox.remove(entry_id)

    def send_entry(
        self,
        entry_id: str,
        run: Callable[[OutboxEntry], SendResult],
        *,
        explicit: bool = False,
    ) -> Attempt:
        """Send one entry now with its stored bytes; settle it by the outcome.

        Args:
            entry_id: the entry.
            run: sends the entry it is given and returns the result or raises
                ``SendError``: ``Submission(home, settings, secret, None,
                entry.account, entry=entry).run(...)`` with the entry's account's
                server and password (the CLI runs it in a worker thread that
                signals can cancel).
            explicit: the user asked for this entry (Retry now): also ``failed``,
                ``unknown`` or not yet due ones.

        Raises:
            KeyError: the entry is gone.
            EntryBusy: it is being sent elsewhere.
            NotDue: not ``explicit`` and it is not due.
        """
        with self.claim(entry_id):
            entry = self.outbox.get(entry_id)
            if not explicit and (
                entry.state not in AUTOMATIC
                or (parse_time(entry.next_try) or self.now()) > self.now()
            ):
                raise NotDue(entry_id)
            try:
                result = run(entry)
            except SendError as error:
                return self._settle_failure(entry, error)
            except BaseException:
                # Something broke mid-send: what reached the server cannot be known.
                self._update(entry, OutboxState.UNKNOWN, _("The send stopped unexpectedly."))
                raise
            result = result.warned(self.outbox.remove_sent(entry.id))
            return Attempt(entry.id, result=result)

    def _settle_failure(self, entry: OutboxEntry, error: SendError) -> Attempt:
        state = classify(error)
        reason = error.user_message
        if error.code is not None and error.server_text:
            reason = f"{error.code} {error.server_text}"
        if error.exit_code is ExitCode.CANCELLED:
            # Nothing was sent: the entry keeps its state, time and count.
            return Attempt(entry.id, error=error, state=entry.state, next_try=None)
        attempts = entry.attempts + 1
        next_try: datetime.datetime | None = None
        if state is OutboxState.RETRY:
            if attempts >= MAX_ATTEMPTS:
                state = OutboxState.FAILED
                reason = _("Gave up after {n} tries: {reason}").format(n=attempts, reason=reason)
            else:
                next_try = self.now() + backoff(attempts, self._rng)
        self._update(entry, state, reason, attempts=attempts, next_try=next_try)
        return Attempt(entry.id, error=error, state=state, next_try=next_try)

    def _update(
        self,
        entry: OutboxEntry,
        state: OutboxState,
        reason: str,
        *,
        attempts: int | None = None,
        next_try: datetime.datetime | None = None,
    ) -> None:
        with contextlib.suppress(KeyError, ValueError):  # gone, or its sidecar damaged
            self.outbox.update(
                entry.id,
                state=state,
                last_error=reason,
                attempts=entry.attempts + 1 if attempts is None else attempts,
                next_try=_iso(next_try) if next_try else "",
            )

    # -- one sender at a time, across programs --

    def busy(self, entry_id: str) -> bool:
        """Whether a live send holds the entry."""
        path = self._lock_path(entry_id)
        return path.exists() and not self._stale(path)

    @contextlib.contextmanager
    def claim(self, entry_id: str) -> Iterator[None]:
        """Hold the entry's lock file for the block (``EntryBusy`` if another holds it)."""
        path = self._lock_path(entry_id)
        self.outbox.folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            raise EntryBusy(entry_id) from None
        try:
            os.write(fd, str(os.getpid()).encode("ascii"))
        finally:
            os.close(fd)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()

    def _lock_path(self, entry_id: str) -> Any:
        return self.outbox.folder / f"{entry_id}{_LOCK_SUFFIX}"

    @staticmethod
    def _stale(path: Any) -> bool:
        try:
            age = time.time() - path.stat().st_mtime
            pid = int(path.read_text(encoding="ascii").strip() or "0")
        except (OSError, ValueError):
            return False
        return age > STALE_LOCK_S or _process_gone(pid)

    def _sender_gone(self, entry: OutboxEntry) -> bool:
        """A ``queued`` entry (a send from the composer or ``send``) whose program died.

        Such an entry is written just before the final dot and removed at the
        server's 250; one left over by a program that was killed (SIGKILL, a crash,
        a power cut) may or may not have been delivered.
        """
        if entry.state is not OutboxState.QUEUED:
            return False
        try:
            age = time.time() - entry.path.with_suffix(".json").stat().st_mtime
        except OSError:
            return False
        return age > STALE_LOCK_S or _process_gone(entry.pid)

    def _settle_stale(self, entry: OutboxEntry) -> OutboxEntry:
        """An entry whose sender died mid-send: its outcome is unknown."""
        path = self._lock_path(entry.id)
        if self._sender_gone(entry):
            with contextlib.suppress(OSError, KeyError, ValueError):
                entry = self.outbox.update(
                    entry.id,
                    state=OutboxState.UNKNOWN,
                    last_error=_("The program sending it stopped before the outcome was known."),
                )
            return entry
        if not (path.exists() and self._stale(path)):
            return entry
        with contextlib.suppress(OSError, KeyError, ValueError):
            entry = self.outbox.update(
                entry.id,
                state=OutboxState.UNKNOWN,
                last_error=_("The program sending it stopped before the outcome was known."),
                next_try="",
            )
            path.unlink()
        return entry


def _process_gone(pid: int) -> bool:
    """Whether process ``pid`` (another than this one) has ended; False when unknown."""
    # os.kill(pid, 0) only asks on POSIX; on Windows it would end the process.
    if sys.platform == "win32" or pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
