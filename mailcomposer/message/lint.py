"""Check raw message bytes against the rules servers enforce (CRLF, 998 octets, 8bit, ...)."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import errors, message_from_bytes, message_from_string
from email import policy as email_policy
from email.message import Message

from mailcomposer.i18n import _
from mailcomposer.message.defects import describe_defect

_MAX_LINE = 998
_ADDRESS_HEADERS = ("from", "to", "cc", "bcc", "reply-to", "sender")
_CID_REF = re.compile(rb"""cid:([^"'\s<>)]+)""", re.IGNORECASE)


class Level(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem found in a message.

    Attributes:
        level: error (a server may reject it), warning (clients may misshow it) or info.
        text: a translated sentence for the user.
    """

    level: Level
    text: str


# The line scan looks at this many bytes per step (cut after a line end): each C
# call (count, splitlines) then takes well under a millisecond, so a lint on a worker
# thread hands the GIL back to the window between them instead of holding it for
# 0.4 s in one regular-expression search over a 25 MiB attachment.
SCAN_CHUNK = 1024 * 1024


def _never() -> bool:
    return False


def _chunks(raw: bytes, size: int | None = None) -> Iterator[bytes]:
    """Yield ``raw`` in pieces of about ``size`` bytes, each ending just after a LF.

    A CRLF pair is never cut in two; a piece holding no LF runs on to the next one.
    """
    size = size or SCAN_CHUNK
    start, total = 0, len(raw)
    while start < total:
        end = min(start + size, total)
        if end < total:
            cut = raw.rfind(b"\n", start, end)
            if cut < 0:
                cut = raw.find(b"\n", end)
            end = total if cut < 0 else cut + 1
        yield raw[start:end]
        start = end


def _line_findings(
    raw: bytes, findings: list[Finding], cancelled: Callable[[], bool] = _never
) -> bool:
    """Add the line-end and line-length findings; False when ``cancelled()`` stopped it."""
    bare_lf = bare_cr = long_lines = 0
    first_long: tuple[int, int] | None = None
    lines_before = 0
    for piece in _chunks(raw):
        if cancelled():
            return False
        crlf = piece.count(b"\r\n")
        bare_lf += piece.count(b"\n") - crlf
        bare_cr += piece.count(b"\r") - crlf
        # bytes.splitlines() splits at CRLF, CR and LF, as the wire's lines are counted.
        lines = piece.splitlines()
        if lines and max(map(len, lines)) > _MAX_LINE:
            for number, line in enumerate(lines, start=lines_before + 1):
                if len(line) > _MAX_LINE:
                    long_lines += 1
                    first_long = first_long or (number, len(line))
        lines_before += len(lines)
    if first_long is not None:
        number, length = first_long
        findings.append(
            Finding(
                Level.ERROR,
                _("Line {n} is {length} bytes long; the limit is 998").format(
                    n=number, length=length
                ),
            )
        )
    if long_lines > 1:
        findings.append(
            Finding(Level.ERROR, _("{n} lines are longer than 998 bytes").format(n=long_lines))
        )
    if bare_lf:
        findings.append(
            Finding(Level.ERROR, _("{n} line ends are a bare LF instead of CRLF").format(n=bare_lf))
        )
    if bare_cr:
        findings.append(Finding(Level.ERROR, _("{n} bare CR characters").format(n=bare_cr)))
    if raw and not raw.endswith(b"\r\n"):
        findings.append(Finding(Level.ERROR, _("The message does not end with CRLF")))
    return True


def _header_block(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        end = raw.find(b"\n\n")
    return raw if end < 0 else raw[:end]


def _parsed_headers(msg: Message, findings: list[Finding]) -> list[tuple[str, object]]:
    """The root's headers, each parsed once (an address list of thousands takes seconds).

    The stdlib's header parser raises on some malformed values (AttributeError,
    IndexError ...); such a header is reported and left out.
    """
    headers: list[tuple[str, object]] = []
    for name, raw in msg.raw_items():
        try:
            headers.append((name, msg.policy.header_fetch_parse(name, raw)))
        except Exception as exc:  # a stdlib parser bug on hostile input
            findings.append(
                Finding(
                    Level.WARNING,
                    _("The header {name} cannot be read: {problem}").format(
                        name=name, problem=type(exc).__name__
                    ),
                )
            )
    return headers


def _first(headers: list[tuple[str, object]], name: str) -> object | None:
    return next((value for key, value in headers if key.lower() == name.lower()), None)


def _needs_smtputf8(headers: list[tuple[str, object]]) -> bool:
    for name, value in headers:
        if name.lower() in _ADDRESS_HEADERS:
            text = str(value)
            if any(not local.isascii() for local in re.findall(r"([^\s<>,\"]+)@", text)):
                return True
    return False


def _eight_bit_findings(raw: bytes, msg: Message, smtputf8: bool, findings: list[Finding]) -> None:
    headers = _header_block(raw)
    if not headers.isascii() and not smtputf8:
        findings.append(
            Finding(
                Level.ERROR,
                _("The headers contain 8-bit bytes; encode them (RFC 2047) or use SMTPUTF8"),
            )
        )
    for part in msg.walk():
        if part.is_multipart():
            continue
        cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
        payload = part.get_payload(decode=False)
        if isinstance(payload, str):
            body = payload.encode("utf-8", "surrogateescape")
        else:
            continue
        if not body.isascii() and cte not in ("8bit", "binary"):
            findings.append(
                Finding(
                    Level.ERROR,
                    _("A {type} part has 8-bit bytes but says {cte}").format(
                        type=part.get_content_type(), cte=cte
                    ),
                )
            )
        if cte == "8bit" and b"\x00" in body:
            findings.append(
                Finding(
                    Level.ERROR,
                    _("A {type} part contains NUL bytes").format(type=part.get_content_type()),
                )
            )


def _structure_findings(
    msg: Message, headers: list[tuple[str, object]], smtputf8: bool, findings: list[Finding]
) -> None:
    for name in ("From", "Date", "Message-ID"):
        if _first(headers, name) is None:
            findings.append(
                Finding(Level.ERROR, _("The required header {name} is missing").format(name=name))
            )
    if _first(headers, "Bcc") is not None:
        findings.append(
            Finding(Level.ERROR, _("A Bcc header would reveal the hidden recipients to everyone"))
        )
    if not any(_first(headers, name) for name in ("To", "Cc")):
        findings.append(Finding(Level.INFO, _("There is no To or Cc header (Bcc-only message)")))
    for name, value in headers:
        for defect in getattr(value, "defects", ()):
            if smtputf8 and isinstance(defect, errors.NonASCIILocalPartDefect):
                continue  # allowed with SMTPUTF8 (RFC 6532)
            findings.append(
                Finding(
                    Level.WARNING,
                    _("The header {name} does not parse cleanly: {problem}").format(
                        name=name, problem=describe_defect(defect)
                    ),
                )
            )
    for part in msg.walk():
        for defect in part.defects:
            findings.append(
                Finding(
                    Level.WARNING,
                    _("A {type} part is malformed: {problem}").format(
                        type=part.get_content_type(), problem=describe_defect(defect)
                    ),
                )
            )
    content_ids: dict[str, int] = {}
    references: set[str] = set()
    for part in msg.walk():
        cid = part.get("Content-ID")
        if cid is not None:
            key = str(cid).strip().strip("<>")
            content_ids[key] = content_ids.get(key, 0) + 1
        if part.get_content_type() == "text/html":
            try:
                body = part.get_content()
            except (LookupError, ValueError):
                continue
            for match in _CID_REF.findall(body.encode("utf-8", "replace")):
                references.add(match.decode("utf-8", "replace"))
    for key, count in content_ids.items():
        if count > 1:
            findings.append(
                Finding(
                    Level.ERROR,
                    _("The Content-ID <{cid}> is used by {n} parts").format(cid=key, n=count),
                )
            )
    for ref in sorted(references - content_ids.keys()):
        findings.append(
            Finding(
                Level.ERROR,
                _("The HTML refers to cid:{cid} but no part has that Content-ID").format(cid=ref),
            )
        )


def lint(
    raw: bytes, *, smtputf8: bool | None = None, cancelled: Callable[[], bool] = _never
) -> list[Finding]:
    """Check a message as it would go on the wire (unstuffed, CRLF line ends).

    Args:
        raw: the message bytes.
        smtputf8: whether the message will be sent with SMTPUTF8 (allows UTF-8
            headers); ``None`` infers it from non-ASCII address local parts.
        cancelled: asked between steps (on a worker thread); once it is true the
            lint stops and returns what it found so far, which the caller drops.

    Returns:
        The findings, errors first; an empty list means the message is clean.
    """
    findings: list[Finding] = []
    if not _line_findings(raw, findings, cancelled) or cancelled():
        return findings
    try:
        # WORKAROUND: the bytes parser turns raw UTF-8 headers (RFC 6532) into
        # surrogates and defects; the str parser reads them properly.
        msg = message_from_string(raw.decode("utf-8"), policy=email_policy.default)
    except UnicodeDecodeError:
        msg = message_from_bytes(raw, policy=email_policy.default)
    headers = _parsed_headers(msg, findings)
    if smtputf8 is None:
        smtputf8 = _needs_smtputf8(headers)
        if smtputf8:
            findings.append(
                Finding(
                    Level.INFO,
                    _("An address has a non-ASCII local part: the server must offer SMTPUTF8"),
                )
            )
    _eight_bit_findings(raw, msg, smtputf8, findings)
    _structure_findings(msg, headers, smtputf8, findings)
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    return sorted(findings, key=lambda f: order[f.level])
