"""One send, start to finish: outbox, SMTP session, outbox cleanup and sent history."""

from __future__ import annotations

import dataclasses
import datetime
import email.utils
import enum
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.smtp.errors import ExitCode, SendError, SendResult, Stage
from mailcomposer.smtp.settings import Secret, ServerSettings
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store.history import History
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home


class State(enum.StrEnum):
    """Where a submission stands; terminal states are SENT, FAILED, CANCELLED, UNKNOWN."""

    BUILDING = "building"
    QUEUED = "queued"
    CONNECTING = "connecting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"

    @property
    def finished(self) -> bool:
        return self in (State.SENT, State.FAILED, State.CANCELLED, State.UNKNOWN)


class Submission:
    """Send one built message the way the app always does.

    Outbox first (so nothing is lost), then the SMTP session, then the outbox entry
    is removed after the server's 250 to the final dot (kept and marked
    ``unknown`` when the outcome is unknown), then the sent history is updated.
    Used by the CLI and the GUI worker alike; no Qt here.

    Attributes:
        home: the home folder.
        settings: the server to use.
        built: the ``BuiltMessage`` to send.
        account_name: recorded in the outbox, for the user's reference.
        state: the current :class:`State`.
        outbox_id: the outbox entry while there is one.
    """

    def __init__(
        self,
        home: Home | Path,
        settings: ServerSettings,
        secret: Secret | None,
        built: Any,
        account_name: str = "",
        *,
        on_state: Callable[[State], None] | None = None,
    ) -> None:
        self.home = home if isinstance(home, Home) else Home(Path(home))
        self.settings = settings
        self._secret = secret
        self.built = built
        self.account_name = account_name
        self.state = State.BUILDING
        self.outbox_id: str | None = None
        self._on_state = on_state
        self._lock = threading.Lock()

    @property
    def server_label(self) -> str:
        return f"{self.settings.host}:{self.settings.effective_port}"

    def _set_state(self, state: State) -> None:
        with self._lock:
            if self.state is state:
                return
            self.state = state
        if self._on_state is not None:
            self._on_state(state)

    def run(
        self,
        on_event: Callable[[TranscriptEvent], None],
        on_progress: Callable[[int, int], None] | None = None,
        cancel: Any = None,
    ) -> SendResult:
        """Send; return the result or raise ``SendError`` (the state says which).

        Args:
            on_event: called with each transcript event (from this thread).
            on_progress: called with ``(sent_bytes, total_bytes)`` during DATA.
            cancel: a ``CancelToken`` the caller may cancel from another thread.

        Raises:
            SendError: with the stage and exit code; the outbox entry is kept only
                when the outcome is unknown.
        """
        from mailcomposer.smtp import session

        outbox = Outbox(self.home)
        if cancel is not None and getattr(cancel, "cancelled", False):
            self._set_state(State.CANCELLED)
            raise SendError(Stage.CONNECT, ExitCode.CANCELLED, _("Cancelled before connecting."))
        try:
            entry = outbox.add(self.built, account=self.account_name, server=self.server_label)
        except SendError:
            self._set_state(State.FAILED)
            raise
        except Exception as exc:
            self._set_state(State.FAILED)
            raise _outbox_error(exc, outbox.folder) from exc
        self.outbox_id = entry.id
        self._set_state(State.QUEUED)

        def progress(sent: int, total: int) -> None:
            self._set_state(State.SENDING)
            if on_progress is not None:
                on_progress(sent, total)

        self._set_state(State.CONNECTING)
        try:
            result = session.send(
                self.settings,
                self._secret,
                self.built,
                on_event=on_event,
                on_progress=progress,
                cancel=cancel,
            )
        except SendError as error:
            self._finish_failed(outbox, entry.id, error.exit_code)
            raise
        except BaseException:
            # An unexpected failure: we cannot tell whether the server got it, so the
            # copy stays in the outbox for the user to check (never resent by itself).
            outbox.mark(entry.id, OutboxState.UNKNOWN)
            self._set_state(State.UNKNOWN)
            raise
        outbox.remove(entry.id)
        self.outbox_id = None
        result = self._record(result)
        self._set_state(State.SENT)
        return result

    def _finish_failed(self, outbox: Outbox, entry_id: str, exit_code: ExitCode) -> None:
        if exit_code is ExitCode.UNKNOWN:
            outbox.mark(entry_id, OutboxState.UNKNOWN)
            self._set_state(State.UNKNOWN)
            return
        # A definite failure (or a cancel before the final dot): the message was not
        # delivered and the composer still holds it, so the outbox copy goes.
        outbox.remove(entry_id)
        self.outbox_id = None
        self._set_state(State.CANCELLED if exit_code is ExitCode.CANCELLED else State.FAILED)

    def _record(self, result: SendResult) -> SendResult:
        message = self.built.message
        recipients = [
            *_header_list(message, "To"),
            *_header_list(message, "Cc"),
            *getattr(self.built, "bcc", ()),
        ]
        history = History(self.home)
        try:
            history.record(
                message_id=result.message_id or self.built.message_id,
                date=_header_date(message),
                sender=str(message.get("From", "")),
                recipients=recipients or list(result.accepted),
                subject=str(message.get("Subject", "")),
                size=result.size,
                server=self.server_label,
                result="partial" if result.refused else "sent",
                refused=result.refused,
            )
        except (sqlite3.Error, OSError) as exc:
            # The message went out; a full disk must not turn that into a failure.
            note = _("The message was sent but could not be added to the history: {error}")
            return dataclasses.replace(result, warnings=(*result.warnings, note.format(error=exc)))
        finally:
            history.close()
        return result


def _header_date(message: Any) -> datetime.datetime | None:
    value = message.get("Date")
    datetime_value = getattr(value, "datetime", None)
    if datetime_value is not None:
        return datetime_value
    try:
        return email.utils.parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


def _header_list(message: Any, name: str) -> list[str]:
    value = message.get(name)
    if value is None:
        return []
    addresses = getattr(value, "addresses", None)
    if addresses is not None:
        return [str(a) for a in addresses]
    return [piece.strip() for piece in str(value).split(",") if piece.strip()]


def _outbox_error(exc: Exception, folder: Path) -> SendError:
    """Map a failure to write the outbox copy (unreadable attachment, full disk)."""
    from mailcomposer.message.errors import InputError

    if isinstance(exc, InputError):
        try:
            from mailcomposer.smtp.errors import from_input_error  # type: ignore[attr-defined]

            return from_input_error(exc)
        except ImportError:
            return SendError(Stage.BUILD, ExitCode.INPUT, exc.message, field=exc.field)
    if isinstance(exc, OSError) and exc.filename and Path(exc.filename).parent != folder:
        return SendError(
            Stage.BUILD,
            ExitCode.INPUT,
            _("Could not read “{path}”: {reason}. Nothing was sent.").format(
                path=exc.filename, reason=exc.strerror or exc
            ),
            detail=str(exc),
            field="attachment",
        )
    return SendError(
        Stage.BUILD,
        ExitCode.INPUT,
        _("Could not write the message to the outbox: {reason}. Nothing was sent.").format(
            reason=exc
        ),
        detail=str(exc),
    )
