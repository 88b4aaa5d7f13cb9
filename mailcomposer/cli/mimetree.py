"""A message's MIME tree and lint findings as text: shared by ``inspect`` and ``send --dry-run``."""

from __future__ import annotations

from email.message import Message

from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any


def lint(raw: bytes) -> list[Any]:
    """The lint findings for the message ``raw``."""
    from mailcomposer.message.lint import lint

    return list(lint(raw))


def print_findings(findings: list[Any]) -> None:
    """Print the findings, or that there are none."""
    if not findings:
        print(_("No problems found."))
        return
    print(_("Findings:"))
    for finding in findings:
        print(f"  {finding.level}: {finding.text}")


def parse(raw: bytes) -> Message:
    """Parse ``raw`` with the modern policy, bounded (``message.inspect`` refuses hostile input)."""
    from mailcomposer.message.inspect import parse_message

    return parse_message(raw)


def mime_tree_lines(message: Message) -> list[str]:
    """One indented line per part (``message.inspect.mime_tree_lines``, no recursion)."""
    from mailcomposer.message.inspect import mime_tree_lines as tree_lines

    return tree_lines(message)
