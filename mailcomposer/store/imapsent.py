"""Filing a sent message in the account's Sent folder over IMAP (RFC 3501, RFC 6154)."""

from __future__ import annotations

import imaplib
import mmap
import re
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.smtp.settings import Secret, Security
from mailcomposer.smtp.tls import make_ssl_context, verification_reason
from mailcomposer.store import imaputf7
from mailcomposer.store.imapsettings import ImapSettings

# Tried in this order when no folder is marked \Sent (RFC 6154): the names Thunderbird,
# Outlook, Apple Mail and the Chinese providers (163, 126, yeah.net) use.
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "已发送")
DEFAULT_TIMEOUT = 30.0
_LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\) (?P<delim>"(?:[^"\\]|\\.)*"|NIL) (?P<name>.*)$')


class ImapError(Exception):
    """Filing the copy failed; ``str()`` is a translated reason for the user."""


@dataclass(frozen=True)
class Mailbox:
    """One folder from a LIST reply.

    Attributes:
        name: the folder name as the user reads it (modified UTF-7 decoded).
        raw: the name as the server spells it (what commands must send).
        flags: its attributes, lowercased (``\\sent``, ``\\noselect``).
        delimiter: the hierarchy separator ('' when flat).
    """

    name: str
    raw: str
    flags: frozenset[str]
    delimiter: str = ""

    @property
    def leaf(self) -> str:
        """The last part of the name (``Sent`` for ``INBOX.Sent``)."""
        if not self.delimiter:
            return self.name
        return self.name.rsplit(self.delimiter, 1)[-1]


def _unquote(text: bytes) -> str:
    value = text.decode("utf-8", "replace")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def parse_list(lines: Iterable[bytes | tuple[bytes, bytes] | None]) -> list[Mailbox]:
    """Read the untagged LIST replies imaplib hands back (a literal comes as a tuple)."""
    found = []
    for line in lines:
        if line is None:
            continue
        literal = None
        if isinstance(line, tuple):
            line, literal = line
            line = re.sub(rb"\{\d+\}$", b'""', line)
        match = _LIST_LINE.match(line.strip())
        if match is None:
            continue
        raw = literal.decode("utf-8", "replace") if literal is not None else None
        raw = raw if raw is not None else _unquote(match["name"].strip())
        delimiter = "" if match["delim"] == b"NIL" else _unquote(match["delim"])
        flags = frozenset(f.lower() for f in match["flags"].decode("ascii", "replace").split())
        found.append(Mailbox(imaputf7.decode(raw), raw, flags, delimiter))
    return found


def choose_sent(mailboxes: list[Mailbox]) -> Mailbox | None:
    """Return the folder marked ``\\Sent``, else the first one with a usual Sent name."""
    usable = [m for m in mailboxes if "\\noselect" not in m.flags]
    for mailbox in usable:
        if "\\sent" in mailbox.flags:
            return mailbox
    for wanted in SENT_NAMES:
        for mailbox in usable:
            if wanted.casefold() in (mailbox.name.casefold(), mailbox.leaf.casefold()):
                return mailbox
    return None


def quote(name: str) -> str:
    """Return ``name`` as an IMAP quoted string (modified UTF-7 inside)."""
    raw = imaputf7.encode(name)
    return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_raw(raw: str) -> str:
    return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect(
    imap: ImapSettings, *, cafile: Path | None = None, timeout: float = DEFAULT_TIMEOUT
) -> imaplib.IMAP4:
    """Open a verified TLS connection (implicit TLS or STARTTLS) to ``imap``.

    Raises:
        ImapError: the server could not be reached or its certificate is not trusted.
    """
    context = make_ssl_context(cafile)
    where = f"{imap.host}:{imap.port}"
    try:
        if imap.security is Security.STARTTLS:
            client = imaplib.IMAP4(imap.host, imap.port, timeout=timeout)
            try:
                client.starttls(ssl_context=context)
            except BaseException:
                client.shutdown()
                raise
            return client
        return imaplib.IMAP4_SSL(imap.host, imap.port, ssl_context=context, timeout=timeout)
    except ssl.SSLCertVerificationError as exc:
        raise ImapError(
            _("the certificate of {where} is not trusted ({reason})").format(
                where=where, reason=verification_reason(exc, imap.host)
            )
        ) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(
            _("could not connect to {where} ({error})").format(where=where, error=exc or type(exc))
        ) from exc


def log_in(client: imaplib.IMAP4, username: str, secret: Secret) -> None:
    """Log in with the SMTP login: a token by XOAUTH2, a password by PLAIN or LOGIN.

    The OAuth hook: an account signed in with OAuth hands its access token in as a
    ``Secret(is_token=True)``, which goes out as ``AUTHENTICATE XOAUTH2``.
    """
    if secret.is_token:
        blob = f"user={username}\x01auth=Bearer {secret.value}\x01\x01".encode()
        client.authenticate("XOAUTH2", lambda _challenge: blob)
    elif "AUTH=PLAIN" in client.capabilities:
        # PLAIN carries UTF-8; LOGIN's quoted strings are ASCII only in imaplib.
        blob = f"\0{username}\0{secret.value}".encode()
        client.authenticate("PLAIN", lambda _challenge: blob)
    else:
        client.login(username, secret.value)


def find_sent(client: imaplib.IMAP4, wanted: str = "") -> str:
    """Return the raw (wire) name of the Sent folder; create ``Sent`` if there is none."""
    if wanted:
        return imaputf7.encode(wanted)
    if "SPECIAL-USE" in client.capabilities:
        typ, data = client._simple_command("LIST", '""', '"*"', "RETURN", "(SPECIAL-USE)")
        typ, data = client._untagged_response(typ, data, "LIST")
    else:
        typ, data = client.list()
    if typ != "OK":
        raise imaplib.IMAP4.error(_("the server did not list its folders"))
    chosen = choose_sent(parse_list(data))
    if chosen is not None:
        return chosen.raw
    client.create(quote(SENT_NAMES[0]))
    return imaputf7.encode(SENT_NAMES[0])


def append_sent(
    imap: ImapSettings,
    username: str,
    secret: Secret,
    message: bytes | Path,
    *,
    cafile: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Put ``message`` (the sender's copy, Bcc kept) in the Sent folder, marked read.

    A file (CRLF line ends, as the wire form writes it) is sent from a memory map:
    a large message is never read into memory whole.

    Returns:
        the folder's name, as the user reads it.

    Raises:
        ImapError: with a translated reason; nothing was filed.
    """
    client = connect(imap, cafile=cafile, timeout=timeout)
    try:
        try:
            log_in(client, username, secret)
        except imaplib.IMAP4.error as exc:
            raise ImapError(
                _("the IMAP server refused the login for {user} ({error})").format(
                    user=username, error=_text(exc)
                )
            ) from exc
        raw = find_sent(client, imap.sent_folder)
        if isinstance(message, Path):
            _append_file(client, raw, message)
        else:
            when = imaplib.Time2Internaldate(time.time())
            typ, data = client.append(_quote_raw(raw), r"(\Seen)", when, message)
            if typ != "OK":
                raise imaplib.IMAP4.error(_text(data))
        return imaputf7.decode(raw)
    except ImapError:
        raise
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(
            _("the IMAP server {host} did not take the copy ({error})").format(
                host=imap.host, error=_text(exc)
            )
        ) from exc
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _append_file(client: imaplib.IMAP4, raw: str, path: Path) -> None:
    """APPEND the file at ``path`` as the literal, straight from a memory map.

    ``IMAP4.append`` would copy the message twice in memory (its CRLF rewrite);
    imaplib sends whatever ``literal`` holds with ``sendall``, and an mmap has the
    ``len()`` and buffer it needs.
    """
    when = imaplib.Time2Internaldate(time.time())
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            raise imaplib.IMAP4.error(_("the copy is empty"))
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            client.literal = mapped  # type: ignore[assignment]
            typ, data = client._simple_command("APPEND", _quote_raw(raw), r"(\Seen)", when)
    if typ != "OK":
        raise imaplib.IMAP4.error(_text(data))


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value) or type(value).__name__
