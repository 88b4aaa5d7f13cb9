"""Error and warning lines on standard error, in the one format every command uses."""

from __future__ import annotations

import sys

from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unimported on the way to --help
if TYPE_CHECKING:
    from typing import TextIO

# Exit code 2 of docs/design.md's table (mailcomposer.smtp.errors.ExitCode.INPUT), here
# so that reporting a usage error does not import the SMTP code.
EXIT_INPUT = 2


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
