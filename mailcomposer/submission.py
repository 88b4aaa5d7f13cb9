"""One send, start to finish: outbox, SMTP session, outbox cleanup and sent history."""

from __future__ import annotations

import enum
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from mailcomposer.i18n import _, sentences
from mailcomposer.message.wire import CHUNK_SIZE
from mailcomposer.smtp.errors import ExitCode, SendError, SendResult, Stage
from mailcomposer.smtp.settings import Secret, ServerSettings
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store.outbox import Outbox, OutboxEntry, OutboxState, PendingCopy
from mailcomposer.store.paths import Home

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any


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

    The message goes to the outbox in the same pass that streams it to the server:
    each DATA chunk is also written to a hidden file, which is fsynced, renamed and
    given its envelope sidecar when the last chunk has been handed over, before the
    final dot. So the exact bytes and envelope are on disk before the server can
    accept the message, without a second pass over a large attachment. The entry is
    removed after the server's 250 to the final dot (kept and marked ``unknown``
    when the outcome is unknown); a failure or cancel before the final dot leaves
    no copy (the composer still holds the message). Then the sent history is
    updated. Every attempt, whatever its outcome, gets one row in the send log
    (a database error there never changes the outcome). Used by the CLI, the GUI
    worker and the outbox queue alike; no Qt here.

    Attributes:
        home: the home folder.
        settings: the server to use.
        built: the ``BuiltMessage`` to send.
        account_name: recorded in the outbox and the send log.
        entry: the outbox entry being sent again, if any: its stored bytes go out as
            they are (same Message-ID) and its fate is left to the caller
            (``store.outboxqueue``), except that nothing new is written.
        state: the current :class:`State`.
        outbox_id: the outbox entry while there is one (set once the copy is
            complete, before the final dot).
        after_sent: called with the result once the message was accepted and
            recorded (the copy for the Sent folder); what it raises is a warning,
            never a failed send.
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
        entry: OutboxEntry | None = None,
        after_sent: Callable[[SendResult], None] | None = None,
    ) -> None:
        self.home = home if isinstance(home, Home) else Home(Path(home))
        self.settings = settings
        self._secret = secret
        self.built = built
        self.account_name = account_name
        self.state = State.BUILDING
        self.outbox_id: str | None = None
        self.entry = entry
        if entry is not None:
            from mailcomposer.store.storedmessage import StoredMessage

            self.built = StoredMessage(entry)
        self._on_state = on_state
        self.after_sent = after_sent
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
        gate: Any = None,
    ) -> SendResult:
        """Send; return the result or raise ``SendError`` (the state says which).

        Args:
            on_event: called with each transcript event (from this thread).
            on_progress: called with ``(sent_bytes, total_bytes)`` during DATA.
            cancel: a ``CancelToken`` the caller may cancel from another thread.
            gate: a step gate (``mailcomposer.smtp.step``) asked before each
                command, for stepping through a send; None sends straight through.

        Raises:
            SendError: with the stage and exit code; the outbox entry is kept only
                when the outcome is unknown.
        """
        from mailcomposer.store.attemptlog import AttemptLog

        log = AttemptLog()
        try:
            result = self._run(log, log.watch(on_event), on_progress, cancel, gate)
        except SendError as error:
            self._log(log, error=error)
            raise
        except BaseException as exc:
            from mailcomposer.smtp.errors import error_from_exception

            error = error_from_exception(exc, Stage.CONNECT)
            if self.state is State.UNKNOWN:
                error.exit_code = ExitCode.UNKNOWN
            self._log(log, error=error)
            raise
        return self._after_sent(self._record(log, result))

    def _after_sent(self, result: SendResult) -> SendResult:
        """Run the ``after_sent`` step (the copy for Sent); a failure only adds a warning."""
        if self.after_sent is None:
            return result
        try:
            self.after_sent(result)
        except Exception as exc:  # the message went out: this never undoes that
            note = _("The message was sent, but the step after it failed: {error}")
            result = result.warned(note.format(error=exc))
        return result

    def _deliver(self, message: Any, log: Any, on_progress: Any, **session_args: Any) -> SendResult:
        """Run the SMTP session for ``message``: CONNECTING, then SENDING from the first chunk.

        ``session_args`` (``on_event``, ``cancel``, ``gate``) go to ``session.send`` as given.
        """
        from mailcomposer.smtp import session

        def progress(sent: int, total: int) -> None:
            self._set_state(State.SENDING)
            if on_progress is not None:
                on_progress(sent, total)

        self._set_state(State.CONNECTING)
        log.started()
        return session.send(
            self.settings, self._secret, message, on_progress=progress, **session_args
        )

    def _run(
        self,
        log: Any,
        on_event: Callable[[TranscriptEvent], None],
        on_progress: Callable[[int, int], None] | None,
        cancel: Any,
        gate: Any,
    ) -> SendResult:
        outbox = Outbox(self.home)
        if cancel is not None and getattr(cancel, "cancelled", False):
            self._set_state(State.CANCELLED)
            raise SendError(Stage.CONNECT, ExitCode.CANCELLED, _("Cancelled before connecting."))
        if self.entry is not None:
            return self._resend(log, on_event, on_progress, cancel, gate)
        try:
            # Opened now so that an outbox that cannot be written stops the send
            # before anything reaches the server.
            copy = outbox.begin(account=self.account_name, server=self.server_label)
        except Exception as exc:
            self._set_state(State.FAILED)
            raise _outbox_error(exc, outbox.folder) from exc
        self._set_state(State.QUEUED)

        def committed(entry: OutboxEntry) -> None:
            self.outbox_id = entry.id

        kept = _KeptWhileSent(self.built, copy, outbox.folder, committed)
        try:
            result = self._deliver(
                kept, log, on_progress, on_event=on_event, cancel=cancel, gate=gate
            )
        except SendError as error:
            self._finish_failed(outbox, copy, error.exit_code)
            raise
        except BaseException:
            if copy.committed:
                # An unexpected failure after the whole message went out: we cannot
                # tell whether the server got it, so the copy stays for the user to
                # check (never resent by itself).
                outbox.mark(copy.id, OutboxState.UNKNOWN)
                self._set_state(State.UNKNOWN)
            else:
                # The final dot was never sent: not delivered, and nothing kept.
                copy.discard()
                self._set_state(State.FAILED)
            raise
        finally:
            copy.discard()  # a no-op once committed
        result = result.warned(outbox.remove_sent(copy.id))
        self.outbox_id = None
        self._set_state(State.SENT)
        return result

    def _resend(
        self,
        log: Any,
        on_event: Callable[[TranscriptEvent], None],
        on_progress: Callable[[int, int], None] | None,
        cancel: Any,
        gate: Any,
    ) -> SendResult:
        """Send the outbox entry's stored bytes; the caller settles the entry."""
        assert self.entry is not None
        self.outbox_id = self.entry.id
        try:
            result = self._deliver(
                self.built, log, on_progress, on_event=on_event, cancel=cancel, gate=gate
            )
        except SendError as error:
            if error.exit_code is ExitCode.UNKNOWN:
                self._set_state(State.UNKNOWN)
            elif error.exit_code is ExitCode.CANCELLED:
                self._set_state(State.CANCELLED)
            else:
                self._set_state(State.FAILED)
            raise
        except BaseException:
            self._set_state(State.UNKNOWN)
            raise
        self._set_state(State.SENT)
        return result

    def _finish_failed(self, outbox: Outbox, copy: PendingCopy, exit_code: ExitCode) -> None:
        if exit_code is ExitCode.UNKNOWN and copy.committed:
            outbox.mark(copy.id, OutboxState.UNKNOWN)
            self._set_state(State.UNKNOWN)
            return
        # A definite failure (or a cancel before the final dot): the message was not
        # delivered and the composer still holds it, so the outbox copy goes (or,
        # when it was still being written, is never completed).
        copy.discard()
        if copy.committed:
            outbox.remove(copy.id)
        self.outbox_id = None
        if exit_code is ExitCode.UNKNOWN:
            self._set_state(State.UNKNOWN)
        else:
            self._set_state(State.CANCELLED if exit_code is ExitCode.CANCELLED else State.FAILED)

    def _log(self, log: Any, *, error: SendError) -> None:
        """Add a failed, cancelled or unknown attempt to the send log, best effort."""
        kept = ""
        if self.outbox_id and self.state is State.UNKNOWN:
            kept = str(self.home.outbox / f"{self.outbox_id}.eml")
        elif self.entry is not None:
            kept = str(self.entry.path)
        try:
            set_aside = log.record(
                self.home,
                self.built,
                server=self.server_label,
                account=self.account_name,
                error=error,
                cancelled=self.state is State.CANCELLED,
                copy_path=kept,
            )
        except (sqlite3.Error, OSError, ValueError):
            return  # the send's own outcome is what the caller must hear about
        if set_aside is not None:
            from mailcomposer.store.history import set_aside_text

            error.user_message = sentences(error.user_message, set_aside_text(set_aside))

    def _record(self, log: Any, result: SendResult) -> SendResult:
        try:
            set_aside = log.record(
                self.home,
                self.built,
                server=self.server_label,
                account=self.account_name,
                result=result,
            )
        except (sqlite3.Error, OSError) as exc:
            # The message went out; a full disk must not turn that into a failure.
            note = _("The message was sent but could not be added to the history: {error}")
            return result.warned(note.format(error=exc))
        if set_aside is not None:
            from mailcomposer.store.history import set_aside_text

            return result.warned(set_aside_text(set_aside))
        return result


class _KeptWhileSent:
    """A built message whose DATA pass also writes (and commits) its outbox copy.

    Stands in for the ``BuiltMessage`` handed to the session: everything is passed
    through except ``wire()``, whose ``data_chunks`` tees into the copy.
    """

    def __init__(
        self,
        built: Any,
        copy: PendingCopy,
        folder: Path,
        on_commit: Callable[[OutboxEntry], None],
    ) -> None:
        self._built = built
        self._copy = copy
        self._folder = folder
        self._on_commit = on_commit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._built, name)

    def wire(self, eight_bit: bool = False) -> _TeeWire:
        return _TeeWire(self._built.wire(eight_bit=eight_bit), self)

    def stream(self, wire: Any, chunk_size: int) -> Iterator[bytes]:
        """Yield ``wire``'s DATA chunks; the copy is complete and on disk before the end."""
        try:
            yield from wire.data_chunks(chunk_size, copy_to=self._copy.restart())
            # The session asks for the next chunk, gets none, and only then sends the
            # final dot: this is the last moment before the server can accept it.
            entry = self._copy.commit(self._built)
        except OSError as exc:
            raise _outbox_error(exc, self._folder) from exc
        self._on_commit(entry)


class _TeeWire:
    """The wire form of a :class:`_KeptWhileSent`: same size, chunks that tee."""

    def __init__(self, wire: Any, kept: _KeptWhileSent) -> None:
        self._wire = wire
        self._kept = kept
        self.size: int = wire.size

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wire, name)

    def data_chunks(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        return self._kept.stream(self._wire, chunk_size)


def _outbox_error(exc: Exception, folder: Path) -> SendError:
    """Map a failure to write the outbox copy (unwritable folder, full disk).

    Attachments are read by the wire form, which reports its own errors (as
    ``InputError``); an ``OSError`` here is always the outbox's, whatever file it
    names (the folder itself, or its parent when it cannot be created).
    """
    from mailcomposer.message.errors import InputError

    if isinstance(exc, InputError):
        try:
            from mailcomposer.smtp.errors import from_input_error  # type: ignore[attr-defined]

            return from_input_error(exc)
        except ImportError:
            return SendError(Stage.BUILD, ExitCode.INPUT, exc.message, field=exc.field)
    return SendError(
        Stage.BUILD,
        ExitCode.INPUT,
        _("Could not write the message to the outbox: {reason}. Nothing was sent.").format(
            reason=exc
        ),
        detail=f"{folder}: {exc}",
    )
