"""Stepping through a send: the gate asked before each client command, and extra commands.

A *gate* is any object with ``decide(step) -> Choice``. ``session.Connection`` asks it
before each command of a send (EHLO, STARTTLS, EHLO again, AUTH, MAIL, each RCPT, DATA,
the final dot, QUIT) with a ``PlannedStep``: the line as it will be shown (secrets
masked), what it means with its RFC sections, and the stage. The gate answers:

- ``Choice.next()``: send it (and ask again before the next one);
- ``Choice.run()``: send it and stop asking;
- ``Choice.abort()``: stop; the send ends as cancelled (exit 7), nothing delivered;
- ``Choice.extra("NOOP")``: send a command the student typed on the live connection
  (only NOOP, RSET, VRFY, EXPN and HELP: the others would change the state the client
  relies on), record it and its explained reply, then ask again for the same step.

An RSET accepted while a transaction is open (after the 250 to MAIL) makes the server
forget the sender and the recipients given so far; the send does not carry on as if
nothing happened (DATA would get 503): it starts the transaction again with MAIL FROM,
and the gate is asked for that MAIL. No command can be typed while the message is
being transferred (just before the final dot): the server would read it as message text.
"""

from __future__ import annotations

import enum
import smtplib
from dataclasses import dataclass

from mailcomposer.i18n import _
from mailcomposer.smtp.cancel import Cancelled, CancelToken
from mailcomposer.smtp.errors import Stage, error_from_reply
from mailcomposer.smtp.explain import explain_command_full
from mailcomposer.smtp.keywords import Explanation
from mailcomposer.smtp.recorder import Recorder
from mailcomposer.smtp.transport import Transport

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object  # the protocols here are for type checkers only

__all__ = [
    "EXTRA_VERBS",
    "Action",
    "Choice",
    "Gate",
    "PlannedStep",
    "StepSteps",
    "TransactionReset",
    "UserAborted",
    "check_extra",
]

# Commands a student may slip in during a send: they ask or reset, nothing else.
EXTRA_VERBS = ("NOOP", "RSET", "VRFY", "EXPN", "HELP")
MAX_COMMAND_LINE = 510  # RFC 5321 §4.5.3.1.4: 512 octets with the CRLF


class Action(enum.StrEnum):
    """What the gate decided for a planned step."""

    NEXT = "next"
    RUN = "run"
    ABORT = "abort"
    EXTRA = "extra"


@dataclass(frozen=True)
class Choice:
    """The gate's answer; ``line`` is the typed command for ``Action.EXTRA``."""

    action: Action
    line: str = ""

    @classmethod
    def next(cls) -> Choice:
        return cls(Action.NEXT)

    @classmethod
    def run(cls) -> Choice:
        return cls(Action.RUN)

    @classmethod
    def abort(cls) -> Choice:
        return cls(Action.ABORT)

    @classmethod
    def extra(cls, line: str) -> Choice:
        return cls(Action.EXTRA, line)


@dataclass(frozen=True)
class PlannedStep:
    """A client command about to be sent.

    Attributes:
        line: the command as it will appear in the transcript (secrets masked).
        explanation: what it asks the server, with the RFC sections behind it.
        stage: the stage of the send it belongs to.
    """

    line: str
    explanation: Explanation
    stage: Stage

    @property
    def verb(self) -> str:
        return "." if self.line == "." else self.line.split(" ", 1)[0].upper()


class Gate(Protocol):
    """Decides, before each client command of a send, what happens next."""

    def decide(self, step: PlannedStep) -> Choice: ...


class UserAborted(Cancelled):
    """The gate said stop (a cancel: the session reports it as ``ExitCode.CANCELLED``)."""


class TransactionReset(Exception):
    """The server accepted an extra RSET inside a transaction: start again at MAIL."""


def check_extra(line: str) -> str | None:
    """Return why ``line`` cannot be sent as an extra command, or None if it can."""
    if any(not ch.isprintable() for ch in line):
        return _("A command is one line of printable characters.")
    if not line.isascii():
        # The client's commands go out as ASCII unless the message needs SMTPUTF8.
        return _("Type the command in ASCII characters only.")
    if len(line) > MAX_COMMAND_LINE:
        return _("A command line may be at most 512 characters long (RFC 5321 §4.5.3.1.4).")
    verb = line.split(" ", 1)[0].upper()
    if verb not in EXTRA_VERBS:
        return _(
            "Only {verbs} can be typed during a send: the client sends the other "
            "commands itself (try them freely in the SMTP console)."
        ).format(verbs=", ".join(EXTRA_VERBS))
    return None


class StepSteps:
    """The gate of ``session.Connection`` (a mixin: the state it uses is the connection's).

    Attributes (the connection's):
        gate: the gate, or None for a send without pauses.
        stage: where the send is.
        cancel: the send's cancel switch (checked after each decision).
        in_transaction: True between the 250 to MAIL and the end of the transaction.
    """

    gate: Gate | None
    stage: Stage
    cancel: CancelToken
    in_transaction: bool
    _client: Transport
    _recorder: Recorder
    _gate_running: bool

    def _pause(self, line: str, stage: Stage, explanation: Explanation | None = None) -> None:
        """Ask the gate about ``line`` (shown form) until it lets it go; no-op without one.

        Raises:
            UserAborted: the gate said stop (the session turns it into a cancel).
            TransactionReset: an extra RSET ended the open transaction.
        """
        if self.gate is None or self._gate_running:
            return
        step = PlannedStep(line, explanation or explain_command_full(line), stage)
        while True:
            choice = self.gate.decide(step)
            if self.cancel.cancelled:
                raise Cancelled
            if choice.action is Action.NEXT:
                return
            if choice.action is Action.RUN:
                self._gate_running = True
                return
            if choice.action is Action.ABORT:
                self._abort(step)
            self._extra(choice.line.strip(), step)

    def _abort(self, step: PlannedStep) -> None:
        self._recorder.note(
            _("Stopped at your request before {command}.").format(command=step.line)
        )
        if step.stage not in (Stage.FINAL_DOT, Stage.QUIT):
            # The server still reads commands: say goodbye (inside DATA a QUIT would
            # become message text, so then the connection is just dropped).
            try:
                self._client.docmd("QUIT")
            except (OSError, smtplib.SMTPException):
                pass
        raise UserAborted

    def _extra(self, line: str, step: PlannedStep) -> None:
        if not line:
            return
        if step.stage is Stage.FINAL_DOT:
            self._recorder.note(
                _(
                    "No command can be sent now: the server reads every line as message "
                    "text until the final dot. Go on, or stop."
                )
            )
            return
        problem = check_extra(line)
        if problem:
            self._recorder.note(problem)
            return
        verb, _sep, rest = line.partition(" ")
        code, text = self._client.docmd(verb.upper() + (f" {rest.strip()}" if rest else ""))
        if code == 421:
            raise error_from_reply(self.stage, code, text)
        if verb.upper() == "RSET" and code == 250 and self.in_transaction:
            self.in_transaction = False
            self._recorder.note(
                _(
                    "The server forgot the sender and the recipients given so far; the "
                    "client starts the transaction again with MAIL FROM."
                )
            )
            raise TransactionReset
