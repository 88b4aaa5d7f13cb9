"""The step gate of ``send --step``: says what comes next and why, reads the choice from a stream.

Before each client command it prints the command, its meaning and its RFC sections,
then reads one line: empty = send it, ``c`` = run to the end, ``q`` = stop (exit 7),
anything else is sent as a command (NOOP, RSET, VRFY x, EXPN x, HELP ...). The end of
the input runs to the end, so ``printf 'NOOP\\n\\nc\\n' | mailcomposer send --step ...``
works as well as a terminal does.
"""

from __future__ import annotations

import os
import select
import threading
from typing import TextIO

from mailcomposer.i18n import _
from mailcomposer.smtp.cancel import CancelToken
from mailcomposer.smtp.step import Choice, PlannedStep

__all__ = ["StdinGate", "parse_answer"]

PREFIX = "> "  # not a transcript line (those start with "S: ", "C: " or "* ")


def parse_answer(line: str | None) -> Choice:
    """Turn one line of input (None at the end of input) into the gate's choice."""
    if line is None:
        return Choice.run()
    text = line.strip()
    if not text:
        return Choice.next()
    if text.lower() == "c":
        return Choice.run()
    if text.lower() == "q":
        return Choice.abort()
    return Choice.extra(text)


class StdinGate:
    """A ``step.Gate`` on text streams (standard input and output for the CLI).

    Attributes:
        cancel: when set, a terminal wait ends (as a stop) once it is cancelled, so
            Ctrl+C does not have to wait for Enter (POSIX terminals only).
    """

    def __init__(self, stdin: TextIO, stdout: TextIO, *, cancel: CancelToken | None = None) -> None:
        self._in = stdin
        self._out = stdout
        self.cancel = cancel
        self._hinted = False
        self._lock = threading.Lock()

    def decide(self, step: PlannedStep) -> Choice:
        """Show ``step`` and read the answer (called from the sending thread)."""
        with self._lock:
            self._show(step)
            line = self._read()
            if line is not None and not self._interactive():
                self._write(f"{PREFIX}{_('step>')} {line.strip()}")
            return parse_answer(line)

    def _show(self, step: PlannedStep) -> None:
        self._write(f"{PREFIX}{_('Next: {command}').format(command=step.line)}")
        if step.explanation.text:
            self._write(f"{PREFIX}  {step.explanation.text}")
        if step.explanation.refs:
            self._write(f"{PREFIX}  {_('See {refs}').format(refs=step.explanation.ref_labels)}")
        if not self._hinted:
            self._hinted = True
            self._write(
                PREFIX
                + _(
                    "Enter = send it, c = run to the end, q = stop, or type a command "
                    "(NOOP, RSET, VRFY name, EXPN list, HELP)."
                )
            )

    def _write(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def _interactive(self) -> bool:
        try:
            return self._in.isatty()
        except (AttributeError, ValueError):
            return False

    def _read(self) -> str | None:
        if self._interactive():
            self._out.write(f"{PREFIX}{_('step>')} ")
            self._out.flush()
            if not self._wait_for_input():
                return "q"
        try:
            line = self._in.readline()
        except (OSError, ValueError):
            return None
        return line if line else None

    def _wait_for_input(self) -> bool:
        """Wait until a line can be read; False when cancelled meanwhile."""
        if self.cancel is None or os.name != "posix":
            return True
        try:
            fd = self._in.fileno()
        except (AttributeError, OSError, ValueError):
            return True
        while not self.cancel.cancelled:
            ready, _w, _x = select.select([fd], [], [], 0.2)
            if ready:
                return True
        return False
