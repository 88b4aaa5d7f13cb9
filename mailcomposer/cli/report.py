"""What ``send`` prints: the live transcript, the result line, the error line, or JSON."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from mailcomposer.cli.draftargs import OPTION_OF_FIELD
from mailcomposer.cli.mimetree import lint, mime_tree_lines, parse, print_findings
from mailcomposer.cli.output import print_error, print_warning
from mailcomposer.i18n import _
from mailcomposer.smtp.errors import ExitCode, SendError, SendResult
from mailcomposer.terminal import print_json

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

PROGRESS_MIN_BYTES = 1024 * 1024


@dataclass
class SendOutput:
    """Where a send's text goes: live transcript, one result line, or JSON at the end.

    Attributes:
        json: collect everything and print one JSON object at the end.
        quiet: print only the one-line result.
        explain: annotate each command and reply (meaning, RFC sections, step time).
        transcript: every transcript line and note, in order.
        events: the same lines as JSON objects (``TranscriptEvent.to_json()``): with
            each line's explanation, references, step time and, on the DATA note, the
            preview of what was sent.
    """

    json: bool
    quiet: bool
    explain: bool
    transcript: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_quarter: int = 0

    def event(self, event: Any) -> None:
        """Show (and keep) one transcript event."""
        line = event.format(self.explain)
        with self.lock:
            self.transcript.append(line)
            if self.json:
                self.events.append(event.to_json())
        if not (self.json or self.quiet):
            print(line, flush=True)

    def progress(self, sent: int, total: int) -> None:
        """Note each quarter of a large upload."""
        # A note at each quarter of a large upload, so a long DATA phase shows life.
        if total < PROGRESS_MIN_BYTES:
            return
        quarter = min(sent * 4 // total, 4)
        if quarter <= self.last_quarter or quarter >= 4:
            return
        self.last_quarter = quarter
        self.note(
            _("Uploaded {percent}% ({sent} of {total} bytes)").format(
                percent=quarter * 25, sent=f"{sent:,}", total=f"{total:,}"
            )
        )

    def note(self, text: str) -> None:
        """Show (and keep) a local note, a ``* `` line."""
        line = f"* {text}"
        with self.lock:
            self.transcript.append(line)
            if self.json:
                self.events.append({"direction": "*", "text": text, "secure": False})
        if not (self.json or self.quiet):
            print(line, flush=True)


def report_result(out: SendOutput, result: SendResult) -> int:
    """Print the result (or its JSON object); return its exit code."""
    code = result.exit_code
    if out.json:
        print_result_json(out, code, result=result)
        return int(code)
    n = len(result.accepted)
    # Two sentences rather than "recipient(s)": the catalog has no plural forms.
    sent = (
        _("Sent to 1 recipient; Message-ID {message_id}")
        if n == 1
        else _("Sent to {n} recipients; Message-ID {message_id}")
    )
    line = sent.format(n=n, message_id=result.message_id)
    print(line)
    for refusal in result.refused:
        print(
            _("Not sent to {address}: {code} {text}").format(
                address=refusal.address, code=refusal.code, text=refusal.text
            )
        )
    for warning in result.warnings:
        print_warning(warning)
    return int(code)


def report_error(out: SendOutput, error: SendError) -> int:
    """Print the one error line (or the JSON object); return the exit code."""
    code = ExitCode(error.exit_code)
    if out.json:
        print_result_json(out, code, error=error)
        return int(code)
    message = error.user_message
    option = OPTION_OF_FIELD.get(error.field or "")
    if code == ExitCode.INPUT and option and not message.startswith("-"):
        message = f"{option}: {message}"
    if error.code is not None and error.server_text and error.server_text not in message:
        message += " " + _("(server said: {code} {text})").format(
            code=error.code, text=error.server_text
        )
    print_error("", message)
    return int(code)


def print_result_json(
    out: SendOutput,
    code: ExitCode,
    *,
    result: SendResult | None = None,
    error: SendError | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Print ``send --json``'s object: the result or error, and the transcript.

    ``transcript`` holds the lines as printed; ``events`` the same lines as objects.
    """
    data: dict[str, Any] = {
        "ok": code in (ExitCode.OK, ExitCode.PARTIAL),
        "exit_code": int(code),
        "message_id": result.message_id if result else None,
        "accepted": list(result.accepted) if result else [],
        "refused": [
            {"address": r.address, "code": r.code, "text": r.text}
            for r in (result.refused if result else ())
        ],
        "warnings": list(result.warnings) if result else [],
        "error": None,
        "transcript": list(out.transcript),
        "events": list(out.events),
    }
    if error is not None:
        data["error"] = {
            "stage": str(error.stage),
            "code": error.code,
            "enhanced": error.enhanced,
            "server_text": error.server_text,
            "message": error.user_message,
            "field": error.field,
        }
    if extra:
        data.update(extra)
    print_json(data)


def dry_run(built: Any, out: SendOutput) -> int:
    """``--dry-run``: print the envelope, size, MIME tree and findings; send nothing."""
    raw = built.wire().to_bytes()
    envelope = built.envelope
    findings = lint(raw)
    if out.json:
        extra = {
            "ok": True,
            "message_id": built.message_id,
            "dry_run": True,
            "envelope": {"sender": envelope.sender, "recipients": list(envelope.recipients)},
            "size": len(raw),
            "mime_tree": mime_tree_lines(parse(raw)),
            "warnings": [f"{f.level}: {f.text}" for f in findings],
        }
        print_result_json(out, ExitCode.OK, extra=extra)
        return int(ExitCode.OK)
    print(_("Dry run: nothing was sent."))
    print(
        _("Envelope: from {sender} to {recipients}").format(
            sender=envelope.sender, recipients=", ".join(envelope.recipients)
        )
    )
    print(_("Size: {size} bytes").format(size=len(raw)))
    print(_("MIME tree:"))
    for line in mime_tree_lines(parse(raw)):
        print("  " + line)
    print_findings(findings)
    return int(ExitCode.OK)
