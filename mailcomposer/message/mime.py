"""Build the MIME message and SMTP envelope from a Draft, checking every user input."""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy as email_policy
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, make_msgid
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from mailcomposer import USER_AGENT
from mailcomposer.i18n import _
from mailcomposer.message.addresses import (
    Address,
    envelope_key,
    has_forbidden_char,
    parse_address,
    parse_address_list,
)
from mailcomposer.message.defects import describe_defect
from mailcomposer.message.draft import Attachment, Draft, InlineImage, Priority
from mailcomposer.message.errors import InputError
from mailcomposer.message.filetypes import guess_type
from mailcomposer.message.receipts import READ_RECEIPT_HEADER, parse_notify
from mailcomposer.message.streams import is_stream, read_stream
from mailcomposer.message.wire import Source, WireMessage

# Headers the builder writes itself; extra headers may not set them.
OWNED_HEADERS = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "reply-to"}
    | {"user-agent", "x-mailer", "x-priority", "importance"}
)
_FIELD_NAME = re.compile(r"^[\x21-\x39\x3b-\x7e]+$")
_MIME_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")
_TAG = re.compile(r"""<[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>""")
_SRC_ATTR = re.compile(
    r"""(?<![\w-])(src|background)(\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
_MAX_LINE = 998
# Our own headers with a fixed, short ASCII form; every other text header is free text
# (Subject, the user's extra headers) and is folded by _unstructured_value.
_FIXED_HEADERS = frozenset({"Date", "Message-ID", "User-Agent", "X-Mailer", "X-Priority"})
_FIXED_HEADERS |= {"Importance"}

_PRIORITY_HEADERS = {
    Priority.HIGH: ("1 (Highest)", "high"),
    Priority.LOW: ("5 (Lowest)", "low"),
}


@dataclass(frozen=True)
class Envelope:
    """The SMTP envelope: MAIL FROM and RCPT TO addresses (IDN domains as punycode).

    Attributes:
        sender: the MAIL FROM address.
        recipients: every To, Cc and Bcc address, once each, in that order.
        smtputf8: True when an address has a non-ASCII local part.
        notify: the delivery notifications asked for (``receipts.parse_notify``).
    """

    sender: str
    recipients: tuple[str, ...]
    smtputf8: bool = False
    notify: tuple[str, ...] = ()  # RFC 3461 NOTIFY conditions for each RCPT; () = none


@dataclass(frozen=True)
class _TextPart:
    """A text body: ``plain`` or ``html``, and its text."""

    subtype: str
    text: str


@dataclass(frozen=True)
class _BinaryPart:
    """An attachment or inline image, its bytes streamed from ``source``."""

    content_type: str
    filename: str
    source: Source
    disposition: str  # "inline" or "attachment"
    content_id: str | None = None  # without angle brackets


@dataclass
class BuiltMessage:
    """A checked message: headers, parts and envelope; serialised on demand.

    Attributes:
        envelope: MAIL FROM / RCPT TO.
        message_id: the Message-ID with angle brackets; reuse it when resending.
        bcc: Bcc addresses as formatted text (envelope only; never on the wire).
    """

    envelope: Envelope
    message_id: str
    bcc: tuple[str, ...]
    _headers: list[tuple[str, object]] = field(repr=False)
    _bcc_header: tuple[Address, ...] = field(repr=False)
    _plain: _TextPart | None = field(repr=False)
    _html: _TextPart | None = field(repr=False)
    _inline: list[_BinaryPart] = field(repr=False)
    _attachments: list[_BinaryPart] = field(repr=False)
    _boundaries: dict[str, str] = field(repr=False)
    _utf8_headers: bool = field(repr=False, default=False)
    _cached: tuple[EmailMessage, dict[int, Source]] | None = field(repr=False, default=None)

    # -- public API ------------------------------------------------------------
    @property
    def message(self) -> EmailMessage:
        """The message tree (no Bcc). Streamed parts hold headers and an empty payload."""
        if self._cached is None:
            self._cached = self._assemble(eight_bit=False, include_bcc=False)
        return self._cached[0]

    def policy(self, eight_bit: bool = False) -> email_policy.EmailPolicy:
        """Return the serialisation policy: CRLF, 7bit or 8bit, UTF-8 headers if needed."""
        pol = email_policy.SMTPUTF8 if self._utf8_headers else email_policy.SMTP
        # refold_source="none": headers stored raw are folded by us already (address
        # lists, the RFC 2047 file name); refolding would bring back the bugs avoided.
        return pol.clone(cte_type="8bit" if eight_bit else "7bit", refold_source="none")

    def wire(self, eight_bit: bool = False, *, include_bcc: bool = False) -> WireMessage:
        """Return the wire form.

        Args:
            eight_bit: the server announced 8BITMIME: text parts may go as 8bit.
            include_bcc: add the Bcc header (only for the local Sent copy, never for SMTP).
        """
        root, sources = self._assemble(eight_bit, include_bcc)
        return WireMessage(root, sources, self.policy(eight_bit))

    def sent_copy_bytes(self, eight_bit: bool = False) -> bytes:
        """Return the message as kept locally: the wire bytes plus the Bcc header."""
        return self.wire(eight_bit, include_bcc=True).to_bytes()

    def summary(self) -> str:
        """Describe the structure: ``multipart/mixed: text/plain, text/html, image/png``."""
        root = self.message
        leaves = [p.get_content_type() for p in root.walk() if not p.is_multipart()]
        if not root.is_multipart():
            return root.get_content_type()
        return f"{root.get_content_type()}: {', '.join(leaves)}"

    # -- assembly --------------------------------------------------------------
    def _assemble(
        self, eight_bit: bool, include_bcc: bool
    ) -> tuple[EmailMessage, dict[int, Source]]:
        pol = self.policy(eight_bit)
        sources: dict[int, Source] = {}
        root = EmailMessage(policy=pol)
        for name, value in self._headers:
            if isinstance(value, tuple):
                root.set_raw(name, format_address_header(name, value, self._utf8_headers))
            elif name in _FIXED_HEADERS:
                root[name] = value
            else:
                assert isinstance(value, str)
                root.set_raw(name, _unstructured_value(name, value, self._utf8_headers))
            if include_bcc and name == "Cc":
                self._add_bcc(root)
        if include_bcc and "Cc" not in root:
            self._add_bcc(root)

        def text_part(spec: _TextPart, part: MIMEPart) -> MIMEPart:
            part.set_content(spec.text, subtype=spec.subtype, cte=_text_cte(spec.text, eight_bit))
            return part

        def binary_part(spec: _BinaryPart) -> MIMEPart:
            part = MIMEPart(policy=pol)
            _set_binary_headers(part, spec)
            sources[id(part)] = spec.source
            return part

        def container(subtype: str, children: list[MIMEPart], part: MIMEPart) -> MIMEPart:
            # RFC 2387 asks multipart/related to name its root part's type.
            extra = '; type="text/html"' if subtype == "related" else ""
            part["Content-Type"] = (
                f'multipart/{subtype}{extra}; boundary="{self._boundaries[subtype]}"'
            )
            part.set_payload(children)
            return part

        def new() -> MIMEPart:
            return MIMEPart(policy=pol)

        # Innermost first: related(html, images) / alternative(plain, html-ish) / mixed.
        def body(target: MIMEPart) -> MIMEPart:
            if self._html is None:
                assert self._plain is not None
                return text_part(self._plain, target)
            html_node: MIMEPart
            if self._inline:
                html_node = container(
                    "related",
                    [text_part(self._html, new())] + [binary_part(i) for i in self._inline],
                    new(),
                )
            else:
                html_node = text_part(self._html, new())
            assert self._plain is not None
            return container("alternative", [text_part(self._plain, new()), html_node], target)

        if self._attachments:
            body_part = body(new())
            children = [body_part] + [binary_part(a) for a in self._attachments]
            root["MIME-Version"] = "1.0"
            container("mixed", children, root)
        elif self._html is None:
            assert self._plain is not None
            # set_content on the root adds MIME-Version itself.
            text_part(self._plain, root)
        else:
            root["MIME-Version"] = "1.0"
            body(root)
        return root, sources

    def _add_bcc(self, root: EmailMessage) -> None:
        if self._bcc_header:
            root.set_raw("Bcc", format_address_header("Bcc", self._bcc_header, self._utf8_headers))


_PHRASE_ATOMS = re.compile(r"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$")
_FOLD_AT = 78


def _encoded_words(text: str) -> list[str]:
    """Split ``text`` into RFC 2047 base64 encoded-words of at most 60 characters each.

    Every word holds whole characters, and spaces stay inside the words, so a
    decoder that drops the whitespace between adjacent words (RFC 2047 6.2) gets
    the text back exactly.
    """
    words = []
    chunk = ""
    for ch in text:
        if len((chunk + ch).encode("utf-8")) > 36:
            words.append(chunk)
            chunk = ""
        chunk += ch
    if chunk:
        words.append(chunk)
    return [
        "=?utf-8?b?" + base64.b64encode(w.encode("utf-8")).decode("ascii") + "?=" for w in words
    ]


def _unstructured_value(name: str, text: str, utf8: bool) -> str:
    """Fold a free-text header value (Subject ...) so that every space survives.

    WORKAROUND: the 3.11 folder can turn the space between two words into the folding
    whitespace between two encoded-words, which RFC 2047 6.2 decoders drop ("a b"
    arrives as "ab"). Text that can go as it is folds at its own spaces; anything
    else is encoded whole, with the spaces inside the encoded-words, as for names.
    """
    if not text:
        return ""
    if (text.isascii() or utf8) and "=?" not in text:
        lines: list[str] = []
        line = ""
        used = len(name) + 2
        for index, token in enumerate(text.split(" ")):
            if index == 0:
                line = token
            elif token and line.strip() and used + _octets(line) + 1 + _octets(token) > _FOLD_AT:
                lines.append(line)
                used = 0
                line = " " + token
            else:
                line += " " + token
        lines.append(line)
        if _octets(lines[0]) + len(name) + 2 <= _MAX_LINE and all(
            _octets(line) <= _MAX_LINE for line in lines
        ):
            return "\n".join(lines)
    return "\n ".join(_encoded_words(text))


def _octets(text: str) -> int:
    return len(text.encode("utf-8"))


def _name_tokens(name: str, utf8: bool) -> list[str]:
    """Return the display name as tokens that may be joined by single spaces."""
    if not name:
        return []
    plain_ok = name.isascii() or utf8
    words = name.split(" ")
    if plain_ok and all(len(w.encode("utf-8")) <= 70 for w in words):
        if name.isascii() and _PHRASE_ATOMS.match(name) and "" not in words:
            return words
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return quoted.split(" ")
    return _encoded_words(name)


def format_address_header(name: str, addresses: tuple[Address, ...], utf8: bool) -> str:
    """Return the value of address header ``name`` as a built message writes it.

    Each address is ``Name <local@domain>`` or the bare address, separated by commas
    and folded between addresses or words at about 78 characters (lines joined by
    newlines, continuations start with a space); set it with ``EmailMessage.set_raw``.
    A display name goes as it is, quoted when needed, or, when it is not ASCII and
    not ``utf8``, as RFC 2047 encoded-words that keep its spaces inside them; domains
    go as punycode.

    WORKAROUND: the 3.11 folder can move the space between two words of a display
    name into the folding whitespace between encoded-words, where RFC 2047 decoders
    drop it ("Ann Lee" arrives as "AnnLee"); IDN domains are also written as
    encoded-words. So the message's address headers are formatted here, not by it.

    Args:
        name: the header name (``To``, ``Cc``, ``Bcc``...), counted in the first line.
        addresses: the checked addresses, in order.
        utf8: the message goes with SMTPUTF8, so names may stay raw UTF-8.
    """
    tokens: list[str] = []
    for index, addr in enumerate(addresses):
        header = addr.header_address()
        spec = f"{header.username}@{header.domain}" if header.username else header.addr_spec
        local = addr.local_part
        if local.startswith('"'):
            spec = f"{local}@{header.domain}"
        piece = _name_tokens(addr.display_name, utf8)
        piece.append(f"<{spec}>" if piece else spec)
        if index < len(addresses) - 1:
            piece[-1] += ","
        tokens.extend(piece)
    lines: list[str] = []
    line = ""
    used = len(name) + 2
    for token in tokens:
        if not line:
            line = token
        elif used + len(line) + 1 + len(token) <= _FOLD_AT:
            line += " " + token
        else:
            lines.append(line)
            used = 0
            line = " " + token
    lines.append(line)
    return "\n".join(lines)


def _text_cte(text: str, eight_bit: bool) -> str:
    """Pick 7bit for short-lined ASCII, 8bit when allowed, else quoted-printable."""
    lines = text.encode("utf-8", "surrogatepass").splitlines()
    longest = max((len(line) for line in lines), default=0)
    controls = any((ord(ch) < 0x20 and ch not in "\t\r\n") or ch == "\x7f" for ch in text)
    if longest <= _MAX_LINE and not controls:
        if text.isascii():
            return "7bit"
        if eight_bit:
            return "8bit"
    return "quoted-printable"


def _set_binary_headers(part: MIMEPart, spec: _BinaryPart) -> None:
    filename = spec.filename
    if filename and not filename.isascii():
        # WORKAROUND: Outlook ignores RFC 2231 filename*= and shows "ATT00001";
        # Thunderbird also writes an RFC 2047 name= on Content-Type. set_param would
        # re-encode it as RFC 2231, so the folded header is stored raw.
        words = _encoded_words(filename)
        raw = f'{spec.content_type};\n name="' + "\n ".join(words) + '"'
        part.set_raw("Content-Type", raw)
    elif filename:
        part["Content-Type"] = spec.content_type
        part.set_param("name", filename)
    else:
        part["Content-Type"] = spec.content_type
    part["Content-Transfer-Encoding"] = "base64"
    if spec.content_id:
        part["Content-ID"] = f"<{spec.content_id}>"
    if filename:
        part.add_header("Content-Disposition", spec.disposition, filename=filename)
    else:
        part["Content-Disposition"] = spec.disposition


def _check_header_text(value: str, field_name: str, what: str) -> None:
    if has_forbidden_char(value):
        raise InputError(
            field_name,
            _(
                "{what} contains a line break or control character, which a header cannot hold"
            ).format(what=what),
            value,
        )


def base_name(name: str) -> str:
    """Return the file name alone: no folders (``/`` or ``\\``), drive, URL or controls.

    ``..\\..\\evil.txt``, ``C:\\x\\evil.txt`` and ``file:///tmp/evil.txt`` all give
    ``evil.txt``; a name of only dots or folders gives ``""``.
    """
    base = unquote(urlsplit(name).path) if "://" in name or name.startswith("file:") else name
    base = PurePosixPath(base.replace("\\", "/")).name
    base = re.sub(r"^[A-Za-z]:", "", base)  # a drive-relative Windows name, C:evil.txt
    base = "".join(ch for ch in base if not has_forbidden_char(ch)).strip()
    return "" if base in (".", "..") else base


def _safe_filename(name: str, content_type: str, index: int, stem: str = "image") -> str:
    base = base_name(name)
    if base:
        return base
    subtype = content_type.partition("/")[2] or "bin"
    return f"{stem}{index}.{subtype.replace('jpeg', 'jpg').split('+')[0]}"


def image_sources(html: str) -> list[str]:
    """Return every ``src`` (and ``background``) value in the HTML's tags, as written."""
    found: list[str] = []
    for tag in _TAG.finditer(html):
        for match in _SRC_ATTR.finditer(tag.group(0)):
            found.append(
                next(g for g in (match.group(4), match.group(5), match.group(6)) if g is not None)
            )
    return found


def _rewrite_sources(html: str, names: dict[str, str]) -> tuple[str, set[str]]:
    """Replace ``src`` values that name an inline image by ``cid:``; return the names used.

    Args:
        html: the HTML.
        names: image name -> content id.
    """
    import html as htmllib  # HTML bodies only: html loads its entity table

    used: set[str] = set()

    def attr(match: re.Match[str]) -> str:
        raw = next(g for g in (match.group(4), match.group(5), match.group(6)) if g is not None)
        for candidate in (raw, htmllib.unescape(raw)):
            if candidate in names:
                used.add(candidate)
                return f'{match.group(1)}{match.group(2)}"cid:{names[candidate]}"'
        return match.group(0)

    def tag(match: re.Match[str]) -> str:
        return _SRC_ATTR.sub(attr, match.group(0))

    return _TAG.sub(tag, html), used


def _read_head(att: Attachment) -> bytes:
    if att.data is not None:
        return att.data[:512]
    assert att.path is not None
    try:
        with open(att.path, "rb") as fh:
            return fh.read(512)
    except OSError as exc:
        raise InputError(
            "attachments",
            _("Cannot read “{name}”: {reason}").format(
                name=att.filename or att.path.name, reason=exc.strerror or exc
            ),
            str(att.path),
        ) from None


def _check_content_type(value: str | None, field_name: str) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if not _MIME_TYPE.match(value):
        raise InputError(
            field_name, _("“{type}” is not a valid MIME type").format(type=value), value
        )
    return value


def build_message(draft: Draft, *, date: datetime | None = None) -> BuiltMessage:
    """Check the draft and build the message and envelope.

    Args:
        draft: what the user composed.
        date: the Date header (default: now, local time zone).

    Raises:
        InputError: naming the field (and value) at fault; nothing is built.
    """
    # Every string that reaches a header is checked before parsing.
    for value, name, what in (
        (draft.from_addr, "from", _("The From address")),
        (draft.to, "to", _("The To field")),
        (draft.cc, "cc", _("The Cc field")),
        (draft.bcc, "bcc", _("The Bcc field")),
        (draft.reply_to, "reply_to", _("The Reply-To field")),
        (draft.subject, "subject", _("The subject")),
        (draft.message_id or "", "message_id", _("The Message-ID")),
    ):
        _check_header_text(value, name, what)

    if not draft.from_addr.strip():
        raise InputError("from", _("Enter the sender's address in From"), "")
    sender = parse_address(draft.from_addr, "from")
    to = parse_address_list(draft.to, "to")
    cc = parse_address_list(draft.cc, "cc")
    bcc = parse_address_list(draft.bcc, "bcc")
    reply_to = parse_address_list(draft.reply_to, "reply_to")
    if not (to or cc or bcc):
        raise InputError("to", _("Add at least one recipient in To, Cc or Bcc"), "")

    extra: list[tuple[str, str]] = []
    for name, value in draft.extra_headers:
        name = name.strip()
        _check_header_text(name, "headers", _("The header name “{name}”").format(name=name))
        _check_header_text(value, "headers", _("The header “{name}”").format(name=name))
        if not _FIELD_NAME.match(name):
            raise InputError(
                "headers",
                _("“{name}” is not a valid header name (use letters, digits and “-”)").format(
                    name=name
                ),
                name,
            )
        lower = name.lower()
        if lower in OWNED_HEADERS or lower.startswith("content-"):
            raise InputError(
                "headers",
                _("The header “{name}” is set by mailcomposer and cannot be added").format(
                    name=name
                ),
                name,
            )
        extra.append((name, value.strip()))

    domain = sender.ascii_domain.strip("[]") or "localhost"
    if draft.message_id:
        message_id = draft.message_id.strip()
        if not message_id.startswith("<"):
            message_id = f"<{message_id}>"
        if not re.fullmatch(r"<[^<>\s@]+@[^<>\s@]+>", message_id):
            raise InputError(
                "message_id",
                _("“{value}” is not a valid Message-ID").format(value=draft.message_id),
                draft.message_id,
            )
    else:
        message_id = make_msgid(domain=domain)

    when = date or datetime.now().astimezone()
    if when.tzinfo is None:
        when = when.astimezone()

    headers: list[tuple[str, object]] = [
        ("Date", format_datetime(when)),
        ("From", (sender,)),
    ]
    if reply_to:
        headers.append(("Reply-To", tuple(reply_to)))
    if to:
        headers.append(("To", tuple(to)))
    if cc:
        headers.append(("Cc", tuple(cc)))
    # Parsers drop leading blanks of a header value; strip both ends so what the
    # recipient sees is exactly what we send.
    headers.append(("Subject", draft.subject.strip()))
    headers.append(("Message-ID", message_id))
    headers.append(("User-Agent", USER_AGENT))
    headers.append(("X-Mailer", USER_AGENT))
    if draft.priority in _PRIORITY_HEADERS:
        xprio, importance = _PRIORITY_HEADERS[Priority(draft.priority)]
        headers.append(("X-Priority", xprio))
        headers.append(("Importance", importance))
    if draft.read_receipt and READ_RECEIPT_HEADER.lower() not in {n.lower() for n, _v in extra}:
        headers.append((READ_RECEIPT_HEADER, f"<{sender.ascii_addr_spec}>"))
    headers.extend(extra)

    header_addresses = [sender, *to, *cc, *reply_to]
    utf8_headers = any(a.needs_smtputf8 for a in header_addresses)

    # Headers must parse back without defects (a last line of defence).
    probe = EmailMessage(policy=email_policy.SMTPUTF8 if utf8_headers else email_policy.SMTP)
    for name, value in headers:
        if isinstance(value, tuple):
            value = tuple(a.header_address() for a in value)
        probe[name] = value
        defects = probe[name].defects
        if defects:
            field_name = name.lower().replace("-", "_")
            if field_name not in ("from", "to", "cc", "reply_to", "subject"):
                field_name = "headers"
            raise InputError(
                field_name,
                _("The header “{name}” is not valid: {problem}").format(
                    name=name, problem=describe_defect(defects[0])
                ),
                str(value),
            )

    # Bodies and inline images.
    inline: list[_BinaryPart] = []
    html_spec: _TextPart | None = None
    if draft.html is not None:
        names: dict[str, str] = {}
        images: dict[str, InlineImage] = {}
        for image in draft.inline_images:
            _check_header_text(image.filename, "inline_images", _("An image file name"))
            if image.name not in images:
                images[image.name] = image
                names[image.name] = make_msgid(domain=domain)[1:-1]
        html, used = _rewrite_sources(draft.html, names)
        for index, (name, image) in enumerate(images.items(), start=1):
            if name not in used:
                continue  # the user deleted it from the HTML
            ctype = _check_content_type(image.content_type, "inline_images") or guess_type(
                name, image.data[:512]
            )
            inline.append(
                _BinaryPart(
                    content_type=ctype,
                    filename=_safe_filename(image.filename or name, ctype, index),
                    source=Source.of_bytes(image.data, image.filename or name),
                    disposition="inline",
                    content_id=names[name],
                )
            )
        html_spec = _TextPart("html", html)
        from mailcomposer.message.htmltext import html_to_text  # HTML bodies only

        plain = draft.text if draft.text.strip() else html_to_text(draft.html)
        plain_spec = _TextPart("plain", plain.replace("\ufffc", ""))
    else:
        plain_spec = _TextPart("plain", draft.text)

    attachments: list[_BinaryPart] = []
    for index, att in enumerate(draft.attachments, start=1):
        # Blanks at either end do not survive parsers and mean nothing in a file name.
        typed = (att.filename or (att.path.name if att.path else "")).strip()
        _check_header_text(typed, "attachments", _("The file name “{name}”").format(name=typed))
        if att.data is None and att.path is None:
            raise InputError("attachments", _("“{name}” has no content").format(name=typed), typed)
        if att.data is None and att.path is not None and is_stream(att.path):
            # Kept in the draft: a rebuild (retry, Sent copy) must not read it again.
            att.data = read_stream(att.path, typed)
        head = _read_head(att)
        # The recipient gets the name alone, never the folders it came from.
        filename = base_name(typed)
        ctype = _check_content_type(att.content_type, "attachments") or guess_type(filename, head)
        if typed and not filename:
            filename = _safe_filename(typed, ctype, index, stem="attachment")
        if att.data is not None:
            source = Source.of_bytes(att.data, filename)
        else:
            assert att.path is not None
            source = Source.of_file(Path(att.path), filename)
        attachments.append(_BinaryPart(ctype, filename, source, "attachment"))

    recipients: list[str] = []
    seen: set[str] = set()
    for addr in (*to, *cc, *bcc):
        key = envelope_key(addr.addr_spec)  # RFC 5321 §2.4: Bob@ and bob@ are two
        if key not in seen:
            seen.add(key)
            recipients.append(addr.ascii_addr_spec)
    envelope = Envelope(
        sender=sender.ascii_addr_spec,
        recipients=tuple(recipients),
        smtputf8=any(a.needs_smtputf8 for a in (sender, *to, *cc, *bcc)),
        notify=parse_notify(draft.dsn),
    )
    # os.urandom, as secrets.token_hex uses, without loading secrets' OpenSSL (hmac).
    token = os.urandom(12).hex()
    return BuiltMessage(
        envelope=envelope,
        message_id=message_id,
        bcc=tuple(a.formatted() for a in bcc),
        _headers=headers,
        _bcc_header=tuple(bcc),
        _plain=plain_spec,
        _html=html_spec,
        _inline=inline,
        _attachments=attachments,
        _boundaries={kind: f"=_{kind[:3]}_{token}" for kind in ("mixed", "alternative", "related")},
        _utf8_headers=utf8_headers,
    )
