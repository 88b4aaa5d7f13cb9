"""What one send attempt leaves in the send log: transcript, replies per recipient, timing."""

from __future__ import annotations

import datetime
import re
import threading
import time
from collections.abc import Callable

from mailcomposer.i18n import _
from mailcomposer.message.addresses import envelope_key
from mailcomposer.message.receipts import READ_RECEIPT_HEADER
from mailcomposer.smtp.errors import SendError, SendResult
from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.store.history import History

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# The transcript kept per attempt: the head (greeting, EHLO, AUTH, envelope) and the
# tail (how it ended) of anything longer; DATA is already a one-line summary.
TRANSCRIPT_LIMIT = 256 * 1024
_RCPT = re.compile(r"^RCPT TO:<([^<>]*)>", re.IGNORECASE)


class AttemptLog:
    """Collects one attempt's transcript and per-recipient replies while it runs.

    Wrap the send's event callback with :meth:`watch`; call :meth:`started` when
    the connection begins. The events are masked at the source (``smtp.recorder``),
    so nothing secret is kept.

    Attributes:
        lines: the transcript lines (``S: …``, ``C: …``, ``* …``).
        replies: ``envelope_key`` of an envelope address -> ``(code, text)`` of its RCPT
            reply (RFC 5321 §2.4: ``Bob@`` and ``bob@`` are two recipients).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.lines: list[str] = []
        self.replies: dict[str, tuple[int, str]] = {}
        self._clock = clock
        self._start: float | None = None
        self._rcpt: str | None = None
        self._lock = threading.Lock()

    def started(self) -> None:
        """The connection begins now (the duration counts from here)."""
        self._start = self._clock()

    def duration(self) -> float | None:
        """Seconds since :meth:`started`, or None if it never started."""
        return None if self._start is None else round(self._clock() - self._start, 3)

    def watch(self, on_event: Callable[[TranscriptEvent], None]) -> Callable[..., None]:
        """Return an event callback that keeps each event, then passes it on."""

        def keep(event: TranscriptEvent) -> None:
            self.add(event)
            on_event(event)

        return keep

    def add(self, event: TranscriptEvent) -> None:
        """Keep one event."""
        with self._lock:
            self.lines.append(event.format())
            if event.direction is Direction.CLIENT:
                match = _RCPT.match(event.text)
                self._rcpt = envelope_key(match[1]) if match else None
            elif event.direction is Direction.SERVER and event.code and self._rcpt:
                # Each line of a multi-line reply overwrites: the last one stays.
                self.replies[self._rcpt] = (event.code, event.text[4:].strip())

    def transcript(self, limit: int = TRANSCRIPT_LIMIT) -> str:
        """The transcript, at most about ``limit`` bytes (head and tail kept)."""
        with self._lock:
            text = "\n".join(self.lines)
        return cap(text, limit)

    def rcpt_results(self, built: Any) -> list[dict[str, Any]]:
        """Per envelope recipient: ``address``, ``field`` (to/cc/bcc), ``code``, ``text``."""
        fields = recipient_fields(built)
        results = []
        for address in built.envelope.recipients:
            key = envelope_key(address)
            code, text = self.replies.get(key, (None, ""))
            results.append(
                {
                    "address": address,
                    "field": fields.get(key, "to"),
                    "code": code,
                    "text": text,
                }
            )
        return results

    def record(
        self,
        home: Any,
        built: Any,
        *,
        server: str,
        account: str,
        result: SendResult | None = None,
        error: SendError | None = None,
        cancelled: bool = False,
        copy_path: str = "",
    ) -> Path | None:
        """Add the attempt to the send log (raises ``sqlite3.Error``/``OSError``).

        Returns where a damaged log found on the way was kept (a new one was started
        and holds this attempt), else None: the sender says so, or nobody would.

        Args:
            home: the home folder.
            built: the message (``BuiltMessage`` or ``StoredMessage``).
            server: ``host:port``.
            account: the account name.
            result: the result of an accepted message; else ``error`` says why not.
            cancelled: the error is a cancel (``cancelled`` rather than ``failed``).
            copy_path: where the message is kept, if it is.
        """
        from mailcomposer.smtp.errors import ExitCode

        message = built.message
        if result is not None:
            outcome = "partial" if result.refused else "sent"
            details: dict[str, Any] = {"exit_code": int(result.exit_code), "stage": ""}
            reply = result.final_reply
            code, _sep, text = reply.partition(" ")
            details["reply_code"] = int(code) if code.isdigit() else None
            details["reply_text"] = text
        else:
            assert error is not None
            if error.exit_code is ExitCode.UNKNOWN:
                outcome = "unknown"
            elif cancelled or error.exit_code is ExitCode.CANCELLED:
                outcome = "cancelled"
            else:
                outcome = "failed"
            details = {
                "exit_code": int(error.exit_code),
                "stage": str(error.stage),
                "reply_code": error.code,
                "reply_text": error.server_text or error.user_message,
            }
        recipients = [
            *header_list(message, "To"),
            *header_list(message, "Cc"),
            *getattr(built, "bcc", ()),
        ]
        history = History(home)
        try:
            history.record(
                message_id=(result.message_id if result else "") or built.message_id,
                date=datetime.datetime.now().astimezone(),
                sender=str(message.get("From", "")),
                recipients=recipients or list(built.envelope.recipients),
                subject=str(message.get("Subject", "")),
                size=result.size if result else 0,
                server=server,
                result=outcome,
                refused=result.refused if result else (),
                account=account,
                duration=self.duration(),
                envelope_from=built.envelope.sender,
                rcpt_results=self.rcpt_results(built),
                transcript=self.transcript(),
                copy_path=copy_path,
                read_receipt=READ_RECEIPT_HEADER in message,
                notify=list(getattr(built.envelope, "notify", ()) or ()),
                **details,
            )
        finally:
            history.close()
        return history.set_aside


def cap(text: str, limit: int = TRANSCRIPT_LIMIT) -> str:
    """``text`` cut to about ``limit`` UTF-8 bytes, keeping its head and its tail."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    half = limit // 2
    head = data[:half].decode("utf-8", "ignore")
    tail = data[-half:].decode("utf-8", "ignore")
    omitted = _("* … {n} bytes of the transcript left out …").format(n=len(data) - 2 * half)
    return f"{head}\n{omitted}\n{tail}"


def recipient_fields(built: Any) -> dict[str, str]:
    """``envelope_key`` of each address -> ``to``, ``cc`` or ``bcc``, from the headers."""
    from email.utils import getaddresses

    fields: dict[str, str] = {}
    message = built.message
    for field_name in ("To", "Cc"):
        for _name, addr in getaddresses(header_list(message, field_name)):
            fields.setdefault(envelope_key(addr), field_name.lower())
    for _name, addr in getaddresses(list(getattr(built, "bcc", ()))):
        fields.setdefault(envelope_key(addr), "bcc")
    return fields


def header_list(message: Any, name: str) -> list[str]:
    """The addresses of header ``name`` as written (``Bob <bob@x>``), or []."""
    value = message.get(name)
    if value is None:
        return []
    addresses = getattr(value, "addresses", None)
    if addresses is not None:
        return [str(a) for a in addresses]
    return [piece.strip() for piece in str(value).split(",") if piece.strip()]
