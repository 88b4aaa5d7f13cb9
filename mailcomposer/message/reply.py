"""Reply, reply all and forward: a new Draft from a received message, threaded per RFC 5322."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from collections.abc import Iterable
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formataddr, getaddresses, parsedate_to_datetime

from mailcomposer.i18n import _
from mailcomposer.message.addresses import unicode_domains
from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.message.eml import read_eml
from mailcomposer.message.replymode import Mode as Mode  # callers import it from here

# Reply and forward prefixes as clients write them, English, German, Nordic and
# Chinese (simplified and traditional), with an optional counter: "Re[2]:".
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|r|回复|答复|转发|回覆|答覆|轉寄|转寄)\s*(?:\[\d+\])?\s*[:：]\s*)+",
    re.IGNORECASE,
)
_MAX_REFERENCES = 20
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)


def base_subject(subject: str) -> str:
    """The subject without any ``Re:``/``Fwd:``/``回复：``/``转发：`` prefixes."""
    return _PREFIX.sub("", subject or "").strip()


def reply_subject(subject: str) -> str:
    return f"Re: {base_subject(subject)}".rstrip()


def forward_subject(subject: str) -> str:
    return f"Fwd: {base_subject(subject)}".rstrip()


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def thread_headers(original: EmailMessage) -> list[tuple[str, str]]:
    """In-Reply-To and References for a reply to ``original`` (RFC 5322 §3.6.4).

    References is the parent's References (or else its In-Reply-To, when that holds
    a single id) followed by the parent's Message-ID; very long chains keep the
    first id and the most recent ones.
    """
    parent = _ids(str(original.get("Message-ID", "")))
    if not parent:
        return []
    references = _ids(str(original.get("References", "")))
    if not references:
        in_reply_to = _ids(str(original.get("In-Reply-To", "")))
        references = in_reply_to if len(in_reply_to) == 1 else []
    chain = [*references, parent[0]]
    if len(chain) > _MAX_REFERENCES:
        chain = [chain[0], *chain[-(_MAX_REFERENCES - 1) :]]
    return [("In-Reply-To", parent[0]), ("References", " ".join(chain))]


def _key(address: str) -> str:
    # The local part may be case-sensitive (RFC 5321 §2.4); the domain is not.
    local, at, domain = address.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else address


def _address_text(pair: tuple[str, str]) -> str:
    """``Name <addr>`` as the user types it (formataddr would encode 王芳 as =?utf-8?...)."""
    name, addr = pair
    if not name:
        return addr
    if name.isascii():
        return formataddr(pair)
    if any(c in name for c in '()<>@,:;".[]\\'):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{addr}>"


def _join(pairs: Iterable[tuple[str, str]]) -> str:
    return ", ".join(_address_text(pair) for pair in pairs)


def _pairs(message: EmailMessage, *names: str) -> list[tuple[str, str]]:
    values: list[str] = []
    for name in names:
        values += [str(v) for v in message.get_all(name, [])]
    return [(n, unicode_domains(a)) for n, a in getaddresses(values) if a]


def _recipients(original: EmailMessage, mode: Mode, own: set[str]) -> tuple[str, str]:
    reply_to = _pairs(original, "Reply-To") or _pairs(original, "From")
    if mode is Mode.REPLY:
        return _join(_past_own(original, reply_to, own)), ""
    to, seen = [], set()
    for pair in reply_to:
        if _key(pair[1]) not in seen:
            seen.add(_key(pair[1]))
            to.append(pair)
    cc = []
    for pair in _pairs(original, "To", "Cc"):
        key = _key(pair[1])
        if key in seen or pair[1].lower() in own:
            continue
        seen.add(key)
        cc.append(pair)
    if not to and cc:  # replying to our own message: its recipients become To
        to, cc = cc, []
    to = _past_own(original, to, own)
    return _join(to), _join([p for p in cc if p not in to])


def _past_own(
    original: EmailMessage, to: list[tuple[str, str]], own: set[str]
) -> list[tuple[str, str]]:
    """``to``, unless it is only ourselves (we wrote the original): then whom it went to."""
    if to and all(a.lower() in own for _n, a in to):
        return [p for p in _pairs(original, "To") if p[1].lower() not in own] or to
    return to


def _date_text(original: EmailMessage) -> str:
    value = str(original.get("Date", "")).strip()
    try:
        return parsedate_to_datetime(value).strftime("%Y-%m-%d %H:%M") if value else ""
    except (TypeError, ValueError):
        return value


def _sender_text(original: EmailMessage) -> str:
    pairs = _pairs(original, "From")
    if not pairs:
        return _("someone")
    name, addr = pairs[0]
    return f"{name} <{addr}>" if name else addr


def _quote_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "\n".join(
        (">" if line.startswith(">") else "> ") + line if line else ">" for line in lines
    )


def _inner_html(document: str) -> str:
    match = _BODY.search(document)
    return match[1] if match else document


def _text_as_html(text: str) -> str:
    return html_lib.escape(text).replace("\n", "<br>\n")


def _forward_header_block(original: EmailMessage) -> list[tuple[str, str]]:
    rows = [
        (_("From"), _sender_text(original)),
        (_("Date"), _date_text(original)),
        (_("Subject"), str(original.get("Subject", ""))),
        (_("To"), _join(_pairs(original, "To"))),
        (_("Cc"), _join(_pairs(original, "Cc"))),
    ]
    return [(label, value) for label, value in rows if value]


def respond(
    raw: bytes,
    mode: Mode,
    *,
    own_addresses: Iterable[str] = (),
    from_addr: str = "",
) -> Draft:
    """A new Draft answering or forwarding the message ``raw``.

    Args:
        raw: the received message (a .eml file's bytes).
        mode: reply, reply all, forward inline or forward as attachment.
        own_addresses: the user's addresses, left out of Reply all.
        from_addr: the identity to send from (the composer may change it).
    """
    parsed = BytesParser(policy=email_policy.default).parsebytes(raw.replace(b"\r\n", b"\n"))
    assert isinstance(parsed, EmailMessage)
    content = read_eml(raw)
    # Our own addresses are matched whole and case-blind: the same mailbox in practice.
    own = {a.lower() for _n, a in getaddresses(list(own_addresses)) if a}
    draft = Draft(from_addr=from_addr)
    subject = content.subject
    if mode in (Mode.REPLY, Mode.REPLY_ALL):
        draft.subject = reply_subject(subject)
        draft.to, draft.cc = _recipients(parsed, mode, own)
        draft.extra_headers = thread_headers(parsed)
        attribution = _("On {date}, {sender} wrote:").format(
            date=_date_text(parsed) or "?", sender=_sender_text(parsed)
        )
        draft.text = f"\n\n{attribution}\n{_quote_text(content.text)}\n"
        if content.html is not None:
            draft.html = (
                # A line to write on: an empty <p></p> is dropped by HTML readers.
                "<p><br></p><p>" + html_lib.escape(attribution) + "</p>"
                '<blockquote type="cite" style="margin:0 0 0 0.8ex;'
                'border-left:2px solid #8c8c8c;padding-left:1ex">'
                + _inner_html(content.html)
                + "</blockquote>"
            )
            draft.inline_images = list(content.inline_images)
        return draft
    draft.subject = forward_subject(subject)
    if mode is Mode.FORWARD_ATTACHED:
        name = (base_subject(subject) or _("message"))[:80]
        name = re.sub(r'[\\/:*?"<>|\r\n\t]', "_", name) + ".eml"
        draft.attachments = [Attachment(name, data=raw, content_type="message/rfc822")]
        return draft
    header = _("---------- Forwarded message ----------")
    rows = _forward_header_block(parsed)
    plain_rows = "\n".join(f"{label}: {value}" for label, value in rows)
    draft.text = f"\n\n{header}\n{plain_rows}\n\n{content.text}"
    if content.html is not None:
        html_rows = "<br>".join(
            f"<b>{html_lib.escape(label)}:</b> {html_lib.escape(value)}" for label, value in rows
        )
        draft.html = f"<p><br></p><p>{html_lib.escape(header)}<br>{html_rows}</p>" + _inner_html(
            content.html
        )
        draft.inline_images = list(content.inline_images)
    draft.attachments = list(content.attachments)
    return dataclasses.replace(draft)
