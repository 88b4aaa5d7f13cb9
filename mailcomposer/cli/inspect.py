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
    """Run ``mailcomposer inspect FILE.eml``; return 0, or 2 for an unreadable file."""
    from mailcomposer.cli.files import cannot_read, readable_file
    from mailcomposer.cli.mimetree import lint, mime_tree_lines, parse, print_findings
    from mailcomposer.cli.output import usage_error
    from mailcomposer.cli.parser import UsageError

    try:
        path = readable_file("FILE", args.file)
    except UsageError as exc:
        return usage_error("", exc.message)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return usage_error("", cannot_read(path, exc))
    message = parse(raw)
    for name in ("From", "To", "Cc", "Subject", "Date", "Message-ID"):
        try:
            value = message.get(name)
        except Exception:  # a broken header is reported by lint, not fatal here
            value = None
        if value is not None:
            print(f"{name}: {value}")
    print(_("Size: {size} bytes").format(size=len(raw)))
    print(_("MIME tree:"))
    for line in mime_tree_lines(message):
        print("  " + line)
    print_findings(lint(raw))
    return 0
