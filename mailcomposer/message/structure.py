"""A message's MIME structure worked out once, on any thread, for the MIME view to show.

Qt-free: the reading, the bounded parse, the decoded part sizes, the lint and the
parser's defects are the slow steps (about a second for a 25 MiB attachment), so
the MIME view can run ``describe_file`` on a worker thread and only fill its
widgets from the ``Structure`` it returns.
"""

from __future__ import annotations

import email
import os
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message

from mailcomposer.i18n import _
from mailcomposer.message import decoding, tailsearch
from mailcomposer.message.defects import describe_defect
from mailcomposer.message.inspect import Limits, MessageFileError, parse_message

tailsearch.install()  # the parse of a big attachment no longer holds the GIL 0.2 s

SOURCE_LIMIT = 1024 * 1024  # the raw tab shows the first 1 MB: enough to learn, cheap to draw
# Linting re-parses and scans every line (about 3 s for a 25 MiB attachment): bigger
# messages get a button instead of a long wait.
LINT_AUTO_LIMIT = 4 * 1024 * 1024

Findings = tuple[tuple[str, str], ...]


def _never() -> bool:
    return False


@dataclass(frozen=True)
class PartRow:
    """One part of the tree, as the MIME view lists it.

    Attributes:
        part: the parsed part (read only from here on).
        depth: 0 for the message itself, 1 for its parts, and so on.
        content_type: e.g. ``text/plain``.
        disposition: ``inline``, ``attachment`` or ``""``.
        filename: the decoded file name, or ``""``.
        charset: a leaf's charset, or ``""``.
        encoding: a leaf's transfer encoding (``7bit`` when it names none), or ``""``.
        size: the decoded size of a leaf, or the sum of a multipart's leaves.
        leaf: True when the part is not a multipart.
    """

    part: Message
    depth: int
    content_type: str
    disposition: str
    filename: str
    charset: str
    encoding: str
    size: int
    leaf: bool


@dataclass(frozen=True)
class Structure:
    """What the MIME view shows of a message, worked out in one pass.

    Attributes:
        raw: the message bytes (at most the parse limit and one byte).
        size: the file's size in bytes.
        message: the parsed message, or None when it was refused.
        refused: why the message was not parsed (a translated sentence), or ``""``.
        parts: the part tree in depth-first order.
        findings: lint findings as ``(level, text)``; None when lint is unavailable.
        linted: False when the message was too large to lint at once.
        defects: the parser's defects of every part as ``(level, text)``.
        source: the first ``SOURCE_LIMIT`` bytes, decoded for display.
        subject: the decoded Subject, or ``""``.
    """

    raw: bytes
    size: int
    message: EmailMessage | None
    refused: str = ""
    parts: tuple[PartRow, ...] = ()
    findings: Findings | None = ()
    linted: bool = True
    defects: Findings = ()
    source: str = ""
    subject: str = ""

    @property
    def leaves(self) -> int:
        """How many parts are not multiparts."""
        return sum(1 for row in self.parts if row.leaf)


def parse(raw: bytes) -> EmailMessage:
    """Parse raw message bytes with the modern policy (defects are recorded, not raised).

    A message from the sandbox inbox may be hostile: it is parsed within the limits
    of ``parse_message`` (depth, parts, header sizes).

    Raises:
        MessageFileError: the message is outside those limits; the text says why.
    """
    if not raw:
        return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]
    return parse_message(raw)


def part_size(part: Message) -> int:
    """Return the decoded size of a leaf, or the sum of a multipart's leaves."""
    if part.is_multipart():
        return sum(part_size(child) for child in part.iter_parts())  # type: ignore[attr-defined]
    return decoding.payload_size(part)  # in pieces: no long call holding the GIL


def part_filename(part: Message) -> str:
    """Return the part's decoded file name (RFC 2231 or 2047), or "".

    Old Foxmail and Outlook wrote the name's GBK (or UTF-8) bytes into the header
    itself; the parser shows each such byte as "\ufffd". Those names are read again
    from the header's own bytes: UTF-8 if they are that, else GB18030 (GBK's superset).
    """
    try:
        name = part.get_filename() or ""
    except Exception:  # a malformed parameter must not hide the part
        return ""
    if "\ufffd" in name:
        return _eight_bit_filename(part) or name
    return name


def _eight_bit_filename(part: Message) -> str:
    from email.message import Message as Probe

    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        for key, value in part.raw_items():
            if key.lower() != header or not isinstance(value, str):
                continue
            try:
                data = value.encode("ascii", "surrogateescape")
            except UnicodeEncodeError:
                continue
            for charset in ("utf-8", "gb18030"):
                try:
                    text = data.decode(charset)
                except UnicodeDecodeError:
                    continue
                probe = Probe()
                probe[header] = " ".join(text.split())
                found = probe.get_param(param, header=header)
                if isinstance(found, str) and found:
                    return found.strip('"')
    return ""


def part_text(part: Message) -> str | None:
    """Return a text part's decoded content, or None for binary parts."""
    if part.get_content_maintype() != "text":
        return None
    try:
        return part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AttributeError):
        # Unknown or lying charset: show what we can rather than nothing.
        payload = decoding.payload_bytes(part)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def lint_findings(
    raw: bytes, cancelled: Callable[[], bool] = _never
) -> list[tuple[str, str]] | None:
    """Return ``(level, text)`` pairs from the message lint, or None when it is unavailable.

    ``cancelled`` is asked between the lint's steps; once it is true what is
    returned is incomplete and must be dropped.
    """
    try:
        from mailcomposer.message.lint import lint
    except ImportError:
        return None
    try:
        findings = lint(raw, cancelled=cancelled)
    except Exception as exc:  # lint is advice: its failure must not close the view
        return [("error", _("The lint check failed: {reason}").format(reason=exc))]
    result = []
    for finding in findings:
        level = getattr(finding, "level", "info")
        level = getattr(level, "value", level)
        result.append((str(level), str(getattr(finding, "text", finding))))
    return result


@dataclass(frozen=True)
class Checked:
    """The lint of a message run on request (a large one is not linted when opened).

    Attributes:
        findings: ``(level, text)`` pairs; None when lint is unavailable.
    """

    findings: Findings | None


def check(raw: bytes, cancelled: Callable[[], bool] = _never) -> Checked | None:
    """Lint ``raw`` (seconds for a 25 MiB attachment: run it on a worker thread).

    Returns None once ``cancelled()`` is true (asked between the lint's steps).
    """
    findings = lint_findings(raw, cancelled)
    if cancelled():
        return None
    return Checked(None if findings is None else tuple(findings))


def defect_findings(message: Message) -> list[tuple[str, str]]:
    """Return the parser's defects of every part as ``(level, text)`` pairs."""
    found = []
    for part in message.walk():
        for defect in getattr(part, "defects", []):
            found.append(
                (
                    "warning",
                    _("A {type} part is malformed: {problem}").format(
                        type=part.get_content_type(), problem=describe_defect(defect)
                    ),
                )
            )
    return found


def part_rows(message: Message) -> tuple[PartRow, ...]:
    """Return the tree of ``message`` depth first, each leaf decoded once for its size."""
    rows: list[PartRow] = []

    def add(part: Message, depth: int) -> int:
        index = len(rows)
        rows.append(None)  # type: ignore[arg-type]  # its place, before its children
        leaf = not part.is_multipart()
        if leaf:
            size = part_size(part)
        else:
            size = sum(add(child, depth + 1) for child in part.iter_parts())  # type: ignore[attr-defined]
        encoding = str(part.get("Content-Transfer-Encoding", "") or "").lower()
        rows[index] = PartRow(
            part=part,
            depth=depth,
            content_type=part.get_content_type(),
            disposition=part.get_content_disposition() or "",
            filename=part_filename(part),
            charset=(part.get_content_charset() or "") if leaf else "",
            encoding=(encoding or "7bit") if leaf else "",
            size=size,
            leaf=leaf,
        )
        return size

    add(message, 0)
    return tuple(rows)


def _subject(message: Message) -> str:
    try:
        return str(message.get("Subject", "") or "")
    except Exception:  # a broken encoded word must not hide the rest
        return ""


def describe(
    raw: bytes,
    *,
    size: int | None = None,
    lint_limit: int = LINT_AUTO_LIMIT,
    cancelled: Callable[[], bool] = _never,
) -> Structure | None:
    """Parse ``raw`` within limits and describe it; None when ``cancelled()`` between steps.

    A message the bounded parse refuses is described by the sentence saying why
    and its source only. Messages over ``lint_limit`` bytes are not linted.
    """
    size = len(raw) if size is None else size
    source = raw[:SOURCE_LIMIT].decode("utf-8", "replace")
    try:
        message = parse(raw)
    except MessageFileError as exc:
        return Structure(raw=raw, size=size, message=None, refused=exc.message, source=source)
    if cancelled():
        return None
    parts = part_rows(message)
    if cancelled():
        return None
    linted = size <= lint_limit
    findings = lint_findings(raw) if linted else []
    return Structure(
        raw=raw,
        size=size,
        message=message,
        parts=parts,
        findings=None if findings is None else tuple(findings),
        linted=linted,
        defects=tuple(defect_findings(message)),
        source=source,
        subject=_subject(message),
    )


def describe_file(
    path: str | os.PathLike[str],
    *,
    lint_limit: int = LINT_AUTO_LIMIT,
    cancelled: Callable[[], bool] = _never,
) -> Structure | None:
    """Read the message stored at ``path`` and describe it (see ``describe``).

    At most the parse limit and one byte are read: a bigger file is refused with
    its first bytes shown.

    Raises:
        OSError: the file cannot be read.
    """
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = fh.read(Limits().max_bytes + 1)
    if cancelled():
        return None
    return describe(raw, size=size, lint_limit=lint_limit, cancelled=cancelled)
