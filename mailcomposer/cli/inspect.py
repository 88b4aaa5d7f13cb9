"""``mailcomposer inspect FILE.eml``: the headers, MIME tree and lint findings of a message file."""

from __future__ import annotations

import argparse

from mailcomposer.i18n import _


def add_arguments(inspect: argparse.ArgumentParser) -> None:
    """Add the arguments of ``inspect`` to its parser."""
    inspect.description = _(
        "Print the MIME structure of a message file and what may be wrong with it."
    )
    inspect.add_argument("file", metavar="FILE.eml", help=_("the message file"))


def run(args: argparse.Namespace) -> int:
    """Run ``mailcomposer inspect FILE.eml``; return 0, or 2 for a file it cannot use.

    Hostile files (deep nesting, huge headers, tens of thousands of parts, junk)
    get one clear line, within bounded time and memory (``message.inspect``).
    """
    from mailcomposer.cli.mimetree import print_findings
    from mailcomposer.cli.output import usage_error
    from mailcomposer.message.inspect import MessageFileError, inspect_file

    try:
        report = inspect_file(args.file)
    except MessageFileError as exc:
        return usage_error("", exc.message)
    for name, value in report.headers:
        print(f"{name}: {value}")
    print(_("Size: {size} bytes").format(size=report.size))
    print(_("MIME tree:"))
    for line in report.tree:
        print("  " + line)
    print_findings(list(report.findings))
    return 0
