"""A message's MIME tree and lint findings as text: shared by ``inspect`` and ``send --dry-run``."""

from __future__ import annotations

from email import policy
from email.message import Message
from email.parser import BytesParser
from typing import Any

from mailcomposer.i18n import _


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
    """Parse ``raw`` with the modern policy."""
    return BytesParser(policy=policy.default).parsebytes(raw)


def mime_tree_lines(message: Message) -> list[str]:
    """Describe a message's MIME tree: one indented line per part.

    Each line has the content type, then the disposition, file name, Content-ID and
    decoded size when they apply.
    """
    lines: list[str] = []

    def walk(part: Message, depth: int) -> None:
        bits = [part.get_content_type()]
        disposition = part.get_content_disposition()
        if disposition:
            bits.append(disposition)
        filename = part.get_filename()
        if filename:
            bits.append(f"“{filename}”")
        cid = part.get("Content-ID")
        if cid:
            bits.append(f"cid {str(cid).strip()}")
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else 0
            bits.append(_("{size} bytes").format(size=size))
        lines.append("  " * depth + ", ".join(bits))
        if part.is_multipart():
            for child in part.iter_parts() if hasattr(part, "iter_parts") else part.get_payload():
                walk(child, depth + 1)

    walk(message, 0)
    return lines
