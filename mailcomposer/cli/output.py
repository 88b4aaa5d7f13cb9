"""Error and warning lines on standard error, in the one format every command uses.

Also the guard on standard output: printing is a report of the work, never part of
it. Without it, ``mailcomposer send … | head -2`` raised BrokenPipeError in the
transcript callback of the send itself: the message was not sent, the send log
said it failed at "connect", and a traceback ended the run with exit status 1
("some recipients refused"). Now a reader that leaves (a closed pipe: EPIPE, or
EINVAL on Windows) silences standard output, any other write error (a full disk)
is said once on standard error, and the command finishes with its own exit code.
"""

from __future__ import annotations

import errno
import os
import sys

from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unimported on the way to --help
if TYPE_CHECKING:
    from typing import TextIO

# Exit code 2 of docs/design.md's table (mailcomposer.smtp.errors.ExitCode.INPUT), here
# so that reporting a usage error does not import the SMTP code.
EXIT_INPUT = 2
# Exit code 7 (ExitCode.CANCELLED): Ctrl+C, SIGTERM or SIGHUP.
EXIT_CANCELLED = 7


def error_line(option: str, message: str) -> str:
    """``mailcomposer: error: --server: “x:0” is not a port…`` (the option part only if any)."""
    text = f"{option}: {message}" if option else message
    return _("mailcomposer: error: {message}").format(message=text)


def print_error(option: str, message: str, stream: TextIO | None = None) -> None:
    """Print one error line naming ``option`` (may be empty) to standard error."""
    print(error_line(option, message), file=stream or sys.stderr, flush=True)


def usage_error(option: str, message: str) -> int:
    """Print the error line and return exit code 2 (invalid input, nothing done)."""
    print_error(option, message)
    return EXIT_INPUT


def print_warning(text: str) -> None:
    """Print one ``warning: …`` line to standard error."""
    print(_("warning: {text}").format(text=text), file=sys.stderr)


# A reader that closed its end: EPIPE on POSIX, EINVAL from Windows pipes.
_READER_GONE = frozenset({errno.EPIPE, errno.EINVAL})


class GuardedStdout:
    """Wraps ``sys.stdout``: writes pass through until one fails, then go nowhere.

    Attributes:
        stream: the wrapped stream (its other attributes are read through).
        lost: the error that ended the output, or None while it works.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lost: OSError | None = None

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            self._stop(exc)
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            self._stop(exc)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)

    def _stop(self, exc: OSError) -> None:
        if self.lost is None:
            self.lost = exc
            self._point_at_null_device()
            if exc.errno not in _READER_GONE:
                print_warning(
                    _(
                        "standard output could not be written ({reason}); nothing more "
                        "is printed there, the command goes on"
                    ).format(reason=exc.strerror or exc)
                )
        try:  # the bytes still buffered now go to the null device, not to the error
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def _point_at_null_device(self) -> None:
        # Also covers the interpreter's own flush at exit, which would otherwise print
        # "Exception ignored … BrokenPipeError" and exit with status 120.
        try:
            fd = self.stream.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
        except (OSError, ValueError, AttributeError):
            return
        try:
            os.dup2(null, fd)
        except OSError:
            pass
        finally:
            os.close(null)


def guard_stdout() -> TextIO | None:
    """Put a :class:`GuardedStdout` in ``sys.stdout``; return what was there (to restore)."""
    original = sys.stdout
    if original is not None and not isinstance(original, GuardedStdout):
        sys.stdout = GuardedStdout(original)  # type: ignore[assignment]
    return original
