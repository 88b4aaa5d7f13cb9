"""Check raw message bytes against the rules servers enforce (CRLF, 998 octets, 8bit, ...)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from email import errors, message_from_bytes, message_from_string
from email import policy as email_policy
from email.message import Message

from mailcomposer.i18n import _

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


def _line_findings(raw: bytes, findings: list[Finding]) -> None:
    bare_lf = len(re.findall(rb"(?<!\r)\n", raw))
    bare_cr = len(re.findall(rb"\r(?!\n)", raw))
    long_lines = 0
    for number, line in enumerate(re.split(rb"\r\n|\r|\n", raw), start=1):
        if len(line) > _MAX_LINE:
            long_lines += 1
            if long_lines == 1:
                findings.append(
                    Finding(
                        Level.ERROR,
                        _("Line {n} is {length} bytes long; the limit is 998").format(
                            n=number, length=len(line)
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
                        name=name, problem=defect
                    ),
                )
            )
    for part in msg.walk():
        for defect in part.defects:
            findings.append(
                Finding(
                    Level.WARNING,
                    _("A {type} part is malformed: {problem}").format(
                        type=part.get_content_type(), problem=defect
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


def lint(raw: bytes, *, smtputf8: bool | None = None) -> list[Finding]:
    """Check a message as it would go on the wire (unstuffed, CRLF line ends).

    Args:
        raw: the message bytes.
        smtputf8: whether the message will be sent with SMTPUTF8 (allows UTF-8
            headers); ``None`` infers it from non-ASCII address local parts.

    Returns:
        The findings, errors first; an empty list means the message is clean.
    """
    findings: list[Finding] = []
    _line_findings(raw, findings)
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
