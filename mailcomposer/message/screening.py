"""Pre-send checks: forgotten attachment, empty fields, typos, recipients, size and rules."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable, Iterable, Iterator
from email.utils import getaddresses

from mailcomposer.i18n import _, ngettext
from mailcomposer.message.addresses import split_addresses
from mailcomposer.message.detectors import DETECTORS, suggest_domain
from mailcomposer.message.sizes import format_size


class Action(enum.StrEnum):
    """What a finding does to the send: ask first, or stop unless forced."""

    WARN = "warn"
    BLOCK = "block"


@dataclasses.dataclass(frozen=True)
class Rule:
    """A user rule from ``screening.toml``.

    Attributes:
        name: shown in the finding.
        match: ``word:TEXT``, ``regex:PATTERN`` or ``detector:card|cn-id|phone``.
        action: warn or block.
    """

    name: str
    match: str
    action: Action = Action.WARN

    def matcher(self) -> Callable[[str], list[str]]:
        """A function returning what the rule finds in a text (raises ValueError if bad)."""
        kind, _colon, value = self.match.partition(":")
        kind = kind.strip().lower()
        if not value.strip():
            raise ValueError(_("{match!r}: nothing after the colon.").format(match=self.match))
        if kind == "word":
            word = value.strip()
            # Words in scripts without spaces (Chinese) match anywhere; others whole.
            if re.search(r"[\u3000-\u9fff\uac00-\ud7af]", word):
                pattern = re.compile(re.escape(word), re.IGNORECASE)
            else:
                pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
            return lambda text: [m[0] for m in pattern.finditer(text)]
        if kind == "regex":
            try:
                pattern = re.compile(value)
            except re.error as exc:
                raise ValueError(
                    _("{match!r}: not a valid regular expression ({error}).").format(
                        match=self.match, error=exc
                    )
                ) from exc
            return lambda text: [m[0] for m in pattern.finditer(text)]
        if kind == "detector":
            detector = DETECTORS.get(value.strip().lower())
            if detector is None:
                raise ValueError(
                    _("{match!r}: unknown detector; use card, cn-id or phone.").format(
                        match=self.match
                    )
                )
            # What a detector finds is shown masked: the finding must not repeat it.
            return lambda text: [_mask(found) for found in detector(text)]
        raise ValueError(
            _("{match!r}: start it with word:, regex: or detector:.").format(match=self.match)
        )


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the checks look for, beyond the built-in ones.

    Attributes:
        rules: user rules, in file order.
        own_domains: the sender's organisation's domains; recipients elsewhere are
            pointed out (empty: no such check).
        max_visible_recipients: more To and Cc addresses than this suggest Bcc.
    """

    rules: tuple[Rule, ...] = ()
    own_domains: tuple[str, ...] = ()
    max_visible_recipients: int = 15


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem found before sending.

    Attributes:
        check: a stable id (``attachment``, ``empty-subject``, ``domain-typo``,
            ``domain-incomplete``, ``many-recipients``, ``size``, ``outside-domain``,
            ``empty-body``, ``rule``).
        action: warn or block.
        message: what is wrong and what to do, translated.
        field: the field to fix (``to``, ``cc``, ``bcc``, ``subject``, ``body``,
            ``attachments``), or empty.
        fix: for a typo, the corrected address text of that field.
    """

    check: str
    action: Action
    message: str
    field: str = ""
    fix: str = ""

    def to_json(self) -> dict[str, str]:
        return dataclasses.asdict(self) | {"action": self.action.value}


def _mask(found: str) -> str:
    """``6222 0212 3456 7894`` -> ``…7894``: enough to find it, not to copy it."""
    return "…" + "".join(ch for ch in found if ch.isalnum())[-4:]


ATTACHMENT_CUES = (
    "attached", "attachment", "attachments", "attach", "enclosed", "i enclose",
    "附件", "附上", "见附件", "附有", "随信附", "附带", "请查收",
)  # fmt: skip
_LATIN_CUE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(c) for c in ATTACHMENT_CUES if c.isascii()) + r")(?!\w)",
    re.IGNORECASE,
)
_CJK_CUES = tuple(c for c in ATTACHMENT_CUES if not c.isascii())
# Where the reply's quotation starts (lines after it are someone else's words).
_QUOTE_HEADS = re.compile(
    r"^(-{2,}\s*Original Message\s*-{2,}|-{2,}\s*原始邮件\s*-{2,}|On .+ wrote:\s*$"
    r"|在\s*.+写道[:：]\s*$|From: .+$|发件人[:：].+$)",
    re.IGNORECASE,
)


def own_words(text: str, signatures: Iterable[str] = ()) -> str:
    """The part of a body the sender wrote now: no quoted lines, quotation or signature."""
    for signature in signatures:
        if signature and signature.strip() and signature.strip() in text:
            text = text.replace(signature.strip(), "")
    head, separator, _rest = text.partition("\n-- \n")  # RFC 3676 signature separator
    if not separator and text.startswith("-- \n"):
        head = ""
    kept = []
    for line in head.splitlines():
        if _QUOTE_HEADS.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept)


# "No attachment", 本邮件无附件: saying there is none is not forgetting one.
_NEGATED_CUES = re.compile(
    r"(?<!\w)(?:no|without(?:\s+(?:an?|any|the))?|not)\s+(?:attachments?|attached)(?!\w)"
    r"|(?:没有|无|不带|不含|不需要|不用|未)\s*(?:任何)?\s*附件",
    re.IGNORECASE,
)


def _attachment_cue(text: str) -> str | None:
    text = _NEGATED_CUES.sub(" ", text)
    match = _LATIN_CUE.search(text)
    if match:
        return match[1]
    return next((cue for cue in _CJK_CUES if cue in text), None)


def _addresses(value: str) -> list[tuple[str, str]]:
    # Split as the send does: a Chinese input method types ，and ；between addresses.
    return [(name, addr) for name, addr in getaddresses(split_addresses(value)) if addr]


# Hosts that answer for themselves without a dot: the built-in server's ``me@localhost``.
_DOTLESS_HOSTS = ("localhost",)
_IDNA_DOTS = str.maketrans("\u3002\uff0e\uff61", "...")


def _incomplete(domain: str) -> bool:
    """True for a domain with no dot (``example`` for example.com), which mail cannot reach.

    ``localhost`` and address literals (``[127.0.0.1]``) are complete as they are.
    """
    # IDNA (RFC 3490 §3.1) reads the ideographic and full-width full stops as dots.
    bare = domain.strip().translate(_IDNA_DOTS).rstrip(".").lower()
    return (
        bool(bare) and "." not in bare and not bare.startswith("[") and (bare not in _DOTLESS_HOSTS)
    )


def incomplete_addresses(value: str) -> list[str]:
    """The addresses in the field text ``value`` whose domain has no dot (and no likely fix)."""
    found = []
    for _name, addr in _addresses(value):
        local, _at, domain = addr.rpartition("@")
        if local and _incomplete(domain) and not suggest_domain(domain) and addr not in found:
            found.append(addr)
    return found


def _replace_address(text: str, old: str, new: str) -> str:
    """``text`` with the address ``old`` replaced, never a piece of a longer one.

    ``li@163`` -> ``li@163.com`` must leave ``eli@163.com`` in the same field alone.
    """
    pattern = rf"(?<![\w.@+-]){re.escape(old)}(?![\w.@-])"
    return re.sub(pattern, lambda _match: new, text)


def _domain_findings(field: str, value: str) -> Iterator[Finding]:
    fixed = value
    typos = []
    for _name, addr in _addresses(value):
        local, _at, domain = addr.rpartition("@")
        suggestion = suggest_domain(domain) if local else None
        if suggestion and addr not in dict(typos):
            typos.append((addr, f"{local}@{suggestion}"))
            fixed = _replace_address(fixed, addr, f"{local}@{suggestion}")
    for wrong, right in typos:
        yield Finding(
            "domain-typo",
            Action.WARN,
            _("{wrong}: did you mean {right}?").format(wrong=wrong, right=right),
            field,
            fixed,
        )
    for address in incomplete_addresses(value):
        domain = address.rpartition("@")[2].strip().rstrip(".")
        yield Finding(
            "domain-incomplete",
            Action.WARN,
            _(
                "{address}: the domain “{domain}” is incomplete (it has no dot, as in "
                "{domain}.com), so the message will probably not arrive. Check the address."
            ).format(address=address, domain=domain),
            field,
        )


def screen(
    *,
    to: str = "",
    cc: str = "",
    bcc: str = "",
    subject: str = "",
    body: str = "",
    attachment_count: int = 0,
    signatures: Iterable[str] = (),
    settings: Settings = Settings(),
    message_size: int | None = None,
    server_size_limit: int | None = None,
) -> list[Finding]:
    """Run every check; return the findings, blocking ones first.

    Args:
        to, cc, bcc: the address fields as typed.
        subject: the subject line.
        body: the plain text of the body (signature and quotation included).
        attachment_count: files attached (inline images do not count).
        signatures: signature texts to leave out of the attachment check.
        settings: rules, own domains and the recipient threshold.
        message_size: the built message's size in bytes, when known.
        server_size_limit: the server's SIZE, when known from an earlier session.
    """
    findings: list[Finding] = []
    written = own_words(body, signatures)
    if attachment_count == 0:
        cue = _attachment_cue(subject) or _attachment_cue(written)
        if cue:
            findings.append(
                Finding(
                    "attachment",
                    Action.WARN,
                    _("The message mentions “{cue}” but nothing is attached.").format(cue=cue),
                    "attachments",
                )
            )
    if not subject.strip():
        empty = _("The subject is empty.")
        findings.append(Finding("empty-subject", Action.WARN, empty, "subject"))
    if not written.strip() and attachment_count == 0:
        findings.append(Finding("empty-body", Action.WARN, _("The message is empty."), "body"))
    for field, value in (("to", to), ("cc", cc), ("bcc", bcc)):
        findings.extend(_domain_findings(field, value))
    visible = len(_addresses(to)) + len(_addresses(cc))
    if visible > settings.max_visible_recipients:
        findings.append(
            Finding(
                "many-recipients",
                Action.WARN,
                ngettext(
                    "{n} recipient can see every other address; consider Bcc.",
                    "{n} recipients can see each other's addresses; consider Bcc.",
                    visible,
                ).format(n=visible),
                "to",
            )
        )
    if message_size is not None and server_size_limit and message_size > server_size_limit:
        findings.append(
            Finding(
                "size",
                Action.WARN,
                _(
                    "The message is {size}; the server accepts at most {limit} and will "
                    "probably refuse it."
                ).format(size=format_size(message_size), limit=format_size(server_size_limit)),
                "attachments",
            )
        )
    if settings.own_domains:
        own = tuple(d.lower().lstrip("@") for d in settings.own_domains)
        outside = [
            addr
            for value in (to, cc, bcc)
            for _name, addr in _addresses(value)
            if not any(
                (domain := addr.rpartition("@")[2].lower()) == o or domain.endswith("." + o)
                for o in own
            )
        ]
        if outside:
            findings.append(
                Finding(
                    "outside-domain",
                    Action.WARN,
                    ngettext(
                        "{n} recipient is outside your organisation: {addresses}",
                        "{n} recipients are outside your organisation: {addresses}",
                        len(outside),
                    ).format(n=len(outside), addresses=", ".join(outside)),
                    "to",
                )
            )
    text = f"{subject}\n{body}"
    for rule in settings.rules:
        try:
            found = rule.matcher()(text)
        except ValueError:
            continue  # reported when the rules are loaded
        if found:
            shown = ", ".join(dict.fromkeys(found[:3]))
            findings.append(
                Finding(
                    "rule",
                    rule.action,
                    _("Rule “{name}” matched: {found}").format(name=rule.name, found=shown),
                    "body",
                )
            )
    findings.sort(key=lambda f: f.action is not Action.BLOCK)
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop a send unless the user forces it."""
    return [f for f in findings if f.action is Action.BLOCK]
