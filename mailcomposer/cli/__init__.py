"""The command line: send, sandbox, inspect, account and selftest, or open the composer window.

One module per command; this one only dispatches, so a start imports little more
than argparse and the chosen command (``mailcomposer --version`` imports no command).
"""

from __future__ import annotations

import os
import sys

from mailcomposer import i18n
from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unimported on the way to --help
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (docs/design.md's table)."""
    from mailcomposer.cli.output import EXIT_INPUT, guard_stdout, usage_error
    from mailcomposer.cli.parser import UsageError, build_parser, chosen_command
    from mailcomposer.terminal import never_fail_to_print

    args_list = list(sys.argv[1:] if argv is None else argv)
    never_fail_to_print()
    language = i18n.detect_language()
    if language == "en":
        i18n.set_language(language)
    else:  # a catalog to read: its parsed copy lives in the home folder
        from mailcomposer.store.paths import Home

        i18n.set_language(language, Home.from_env().cache)
    if wants_gui(args_list):
        return open_gui(args_list)
    original_stdout = guard_stdout()
    try:
        parser = build_parser(chosen_command(args_list))
        try:
            args = parser.parse_args(args_list)
        except UsageError as exc:
            return usage_error(exc.option, exc.message)
        except SystemExit as exc:  # -h / --version
            return int(exc.code or 0) if isinstance(exc.code, int) else 0
        if args.command is None:
            parser.print_help()
            return EXIT_INPUT
        if args.command not in NO_HOME:
            failed = check_home()
            if failed is not None:
                return failed
        return run_command(args)
    finally:
        sys.stdout.flush()
        sys.stdout = original_stdout


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; Ctrl+C, SIGTERM or SIGHUP end it with exit code 7.

    ``send`` and ``outbox run`` cancel their sends themselves (their own handlers
    replace these while they run) and ``sandbox`` stops on them; for every other
    command (``account test``, ``console`` waiting on a silent server, ...) a signal
    was a traceback (Ctrl+C) or a kill without cleanup (SIGTERM, status 143), where
    the contract says 7. ``KeyboardInterrupt`` unwinds, so connections are closed and
    files are left whole by the code's own ``finally`` and ``with`` blocks.
    """
    from mailcomposer.cli.output import EXIT_CANCELLED, print_error
    from mailcomposer.cli.parser import command_module
    from mailcomposer.cli.signals import cancel_on_signals

    try:
        with cancel_on_signals():
            return int(command_module(args.command).run(args))
    except KeyboardInterrupt:
        print_error("", _("Cancelled by the user."))
        return EXIT_CANCELLED


# Commands that read and write nothing in the home folder, and ``send``, which checks
# it itself once it has deferred its imports (the check loads dataclasses and inspect).
NO_HOME = frozenset({"inspect", "console", "selftest", "register", "unregister", "send"})


def check_home() -> int | None:
    """Exit 2 naming MAILCOMPOSER_HOME when the home folder cannot hold files; else None."""
    from mailcomposer.cli.output import usage_error
    from mailcomposer.store.paths import Home

    problem = Home.from_env().problem()
    return usage_error("MAILCOMPOSER_HOME", problem) if problem else None


def wants_gui(argv: Sequence[str]) -> bool:
    """True when ``argv`` opens the window: nothing, a mailto: URL or a message file."""
    from mailcomposer.cli.parser import COMMANDS

    if not argv:
        return True
    first = argv[0]
    if first in ("--reply", "--reply-all", "--forward", "--forward-attached", "--template"):
        return len(argv) > 1  # --reply FILE.eml, --template NAME: the composer
    if first in COMMANDS or first.startswith("-"):
        return False
    lowered = first.lower()
    if lowered.startswith(("mailto:", "file:")):  # file: from a desktop's %u (register)
        return True
    return lowered.endswith(".eml") or os.path.isfile(first)


def open_gui(argv: Sequence[str]) -> int:
    """Open the composer window with ``argv`` (a FILE.eml or mailto: URL); its exit code."""
    from mailcomposer.cli.output import print_error

    # Imported here so the command line never loads PySide6 unless a window is wanted.
    try:
        from mailcomposer.ui import app  # type: ignore[attr-defined]
    except ImportError as exc:
        print_error(
            "",
            _("The composer window is not available ({reason}); use “mailcomposer send”.").format(
                reason=exc
            ),
        )
        return 1
    # ui.app takes a full argv like sys.argv (program name first), as QApplication does.
    program = sys.argv[0] if sys.argv and sys.argv[0] else "mailcomposer"
    return int(app.main([program, *argv]) or 0)
