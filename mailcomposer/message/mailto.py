"""Turn a ``mailto:`` URL (RFC 6068) into a Draft."""

from __future__ import annotations

import re

from mailcomposer.i18n import _
from mailcomposer.message.addresses import has_forbidden_char, parse_address_list
from mailcomposer.message.draft import Draft
from mailcomposer.message.errors import InputError

_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _decode(text: str, what: str) -> str:
    """Percent-decode as UTF-8 (``+`` stays ``+``: RFC 6068 is not form encoding)."""
    if _PERCENT.search(text):
        raise InputError(
            "mailto", _("The mailto link has a broken %-escape in {what}").format(what=what), text
        )
    raw = re.sub(
        rb"%([0-9A-Fa-f]{2})",
        lambda m: bytes([int(m.group(1), 16)]),
        text.encode("utf-8"),
    )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            "mailto", _("The mailto link is not valid UTF-8 in {what}").format(what=what), text
        ) from None


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p.strip())


def parse_mailto(url: str) -> Draft:
    """Parse a ``mailto:`` URL into a Draft (To, Cc, Bcc, Subject, body).

    Unknown header fields are ignored, as RFC 6068 allows; a ``from`` field is never
    taken from a link.

    Raises:
        InputError: when it is not a mailto URL, is badly encoded, or holds a bad address.
    """
    url = url.strip()
    if not url.lower().startswith("mailto:"):
        raise InputError("mailto", _("“{url}” is not a mailto: link").format(url=url), url)
    rest = url[len("mailto:") :]
    path, _sep, query = rest.partition("?")
    query = query.partition("#")[0]
    draft = Draft()
    draft.to = _decode(path, "to")
    for pair in query.split("&") if query else ():
        if not pair:
            continue
        name, _eq, value = pair.partition("=")
        name = _decode(name, name).strip().lower()
        value = _decode(value, name)
        if name == "to":
            draft.to = _join(draft.to, value)
        elif name == "cc":
            draft.cc = _join(draft.cc, value)
        elif name == "bcc":
            draft.bcc = _join(draft.bcc, value)
        elif name == "subject":
            draft.subject = value
        elif name == "body":
            draft.text = value.replace("\r\n", "\n").replace("\r", "\n")
        elif name == "in-reply-to" and not has_forbidden_char(value):
            draft.extra_headers.append(("In-Reply-To", value))
    if has_forbidden_char(draft.subject):
        raise InputError(
            "subject", _("The subject in the mailto link contains a line break"), draft.subject
        )
    for field_name in ("to", "cc", "bcc"):
        value = getattr(draft, field_name)
        if has_forbidden_char(value):
            raise InputError(
                field_name,
                _("The mailto link has a line break in an address"),
                value,
            )
        parse_address_list(value, field_name)  # raises AddressError naming the address
    return draft
