"""Parse and check e-mail addresses as people type them (commas or semicolons, IDN, UTF-8)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from mailcomposer.i18n import _
from mailcomposer.message.errors import AddressError

# Characters that would end a header line or confuse a parser: CR, LF, NUL and every
# other str.splitlines() separator, plus the remaining C0 controls and DEL.
FORBIDDEN_CHARS = frozenset(
    "\r\n\x00\v\f\x1c\x1d\x1e\x85\u2028\u2029"
    + "".join(chr(c) for c in range(0x20) if c != 0x09)
    + "\x7f"
)

# RFC 5322 atext, extended by RFC 6532 to every non-ASCII character. The class reaches
# \U0010ffff, which makes compiling it cost ~4-12 ms: compiled on first use, not at launch.
_ATEXT_PATTERN = r"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\U0010ffff]+$"
_ATEXT_PHRASE_PATTERN = r"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\U0010ffff ]+$"


@functools.cache
def _atext() -> re.Pattern[str]:
    """Return the compiled atext pattern (one atom of a local part)."""
    return re.compile(_ATEXT_PATTERN)


@functools.cache
def _atext_phrase() -> re.Pattern[str]:
    """Return the compiled pattern of a display name that needs no quotes."""
    return re.compile(_ATEXT_PHRASE_PATTERN)


@functools.cache
def _ldh_label() -> re.Pattern[str]:
    """Return the compiled pattern of one DNS label (compiled on first use)."""
    return re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@functools.cache
def _domain_literal() -> re.Pattern[str]:
    """Return the compiled pattern of a ``[address]`` domain literal."""
    return re.compile(r"^\[[\x21-\x5a\x5e-\x7e]+\]$")


def has_forbidden_char(text: str) -> bool:
    """Return True if ``text`` holds a line break, a control character or a lone surrogate."""
    return any(ch in FORBIDDEN_CHARS or "\ud800" <= ch <= "\udfff" for ch in text)


@dataclass(frozen=True)
class Address:
    """One checked mailbox.

    Attributes:
        display_name: the name shown to people ("" when none was typed).
        addr_spec: ``local@domain`` as typed (the domain may be Unicode).
    """

    display_name: str
    addr_spec: str

    @property
    def local_part(self) -> str:
        """The part before the last ``@``."""
        return self.addr_spec.rpartition("@")[0]

    @property
    def domain(self) -> str:
        """The domain as typed (Unicode for IDN domains)."""
        return self.addr_spec.rpartition("@")[2]

    @property
    def ascii_domain(self) -> str:
        """The domain with IDN labels as punycode (``xn--...``)."""
        return to_ascii_domain(self.domain)

    @property
    def needs_smtputf8(self) -> bool:
        """True when the local part is not ASCII, so only an SMTPUTF8 server can take it."""
        return not self.local_part.isascii()

    @property
    def ascii_addr_spec(self) -> str:
        """The address for the envelope: IDN domain as punycode, local part unchanged."""
        return f"{self.local_part}@{self.ascii_domain}"

    def header_address(self):
        """Return an ``email.headerregistry.Address`` in its valid header form."""
        from email.headerregistry import Address as HeaderAddress

        local = self.local_part
        if local.startswith('"') and local.endswith('"') and len(local) >= 2:
            local = _unquote(local)
        # Without SMTPUTF8 the domain must be ASCII in a header; with it, punycode
        # is still valid and is what every server understands.
        return HeaderAddress(self.display_name, local, self.ascii_domain)

    def formatted(self) -> str:
        """Return ``Name <addr>`` (quoting the name when needed) or the bare address."""
        if not self.display_name:
            return self.addr_spec
        name = self.display_name
        if not _atext_phrase().match(name):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{self.addr_spec}>"


def to_ascii_domain(domain: str) -> str:
    """Convert a Unicode domain to its ASCII (punycode) form; ASCII domains are unchanged."""
    if domain.isascii():
        return domain
    return ".".join(
        label if label.isascii() else label.encode("idna").decode("ascii")
        for label in domain.split(".")
    )


def to_unicode_domain(domain: str) -> str:
    """The Unicode form of a punycode domain (``xn--bcher-kva.de`` -> ``bücher.de``).

    A label that is not valid punycode (does not encode back to itself) stays as it is.
    """
    labels = []
    for label in domain.split("."):
        if label[:4].lower() == "xn--":
            try:
                decoded = label.encode("ascii").decode("idna")
                if decoded.encode("idna").decode("ascii").lower() == label.lower():
                    label = decoded  # only a label that encodes back to itself
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


def unicode_domains(text: str) -> str:
    """``text`` (addresses as in a header) with every punycode domain shown as typed.

    A message goes out with an IDN domain in punycode (no SMTPUTF8 needed); reading it
    back into the composer shows ``张三 <zhangsan@例子.中国>`` again, the same address.
    """
    if "xn--" not in text.lower():
        return text
    return re.sub(r"@([A-Za-z0-9.-]+)", lambda m: "@" + to_unicode_domain(m[1]), text)


def envelope_key(address: str) -> str:
    """Return the form under which two envelope addresses are the same recipient.

    RFC 5321 §2.4: the local part is case-sensitive (``Bob@`` and ``bob@`` may be two
    mailboxes), the domain is not. So the local part stays as written and the domain
    becomes punycode in lower case: ``Bob@Bücher.Example`` and
    ``Bob@xn--bcher-kva.example`` give the same key, ``bob@bücher.example`` another.
    A local part quoted for nothing is the same as unquoted (RFC 5321 §4.1.2):
    ``"a.b"@x.org`` is ``a.b@x.org``, as a header decoder shows it; ``"a b"@x.org``
    keeps its quotes.

    Args:
        address: a bare address (``local@domain``), as typed or as in the envelope.
    """
    local, at, domain = address.rpartition("@")
    if len(local) >= 2 and local[0] == local[-1] == '"':
        inner = _unquote(local)
        if all(atom and _atext().match(atom) for atom in inner.split(".")):
            local = inner  # a dot-atom: the quotes add nothing
    try:
        domain = to_ascii_domain(domain)
    except UnicodeError:
        pass  # not a valid IDN: compared as written, in any case
    return f"{local}{at}{domain.lower()}"


# A Chinese or Japanese input method types the full-width comma and semicolon.
SEPARATORS = ",;\uff0c\uff1b"
_FULL_WIDTH = "\uff0c\uff1b"


def split_addresses(text: str) -> list[str]:
    """Split an address field into raw pieces at commas and semicolons outside quotes/<>.

    The full-width comma and semicolon (``，`` ``；``) separate too, once the piece
    before them holds an ``@``: they are what a Chinese input method types between
    addresses, while ``王五，销售部 <w@x.org>`` stays one display name.

    Empty pieces (a trailing comma, doubled separators) are dropped.
    """
    pieces: list[str] = []
    current: list[str] = []
    in_quote = in_angle = False
    depth = 0  # comment nesting
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and (in_quote or depth) and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if in_quote:
            in_quote = ch != '"'
        elif ch == '"':
            in_quote = True
        elif ch == "(" and not in_angle:
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth:
            pass
        elif ch == "<":
            in_angle = True
        elif ch == ">":
            in_angle = False
        elif (
            ch in SEPARATORS and not in_angle and (ch not in _FULL_WIDTH or "@" in "".join(current))
        ):
            pieces.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    pieces.append("".join(current))
    return [p.strip() for p in pieces if p.strip()]


def _unquote(text: str) -> str:
    inner = text[1:-1]
    return re.sub(r"\\(.)", r"\1", inner)


def _strip_comments(text: str) -> str:
    """Remove RFC 5322 comments ``(like this)`` outside quoted strings."""
    out: list[str] = []
    depth = 0
    in_quote = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            if not depth:
                out.append(text[i : i + 2])
            i += 2
            continue
        if in_quote:
            in_quote = ch != '"'
            out.append(ch)
        elif depth:
            depth += ch == "("
            depth -= ch == ")"
        elif ch == '"':
            in_quote = True
            out.append(ch)
        elif ch == "(":
            depth = 1
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _parse_piece(piece: str) -> Address:
    """Parse one piece into an Address or raise ValueError with a translated reason."""
    shown = piece
    if has_forbidden_char(piece):
        raise ValueError(
            _("“{address}” contains a line break or control character").format(address=shown)
        )
    if _unbalanced_quotes(piece):
        raise ValueError(_("“{address}” has an unclosed quote").format(address=shown))
    text = _strip_comments(piece).strip()
    display = ""
    if text.endswith(">") or "<" in _outside_quotes(text):
        open_at = _last_outside_quotes(text, "<")
        if open_at < 0:
            raise ValueError(_("“{address}” has “>” without “<”").format(address=shown))
        if not text.endswith(">"):
            raise ValueError(_("“{address}” is missing the closing “>”").format(address=shown))
        display = text[:open_at].strip()
        spec = text[open_at + 1 : -1].strip()
        if display.startswith('"') and display.endswith('"') and len(display) >= 2:
            display = _unquote(display)
        elif '"' in display:
            display = display.replace('"', "")
        display = " ".join(display.split())
        if "<" in spec or ">" in spec:
            raise ValueError(_("“{address}” has too many “<” or “>”").format(address=shown))
    else:
        spec = text
    if not spec:
        raise ValueError(_("“{address}” has no e-mail address").format(address=shown))
    _check_addr_spec(spec, shown)
    return Address(display, spec)


def _unbalanced_quotes(text: str) -> bool:
    count = 0
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        count += text[i] == '"'
        i += 1
    return count % 2 == 1


def _outside_quotes(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', "", text)


def _last_outside_quotes(text: str, char: str) -> int:
    found = -1
    in_quote = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and in_quote:
            i += 2
            continue
        if ch == '"':
            in_quote = not in_quote
        elif ch == char and not in_quote:
            found = i
        i += 1
    return found


def _check_addr_spec(spec: str, shown: str) -> None:
    if "@" not in spec:
        raise ValueError(_("“{address}” has no @").format(address=shown))
    local, _at, domain = spec.rpartition("@")
    if not local:
        raise ValueError(_("“{address}” has nothing before @").format(address=shown))
    if not domain:
        raise ValueError(_("“{address}” has no domain after @").format(address=shown))
    if any(ch.isspace() for ch in domain) or (
        any(ch.isspace() for ch in local) and not local.startswith('"')
    ):
        raise ValueError(_("“{address}” contains a space").format(address=shown))
    if local.startswith('"') and local.endswith('"') and len(local) >= 2:
        pass  # a quoted local part may hold almost anything
    else:
        if "@" in local:
            raise ValueError(_("“{address}” has more than one @").format(address=shown))
        if local.startswith(".") or local.endswith(".") or ".." in local:
            raise ValueError(_("“{address}” has a misplaced dot before @").format(address=shown))
        for atom in local.split("."):
            if not _atext().match(atom):
                bad = next(ch for ch in atom if not _atext().match(ch))
                raise ValueError(
                    _("“{address}” contains “{char}”, which is not allowed before @").format(
                        address=shown, char=bad
                    )
                )
    if len(local.encode("utf-8")) > 64:
        raise ValueError(
            _("“{address}”: the part before @ is longer than 64 bytes").format(address=shown)
        )
    if _domain_literal().match(domain):
        return
    try:
        ascii_domain = to_ascii_domain(domain.rstrip("."))
    except UnicodeError:
        ascii_domain = ""
    labels = ascii_domain.split(".") if ascii_domain else []
    if (
        not labels
        or len(ascii_domain) > 253
        or domain.endswith(".")
        or not all(_ldh_label().match(label) for label in labels)
    ):
        raise ValueError(
            _("“{address}”: “{domain}” is not a valid domain").format(address=shown, domain=domain)
        )


def check_address(piece: str) -> str | None:
    """Return a translated description of what is wrong with one address, or None if fine."""
    try:
        _parse_piece(piece.strip())
    except ValueError as exc:
        return str(exc)
    return None


def parse_address_list(text: str, field: str) -> list[Address]:
    """Parse a whole address field (commas or semicolons between addresses).

    Raises:
        AddressError: naming the first bad address and why.
    """
    result = []
    for piece in split_addresses(text):
        try:
            result.append(_parse_piece(piece))
        except ValueError as exc:
            raise AddressError(field, str(exc), piece) from None
    return result


def parse_address(text: str, field: str) -> Address:
    """Parse a field that must hold exactly one address.

    Raises:
        AddressError: when it is empty, holds several addresses, or is malformed.
    """
    found = parse_address_list(text, field)
    if not found:
        raise AddressError(field, _("Enter an e-mail address"), text)
    if len(found) > 1:
        raise AddressError(
            field, _("Enter only one address here (found {n})").format(n=len(found)), text
        )
    return found[0]
