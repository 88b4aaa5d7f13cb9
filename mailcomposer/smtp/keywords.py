"""What each EHLO keyword (service extension) and AUTH mechanism means, with its RFC."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from mailcomposer.i18n import N_, _, sentences
from mailcomposer.message.sizes import format_size
from mailcomposer.smtp.rfc import Ref, ref


@dataclasses.dataclass(frozen=True)
class Explanation:
    """Plain words for one protocol element and where the standard says it.

    Attributes:
        text: the meaning, translated; empty when there is nothing to say.
        refs: the RFC sections behind it, most specific first.
    """

    text: str
    refs: tuple[Ref, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def ref_labels(self) -> str:
        """``RFC 5321 §4.1.1.1, RFC 3207 §4.2`` (empty without references)."""
        return ", ".join(r.label for r in self.refs)

    def with_text(self, text: str) -> Explanation:
        return dataclasses.replace(self, text=text)

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "refs": [r.to_json() for r in self.refs]}


_KEYWORDS: dict[str, tuple[str, tuple[Ref, ...]]] = {
    "8BITMIME": (
        N_("8BITMIME: the server takes 8-bit text as it is (no re-encoding needed)."),
        (ref(6152, "2"),),
    ),
    "SMTPUTF8": (
        N_("SMTPUTF8: addresses and headers may contain non-ASCII characters (张三@例子.中国)."),
        (ref(6531, "3.2"),),
    ),
    "STARTTLS": (
        N_("STARTTLS: the connection can be switched to encryption (TLS) with a command."),
        (ref(3207, "4"),),
    ),
    "AUTH": (
        N_("AUTH: the server accepts a login; the words after it are the login methods."),
        (ref(4954, "3"),),
    ),
    "PIPELINING": (
        N_("PIPELINING: several commands may be sent without waiting for each reply."),
        (ref(2920, "3.1"),),
    ),
    "CHUNKING": (
        N_("CHUNKING: the message may be sent in sized chunks with BDAT instead of DATA."),
        (ref(3030, "2"),),
    ),
    "BINARYMIME": (
        N_("BINARYMIME: binary MIME parts may be sent unencoded (with BDAT)."),
        (ref(3030, "3"),),
    ),
    "DSN": (
        N_("DSN: the client may ask for delivery status notifications (NOTIFY, RET)."),
        (ref(3461, "4"),),
    ),
    "ENHANCEDSTATUSCODES": (
        N_("ENHANCEDSTATUSCODES: replies carry a detailed code such as 2.1.5 or 5.7.8."),
        (ref(2034, "3"), ref(3463, "2")),
    ),
    "DELIVERBY": (
        N_("DELIVERBY: the client may ask that the message be delivered within a time."),
        (ref(2852, "4"),),
    ),
    "ETRN": (
        N_("ETRN: the client may ask the server to send the mail queued for a domain."),
        (ref(1985, "5"),),
    ),
    "VRFY": (
        N_("VRFY: the server answers whether a mailbox exists (often turned off)."),
        (ref(5321, "4.1.1.6"), ref(5321, "7.3")),
    ),
    "EXPN": (
        N_("EXPN: the server lists the members of a mailing list (often turned off)."),
        (ref(5321, "4.1.1.7"), ref(5321, "7.3")),
    ),
    "HELP": (
        N_("HELP: the server gives help text about its commands."),
        (ref(5321, "4.1.1.8"),),
    ),
    "REQUIRETLS": (
        N_("REQUIRETLS: the client may demand verified TLS on every hop of the message."),
        (ref(8689, "4"),),
    ),
    "MT-PRIORITY": (
        N_("MT-PRIORITY: the client may give the message a priority from -9 to 9."),
        (ref(6710, "3"),),
    ),
    "FUTURERELEASE": (
        N_("FUTURERELEASE: the server can hold the message and release it later."),
        (ref(4865, "3"),),
    ),
}

_MECHANISMS: dict[str, tuple[str, tuple[Ref, ...]]] = {
    "PLAIN": (
        N_("PLAIN: user name and password in one base64 string (readable: TLS needed)."),
        (ref(4616, "2"),),
    ),
    "LOGIN": (
        N_("LOGIN: user name, then password, each in base64 (not a standard; TLS needed)."),
        (ref(4954, "4"),),
    ),
    "CRAM-MD5": (
        N_("CRAM-MD5: a hash of a challenge and the password; the password is not sent."),
        (ref(2195, "2"),),
    ),
    "XOAUTH2": (
        N_("XOAUTH2: Google's and Microsoft's sign-in with an OAuth token (not a standard)."),
        (ref(7628, "3.1"),),
    ),
    "OAUTHBEARER": (
        N_("OAUTHBEARER: sign-in with an OAuth 2.0 token instead of a password."),
        (ref(7628, "3.1"),),
    ),
    "SCRAM-SHA-1": (
        N_("SCRAM: proves knowledge of the password without sending it."),
        (ref(5802, "3"),),
    ),
    "SCRAM-SHA-256": (
        N_("SCRAM: proves knowledge of the password without sending it."),
        (ref(7677, "3"), ref(5802, "3")),
    ),
    "XOAUTH": (N_("XOAUTH: Google's old OAuth 1.0 sign-in (retired, not a standard)."), ()),
    "PLAIN-CLIENTTOKEN": (
        N_("PLAIN-CLIENTTOKEN: Google's own variant of PLAIN (not a standard)."),
        (ref(4616, "2"),),
    ),
    "GSSAPI": (N_("GSSAPI: Kerberos single sign-on (company networks)."), (ref(4422, "3"),)),
    "NTLM": (N_("NTLM: Windows domain login (Microsoft, not a standard)."), ()),
    "ANONYMOUS": (N_("ANONYMOUS: access without an account."), (ref(4422, "3"),)),
    "EXTERNAL": (
        N_("EXTERNAL: the login comes from outside SMTP, e.g. a TLS client certificate."),
        (ref(4422, "3"),),
    ),
}


def keyword_names() -> tuple[str, ...]:
    """Every EHLO keyword we explain by name."""
    return tuple(_KEYWORDS)


def mechanism_names() -> tuple[str, ...]:
    """Every AUTH mechanism we explain by name."""
    return tuple(_MECHANISMS)


def explain_mechanism(name: str) -> Explanation:
    """What one AUTH mechanism (``PLAIN``, ``XOAUTH2`` ...) does."""
    upper = name.upper()
    if upper in _MECHANISMS:
        text, refs = _MECHANISMS[upper]
        return Explanation(_(text), refs)
    if upper.startswith("SCRAM-"):
        text, refs = _MECHANISMS["SCRAM-SHA-256"]
        return Explanation(_(text), refs)
    return Explanation(_("{name}: a login method we do not know.").format(name=name), ())


def explain_keyword(line: str) -> Explanation:
    """What one line of an EHLO reply (after the greeting line) offers.

    Args:
        line: ``SIZE 10240000``, ``AUTH PLAIN LOGIN``, ``8BITMIME``, ``X-FOO`` ...
    """
    words = line.split()
    if not words:
        return Explanation("")
    keyword = words[0].upper()
    params = words[1:]
    if keyword.startswith("AUTH="):  # the pre-standard form some servers still send
        keyword, params = "AUTH", [keyword[5:], *params]
    if keyword == "SIZE":
        limit = int(params[0]) if params and params[0].isdigit() else 0
        if limit:
            text = _("SIZE: the server takes messages of at most {size} ({n} bytes).").format(
                size=format_size(limit), n=limit
            )
        else:
            text = _("SIZE: the server declares no fixed size limit.")
        return Explanation(text, (ref(1870, "3"),))
    if keyword == "AUTH":
        text, refs = _KEYWORDS["AUTH"]
        parts = [_(text)]
        all_refs = list(refs)
        for mechanism in params:
            explained = explain_mechanism(mechanism)
            parts.append(explained.text)
            all_refs.extend(r for r in explained.refs if r not in all_refs)
        return Explanation(sentences(*parts), tuple(all_refs))
    if keyword in _KEYWORDS:
        text, refs = _KEYWORDS[keyword]
        return Explanation(_(text), refs)
    return Explanation(
        _("{keyword}: not a standard extension; this server's own feature.").format(
            keyword=words[0]
        ),
        (),
    )


def ehlo_keywords(lines: Iterable[str]) -> list[str]:
    """The keywords of an EHLO reply's lines (the first line is the greeting)."""
    result = []
    for index, line in enumerate(lines):
        if index == 0:
            continue
        words = line.split()
        if words:
            keyword = words[0].upper()
            result.append("AUTH" if keyword.startswith("AUTH=") else keyword)
    return result


@dataclasses.dataclass(frozen=True)
class CapabilityDiff:
    """How the server's extensions changed between two EHLO replies (before/after TLS).

    Attributes:
        added: lines offered only in the second reply.
        removed: lines offered only in the first reply.
        kept: lines in both.
    """

    added: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]

    def describe(self) -> str:
        """One translated sentence for the log, e.g. after STARTTLS."""
        if not self.added and not self.removed:
            return _("The server offers the same extensions as before TLS.")
        added = _("new after TLS: {items}").format(items=", ".join(self.added))
        removed = _("no longer offered: {items}").format(items=", ".join(self.removed))
        if self.added and self.removed:
            # The separator is translated: Chinese writes a full-width semicolon.
            changes = _("{added}; {removed}").format(added=added, removed=removed)
        else:
            changes = added if self.added else removed
        return _("Extensions changed ({changes}).").format(changes=changes)


def capability_diff(before: Iterable[str], after: Iterable[str]) -> CapabilityDiff:
    """Compare two EHLO replies' keyword lines (greeting lines left out by the caller).

    Lines are compared whole, case-insensitively, so ``AUTH PLAIN LOGIN`` appearing
    after TLS shows as added.
    """
    first = [line.strip() for line in before if line.strip()]
    second = [line.strip() for line in after if line.strip()]
    first_keys = {line.upper() for line in first}
    second_keys = {line.upper() for line in second}
    return CapabilityDiff(
        added=tuple(line for line in second if line.upper() not in first_keys),
        removed=tuple(line for line in first if line.upper() not in second_keys),
        kept=tuple(line for line in second if line.upper() in first_keys),
    )
